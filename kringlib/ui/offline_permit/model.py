"""State of the Izin Tidak Online page: agents file, team leaders decide, the SPV enters
outages; everyone sees the requests their role may see.

What is shown is limited by ``rules/akses.yaml`` (page ``izin``): an agent their own
requests, a team leader their team's, SPV all, admin all without acting. Every action is
checked again in the store (:mod:`kringlib.store.adjustments`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import traitlets

from kringlib import adherence, adjustments
from kringlib.store import activity, schedules
from kringlib.store import adjustments as store
from kringlib.ui import scoping
from kringlib.ui.base import PageModel
from kringlib.ui.messages import guarded

SHOWN_DAYS = 62
"""How far back the list of requests reaches."""
WORKDAY = ("08:00", "16:00")


def moment(day: dt.date, time: str) -> dt.datetime:
    """``day`` at ``time`` ("HH:MM"), refusing a time that is not one."""
    try:
        hours, minutes = (int(part) for part in time.strip().split(":"))
        return dt.datetime.combine(day, dt.time(hours, minutes))
    except ValueError:
        raise ValueError(f"Jam tidak valid: {time!r} (tulis JJ:MM, misalnya 08:15).") from None


class OfflinePermitModel(PageModel):
    """Requests, the form of the one being filed, and the decisions waiting."""

    page = "izin"

    reason = traitlets.Unicode("terlambat")
    first_day = traitlets.Instance(dt.date)
    last_day = traitlets.Instance(dt.date)
    start_time = traitlets.Unicode(WORKDAY[0])
    end_time = traitlets.Unicode(WORKDAY[1])
    evidence = traitlets.Unicode("")
    outage_teams = traitlets.List(traitlets.Unicode())
    day_agent = traitlets.Unicode("")
    day = traitlets.Instance(dt.date)

    def __init__(self, engine, session=None, today: dt.date | None = None, **kwargs):
        super().__init__(engine, session, today, **kwargs)
        self.first_day = self.last_day = self.day = self.today
        self.requests, self.agents = pd.DataFrame(), []
        self.observe(lambda _: self._moved(), ["first_day", "last_day"])
        self.observe(lambda _: self._bump(), ["day_agent", "day"])
        self.reload()

    @guarded
    def reload(self) -> None:
        """Read the requests of the last :data:`SHOWN_DAYS` days the visitor may see."""
        self.requests, self.agents = pd.DataFrame(), []
        if self.allowed:
            since = self.today - dt.timedelta(days=SHOWN_DAYS)
            self.requests = store.adjustments_frame(self.engine, self.visible(), start=since)
            self.requests = self.requests.sort_values("filed_at", ascending=False)
            roster = scoping.visible_roster(self.engine, self.visible())
            self.agents = [(f"{r.name} ({r.agent_id})", r.agent_id)
                           for r in roster.drop_duplicates("agent_id").itertuples()]  # fmt: skip
        if self.day_agent not in {agent_id for _, agent_id in self.agents}:
            self.day_agent = self.agents[0][1] if len(self.agents) == 1 else ""
        self.version += 1

    def _bump(self) -> None:
        self.version += 1

    def _moved(self) -> None:
        if self.last_day < self.first_day:
            self.last_day = self.first_day
        self.version += 1

    # --- one agent's day ---------------------------------------------------------------

    def show_day(self, permit_id: int) -> None:
        """Show the day of a request: its agent, the day its period starts."""
        row = self.requests[self.requests["id"] == permit_id].iloc[0]
        with self.hold_trait_notifications():
            self.day_agent, self.day = row["agent_id"], row["start"].date()

    def day_view(self) -> pd.DataFrame | None:
        """The chosen agent's day (:func:`kringlib.adherence.day_timeline`), None when no
        agent is chosen or the visitor may not see them."""
        if self.day_agent not in {agent_id for _, agent_id in self.agents}:
            return None
        window, agents = (self.day - dt.timedelta(days=1), self.day), [self.day_agent]
        return adherence.day_timeline(
            schedules.read_schedule(self.engine, *window, agents),
            schedules.read_states(self.engine, *window, agents),
            store.approved(self.engine, *window, agents),
            agent_id=self.day_agent, day=self.day,
        )  # fmt: skip

    # --- who does what here ------------------------------------------------------------

    @property
    def files(self) -> bool:
        """True for an agent: the form to file is theirs."""
        return self.scope == "own"

    @property
    def decides(self) -> bool:
        """True for the role that approves (``approval.approver`` in ``rules/ats.yaml``)."""
        user = self.session.user
        return user is not None and user.role == adjustments.approval().approver

    @property
    def enters_outages(self) -> bool:
        user = self.session.user
        return user is not None and user.role in adjustments.approval().outages_by

    # --- filing ------------------------------------------------------------------------

    def reasons(self) -> list[tuple[str, str]]:
        """(label, id) of the reasons of ND-12/LIP.2/2019, for a picker."""
        return [(r.label, r.id) for r in adherence.reasons().values()]

    def quote(self) -> str:
        """The rulebook's words for the chosen reason."""
        chosen = adherence.reasons().get(self.reason)
        return chosen.quote if chosen else ""

    def deadline(self) -> dt.date:
        """The last day the period now in the form may be filed."""
        return adherence.filing_deadline(self.last_day)

    @guarded
    def file(self) -> None:
        """File the period in the form for the signed-in agent."""
        actor = self.actor()
        request = adjustments.Request(
            agent_id=actor.agent_id or "",
            reason=self.reason,
            start=moment(self.first_day, self.start_time),
            end=moment(self.last_day, self.end_time),
            evidence=self.evidence,
        )
        permit_id = store.file(self.engine, actor, request)
        self.evidence = ""
        self.reload()
        self.message = f"Izin #{permit_id} diajukan: {adjustments.state_label(adjustments.FILED)}."

    # --- deciding ----------------------------------------------------------------------

    def waiting(self) -> pd.DataFrame:
        """The requests still to be decided, oldest first."""
        if self.requests.empty:
            return self.requests
        return self.requests[self.requests["state"] == adjustments.FILED].sort_values("filed_at")

    @guarded
    def decide(self, permit_id: int, approve: bool, reason: str = "") -> None:
        """Approve or reject one request; a rejection needs its reason."""
        state = store.decide(self.engine, self.actor(), permit_id, approve, reason)
        self.reload()
        self.message = f"Izin #{permit_id}: {adjustments.state_label(state)}."

    # --- outages -----------------------------------------------------------------------

    def team_options(self) -> list[tuple[str, str]]:
        """(name, id) of the teams an outage may cover."""
        teams = activity.read_roster(self.engine).drop_duplicates("team_id")
        return list(teams[["team", "team_id"]].itertuples(index=False, name=None))

    @guarded
    def record_outage(self) -> None:
        """Enter a system outage for the period in the form, for the agents of the chosen
        teams (none chosen: every agent)."""
        ids = store.record_outage(
            self.engine, self.actor(), moment(self.first_day, self.start_time),
            moment(self.last_day, self.end_time), self.evidence,
            teams=self.outage_teams or None,
        )  # fmt: skip
        self.evidence = ""
        self.reload()
        self.message = f"Gangguan sistem dicatat untuk {len(ids)} agen; waktunya dikecualikan."
