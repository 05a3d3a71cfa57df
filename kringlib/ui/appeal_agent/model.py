"""State of the Banding page: an agent's assessments, their deadlines, filing, following."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import traitlets

from kringlib import appeals, quality
from kringlib.store import appeals as store
from kringlib.store import assessments
from kringlib.ui.identity import Session, SignedInModel
from kringlib.ui.messages import guarded

SHOWN_DAYS = 30


class AppealAgentModel(SignedInModel):
    """The signed-in agent's assessments and appeals; filing goes through kringlib.appeals."""

    assessment_id = traitlets.Int(0)
    reasons = traitlets.Dict()  # item id → reason, for the items ticked as disputed

    def __init__(self, engine, session: Session, today: dt.date | None = None, **kwargs):
        super().__init__(engine, session, today, **kwargs)
        self.mine = pd.DataFrame()
        self.my_appeals = pd.DataFrame()
        self.observe(lambda _: self._select(), "assessment_id")
        self.reload()

    @guarded
    def reload(self) -> None:
        """Read the agent's recent assessments (newest versions) and appeals."""
        user = self.session.user
        self.mine, self.my_appeals = pd.DataFrame(), pd.DataFrame()
        if user is not None and user.agent_id:
            mine = assessments.current(self.engine, agent_id=user.agent_id)
            assessed_on = pd.to_datetime(mine["created_at"], utc=True).dt.date
            mine = mine[assessed_on >= self.today - dt.timedelta(days=SHOWN_DAYS)].copy()
            mine["deadline"] = [appeals.appeal_deadline(day) for day in assessed_on[mine.index]]
            mine["days_left"] = [appeals.working_days_left(d, self.today) for d in mine["deadline"]]
            self.mine = mine.sort_values("created_at", ascending=False)
            every = store.appeals_frame(self.engine)
            self.my_appeals = every[every["agent_id"] == user.agent_id].sort_values(
                "filed_at", ascending=False
            )
        self.assessment_id = 0
        self.version += 1

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
        """File the appeal; the rules (own assessment, deadline, reasons) are checked below."""
        actor = self.actor()
        if self.chosen() is None:
            raise ValueError("Pilih penilaian yang dibanding.")
        appeal_id = store.file_appeal(
            self.engine, actor, self.assessment_id, dict(self.reasons), today=self.today
        )
        self.reload()
        self.message = f"Banding #{appeal_id} diajukan; menunggu persetujuan Team Leader."
