"""State of the Rapor Kualitas page: scorecards per agent and team from saved assessments.

Only the newest version of each assessment counts. Section figures are the average points
earned in the section where it applied, read against its weight.

The visitor sees only the assessments of the agents their role admits (``rules/akses.yaml``,
page ``rapor_kualitas``): an agent their own, a team leader their team's, the others all.
A comparison is drawn only where the visitor sees all of it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import traitlets

from kringlib import periods, quality
from kringlib.store import assessments
from kringlib.ui import scoping
from kringlib.ui.base import PageModel
from kringlib.ui.messages import guarded

TOP_ITEMS = 10


class ScorecardModel(PageModel):
    """Filters (period, team, agent) and the scorecard tables derived from them."""

    page = "rapor_kualitas"

    preset = traitlets.Unicode("tahun_berjalan")
    start = traitlets.Instance(dt.date)
    end = traitlets.Instance(dt.date)
    team = traitlets.Unicode("")
    agent_id = traitlets.Unicode("")

    def __init__(self, engine, session=None, today: dt.date | None = None, **kwargs):
        super().__init__(engine, session, today, **kwargs)
        self.rubric = quality.load_rubric()
        self.start, self.end = periods.preset_period(self.preset, self.today)
        self.loaded = pd.DataFrame()
        self.observe(self._on_preset, "preset")
        self.observe(lambda _: self.reload(), ["start", "end"])
        self.observe(lambda _: self.bump(), ["team", "agent_id"])
        self.reload()

    def new_day(self) -> None:
        """A preset period ("bulan ini" …) moves with the date; chosen dates stay."""
        if self.preset != "kustom":
            self.start, self.end = periods.preset_period(self.preset, self.today)

    def _on_preset(self, change) -> None:
        if change["new"] != "kustom":
            with self.hold_trait_notifications():
                self.start, self.end = periods.preset_period(change["new"], self.today)

    @guarded
    def reload(self) -> None:
        """Read the newest version of every assessment in the period that the visitor may
        see; nothing for a visitor who may not see the page."""
        self.loaded = pd.DataFrame()
        if self.allowed:
            visible = self.visible()
            roster = scoping.visible_roster(self.engine, visible)
            self.loaded = scoping.admitted(assessments.current(
                self.engine, start=self.start, end=self.end,
                agents=scoping.agents_to_read(roster, visible),
            ), visible)  # fmt: skip
        self.bump()

    def bump(self) -> None:
        self.version += 1

    def teams(self) -> list[str]:
        return sorted(self.loaded["team"].unique()) if not self.loaded.empty else []

    def agents(self) -> list[tuple[str, str]]:
        frame = self.in_team()
        if frame.empty:
            return []
        pairs = frame[["agent_id", "agent_name"]].drop_duplicates().sort_values("agent_id")
        return [(f"{r.agent_name} ({r.agent_id})", r.agent_id) for r in pairs.itertuples()]

    def in_team(self) -> pd.DataFrame:
        frame = self.loaded
        return frame[frame["team"] == self.team] if self.team and not frame.empty else frame

    def selection(self) -> pd.DataFrame:
        frame = self.in_team()
        return frame[frame["agent_id"] == self.agent_id] if self.agent_id else frame

    def summary(self) -> pd.DataFrame:
        """Per agent: assessments, mean and lowest total, band of the mean."""
        frame = self.in_team()
        if frame.empty:
            return pd.DataFrame(
                columns=["agent_id", "agent_name", "team", "n", "mean", "min", "band"]
            )
        table = (
            frame.groupby(["agent_id", "agent_name", "team"])["total"]
            .agg(n="count", mean="mean", min="min")
            .reset_index()
            .sort_values("mean")
        )
        table["band"] = table["mean"].map(self.rubric.band)
        return table

    def _who(self) -> tuple[pd.DataFrame, str, pd.DataFrame, str]:
        """The selection and what it is compared with: an agent vs their team, a team vs all
        teams. An agent sees no team figure, a team leader no other team's."""
        mine, nothing = self.selection(), pd.DataFrame()
        if self.agent_id or self.scope == "own":
            team = mine["team"].iloc[0] if not mine.empty else self.team
            theirs = self.loaded[self.loaded["team"] == team] if self.scope != "own" else nothing
            return mine, self._agent_name(mine), theirs, team
        if self.team or self.scope == "team":
            team = self.team or (mine["team"].iloc[0] if not mine.empty else "")
            return mine, team, self.loaded if self.scope == "all" else nothing, "Semua tim"
        return self.loaded, "Semua tim", nothing, ""

    def _agent_name(self, frame: pd.DataFrame) -> str:
        return frame["agent_name"].iloc[0] if not frame.empty else self.agent_id

    def trend(self) -> pd.DataFrame:
        """Mean total per month for the selection and its comparison."""
        parts = []
        for frame, who in self._pairs():
            monthly = frame.groupby(frame["interaction_at"].dt.to_period("M"))["total"]
            part = monthly.agg(total="mean", count="count").reset_index()
            part["period"] = part["interaction_at"].dt.to_timestamp()
            parts.append(part.drop(columns="interaction_at").assign(who=who))
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    def _pairs(self):
        mine, mine_label, other, other_label = self._who()
        return [(f, w) for f, w in ((mine, mine_label), (other, other_label)) if not f.empty]

    def sections(self) -> pd.DataFrame:
        """Average points per section (where it applied) for the selection and its comparison."""
        rows = []
        for frame, who in self._pairs():
            points = pd.DataFrame(list(frame["by_section"]))
            for section in self.rubric.sections:
                if section.id in points:
                    rows.append(
                        {"section": section.title, "who": who, "weight": section.weight,
                         "points": points[section.id].mean()}
                    )  # fmt: skip
        return pd.DataFrame(rows)

    def weakest_items(self) -> pd.DataFrame:
        """The items most often "tidak" in the selection: what to coach."""
        answers = assessments.item_answers(self.selection())
        if answers.empty:
            return pd.DataFrame(columns=["item", "title", "tidak", "dinilai", "rate"])
        applicable = answers[answers["answer"] != "na"]
        counts = applicable.groupby("item")["answer"].agg(
            tidak=lambda s: (s == "tidak").sum(), dinilai="count"
        )
        counts["rate"] = counts["tidak"] / counts["dinilai"]
        titles = {i.id: i.title for c in self.rubric.channels for i in self.rubric.items(c)}
        counts["title"] = counts.index.map(titles)
        top = counts[counts["tidak"] > 0].sort_values(["rate", "tidak"], ascending=False)
        return top.head(TOP_ITEMS).reset_index()

    def agent_assessments(self) -> pd.DataFrame:
        """The chosen agent's assessments (newest versions), newest first."""
        if not self.agent_id:
            return pd.DataFrame()
        return self.selection().sort_values("interaction_at", ascending=False)

    def assessor_totals(self) -> pd.DataFrame:
        """Every total in the team filter with its assessor (agent filter not applied)."""
        return self.in_team()[["assessor", "total"]]

    def assessor_summary(self) -> pd.DataFrame:
        totals = self.assessor_totals()
        return (
            totals.groupby("assessor")["total"]
            .agg(n="count", mean="mean", median="median")
            .reset_index()
        )
