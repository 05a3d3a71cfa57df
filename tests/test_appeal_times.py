"""Time appeals spend in each step: wall-clock hours and KLIP working days from the audit trail."""

import datetime as dt

import pandas as pd
import pytest

from kringlib import appeal_times, clock
from kringlib.appeals import DONE, FILED, SPV_APPROVED, TL_APPROVED, TL_REJECTED
from kringlib.calendar import default_calendar

D = dt.date
INDEPENDENCE_DAY = D(2026, 8, 17)  # a Monday, after the weekend of 15–16 August


def utc(text: str) -> pd.Timestamp:
    """A naive UTC moment, as the store (SQLite) gives back ``appeal_audit.at``."""
    return pd.Timestamp(text)


AUDIT = pd.DataFrame(
    [
        # 1: every step. Filed Thu 13 Aug 18:30 UTC = Fri 14 Aug 01:30 WIB.
        (1, 1, utc("2026-08-13 18:30"), "ag001", None, FILED, "banding diajukan"),
        (6, 3, utc("2026-08-13 02:00"), "ag015", None, FILED, "banding diajukan"),
        (2, 1, utc("2026-08-18 03:00"), "tl.merapi", FILED, TL_APPROVED, "disetujui"),
        (3, 1, utc("2026-08-19 03:00"), "spv.pkl", TL_APPROVED, SPV_APPROVED, "disetujui"),
        (4, 1, utc("2026-08-20 07:00"), "asesor.budi", SPV_APPROVED, DONE, "penilaian kembali"),
        # 2: filed Fri 14 Aug 09:00 WIB, still waiting for its team leader.
        (5, 2, utc("2026-08-14 02:00"), "ag002", None, FILED, "banding diajukan"),
        # 3: filed Thu 13 Aug, rejected by the team leader on Thu 13 Aug itself.
        (7, 3, utc("2026-08-13 08:00"), "tl.rinjani", FILED, TL_REJECTED, "tidak berdasar"),
    ],
    columns=["id", "appeal_id", "at", "actor", "from_state", "to_state", "reason"],
)
UNTIL = dt.datetime(2026, 8, 18, 5, 0, tzinfo=dt.UTC)  # Tue 18 Aug 12:00 WIB


def test_the_chosen_days_are_closed():
    calendar = default_calendar()
    assert calendar.holiday_name(INDEPENDENCE_DAY) == "Hari Kemerdekaan Republik Indonesia"
    assert not calendar.is_working_day(D(2026, 8, 15))  # Saturday
    assert not calendar.is_working_day(D(2026, 8, 16))  # Sunday
    assert calendar.is_working_day(D(2026, 8, 14)) and calendar.is_working_day(D(2026, 8, 18))


def test_one_row_per_appeal_and_step_closing_states_are_no_step():
    times = appeal_times.time_in_steps(AUDIT, until=UNTIL)
    assert list(times.columns) == list(appeal_times.TIME_COLUMNS)
    assert list(zip(times["appeal_id"], times["state"], strict=True)) == [
        (1, FILED), (1, TL_APPROVED), (1, SPV_APPROVED), (2, FILED), (3, FILED),
    ]  # fmt: skip
    assert list(times["open"]) == [False, False, False, True, False]
    assert times["left_at"].isna().tolist() == [False, False, False, True, False]


def test_working_days_skip_the_weekend_and_independence_day():
    times = appeal_times.time_in_steps(AUDIT, until=UNTIL).set_index(["appeal_id", "state"])
    # Fri 14 Aug (WIB) -> Tue 18 Aug: Sat, Sun and Mon 17 Aug are closed, Tue counts.
    assert times.loc[(1, FILED), "working_days"] == 1
    assert times.loc[(1, FILED), "hours"] == pytest.approx(4 * 24 + 8.5)
    assert times.loc[(1, TL_APPROVED), ["working_days", "hours"]].tolist() == [1, 24.0]
    assert times.loc[(1, SPV_APPROVED), ["working_days", "hours"]].tolist() == [1, 28.0]
    # Still open: Fri 14 Aug -> until Tue 18 Aug 12:00 WIB.
    assert times.loc[(2, FILED), "working_days"] == 1
    assert times.loc[(2, FILED), "hours"] == pytest.approx(4 * 24 + 3)
    # Rejected the same day it was filed.
    assert times.loc[(3, FILED), ["working_days", "hours"]].tolist() == [0, 6.0]


def test_days_are_jakarta_days():
    """Filed at 01:30 WIB on Friday (Thursday in UTC): Friday is the day it entered."""
    times = appeal_times.time_in_steps(AUDIT, until=UNTIL)
    first = times.iloc[0]
    assert first["entered_at"] == pd.Timestamp("2026-08-14 01:30", tz=clock.JAKARTA)
    assert first["entered_at"].date() == D(2026, 8, 14)


def test_timezone_aware_moments_give_the_same_times():
    aware = AUDIT.assign(at=AUDIT["at"].dt.tz_localize("UTC"))
    pd.testing.assert_frame_equal(
        appeal_times.time_in_steps(aware, until=UNTIL),
        appeal_times.time_in_steps(AUDIT, until=UNTIL),
    )


def test_an_open_step_counts_to_a_given_date_or_to_now(monkeypatch):
    by_date = appeal_times.time_in_steps(AUDIT, until=D(2026, 8, 19)).set_index("appeal_id")
    assert by_date.loc[2, "working_days"] == 2  # 18 and 19 Aug
    assert by_date.loc[2, "hours"] == pytest.approx(6 * 24 - 9)  # to the end of 19 Aug WIB
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 8, 21, 2, 0, tzinfo=dt.UTC))
    by_now = appeal_times.time_in_steps(AUDIT).set_index("appeal_id")
    assert by_now.loc[2, "working_days"] == 4  # 18, 19, 20, 21 Aug
    assert by_now.loc[2, "hours"] == pytest.approx(7 * 24)
    assert by_now.loc[1, "working_days"].tolist() == [1, 1, 1]  # closed steps do not move


def test_summary_per_step_in_workflow_order():
    summary = appeal_times.step_summary(appeal_times.time_in_steps(AUDIT, until=UNTIL))
    assert list(summary.columns) == list(appeal_times.SUMMARY_COLUMNS)
    assert list(summary["state"]) == [FILED, TL_APPROVED, SPV_APPROVED]
    filed = summary.iloc[0]
    assert (filed["count"], filed["open"]) == (3, 1)
    assert filed["working_days_median"] == 1
    assert filed["working_days_p90"] == pytest.approx(1.0)
    assert filed["hours_median"] == pytest.approx(99.0)  # of 104.5, 99 and 6 hours
    assert filed["hours_p90"] == pytest.approx(99.0 + 0.8 * 5.5)
    assert summary.iloc[1][["count", "open", "working_days_median"]].tolist() == [1, 0, 1]


def test_an_empty_trail_gives_empty_frames():
    empty = pd.DataFrame(columns=["id", "appeal_id", "at", "actor", "from_state", "to_state"])
    times = appeal_times.time_in_steps(empty, until=UNTIL)
    assert times.empty and list(times.columns) == list(appeal_times.TIME_COLUMNS)
    summary = appeal_times.step_summary(times)
    assert summary.empty and list(summary.columns) == list(appeal_times.SUMMARY_COLUMNS)


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match=r"kolom: at, to_state$"):
        appeal_times.time_in_steps(AUDIT.drop(columns=["at", "to_state"]))
    with pytest.raises(ValueError, match=r"kolom: working_days$"):
        appeal_times.step_summary(pd.DataFrame(columns=["state", "open", "hours"]))
