"""The demo's schedule, agent states and SIKKA attendance: consistent with its activity and
absences, deterministic, and with a plausible ATS."""

import datetime as dt

import pandas as pd
import pandas.testing as pdt
import pytest

from kringlib import adherence, demo
from kringlib.store import schedules

MINUTE = pd.Timedelta(minutes=1)


@pytest.fixture(scope="module")
def year() -> demo.DemoData:
    return demo.generate(months=12, end=dt.date(2026, 10, 31))


def per_agent_day(frame: pd.DataFrame, column: str = "start") -> pd.Series:
    return frame.groupby([frame[column].dt.normalize().rename("date"), "agent_id"])


def durations(states: pd.DataFrame) -> pd.Series:
    return (states["end"] - states["start"]).dt.total_seconds()


def test_absent_days_have_a_sikka_status_and_no_states(year):
    attendance = year.attendance.set_index(["date", "agent_id"])
    worked = year.activity.set_index(["date", "agent_id"]).index
    assert len(attendance) == len(year.agents) * year.activity["date"].nunique()
    absent = attendance.drop(worked)
    assert set(absent["status"]) == {"sakit", "cuti", "izin", "alpha"}
    assert absent[["check_in", "check_out"]].isna().all().all()
    present = attendance.loc[worked]
    assert present["status"].isna().all() and present["check_in"].notna().all()
    with_states = per_agent_day(year.states).size().index
    assert with_states.sort_values().equals(worked.sort_values())


def test_logged_in_for_the_activitys_staffed_and_aux_time(year):
    states = year.states.assign(seconds=durations(year.states))
    logged_in = per_agent_day(states)["seconds"].sum()
    activity = year.activity.set_index(["date", "agent_id"])
    gap = (logged_in - activity["staffed_time"]).abs()
    assert gap.max() <= 30  # the log is kept to the minute
    phone = activity[activity["channel"] == "telepon"]
    aux = per_agent_day(states[states["state"] == adherence.AUX])["seconds"].sum()
    assert (aux.reindex(phone.index, fill_value=0) - phone["aux_time"]).abs().max() <= 60


def test_sikka_check_in_precedes_the_log_in_and_check_out_follows_the_log_out(year):
    day = per_agent_day(year.states).agg(first=("start", "min"), last=("end", "max"))
    attendance = year.attendance.set_index(["date", "agent_id"]).loc[day.index]
    assert (attendance["check_in"] < day["first"]).all()
    assert (attendance["check_in"] >= day["first"] - 15 * MINUTE).all()
    assert (attendance["check_out"] > day["last"]).all()


def test_days_are_mostly_punctual_with_some_late_starts_early_leaves_and_short_breaks(year):
    day = per_agent_day(year.states).agg(first=("start", "min"), last=("end", "max"))
    start = day["first"] - day.index.get_level_values("date")
    late = start > pd.Timedelta(hours=8, minutes=4)
    assert 0.05 < late.mean() < 0.2
    assert start.max() <= pd.Timedelta(hours=8, minutes=30)
    left_early = day["last"] - day.index.get_level_values("date") < pd.Timedelta(hours=16)
    assert 0.01 < left_early.mean() < 0.1
    at_noon = year.states[year.states["state"] == adherence.ONLINE]
    back_early = (at_noon["start"].dt.time > dt.time(12)) & (at_noon["start"].dt.time < dt.time(13))
    assert 0.1 < back_early.sum() / len(day) < 0.4
    rows = per_agent_day(year.states).size()
    assert rows.between(2, 30).all()


def test_schedule_is_seven_hours_of_service_with_a_weekly_team_briefing(year):
    schedule = year.schedule.assign(seconds=durations(year.schedule))
    service = schedule[schedule["activity"] == "layanan"]
    hours = per_agent_day(service)["seconds"].sum() / 3600
    assert set(hours) == {7.0, 6.5}
    briefings = schedule[schedule["activity"] == "briefing"]
    weeks = briefings.groupby(["agent_id", briefings["start"].dt.to_period("W")]).size()
    assert weeks.max() == 1 and len(weeks) > 40 * len(year.agents)
    assert set(schedule["start"].dt.normalize()) == set(year.activity["date"])


def test_states_of_an_agent_never_overlap(year):
    states = year.states.sort_values(["agent_id", "start"])
    same_agent = states["agent_id"].eq(states["agent_id"].shift())
    assert (states["start"] >= states["end"].shift())[same_agent].all()
    assert (states["end"] > states["start"]).all()


def test_the_demo_year_has_a_plausible_ats_per_team(year):
    team = year.agents.set_index("agent_id")["team_id"]
    per_agent = adherence.ats(year.schedule, year.states, by="agent_id")
    per_team = per_agent.groupby(team)[adherence.MEASURES].sum()
    ats = per_team["adherent_s"] / (per_team["scheduled_s"] - per_team["excused_s"])
    assert len(ats) == 6 and ats.between(0.85, 0.99).all()
    careless = year.agents.nsmallest(3, "care")["agent_id"]  # they start late more often
    assert (per_agent.loc[careless, "ATS"] < per_agent["ATS"].median()).all()


def test_same_seed_same_schedule_states_and_attendance(small_demo):
    again = demo.generate(months=2, end=dt.date(2026, 4, 30))
    for name in ("schedule", "states", "attendance"):
        pdt.assert_frame_equal(getattr(small_demo, name), getattr(again, name))
    other = demo.generate(seed=7, months=1, end=dt.date(2026, 4, 30))
    april = small_demo.states[small_demo.states["start"] >= "2026-04-01"]
    assert not april["start"].reset_index(drop=True).equals(other.states["start"])


def test_overlapping_windows_agree_on_shared_days(small_demo):
    april = demo.generate(months=1, end=dt.date(2026, 4, 30))
    for name, moment in (("schedule", "start"), ("states", "start"), ("attendance", "date")):
        frame = getattr(small_demo, name)
        shared = frame[frame[moment] >= "2026-04-01"].reset_index(drop=True)
        pdt.assert_frame_equal(shared, getattr(april, name))


def test_the_demo_database_holds_them(demo_engine, small_demo):
    stored = schedules.read_states(demo_engine)
    expected = small_demo.states.sort_values(["agent_id", "start"], ignore_index=True)
    pdt.assert_frame_equal(stored[list(expected.columns)], expected, check_dtype=False)
    assert (stored["source"] == "demo").all()
    assert len(schedules.read_schedule(demo_engine)) == len(small_demo.schedule)
    statuses = schedules.read_attendance(demo_engine)["status"].value_counts()
    assert statuses.equals(small_demo.attendance["status"].value_counts())
