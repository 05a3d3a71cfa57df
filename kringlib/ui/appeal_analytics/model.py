"""Appeal analytics: where appeals pile up and what is disputed most.

Every figure counts only the appeals of the agents the visitor may see (``rules/akses.yaml``,
page ``analitik_banding``): a team leader their team's, SPV, assessor and admin all.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kringlib import appeal_times, appeals
from kringlib.store import appeals as store
from kringlib.ui.base import PageModel
from kringlib.ui.messages import guarded


class AppealAnalyticsModel(PageModel):
    """Appeals per assessor and per item, acceptance rates, working days spent in each step."""

    page = "analitik_banding"

    def __init__(self, engine, session=None, today: dt.date | None = None, **kwargs):
        super().__init__(engine, session, today, **kwargs)
        self.reload()

    @guarded
    def reload(self) -> None:
        """Read the visible agents' appeals, their items and audit rows; nothing when refused."""
        self.appeals, self.items, self.trail = pd.DataFrame(), pd.DataFrame(), pd.DataFrame()
        if self.allowed:
            self.appeals = store.appeals_frame(self.engine, self.visible())
            self.items = _of_appeals(store.items_of(self.engine), self.appeals)
            self.trail = _of_appeals(store.audit_trail(self.engine), self.appeals)
        self.version += 1

    def _decided_items(self) -> pd.DataFrame:
        items = self.items.merge(
            self.appeals[["id", "assessor"]],
            left_on="appeal_id",
            right_on="id",
            suffixes=("", "_a"),
        )
        return items.assign(
            decided=items["accepted"].notna(), won=items["accepted"].fillna(False).astype(bool)
        )

    def by_assessor(self) -> pd.DataFrame:
        """Per original assessor: appeals, disputed items, accepted items, acceptance rate."""
        if self.appeals.empty:
            return pd.DataFrame()
        items = self._decided_items()
        table = items.groupby("assessor").agg(
            banding=("appeal_id", "nunique"), item=("item_id", "count"),
            diputus=("decided", "sum"), diterima=("won", "sum"),
        )  # fmt: skip
        table["tingkat_diterima"] = table["diterima"] / table["diputus"].where(table["diputus"] > 0)
        return table.reset_index()

    def by_item(self) -> pd.DataFrame:
        """Per rubric item: how often disputed and how often the agent was right."""
        if self.items.empty:
            return pd.DataFrame()
        items = self._decided_items()
        table = items.groupby("item_id").agg(
            dibanding=("appeal_id", "count"), diputus=("decided", "sum"), diterima=("won", "sum")
        )
        table["tingkat_diterima"] = table["diterima"] / table["diputus"].where(table["diputus"] > 0)
        return table.sort_values("dibanding", ascending=False).reset_index()

    def acceptance_rate(self) -> float:
        """Accepted items over decided items, all appeals."""
        items = self._decided_items() if not self.items.empty else pd.DataFrame()
        decided = items["decided"].sum() if not items.empty else 0
        return items["won"].sum() / decided if decided else float("nan")

    def step_times(self) -> pd.DataFrame:
        """Working days each appeal spent waiting in each step (open ones: up to today)."""
        waits = appeal_times.time_in_steps(self.trail, until=self.today)
        if waits.empty:
            return pd.DataFrame(columns=["langkah", "banding", "median", "maks"])
        table = waits.groupby("state")["working_days"].agg(
            banding="count", median="median", maks="max"
        )
        table.index = table.index.map(appeals.state_label)
        return table.rename_axis("langkah").reset_index()


def _of_appeals(rows: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    """The ``rows`` (items, audit rows) of the appeals in ``shown``."""
    return rows[rows["appeal_id"].isin(shown["id"])]
