"""ATS from the stored schedule, states and approved adjustments, as KPI Tim shows it."""

import datetime as dt

import pandas as pd
import pytest
from page_support import MONDAY, set_clock

from kringlib import adjustments, kpi
from kringlib.store import adjustments as adjustment_store
from kringlib.store import schedules, users
from kringlib.ui.identity import Session
from kringlib.ui.kpi_team.model import KpiTeamModel

FRIDAY = pd.Timestamp("2026-11-27")


def at(hours: float) -> pd.Timestamp:
    return FRIDAY + pd.Timedelta(hours=hours)


@pytest.fixture
def friday(demo_engine, monkeypatch):
    """AG001 and AG002 scheduled 08:00–12:00 and 13:00–16:00 (lunch not service) on Friday
    27 November 2026; AG001 online from 08:30, AG002 from 08:00, both till 16:00. The
    clock reads Monday 30 November."""
    set_clock(monkeypatch, MONDAY)
    schedule = pd.DataFrame([
        (agent_id, at(start), at(end), activity)
        for agent_id in ("AG001", "AG002")
        for start, end, activity in ((8, 12, "layanan"), (12, 13, "istirahat"), (13, 16, "layanan"))
    ], columns=["agent_id", "start", "end", "activity"])  # fmt: skip
    states = pd.DataFrame(
        [("AG001", at(8.5), at(16), "online"), ("AG002", at(8), at(16), "online")],
        columns=["agent_id", "start", "end", "state"],
    )
    with demo_engine.begin() as conn:
        schedules.write_schedule(conn, schedule, "jadwal.csv")
        schedules.write_states(conn, states, "cms.csv")
    return demo_engine


def ats_of(engine, agent_id: str | None = None) -> float:
    days = schedules.read_ats_days(engine, FRIDAY, FRIDAY)
    if agent_id:
        days = days[days["agent_id"] == agent_id]
    return kpi.productivity(days).iloc[0]["ATS"]


def test_a_late_start_costs_its_minutes_until_excused(friday):
    # 7 scheduled service hours; AG001 online from 08:30: 390 of 420 minutes.
    assert ats_of(friday, "AG001") == pytest.approx(390 / 420)
    assert ats_of(friday) == pytest.approx((390 + 420) / 840)  # a ratio of sums
    late = adjustments.Request("AG001", "terlambat", at(8).to_pydatetime(),
                               at(8.5).to_pydatetime(), "SIKKA: masuk 08:30")  # fmt: skip
    filed = adjustment_store.file(friday, users.user(friday, "ag001"), late)
    assert ats_of(friday, "AG001") == pytest.approx(390 / 420)  # filed, not yet approved
    adjustment_store.decide(friday, users.user(friday, "tl.merapi"), filed, True)
    # "Terlambat masuk bekerja, sesuai jam keterlambatan yang tercatat di SIKKA": the 30
    # minutes are excused, so the agent owes 390 minutes and kept all of them.
    assert ats_of(friday, "AG001") == 1.0


def test_the_source_of_each_figure_is_named(friday):
    days = schedules.read_ats_days(friday, FRIDAY, FRIDAY)
    assert set(days["source"]) == {schedules.ATS_SOURCES["events"]}
    assert set(days["team"]) == {"Tim Merapi"}


def test_kpi_tim_shows_ats_as_a_tile_in_the_table_and_the_ranking(friday):
    model = KpiTeamModel(friday, Session(friday, "spv.pkl"), today=dt.date(2026, 11, 30))
    model.preset, model.start, model.end = "kustom", FRIDAY.date(), FRIDAY.date()
    tile = next(t for t in model.tiles if t.kpi == "ATS")
    assert tile.value == pytest.approx(810 / 840) and tile.meets
    assert model.per_agent.loc["AG001", "ATS"] == pytest.approx(390 / 420)
    model.rank_kpi = "ATS"
    assert list(model.ranking()["agent_id"]) == ["AG002", "AG001"]
    model.channel = "telepon"  # the schedule is not a channel's: no ATS under a channel filter
    assert pd.isna(next(t for t in model.tiles if t.kpi == "ATS").value)


def test_an_agent_sees_only_their_own_ats(friday):
    model = KpiTeamModel(friday, Session(friday, "ag002"), today=dt.date(2026, 11, 30))
    model.preset, model.start, model.end = "kustom", FRIDAY.date(), FRIDAY.date()
    assert next(t for t in model.tiles if t.kpi == "ATS").value == 1.0
    assert list(model.per_agent.index) == ["AG002"]
