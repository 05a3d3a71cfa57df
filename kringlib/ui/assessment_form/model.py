"""State of the Penilaian form: which interaction, the answers, the context, the live score.

Unanswered items count as "na" for the live score only; saving needs every item answered.
Opening an interaction that is already assessed loads its newest version, and saving then
writes a correction that supersedes it. Only an assessor opens the page; the store checks
the role again when saving and records the signed-in assessor.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import traitlets

from kringlib import quality
from kringlib.access import PermissionDenied
from kringlib.store import assessments
from kringlib.store.activity import read_roster
from kringlib.ui import format as fmt
from kringlib.ui.base import PageModel
from kringlib.ui.identity import Session
from kringlib.ui.messages import guarded

BOOLEAN_FACTS = (
    "poro_required",
    "poro_done",
    "outside_klip_authority",
    "transferred",
    "should_transfer",
    "imposed_service_limit",
)
COUNT_FACTS = ("typo_count", "public_replies_before_dm")
RECENT = 8


class AssessmentFormModel(PageModel):
    """The assessor's form; every rule is enforced here or below, not in the widgets."""

    page = assessments.PAGE
    agent_id = traitlets.Unicode("")
    interaction_pk = traitlets.Int(0)
    answers = traitlets.Dict()
    context = traitlets.Dict()
    notes = traitlets.Unicode("")
    result = traitlets.Instance(quality.ScoreResult, allow_none=True)
    # version (PageModel) moves when the roster or the interaction (and its items) changes

    def __init__(self, engine, session: Session | None = None, today: dt.date | None = None):
        super().__init__(engine, session, today)
        self.rubric = quality.load_rubric()
        self.roster = pd.DataFrame()
        self.interactions = pd.DataFrame()
        self.current = None  # the newest saved version of the open interaction
        self.sample = pd.DataFrame()
        self.observe(self._on_agent, "agent_id")
        self.observe(self._on_interaction, "interaction_pk")
        self.observe(self._rescore, ["answers", "context"])
        self.reload()

    # --- choosing what to assess ------------------------------------------------------

    @property
    def channel(self) -> str | None:
        row = self._interaction_row()
        return None if row is None else row["channel"]

    def items(self) -> tuple[quality.Item, ...]:
        return self.rubric.items(self.channel) if self.channel else ()

    def _interaction_row(self):
        if not self.interaction_pk or self.interactions.empty:
            return None
        found = self.interactions[self.interactions["id"] == self.interaction_pk]
        return None if found.empty else found.iloc[0]

    def _on_agent(self, _change) -> None:
        self.load_interactions()

    @guarded
    def reload(self) -> None:
        """Read the roster and the chosen agent's interactions again; a refused visitor gets
        nothing (and loses what the previous visitor had open)."""
        if self.allowed:
            self.roster = read_roster(self.engine)
        else:
            self.roster, self.sample, self.agent_id = pd.DataFrame(), pd.DataFrame(), ""
        pk = self.interaction_pk
        self.load_interactions()
        if pk in set(self.interactions.get("id", [])):
            self.interaction_pk = pk

    @guarded
    def load_interactions(self) -> None:
        """The chosen agent's interactions of the last 90 days, newest first."""
        self.interactions = pd.DataFrame()
        if self.agent_id and self.allowed:
            start = self.today - dt.timedelta(days=90)
            self.interactions = assessments.interactions_of(self.engine, self.agent_id, start=start)
        self.interaction_pk = 0
        self.version += 1

    def _on_interaction(self, _change) -> None:
        self.open_interaction()

    @guarded
    def open_interaction(self) -> None:
        """Start the form for the chosen interaction, loading its newest version if any."""
        self.current, self.message = None, ""
        row = self._interaction_row()
        answers, context, notes = {}, {}, ""
        if row is not None:
            context = {"interaction_time": row["started_at"].to_pydatetime()}
            saved = assessments.history(self.engine, int(row["id"]))
            if not saved.empty:
                self.current = saved.iloc[-1]
                answers = dict(self.current["answers"])
                context = assessments.stored_context(self.current["context"]) | context
                notes = self.current["notes"]
                self.message = (
                    f"Sudah dinilai (versi {self.current['version']}, total "
                    f"{fmt.number(self.current['total'], 1)}); menyimpan membuat koreksi."
                )
        with self.hold_trait_notifications():
            self.answers, self.context, self.notes = answers, context, notes
        self.version += 1
        self._rescore()

    # --- answering ------------------------------------------------------------------------

    def set_answer(self, item_id: str, value: str | None) -> None:
        """Record one answer (``None`` clears it)."""
        answers = dict(self.answers)
        if value is None:
            answers.pop(item_id, None)
        else:
            answers[item_id] = value
        self.answers = answers

    def set_fact(self, key: str, value) -> None:
        """Record one context fact (``None`` clears it)."""
        context = {k: v for k, v in self.context.items() if k != key}
        if value is not None:
            context[key] = value
        self.context = context

    def missing(self) -> list[str]:
        return [i.id for i in self.items() if i.id not in self.answers]

    @guarded
    def _rescore(self, _change=None) -> None:
        if not self.channel:
            self.result = None
            return
        provisional = {i.id: self.answers.get(i.id, "na") for i in self.items()}
        self.result = quality.score(provisional, self.channel, self.context, rubric=self._rubric())

    def _rubric(self) -> quality.Rubric:
        if self.current is not None:
            return quality.load_rubric(self.current["rubric_version"])
        return self.rubric

    # --- saving -----------------------------------------------------------------------------

    @guarded
    def save(self) -> None:
        """Save the assessment (or its correction); refused while any item is unanswered."""
        if self._interaction_row() is None:
            raise ValueError("Pilih interaksi yang dinilai.")
        missing = self.missing()
        if missing:
            raise ValueError(f"{len(missing)} item belum dijawab: {', '.join(missing)}")
        supersedes = None if self.current is None else int(self.current["id"])
        assessments.save_assessment(
            self.engine,
            self.actor(),
            interaction_pk=self.interaction_pk,
            answers=dict(self.answers),
            context=dict(self.context),
            notes=self.notes,
            supersedes=supersedes,
            reason="penilaian awal" if supersedes is None else "koreksi",
        )
        pk = self.interaction_pk
        self.load_interactions()
        self.interaction_pk = pk
        self.message = f"Tersimpan: total {fmt.number(self.result.total, 1)} ({self.result.band})."

    def recent(self) -> pd.DataFrame:
        """The chosen agent's latest assessments (newest versions), newest first."""
        if not self.agent_id or not self.allowed:
            return pd.DataFrame()
        mine = assessments.current(self.engine, agent_id=self.agent_id)
        return mine.sort_values("interaction_at", ascending=False).head(RECENT)

    def history(self) -> pd.DataFrame:
        """Every saved version of the open interaction."""
        row = self._interaction_row()
        return pd.DataFrame() if row is None else assessments.history(self.engine, int(row["id"]))

    # --- the sampling queue -----------------------------------------------------------------

    @guarded
    def draw_sample(self, month: str, per_agent: int, seed: int) -> None:
        """Draw ``per_agent`` unassessed interactions per agent of ``month`` (YYYY-MM)."""
        if not self.allowed:
            raise PermissionDenied(self.refused)
        if per_agent < 1:
            raise ValueError("Jumlah per agen minimal 1.")
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month.strip()):
            raise ValueError(f"Bulan tidak valid: {month!r} (format YYYY-MM).")
        month = month.strip()
        candidates = assessments.sample_candidates(self.engine, month)
        self.sample = assessments.draw_sample(candidates, per_agent, seed)
        self.message = (
            f"Sampel: {len(self.sample)} interaksi dari {len(candidates)} yang belum dinilai."
        )
        self.version += 1

    def open_from_sample(self, interaction_pk: int) -> None:
        """Open an interaction drawn in the sample: its agent first, then the interaction."""
        row = self.sample[self.sample["id"] == interaction_pk].iloc[0]
        self.agent_id = row["agent_id"]
        if self.interactions.empty or interaction_pk not in set(self.interactions["id"]):
            self.interactions = assessments.interactions_of(self.engine, self.agent_id)
        self.interaction_pk = interaction_pk
