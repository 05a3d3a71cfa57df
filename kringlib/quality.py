"""Penilaian Kualitas (ND-550/LIP/2019): the rubric as data and the scoring engine.

A section earns its weight × (weight of "ya" items / weight of applicable items); "na"
items drop out of their section, a section whose items are all "na" drops out, and the
total is rescaled over the sections that apply, so the total is always the sum of the
sections. Cross-rules from the rulebook, driven by facts in the context, override the
assessor's answers and are reported as derived, with their citation. One vectorised core
scores a single assessment or a batch.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kringlib import calendar, clock, rules

ANSWERS = ("ya", "tidak", "na")
RUBRIC_PREFIX = "rubrik_"


# --- the rubric as data --------------------------------------------------------------------


class ItemSpec(BaseModel):
    slug: str
    title: str
    channels: tuple[str, ...]
    guidance: str | dict[str, str] = ""
    weight: float | None = None
    critical: bool = False


class SectionSpec(BaseModel):
    id: str
    title: str
    weight: float
    guidance: str = ""
    items: tuple[ItemSpec, ...]


class RuleSpec(BaseModel):
    id: str
    channels: tuple[str, ...]
    when: dict[str, bool | dict[str, int]]
    set: dict[str, Literal["ya", "tidak"]]
    citation: str


class Band(BaseModel):
    min: float
    label: str


class RubricSpec(BaseModel):
    version: str
    effective_from: dt.date
    source: rules.Citation
    channels: dict[str, str]
    sections: tuple[SectionSpec, ...]
    cross_rules: tuple[RuleSpec, ...]
    bands: tuple[Band, ...]

    @model_validator(mode="after")
    def _cross_rules_name_what_exists(self):
        """A cross-rule naming an unknown channel, fact, section or item would never fire:
        refuse the file instead, naming the rule and the key."""
        targets = {s.id for s in self.sections} | {
            f"{s.id}.{i.slug}" for s in self.sections for i in s.items
        }
        facts = set(Context.model_fields) | DERIVED_FACTS
        for rule in self.cross_rules:
            wrong = [
                *(f"saluran {c}" for c in rule.channels if c not in self.channels),
                *(f"fakta {k}" for k in rule.when if k not in facts),
                *(f"butir {t}" for t in rule.set if t not in targets),
            ]
            if wrong:
                raise ValueError(f"cross_rules {rule.id}: tidak dikenal: {', '.join(wrong)}")
        return self

    @model_validator(mode="after")
    def _weights_add_up(self) -> RubricSpec:
        if abs(sum(s.weight for s in self.sections) - 100) > 1e-9:
            raise ValueError("bobot bagian harus berjumlah 100")
        return self


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    weight: float


@dataclass(frozen=True)
class Item:
    """One scored item: ``weight`` is its share of its section (shares sum to 1)."""

    id: str
    section: str
    title: str
    guidance: str
    weight: float
    critical: bool = False


@dataclass(frozen=True)
class Rubric:
    """A version of the rubric: sections, items per channel, cross-rules, bands."""

    version: str
    effective_from: dt.date
    channels: dict[str, str]
    sections: tuple[Section, ...]
    rules: tuple[RuleSpec, ...]
    bands: tuple[Band, ...]
    _items: dict[str, tuple[Item, ...]] = field(repr=False)

    def items(self, channel: str) -> tuple[Item, ...]:
        """The items scored on ``channel`` (inbound, outbound, medsos, pengaduan)."""
        if channel not in self._items:
            raise ValueError(
                f"saluran tidak dikenal: {channel!r} (pilih {', '.join(self.channels)})"
            )
        return self._items[channel]

    def band(self, total: float) -> str:
        """The display band of a total."""
        return next(b.label for b in sorted(self.bands, key=lambda b: -b.min) if total >= b.min)


def _build(spec: RubricSpec) -> Rubric:
    items: dict[str, list[Item]] = {channel: [] for channel in spec.channels}
    for section in spec.sections:
        for channel in spec.channels:
            members = [i for i in section.items if channel in i.channels]
            given = sum(i.weight for i in members if i.weight is not None)
            missing = [i for i in members if i.weight is None]
            rest = (100 - given) / len(missing) if missing else 0
            total = given + rest * len(missing)
            for spec_item in members:
                weight = spec_item.weight if spec_item.weight is not None else rest
                items[channel].append(
                    Item(
                        id=f"{section.id}.{spec_item.slug}",
                        section=section.id,
                        title=spec_item.title,
                        guidance=_guidance(spec_item, section, channel),
                        weight=weight / total,
                        critical=spec_item.critical,
                    )
                )
    return Rubric(
        version=spec.version,
        effective_from=spec.effective_from,
        channels=spec.channels,
        sections=tuple(Section(s.id, s.title, s.weight) for s in spec.sections),
        rules=spec.cross_rules,
        bands=spec.bands,
        _items={channel: tuple(found) for channel, found in items.items()},
    )


def _guidance(item: ItemSpec, section: SectionSpec, channel: str) -> str:
    text = item.guidance
    if isinstance(text, dict):
        text = text.get(channel, text.get("default", ""))
    return text or section.guidance


def _rubric_files() -> dict[str, Path]:
    files = {p.name: p for p in rules.PACKAGED_DIR.glob(f"{RUBRIC_PREFIX}*.yaml")}
    local = rules.local_dir()
    if local:
        files.update({p.name: p for p in local.glob(f"{RUBRIC_PREFIX}*.yaml")})
    return files


@functools.cache
def _rubrics() -> dict[str, Rubric]:
    loaded = [_build(rules.load(p.stem, RubricSpec)) for p in _rubric_files().values()]
    return {r.version: r for r in sorted(loaded, key=lambda r: r.effective_from)}


def load_rubric(version: str | None = None) -> Rubric:
    """The rubric of ``version`` (default: the latest in force today; one that takes
    effect later is never picked before its day)."""
    rubrics = _rubrics()
    if version is None:
        in_force = [r for r in rubrics.values() if r.effective_from <= clock.today()]
        if not in_force:
            raise ValueError("belum ada rubrik yang berlaku hari ini")
        return in_force[-1]
    if version not in rubrics:
        raise ValueError(f"versi rubrik tidak dikenal: {version!r} (ada: {', '.join(rubrics)})")
    return rubrics[version]


# --- context facts -------------------------------------------------------------------------


DERIVED_FACTS = frozenset({"wrong_greeting"})
"""Facts worked out from the context rather than given in it (see :func:`_context_facts`)."""


class Context(BaseModel):
    """Facts about the interaction that drive the cross-rules; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", strict=True)

    poro_required: bool | None = None
    poro_done: bool | None = None
    outside_klip_authority: bool | None = None
    transferred: bool | None = None
    should_transfer: bool | None = None
    imposed_service_limit: bool | None = None
    typo_count: int | None = Field(default=None, ge=0)
    public_replies_before_dm: int | None = Field(default=None, ge=0)
    greeting_period: Literal["pagi", "siang", "sore"] | None = None
    interaction_time: dt.datetime | None = None


def parse_context(context: dict | None) -> Context:
    """Validate a context dict; the error names every wrong key."""
    try:
        return Context.model_validate(context or {})
    except ValidationError as exc:
        raise ValueError(f"konteks tidak valid: {rules.describe(exc)}") from None


# --- the scoring core ------------------------------------------------------------------------


@dataclass(frozen=True)
class Derived:
    """An answer set by a cross-rule rather than by the assessor."""

    answer: str
    rule: str
    citation: str


@dataclass(frozen=True)
class ScoreResult:
    total: float
    by_section: dict[str, float]
    derived: dict[str, Derived]
    answers: dict[str, str]
    auto_fail: bool
    band: str


YA, TIDAK, NA = range(3)
CODE = {"ya": YA, "tidak": TIDAK, "na": NA}


def _encode(values: np.ndarray, ids: list[str]) -> np.ndarray:
    """ya/tidak/na as 0/1/2; the first value that is none of them is an error with its place."""
    codes = pd.Index(ANSWERS).get_indexer(values.ravel()).reshape(values.shape)
    if (codes < 0).any():
        row, column = map(int, np.argwhere(codes < 0)[0])
        raise ValueError(
            f"baris {row + 1}, item {ids[column]}: "
            f"jawaban {values[row, column]!r} bukan ya/tidak/na"
        )
    return codes.astype(np.int8)


def _condition(values: np.ndarray, expected) -> np.ndarray:
    """Facts are floats (1/0 for booleans, NaN when unknown): an unknown fact never matches."""
    if isinstance(expected, dict):
        return values > expected["more_than"]
    return values == float(expected)


def _evaluate(rubric: Rubric, channel: str, codes: np.ndarray, facts: dict[str, np.ndarray]):
    """Apply the cross-rules to an (n × items) array of answer codes.

    Returns the effective codes and, per rule, the columns it set and the rows it set them on.
    """
    items = rubric.items(channel)
    position = {item.id: k for k, item in enumerate(items)}
    effective = codes.copy()
    forced_no = np.zeros(codes.shape, dtype=bool)
    fired = []
    rows = codes.shape[0]
    for rule in rubric.rules:
        if channel not in rule.channels:
            continue
        mask = np.ones(rows, dtype=bool)
        for fact, expected in rule.when.items():
            mask &= _condition(facts.get(fact, np.full(rows, np.nan)), expected)
        if not mask.any():
            continue
        columns = []
        for target, value in rule.set.items():
            targets = [position[i.id] for i in items if i.section == target] or (
                [position[target]] if target in position else []
            )
            for k in targets:
                allowed = mask if value == "tidak" else mask & ~forced_no[:, k]
                effective[allowed, k] = CODE[value]
                if value == "tidak":
                    forced_no[mask, k] = True
                columns.append((k, value, allowed))
        fired.append((rule, columns))
    return effective, fired


def _points(rubric: Rubric, channel: str, effective: np.ndarray):
    """Section points and totals for an (n × items) array of effective answer codes."""
    items = rubric.items(channel)
    sections = rubric.sections
    weights = np.array([i.weight for i in items])
    membership = np.array([[i.section == s.id for s in sections] for i in items], dtype=float)
    earned_share = ((effective == YA) * weights) @ membership
    applicable_share = ((effective != NA) * weights) @ membership
    section_weight = np.array([s.weight for s in sections])
    applies = applicable_share > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        earned = np.where(applies, section_weight * earned_share / applicable_share, 0.0)
        scale = 100.0 / (applies * section_weight).sum(axis=1, keepdims=True)
        by_section = np.where(applies, earned * scale, np.nan)
    critical = np.array([i.critical for i in items])
    auto_fail = ((effective == TIDAK) & critical).any(axis=1)
    by_section[auto_fail] = np.where(applies[auto_fail], 0.0, np.nan)
    total = np.nansum(by_section, axis=1)
    return by_section, total, auto_fail


def _check_answers(rubric: Rubric, channel: str, answers: dict[str, str]) -> list[str]:
    ids = [item.id for item in rubric.items(channel)]
    missing = [i for i in ids if i not in answers]
    unknown = [k for k in answers if k not in ids]
    wrong = [f"{k}={v!r}" for k, v in answers.items() if k in ids and v not in ANSWERS]
    problems = []
    if missing:
        problems.append(f"item belum dijawab: {', '.join(missing)}")
    if unknown:
        problems.append(
            f"item tidak ada di rubrik {rubric.version} ({channel}): {', '.join(unknown)}"
        )
    if wrong:
        problems.append(f"jawaban harus ya/tidak/na: {', '.join(wrong)}")
    if problems:
        raise ValueError("; ".join(problems))
    return ids


def score(answers: dict[str, str], channel: str, context: dict | None = None, rubric=None):
    """Score one assessment: ``answers`` maps every item id of ``channel`` to ya/tidak/na.

    Returns a :class:`ScoreResult` with ``total`` (0–100), ``by_section`` (points of the
    sections that apply), ``derived`` (items a cross-rule set, with its citation), the
    effective ``answers``, ``auto_fail`` and the display ``band``.
    """
    rubric = rubric or load_rubric()
    ids = _check_answers(rubric, channel, answers)
    facts = _context_facts(parse_context(context))
    given = _encode(np.array([[answers[i] for i in ids]], dtype=object), ids)
    effective, fired = _evaluate(rubric, channel, given, facts)
    by_section, total, auto_fail = _points(rubric, channel, effective)
    derived = {}
    for rule, columns in fired:
        for k, value, allowed in columns:
            if allowed[0]:
                derived[ids[k]] = Derived(value, rule.id, rule.citation.strip())
    sections = {
        s.id: float(by_section[0, j])
        for j, s in enumerate(rubric.sections)
        if not np.isnan(by_section[0, j])
    }
    return ScoreResult(
        total=float(total[0]),
        by_section=sections,
        derived=derived,
        answers={i: ANSWERS[c] for i, c in zip(ids, effective[0], strict=True)},
        auto_fail=bool(auto_fail[0]),
        band=rubric.band(float(total[0])),
    )


def score_frame(
    answers: pd.DataFrame, channel: str, context: pd.DataFrame | None = None, rubric=None
):
    """Score many assessments of one channel at once.

    ``answers`` has one column per item id (ya/tidak/na); ``context``, if given, has
    columns named as the context keys (missing values allowed), aligned by position.
    Returns a frame with ``total``, ``auto_fail`` and one column per section (NaN where a
    section does not apply).
    """
    rubric = rubric or load_rubric()
    ids = _check_answers(rubric, channel, dict.fromkeys(answers.columns, "na"))
    given = _encode(answers[ids].to_numpy(dtype=object), ids)
    facts = _frame_facts(context)
    effective, _ = _evaluate(rubric, channel, given, facts)
    by_section, total, auto_fail = _points(rubric, channel, effective)
    result = pd.DataFrame(by_section, columns=[s.id for s in rubric.sections], index=answers.index)
    result.insert(0, "auto_fail", auto_fail)
    result.insert(0, "total", total)
    return result


def _context_facts(context: Context) -> dict[str, np.ndarray]:
    """One validated context as the one-row facts :func:`_frame_facts` gives, without the
    cost of a frame (the form scores on every answer, and every save scores)."""
    values = context.model_dump()
    said, at = values.pop("greeting_period"), values.pop("interaction_time")
    facts = {k: np.array([np.nan if v is None else float(v)]) for k, v in values.items()}
    minutes = np.nan if at is None else at.hour * 60 + at.minute
    facts["wrong_greeting"] = _wrong_greeting(np.array([said], dtype=object), np.array([minutes]))
    return facts


def _wrong_greeting(said: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    """1.0 where the greeting said is not the one due at ``minutes`` after midnight, 0.0
    where it is, NaN where either is unknown."""
    known = pd.notna(said) & ~np.isnan(minutes)
    expected = calendar.default_calendar().greeting_periods(np.nan_to_num(minutes).astype(int))
    return np.where(known, (said != expected).astype(float), np.nan)


def _frame_facts(context: pd.DataFrame | None) -> dict[str, np.ndarray]:
    """Context columns as float arrays (NaN unknown), with ``wrong_greeting`` derived."""
    if context is None:
        return {}
    unknown = set(context.columns) - set(Context.model_fields)
    if unknown:
        raise ValueError(f"konteks tidak valid: kunci tidak dikenal {sorted(unknown)}")
    facts = {
        c: pd.to_numeric(context[c], errors="coerce").to_numpy(dtype=float)
        for c in context.columns
        if c not in ("greeting_period", "interaction_time")
    }
    if {"greeting_period", "interaction_time"} <= set(context.columns):
        times = pd.DatetimeIndex(pd.to_datetime(context["interaction_time"]))
        minutes = np.asarray(times.hour * 60 + times.minute, dtype=float)
        said = context["greeting_period"].to_numpy(dtype=object)
        facts["wrong_greeting"] = _wrong_greeting(said, minutes)
    return facts
