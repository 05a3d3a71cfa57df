"""Komponen Produktivitas: ART, AHT, CE, CPH, CRM and PAI, vectorised, at any grain.

Every KPI is a ratio of sums (``rules/produktivitas.yaml``): over a group, the sum of its
numerator columns divided by the sum of its denominator, counting only rows that carry all
of its inputs. A KPI whose input columns are absent, or whose denominator sums to zero, is
NaN — never 0 or inf. Ratios are fractions 0–1; durations are seconds.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field, ValidationError, model_validator

from kringlib import rules
from kringlib.canonical import KPI_INPUTS

QUEUE_AS_ACTIVITY = {"answered": "acd_calls", "offered": "incoming_calls"}
"""Queue figures read as the activity columns of PAI telepon: answered over offered."""
PERIODS = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}
"""Period names ``by`` accepts besides columns: derived from ``date`` when no such column exists."""
NAT = np.iinfo(np.int64).min
"""NaT, and a missing Period, as an int64."""
ROWS_AT_ONCE = 1 << 17
ROWS_PER_GROUP_AT_ONCE = 8
"""Rows taken at once: ``ROWS_AT_ONCE`` to encode text keys, and to sum as many, or
``ROWS_PER_GROUP_AT_ONCE`` per group if more, as each block also adds up every group's sums
(see :func:`_object_codes` and :func:`_usable_sums`)."""


class KpiDefinition(BaseModel):
    id: str
    title: str
    formula: str
    numerator: tuple[str, ...] = Field(min_length=1)
    denominator: tuple[str, ...] = Field(min_length=1)
    scale: float = 1.0
    unit: str
    better: Literal["higher", "lower"]

    @property
    def inputs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.numerator + self.denominator))


class ProductivityRules(BaseModel):
    source: rules.Citation
    kpis: tuple[KpiDefinition, ...]

    @model_validator(mode="after")
    def _inputs_are_canonical(self):
        """A KPI naming a column no reader produces would always be NaN: refuse the file."""
        for kpi in self.kpis:
            unknown = [c for c in kpi.inputs if c not in KPI_INPUTS]
            if unknown:
                raise ValueError(f"KPI {kpi.id}: kolom tidak dikenal: {', '.join(unknown)}")
        return self


@functools.cache
def definitions() -> dict[str, KpiDefinition]:
    """The KPI definitions by id, in the rulebook's order."""
    loaded = rules.load("produktivitas", ProductivityRules)
    return {k.id: k for k in loaded.kpis}


def productivity(
    frame: pd.DataFrame,
    by: Sequence[str] | str | None = None,
    *,
    extra: Mapping[str, KpiDefinition | Mapping[str, Any]] | None = None,
) -> pd.DataFrame:
    """One row per group of ``by``: ART, AHT, CE, CPH, CRM, PAI_call, PAI_chat, PAI_email.

    ``by`` lists columns of ``frame`` (``None``: one row for the whole frame). The names
    ``day``, ``week``, ``month``, ``quarter`` and ``year`` may also be used when ``frame``
    has no such column: they group by the period of ``date`` (weeks start on Monday). Rows
    missing a key (NaN, None, NaT) form a group of their own, last.

    ``extra`` adds the analyst's own KPIs, keyed by id: each a :class:`KpiDefinition` or a
    dict shaped like an entry of ``rules/produktivitas.yaml`` (``id`` may be left out). They
    are computed the same way, as columns after the built-in ones. Unlike a built-in, an
    extra KPI must name only columns of ``frame`` and a new id, else ``ValueError``.
    """
    kpis = [*definitions().values(), *_extra_definitions(extra or {}, frame.columns)]
    keys = [by] if isinstance(by, str) else list(by or [])
    codes, index = _group_codes(frame, keys)
    present = [kpi for kpi in kpis if all(column in frame.columns for column in kpi.inputs)]
    sums = _usable_sums(frame, present, codes, len(index))
    result = {
        kpi.id: _ratio(*sums[kpi.id], kpi.scale) if kpi.id in sums else np.full(len(index), np.nan)
        for kpi in kpis
    }
    return pd.DataFrame(result, index=index)


def overall(frame: pd.DataFrame, queue: pd.DataFrame | None = None) -> tuple[pd.Series, bool]:
    """The KPIs over all of ``frame``, and whether PAI_call is the telephone queue's.

    Agents' rows rarely carry incoming calls; then PAI telepon is the whole telephone
    queue's answered over offered (``queue``: rows of the split/skill or VDN report), as
    KPI Tim shows it. The queue is the centre's: pass it only for a view of every team.
    """
    values = productivity(frame).iloc[0]
    if queue is None or not np.isnan(values["PAI_call"]):
        return values, False
    phone = queue[queue["channel"] == "telepon"].rename(columns=QUEUE_AS_ACTIVITY)
    from_queue = productivity(phone).iloc[0]["PAI_call"]
    if np.isnan(from_queue):
        return values, False
    values = values.copy()
    values["PAI_call"] = from_queue
    return values, True


def _extra_definitions(
    extra: Mapping[str, KpiDefinition | Mapping[str, Any]], columns: pd.Index
) -> list[KpiDefinition]:
    built_in = definitions()
    checked = []
    for kpi_id, given in extra.items():
        try:
            definition = (
                given
                if isinstance(given, KpiDefinition)
                else KpiDefinition.model_validate({"id": kpi_id, **given})
            )
        except ValidationError as exc:
            raise ValueError(f"KPI tambahan {kpi_id}: {rules.describe(exc)}") from None
        if definition.id != kpi_id:
            raise ValueError(f"KPI tambahan {kpi_id}: id di definisi berbeda ({definition.id})")
        if kpi_id in built_in:
            raise ValueError(f"KPI tambahan {kpi_id}: id sudah dipakai KPI bawaan")
        missing = [column for column in definition.inputs if column not in columns]
        if missing:
            raise ValueError(f"KPI tambahan {kpi_id}: kolom tidak ada: {', '.join(missing)}")
        checked.append(definition)
    return checked


def _group_codes(frame: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, pd.Index]:
    if not keys:
        return np.zeros(len(frame), dtype=np.intp), pd.RangeIndex(1)
    factorized = [_factorize(frame, key) for key in keys]
    combined = factorized[0][0]  # each key's codes are its own: combined in place
    for codes, uniques in factorized[1:]:
        combined *= len(uniques)
        combined += codes
    space = int(np.prod([len(uniques) for _, uniques in factorized]))
    if space <= 4 * len(frame) + 1024:
        # Dense key space: relabel occupied combinations in O(n), no sort.
        occupied = np.bincount(combined, minlength=space) > 0
        group_ids = np.flatnonzero(occupied)
        codes = combined if occupied.all() else (np.cumsum(occupied) - 1)[combined]
    else:
        group_ids, codes = np.unique(combined, return_inverse=True)
    levels = []
    for _, uniques in reversed(factorized):
        levels.append(uniques.take(group_ids % len(uniques)))
        group_ids = group_ids // len(uniques)
    if len(keys) == 1:
        return codes.ravel(), levels[0]
    return codes.ravel(), pd.MultiIndex.from_arrays(levels[::-1], names=keys)


def _factorize(frame: pd.DataFrame, key: str) -> tuple[np.ndarray, pd.Index]:
    """Codes of ``key`` per row and its values in order, each at most once (some need not
    occur); a missing key is a group of its own, last."""
    if key in frame.columns:
        codes, uniques = _column_codes(frame[key])
    elif key in PERIODS and "date" in frame.columns:
        codes, uniques = _period_codes(frame["date"], PERIODS[key])
    else:
        raise KeyError(f"kolom pengelompokan tidak ada: {key}")
    uniques = uniques.rename(key)
    if codes.min(initial=0) < 0:
        codes = np.where(codes < 0, len(uniques), codes)
        uniques = uniques.insert(len(uniques), np.nan)
    return codes, uniques


def _column_codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """:func:`_factorize` of a column; a missing value's code is -1."""
    if isinstance(column.dtype, pd.PeriodDtype):
        spanned = _span(column.array.asi8)
        if spanned is not None:
            offsets, first, count = spanned
            ordinals = np.arange(first, first + count)
            return offsets, pd.PeriodIndex.from_ordinals(ordinals, freq=column.dtype.freq)
    if column.dtype == object or getattr(column.dtype, "storage", None) == "python":
        # pandas factorizes the objects of a python-backed str array faster on their own.
        codes, uniques = _object_codes(np.asarray(column.array))
    else:
        codes, uniques = pd.factorize(column, sort=True)
    return codes, pd.Index(uniques, dtype=column.dtype)


def _object_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, sort=True)``, ``ROWS_AT_ONCE`` rows at a time: a block's
    table and codes stay in cache, and a dict numbers the blocks' distinct values."""
    numbers: dict = {}
    distinct = [values[:0]]
    codes = np.empty(len(values), dtype=np.intp)
    for start in range(0, len(values), ROWS_AT_ONCE):
        rows = slice(start, start + ROWS_AT_ONCE)
        block_codes, uniques = pd.factorize(values[rows])
        known = len(numbers)
        remap = np.array([*(numbers.setdefault(u, len(numbers)) for u in uniques), -1])
        distinct.append(uniques[remap[:-1] >= known])
        codes[rows] = remap[block_codes]  # a missing value's -1 takes the last, -1
    ranks, uniques = pd.factorize(np.concatenate(distinct), sort=True)
    return _look_up(np.append(ranks, -1), codes), uniques


def _period_codes(dates: pd.Series, freq: str) -> tuple[np.ndarray, pd.Index]:
    """Codes of each date's period and the periods of the dates' span, found once per day
    of the span rather than once per row."""
    if isinstance(dates.dtype, np.dtype) and dates.dtype.kind == "M":
        spanned = _span(dates.to_numpy().astype("datetime64[D]").view(np.int64))
        if spanned is not None:
            offsets, first, count = spanned
            days = pd.DatetimeIndex(np.arange(first, first + count).astype("datetime64[D]"))
            codes, periods = pd.factorize(days.to_period(freq), sort=True)
            return _look_up(np.append(codes, -1), offsets), periods  # NaT's -1 takes the -1
    return pd.factorize(dates.dt.to_period(freq), sort=True)


def _look_up(table: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``table[codes]``, written over ``codes`` a block at a time: no second array."""
    for start in range(0, len(codes), ROWS_AT_ONCE):
        rows = slice(start, start + ROWS_AT_ONCE)
        codes[rows] = table[codes[rows]]
    return codes


def _span(ordinals: np.ndarray) -> tuple[np.ndarray, int, int] | None:
    """Each ordinal's offset from the smallest (-1 for NaT), the smallest, and how many
    ordinals the values span; None when they span more than there are values."""
    if not len(ordinals):
        return None
    first, last = int(ordinals.min()), int(ordinals.max())  # NaT is the smallest int64
    known = None if first != NAT else ordinals != NAT
    if known is not None:
        first = int(ordinals.min(where=known, initial=last))
    if not NAT < first <= last < first + len(ordinals):
        return None
    offsets = ordinals - first
    if known is not None:
        offsets[~known] = -1
    return offsets, first, last - first + 1


def _usable_sums(
    frame: pd.DataFrame, kpis: list[KpiDefinition], codes: np.ndarray, size: int
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per KPI and group, the sums of its numerator and of its denominator over the rows
    that carry all its inputs.

    Taken a block of rows at a time, so that their codes stay in cache while every KPI is
    summed; within a block, a sum that KPIs share is taken once.
    """
    values = {column: _values(frame, column) for kpi in kpis for column in kpi.inputs}
    sums = {kpi.id: (np.zeros(size), np.zeros(size)) for kpi in kpis}
    lacked: set[tuple[str, ...]] = set()  # terms a row lacked: from then on, skip such rows
    step = max(ROWS_AT_ONCE, ROWS_PER_GROUP_AT_ONCE * size)
    for start in range(0, len(codes), step):
        rows = slice(start, start + step)
        block = codes[rows]
        whole: dict[tuple[str, ...], np.ndarray] = {}  # a term's sums over the block's rows
        for kpi in kpis:
            terms = (kpi.numerator, kpi.denominator)
            parts = []
            for term in terms:
                if term not in whole and term not in lacked:
                    added = np.bincount(block, _row_sums(values, term, rows), minlength=size)
                    if np.isnan(added).any():
                        lacked.add(term)
                    else:
                        whole[term] = added
                if term in lacked:
                    break
                parts.append(whole[term])
            if len(parts) < len(terms):
                # A row missing any input drops out of both sums: NaN propagates through the adds.
                numerator, denominator = (_row_sums(values, term, rows) for term in terms)
                lacking = np.isnan(numerator) | np.isnan(denominator)
                parts = [
                    np.bincount(block, np.where(lacking, 0.0, weights), minlength=size)
                    for weights in (numerator, denominator)
                ]
            for total, part in zip(sums[kpi.id], parts, strict=True):
                total += part
    return sums


def _row_sums(values: dict[str, np.ndarray], term: tuple[str, ...], rows: slice) -> np.ndarray:
    return functools.reduce(np.add, (values[column][rows] for column in term))


def _values(frame: pd.DataFrame, column: str) -> np.ndarray:
    series = frame[column]
    if isinstance(series.dtype, pd.api.extensions.ExtensionDtype):  # nullable Int64, Float64
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    return np.asarray(series, dtype=np.float64)  # no copy for float64


def _ratio(top: np.ndarray, bottom: np.ndarray, scale: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = top / bottom * scale
    ratio[bottom == 0] = np.nan
    return ratio
