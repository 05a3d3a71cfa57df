"""State of the Banding page: an agent's assessments, their deadlines, filing, following.

Only the signed-in agent's own assessments and appeals are read. Deadlines count from the
Jakarta date of each assessment (and any recorded system failure) to today's Jakarta date
when the page reads them; the store checks the deadline again at the moment of filing.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import traitlets

from kringlib import appeals, clock, quality
from kringlib.store import appeals as store
from kringlib.store import assessments
from kringlib.ui.base import PageModel
from kringlib.ui.identity import Session
from kringlib.ui.messages import guarded

SHOWN_DAYS = 30


class AppealAgentModel(PageModel):
    """The signed-in agent's assessments and appeals; filing goes through kringlib.appeals."""

    page = "banding"
    assessment_id = traitlets.Int(0)
    reasons = traitlets.Dict()  # item id → reason, for the items ticked as disputed

    def __init__(self, engine, session: Session | None = None, today: dt.date | None = None):
        super().__init__(engine, session, today)
        self.mine = pd.DataFrame()
        self.my_appeals = pd.DataFrame()
        self.observe(lambda _: self._select(), "assessment_id")
        self.reload()

    @guarded
    def reload(self) -> None:
        """Read the agent's recent assessments (newest versions) and appeals."""
        self.mine, self.my_appeals = pd.DataFrame(), pd.DataFrame()
        if self.allowed:
            own = self.visible()
            self.mine = self._recent_assessments(own.agent_id)
            self.my_appeals = store.appeals_frame(self.engine, own).sort_values(
                "filed_at", ascending=False
            )
        self.assessment_id = 0
        self.version += 1

    def _recent_assessments(self, agent_id: str) -> pd.DataFrame:
        """The agent's assessments of the last :data:`SHOWN_DAYS` days with deadline and
        working days left, newest first."""
        today = clock.today()
        failures = store.system_failures(self.engine)
        mine = assessments.current(self.engine, agent_id=agent_id)
        assessed_on = mine["created_at"].map(clock.jakarta_date)
        mine = mine[assessed_on >= today - dt.timedelta(days=SHOWN_DAYS)]
        deadlines = [appeals.deadline_of(at, failures) for at in mine["created_at"]]
        return mine.assign(
            deadline=deadlines,
            days_left=[appeals.working_days_left(d, today) for d in deadlines],
        ).sort_values("created_at", ascending=False)

    def latest_trail(self) -> pd.DataFrame:
        """The audit trail of the agent's most recent appeal."""
        if self.my_appeals.empty:
            return pd.DataFrame()
        return store.audit_trail(self.engine, int(self.my_appeals.iloc[0]["id"]))

    def _select(self) -> None:
        self.reasons, self.message = {}, ""
        self.version += 1

    def chosen(self):
        found = (
            self.mine[self.mine["id"] == self.assessment_id] if not self.mine.empty else self.mine
        )
        return None if found.empty else found.iloc[0]

    def items(self) -> list[tuple[quality.Item, str]]:
        """The chosen assessment's items with the answer given, "tidak" first."""
        row = self.chosen()
        if row is None:
            return []
        rubric = quality.load_rubric(row["rubric_version"])
        pairs = [(item, row["answers"][item.id]) for item in rubric.items(row["channel"])]
        return sorted(pairs, key=lambda pair: pair[1] != "tidak")

    def set_reason(self, item_id: str, reason: str | None) -> None:
        """Tick an item as disputed with a reason (``None`` unticks it)."""
        reasons = {k: v for k, v in self.reasons.items() if k != item_id}
        if reason is not None:
            reasons[item_id] = reason
        self.reasons = reasons

    @guarded
    def file(self) -> None:
        """File the appeal; the rules (own assessment, deadline, items, reasons) are checked
        in the store at the moment of filing."""
        actor = self.actor()
        if self.chosen() is None:
            raise ValueError("Pilih penilaian yang dibanding.")
        appeal_id = store.file_appeal(self.engine, actor, self.assessment_id, dict(self.reasons))
        self.reload()
        self.message = (
            f"Banding #{appeal_id} diajukan: {appeals.state_label(appeals.initial_state())}."
        )
