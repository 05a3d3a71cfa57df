"""Complaint figures (SE-11/PJ/2019): ageing and lateness by executor and reported unit, and
the monthly on-time rate per phase, on hand-made complaints."""

import datetime as dt

import pandas as pd
import pytest

from kringlib import complaint_reports, complaints

TODAY = dt.date(2026, 11, 30)  # a Monday in a month without holidays


def frame(*rows) -> pd.DataFrame:
    columns = ["id", "received_on", "executor", "reported_unit", "status", "done", "late_steps"]
    return pd.DataFrame(rows, columns=columns)


COMPLAINTS = frame(
    (1, dt.date(2026, 11, 23), "KLIP", "KPP A", complaints.ON_TIME, False, 0),
    (2, dt.date(2026, 11, 16), "P2 Humas", "KPP A", complaints.LATE, False, 1),
    (3, dt.date(2026, 11, 2), "P2 Humas", "KPP B", complaints.AT_RISK, False, 0),
    (4, dt.date(2026, 9, 1), None, "KPP B", complaints.LATE, True, 2),
    (5, dt.date(2026, 9, 1), None, "KPP A", complaints.ON_TIME, True, 0),
)


def test_open_complaints_by_the_executor_of_the_step_under_way():
    table = complaint_reports.ageing_and_lateness(COMPLAINTS, "executor", TODAY)
    table = table.set_index("executor")
    assert table.loc["P2 Humas", ["open", "late", "at_risk"]].tolist() == [2, 1, 1]
    # received Monday 16 and Monday 2 November: 10 and 20 working days before Monday 30
    assert table.loc["P2 Humas", "oldest_age"] == 20 and table.loc["P2 Humas", "median_age"] == 15
    assert table.loc["KLIP", ["open", "late", "oldest_age"]].tolist() == [1, 0, 5]


def test_by_reported_unit_with_the_complaints_already_done():
    table = complaint_reports.ageing_and_lateness(COMPLAINTS, "reported_unit", TODAY)
    table = table.set_index("reported_unit")
    assert table.loc["KPP A", ["open", "late", "done", "done_with_late_step"]].tolist() == [
        2, 1, 1, 0,
    ]  # fmt: skip
    assert table.loc["KPP B", ["open", "done", "done_with_late_step"]].tolist() == [1, 1, 1]


def test_an_unknown_grouping_is_refused():
    with pytest.raises(KeyError, match="pengelompokan"):
        complaint_reports.ageing_and_lateness(COMPLAINTS, "channel", TODAY)


def test_monthly_on_time_rate_per_phase():
    # "Konfirmasi Kelengkapan | 5 | 7 | KLIP" and "Validasi Kelengkapan KLIP | 2": phase 1
    # has 7 working days. Received Monday 2 November: in time when step 2 ends by Wednesday
    # 11 November, late on Thursday 12.
    in_time = {1: dt.date(2026, 11, 6), 2: dt.date(2026, 11, 11)}
    late = {1: dt.date(2026, 11, 9), 2: dt.date(2026, 11, 12)}
    received = dt.date(2026, 11, 2)
    phases = complaint_reports.phases_of({1: (received, in_time), 2: (received, late)})
    monthly = complaint_reports.monthly_on_time(phases)
    assert monthly.to_dict("records") == [
        {"month": pd.Timestamp("2026-11-01"), "phase": 1, "finished": 2, "on_time_rate": 0.5}
    ]
    assert complaint_reports.monthly_on_time(complaint_reports.phases_of({})).empty
