"""State of the Proses Banding page: the signed-in approver's or assessor's queue and actions.

A team leader sees the filed appeals of their team, the SPV those the team leaders approved,
an assessor those waiting for re-assessment (not their own assessments); the admin reads
every open appeal and acts on none. The store checks every action again.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import traitlets

from kringlib import appeals, clock
from kringlib.calendar import default_calendar
from kringlib.store import appeals as store
from kringlib.store import assessments
from kringlib.ui.base import PageModel
from kringlib.ui.identity import Session
from kringlib.ui.messages import guarded


class AppealProcessModel(PageModel):
    """The queue of appeals waiting for the signed-in user, and what they may do with one."""

    page = "proses_banding"
    appeal_id = traitlets.Int(0)
    verdicts = traitlets.Dict()  # item id → accepted (re-assessment)

    def __init__(self, engine, session: Session | None = None, today: dt.date | None = None):
        super().__init__(engine, session, today)
        self.queue = pd.DataFrame()
        self.observe(lambda _: self._select(), "appeal_id")
        self.reload()

    @property
    def read_only(self) -> bool:
        """True when the visitor sees the queues but acts on none (the admin)."""
        return self.scope == "read"

    @guarded
    def reload(self) -> None:
        """The appeals waiting for this user's role, within what they may see."""
        self.queue = self._waiting() if self.allowed else pd.DataFrame()
        self.appeal_id = 0
        self.version += 1

    def _waiting(self) -> pd.DataFrame:
        user = self.session.user
        states = appeals.open_states() if self.read_only else appeals.waiting_for(user.role)
        every = store.appeals_frame(self.engine, self.visible())
        queue = every[every["state"].isin(states)]
        if appeals.reassesses(user.role):
            queue = queue[queue["assessor"] != user.username]
        today, calendar = clock.today(), default_calendar()
        filed_on = queue["filed_at"].map(clock.jakarta_date)
        return queue.assign(
            filed_on=filed_on,
            age=[calendar.working_days_between(day, today) for day in filed_on],
        )

    def _select(self) -> None:
        self.verdicts, self.message = {}, ""
        self.version += 1

    def chosen(self):
        """The chosen appeal's row, only when it is in this visitor's queue."""
        if not self.appeal_id or self.queue.empty:
            return None
        found = self.queue[self.queue["id"] == self.appeal_id]
        return None if found.empty else found.iloc[0]

    def disputed(self) -> pd.DataFrame:
        """The chosen appeal's disputed items."""
        if self.chosen() is None:
            return pd.DataFrame()
        return store.items_of(self.engine, self.appeal_id)

    def answers(self) -> dict[str, str]:
        """The disputed assessment's answers."""
        row = self.chosen()
        if row is None:
            return {}
        versions = assessments.history(self.engine, int(row["interaction_pk"]))
        return versions.set_index("id").loc[int(row["assessment_id"]), "answers"]

    def trail(self) -> pd.DataFrame:
        """The chosen appeal's audit trail."""
        if self.chosen() is None:
            return pd.DataFrame()
        return store.audit_trail(self.engine, self.appeal_id)

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
        self.message = f"Banding #{appeal_id}: {appeals.state_label(state)}."

    @guarded
    def reassess(self, note: str = "") -> None:
        """Save the re-assessment: every disputed item accepted or upheld."""
        appeal_id = self.appeal_id
        outcome = store.reassess(self.engine, self._actor(), appeal_id, dict(self.verdicts), note)
        self.reload()
        self.message = f"Banding #{appeal_id} selesai; penilaian versi baru #{outcome} tersimpan."
