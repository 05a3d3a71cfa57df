"""State of the KPI Tim page: filters in, tiles, trend, ranking, table and agent detail out.

The model knows no widget. Period changes reload the period and the one it is compared
with from the database; every other filter recomputes from what is loaded. Views listen
to ``version``, which moves once per recomputation, and to ``selected_agent``, after
which ``detail`` is current.

ATS comes from the schedule, the agents' states and the approved adjustments, as rows
without a channel beside the activity rows (:func:`kringlib.store.schedules.read_ats_days`):
a channel filter leaves it out. What is loaded is limited to the agents the visitor may
see (``rules/akses.yaml``, page ``kpi_tim``): an agent their own rows, a team leader their
team's, SPV and admin all.
Every figure, team figures included, is computed from those rows only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import traitlets
from pydantic import BaseModel

from kringlib import kpi, periods, rules
from kringlib.ingest.layouts import export_rules
from kringlib.store import activity, schedules
from kringlib.ui import scoping
from kringlib.ui.base import PageModel
from kringlib.ui.messages import guarded

GRAINS = {"day": "Harian", "week": "Mingguan", "month": "Bulanan"}


class Targets(BaseModel):
    source: rules.Citation
    targets: dict[str, float]


def kpi_targets() -> dict[str, float]:
    """Targets per KPI id from ``rules/target_kpi.yaml`` (local settings)."""
    return rules.load("target_kpi", Targets).targets


def meets_target(value: float, target: float, better: str) -> bool | None:
    """True or False against the target; None when either is missing."""
    if value is None or target is None or np.isnan(value) or np.isnan(target):
        return None
    return value <= target if better == "lower" else value >= target


@dataclass(frozen=True)
class Tile:
    """One KPI for the whole selection: value now, before, and against the target."""

    kpi: str
    title: str
    value: float
    previous: float
    target: float
    meets: bool | None
    note: str = ""

    @property
    def change(self) -> float:
        return self.value - self.previous


class KpiTeamModel(PageModel):
    """Filters and results of the KPI Tim page."""

    page = "kpi_tim"

    preset = traitlets.Unicode("bulan_ini")
    start = traitlets.Instance(dt.date)
    end = traitlets.Instance(dt.date)
    teams = traitlets.List(traitlets.Unicode())
    agents = traitlets.List(traitlets.Unicode())
    channel = traitlets.Unicode("")
    grain = traitlets.Unicode("day")
    rank_kpi = traitlets.Unicode("AHT")
    selected_agent = traitlets.Unicode("")

    team_options = traitlets.List()
    agent_options = traitlets.List()

    def __init__(self, engine, session=None, today: dt.date | None = None, **kwargs):
        super().__init__(engine, session, today, **kwargs)
        self.definitions = kpi.definitions()
        self.targets = kpi_targets()
        self._clear()
        self.start, self.end = periods.preset_period(self.preset, self.today)
        self.observe(self._on_preset, "preset")
        self.observe(self._on_period, ["start", "end"])
        self.observe(self._on_teams, "teams")
        self.observe(self._on_filters, ["agents", "channel", "grain", "rank_kpi"])
        self.observe(self._on_selected_agent, "selected_agent")
        self.reload()

    # --- reacting to filters ----------------------------------------------------------

    def new_day(self) -> None:
        """A preset period ("bulan ini" …) moves with the date; chosen dates stay."""
        if self.preset != "kustom":
            self.start, self.end = periods.preset_period(self.preset, self.today)

    def _on_preset(self, change) -> None:
        if change["new"] != "kustom":
            start, end = periods.preset_period(change["new"], self.today)
            with self.hold_trait_notifications():
                self.start, self.end = start, end

    def _on_period(self, _change) -> None:
        if self.preset != "kustom" and (self.start, self.end) != periods.preset_period(
            self.preset, self.today
        ):
            self.preset = "kustom"  # dates picked by hand
        self.reload()

    def _on_teams(self, _change=None) -> None:
        self._refresh_agent_options()
        kept = [a for a in self.agents if a in {v for _, v in self.agent_options}]
        if kept != self.agents:
            self.agents = kept  # recomputes through its own observer
        else:
            self.recompute()

    def _on_filters(self, _change) -> None:
        self.recompute()

    def _on_selected_agent(self, _change) -> None:
        self._compute_detail()

    # --- loading and computing --------------------------------------------------------

    @property
    def previous(self) -> tuple[dt.date, dt.date]:
        return periods.previous_period(self.start, self.end)

    @guarded
    def reload(self) -> None:
        """Read the visible agents' rows of the period and its comparison period, then
        recompute; a visitor who may not see the page gets nothing."""
        if not self.allowed:
            self._clear()
            return
        if self.end < self.start:
            raise ValueError("Tanggal akhir sebelum tanggal awal.")
        first, _ = self.previous
        visible = self.visible()
        self.roster = scoping.visible_roster(self.engine, visible)
        agents = scoping.agents_to_read(self.roster, visible)
        rows = [
            activity.read_activity(self.engine, start=first, end=self.end, agents=agents),
            schedules.read_ats_days(self.engine, start=first, end=self.end, agents=agents),
        ]
        rows = [r for r in rows if len(r)] or rows[:1]
        self.loaded = scoping.admitted(pd.concat(rows, ignore_index=True), visible)  # fmt: skip
        self.queue = (
            activity.read_queue(self.engine, start=first, end=self.end)
            if self.scope == "all"
            else pd.DataFrame()
        )
        teams = sorted(self.roster["team"].unique())
        self.team_options = [(t, t) for t in teams]
        kept = [t for t in self.teams if t in teams]
        if kept != self.teams:
            self.teams = kept  # a new visitor: their observer refreshes and recomputes
        else:
            self._on_teams()

    def _clear(self) -> None:
        """Hold nothing: before loading, and for a visitor who may not see the page."""
        self.roster, self.loaded, self.queue = pd.DataFrame(), pd.DataFrame(), pd.DataFrame()
        self.tiles: list[Tile] = []
        self.trend, self.per_agent = pd.DataFrame(), pd.DataFrame()
        self.detail: dict | None = None
        self.period_sources = self.offered_bases = pd.Series(dtype=int)
        self.team_options, self.agent_options = [], []
        self.version += 1

    def _refresh_agent_options(self) -> None:
        roster = self.roster
        if roster.empty:
            self.agent_options = []
            return
        if self.teams:
            roster = roster[roster["team"].isin(self.teams)]
        self.agent_options = [
            (f"{row.name} ({row.agent_id})", row.agent_id)
            for row in roster.drop_duplicates("agent_id").itertuples()
        ]

    def selection(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Loaded rows within ``start``..``end`` passing the team, agent and channel filters."""
        frame = self.loaded
        keep = _within(frame, start, end)
        if self.teams:
            keep &= frame["team"].isin(self.teams)
        if self.agents:
            keep &= frame["agent_id"].isin(self.agents)
        if self.channel:
            keep &= frame["channel"] == self.channel
        return frame[keep]

    def _queue(self, start: dt.date, end: dt.date) -> pd.DataFrame | None:
        """The queue rows of the period for PAI telepon's fallback (:func:`kpi.overall`).

        The queue is the centre's, not a team's or an agent's, so it is read only for a
        visitor who sees every team (scope ``all``); for the others the tile stays empty.
        """
        if self.channel not in ("", "telepon") or self.queue.empty:
            return None
        return self.queue[_within(self.queue, start, end)]

    @guarded
    def recompute(self) -> None:
        """Derive tiles, trend, ranking, table and detail from the loaded rows and filters."""
        if not self.allowed:
            return
        current = self.selection(self.start, self.end)
        before = self.selection(*self.previous)
        now, queue_used = kpi.overall(current, self._queue(self.start, self.end))
        then, _ = kpi.overall(before, self._queue(*self.previous))
        tiles = []
        for kpi_id, definition in self.definitions.items():
            value, previous = now[kpi_id], then[kpi_id]
            note = "seluruh antrean telepon" if kpi_id == "PAI_call" and queue_used else ""
            target = self.targets.get(kpi_id, np.nan)
            tiles.append(
                Tile(kpi_id, definition.title, value, previous, target,
                     meets_target(value, target, definition.better), note)
            )  # fmt: skip
        self.tiles = tiles
        trend = kpi.productivity(current, by=[self.grain])
        trend.index = trend.index.to_timestamp() if len(trend) else trend.index
        self.trend = trend.rename_axis("period").reset_index()
        # An agent who moved within the period has a row for each team's share of it.
        per_agent = kpi.productivity(current, by=["agent_id", "team"]).reset_index("team")
        names = self.roster.drop_duplicates("agent_id").set_index("agent_id")[["name"]]
        self.per_agent = names.join(per_agent, how="inner").rename(columns={"name": "agent_name"})
        self.period_sources = (
            current["source"].value_counts() if len(current) else pd.Series(dtype=int)
        )
        self.offered_bases = _offered_bases(self.queue, self.start, self.end)
        self._compute_detail()
        self.version += 1

    def ranking(self) -> pd.DataFrame:
        """Agents with a value for ``rank_kpi``, best first."""
        better = self.definitions[self.rank_kpi].better
        ranked = self.per_agent[["agent_name", "team", self.rank_kpi]].dropna()
        ranked = ranked.rename(columns={self.rank_kpi: "value"}).rename_axis("agent_id")
        return ranked.sort_values("value", ascending=better == "lower").reset_index()

    def _compute_detail(self) -> None:
        """The selected agent against their team; an agent (scope own) sees no team figure."""
        agent_id = self.selected_agent
        if not agent_id or self.roster.empty or agent_id not in self.roster["agent_id"].values:
            self.detail = None
            return
        period = self.loaded[_within(self.loaded, self.start, self.end)]
        if self.channel:
            period = period[period["channel"] == self.channel]
        mine = period[period["agent_id"] == agent_id]
        team = self._team_of(agent_id, mine)
        theirs = period[period["team"] == team] if self.scope != "own" else period.head(0)
        compare = pd.DataFrame(
            {"agen": kpi.productivity(mine).iloc[0], "tim": kpi.productivity(theirs).iloc[0]}
        )
        compare["target"] = pd.Series(self.targets)
        trend = pd.concat(
            [
                kpi.productivity(rows, by=[self.grain])[[self.rank_kpi]].assign(who=who)
                for who, rows in ((self.agent_label(agent_id), mine), (team, theirs))
            ]
        )
        trend.index = trend.index.to_timestamp()
        trend = trend.rename(columns={self.rank_kpi: "value"}).rename_axis("period").reset_index()
        self.detail = {"agent_id": agent_id, "team": team, "compare": compare, "trend": trend}

    def _team_of(self, agent_id: str, rows: pd.DataFrame) -> str:
        """The team the agent's latest work of ``rows`` was done in (else their latest)."""
        if len(rows):
            return rows["team"].iloc[-1]
        return self.roster.loc[self.roster["agent_id"] == agent_id, "team"].iloc[-1]

    def agent_label(self, agent_id: str) -> str:
        return self.roster.loc[self.roster["agent_id"] == agent_id, "name"].iloc[0]

    def input_sources(self) -> dict[str, str]:
        """For each KPI, the systems its inputs come from (``rules/ekspor.yaml``)."""
        systems = export_rules().input_sources
        return {
            kpi_id: "; ".join(dict.fromkeys(systems.get(c, c) for c in d.inputs))
            for kpi_id, d in self.definitions.items()
        }


def _offered_bases(queue: pd.DataFrame, start: dt.date, end: dt.date) -> pd.Series:
    """Where the period's telephone calls offered (PAI telepon's denominator) came from,
    with the number of queue rows of each."""
    if queue.empty:
        return pd.Series(dtype=int)
    rows = queue[_within(queue, start, end) & (queue["channel"] == "telepon")]
    return rows["offered_basis"].fillna("tidak tercatat").value_counts()


def _within(frame: pd.DataFrame, start: dt.date, end: dt.date) -> pd.Series:
    """Rows whose ``date`` lies from ``start`` to ``end``, both included."""
    return (frame["date"] >= pd.Timestamp(start)) & (frame["date"] <= pd.Timestamp(end))
