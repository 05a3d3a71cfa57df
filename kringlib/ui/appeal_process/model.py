"""State of the Proses Banding page: the signed-in approver's or assessor's queue and actions."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import traitlets

from kringlib import appeals
from kringlib.calendar import default_calendar
from kringlib.store import appeals as store
from kringlib.store import assessments
from kringlib.ui.identity import Session, SignedInModel
from kringlib.ui.messages import guarded

WAITING_FOR = {
    "team_leader": appeals.FILED,
    "spv": appeals.TL_APPROVED,
    "assessor": appeals.SPV_APPROVED,
}


class AppealProcessModel(SignedInModel):
    """The queue of appeals waiting for the signed-in user, and what they may do with one."""

    appeal_id = traitlets.Int(0)
    verdicts = traitlets.Dict()  # item id → accepted (re-assessment)

    def __init__(self, engine, session: Session, today: dt.date | None = None, **kwargs):
        super().__init__(engine, session, today, **kwargs)
        self.queue = pd.DataFrame()
        self.observe(lambda _: self._select(), "appeal_id")
        self.reload()

    @guarded
    def reload(self) -> None:
        """The appeals waiting for this user's role (and team, for a team leader)."""
        user = self.session.user
        every = store.appeals_frame(self.engine)
        waiting = WAITING_FOR.get(user.role) if user else None
        queue = every[every["state"] == waiting] if waiting else every.head(0)
        if user is not None and user.role == "team_leader":
            queue = queue[queue["team_id"] == user.team_id]
        if user is not None and user.role == "assessor":
            queue = queue[queue["assessor"] != user.username]
        calendar = default_calendar()
        queue = queue.assign(
            age=[calendar.working_days_between(f.date(), self.today) for f in queue["filed_at"]]
        )
        self.queue = queue
        self.appeal_id = 0
        self.version += 1

    def _select(self) -> None:
        self.verdicts, self.message = {}, ""
        self.version += 1

    def chosen(self):
        found = (
            self.queue[self.queue["id"] == self.appeal_id] if self.appeal_id else self.queue.head(0)
        )
        return None if found.empty else found.iloc[0]

    def disputed(self) -> pd.DataFrame:
        return store.items_of(self.engine, self.appeal_id) if self.appeal_id else pd.DataFrame()

    def answers(self) -> dict[str, str]:
        """The disputed assessment's answers."""
        row = self.chosen()
        if row is None:
            return {}
        versions = assessments.history(self.engine, int(row["interaction_pk"]))
        return versions.set_index("id").loc[int(row["assessment_id"]), "answers"]

    def trail(self) -> pd.DataFrame:
        return store.audit_trail(self.engine, self.appeal_id) if self.appeal_id else pd.DataFrame()

    def set_verdict(self, item_id: str, accepted: bool | None) -> None:
        verdicts = {k: v for k, v in self.verdicts.items() if k != item_id}
        if accepted is not None:
            verdicts[item_id] = accepted
        self.verdicts = verdicts

    def _actor(self):
        actor = self.actor()
        if not self.appeal_id:
            raise ValueError("Pilih banding terlebih dahulu.")
        return actor

    @guarded
    def decide(self, approve: bool, reason: str = "") -> None:
        """Approve or reject the chosen appeal at its current step."""
        appeal_id = self.appeal_id
        state = store.decide(self.engine, self._actor(), appeal_id, approve, reason)
        self.reload()
        self.message = f"Banding #{appeal_id}: {appeals.STATE_LABELS[state]}."

    @guarded
    def reassess(self, note: str = "") -> None:
        """Save the re-assessment: every disputed item accepted or upheld."""
        appeal_id = self.appeal_id
        outcome = store.reassess(self.engine, self._actor(), appeal_id, dict(self.verdicts), note)
        self.reload()
        self.message = f"Banding #{appeal_id} selesai; penilaian versi baru #{outcome} tersimpan."
