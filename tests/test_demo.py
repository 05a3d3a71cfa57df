"""The synthetic contact centre: deterministic, and shaped like the real one."""

import datetime as dt

import numpy as np
import pandas.testing as pdt
import pytest

from kringlib import calendar, demo
from kringlib.canonical import ACTIVITY_MEASURES, CHANNELS


@pytest.fixture(scope="module")
def year() -> demo.DemoData:
    return demo.generate(months=12, end=dt.date(2026, 10, 31))


def test_same_seed_same_data(small_demo):
    again = demo.generate(months=2, end=dt.date(2026, 4, 30))
    pdt.assert_frame_equal(small_demo.activity, again.activity)
    pdt.assert_frame_equal(small_demo.queue, again.queue)
    pdt.assert_frame_equal(small_demo.agents, again.agents)


def test_another_seed_other_data(small_demo):
    other = demo.generate(seed=7, months=2, end=dt.date(2026, 4, 30))
    assert not small_demo.activity["acd_calls"].equals(other.activity["acd_calls"])


def test_overlapping_windows_agree_on_shared_days(small_demo):
    april = demo.generate(months=1, end=dt.date(2026, 4, 30))
    shared = small_demo.activity[small_demo.activity["date"] >= "2026-04-01"]
    pdt.assert_frame_equal(shared.reset_index(drop=True), april.activity)


def test_window_covers_whole_months_up_to_end():
    assert demo.window(12, dt.date(2026, 11, 27)) == (dt.date(2025, 12, 1), dt.date(2026, 11, 27))
    with pytest.raises(ValueError):
        demo.window(0)


def test_sixty_agents_in_six_teams(year):
    assert len(year.agents) == 60
    assert year.agents.groupby("team_id").size().tolist() == [10] * 6
    assert set(year.agents["team_id"]) == set(year.teams["team_id"])


def test_no_activity_on_closed_days(year):
    days = year.activity["date"].dt.date.unique()
    assert all(calendar.is_working_day(d) for d in days)
    assert dt.date(2026, 3, 19) not in set(days)  # Nyepi
    assert len(days) == len(
        calendar.default_calendar().working_days(dt.date(2025, 11, 1), dt.date(2026, 10, 31))
    )


def test_every_channel_and_canonical_columns(year):
    assert set(year.activity["channel"]) == set(CHANNELS)
    assert list(year.activity.columns) == ["date", "agent_id", "channel", *ACTIVITY_MEASURES]
    assert year.activity["date"].dtype == "datetime64[ns]"


def _offered_per_day(queue, channel="telepon"):
    phone = queue[queue["channel"] == channel]
    return phone.groupby("date")["offered"].sum()


def test_calls_peak_before_the_spt_deadlines(year):
    daily = _offered_per_day(year.queue)
    before_march_deadline = daily["2026-03-25":"2026-03-31"].mean()
    before_april_deadline = daily["2026-04-22":"2026-04-30"].mean()
    ordinary = daily["2026-06-01":"2026-09-30"].mean()
    assert before_march_deadline > 1.6 * ordinary
    assert before_april_deadline > 1.3 * ordinary
    assert daily["2026-05-04":"2026-05-08"].mean() < 1.15 * ordinary  # after the peak


def test_arrivals_follow_weekday_and_hour_of_day(year):
    daily = _offered_per_day(year.queue)
    by_weekday = daily.groupby(daily.index.day_of_week).mean()
    assert by_weekday[0] > by_weekday[4]  # Monday busier than Friday
    phone = year.queue[year.queue["channel"] == "telepon"]
    by_hour = phone.groupby("hour")["offered"].sum()
    assert by_hour.idxmax() in (9, 10)
    assert by_hour[12] < by_hour[11]  # lunch dip


def test_queue_answers_match_agent_activity(year):
    answered = year.queue.groupby(["date", "channel"])["answered"].sum()
    handled = year.activity.groupby(["date", "channel"])["interactions_total"].sum()
    pdt.assert_series_equal(answered, handled, check_names=False, check_dtype=False)
    assert (year.queue["abandoned"] >= 0).all()


def test_durations_are_consistent(year):
    phone = year.activity[year.activity["channel"] == "telepon"]
    busy = phone[["acd_time", "acw_time", "hold_time", "ring_time", "aux_time", "avail_time"]].sum(
        axis=1
    )
    np.testing.assert_allclose(busy, phone["staffed_time"], rtol=1e-9)
    assert (phone["avail_time"] >= 0).all()
    assert (phone["talk_time"] <= phone["acd_time"]).all()
    assert (phone["interactions_documented"] <= phone["interactions_total"]).all()


def test_handle_times_are_right_skewed():
    # Lognormal per call: a day's per-call mean sits above its median across agent-days.
    data = demo.generate(months=1, end=dt.date(2026, 6, 30))
    phone = data.activity[data.activity["channel"] == "telepon"]
    per_call = phone["acd_time"] / phone["acd_calls"]
    assert 180 < per_call.median() < 320


def test_a_few_agents_are_plainly_better_or_worse(year):
    phone = year.activity[year.activity["channel"] == "telepon"]
    sums = phone.groupby("agent_id")[["acd_time", "hold_time", "acw_time", "acd_calls"]].sum()
    aht = (sums["acd_time"] + sums["hold_time"] + sums["acw_time"]) / sums["acd_calls"]
    median = aht.median()
    assert (aht < 0.85 * median).sum() >= 1
    assert (aht > 1.2 * median).sum() >= 1
    assert ((aht > 0.85 * median) & (aht < 1.2 * median)).mean() > 0.8
