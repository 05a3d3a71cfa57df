"""Complaint figures for supervisors: ageing and lateness by executor or reported unit, and
the monthly on-time rate of each phase (SE-11/PJ/2019).

Plain frames in, plain frames out: the complaints as
:func:`kringlib.store.complaints.complaints_frame` gives them, and their phases as
:func:`phases_of` makes them from each complaint's finished steps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from kringlib import complaints
from kringlib.calendar import WorkCalendar, default_calendar

BY = {"executor": "Pelaksana langkah berjalan", "reported_unit": "Unit terlapor"}


def ageing_and_lateness(
    frame: pd.DataFrame, by: str, today: dt.date, calendar: WorkCalendar | None = None
) -> pd.DataFrame:
    """Open complaints per ``by`` (``executor`` of the step under way, or
    ``reported_unit``): how many, how many late or at risk now, and their age in working
    days since receipt (median and oldest); with, per reported unit, how many are done and
    how many of those had a late step."""
    if by not in BY:
        raise KeyError(f"pengelompokan tidak dikenal: {by} (pilih {', '.join(BY)})")
    calendar = calendar or default_calendar()
    open_ = frame[~frame["done"]].copy()
    open_["age"] = [calendar.working_days_between(day, today) for day in open_["received_on"]]
    groups = open_.groupby(by, sort=True)
    table = pd.DataFrame({
        "open": groups.size(),
        "late": groups["status"].apply(lambda s: int((s == complaints.LATE).sum())),
        "at_risk": groups["status"].apply(lambda s: int((s == complaints.AT_RISK).sum())),
        "median_age": groups["age"].median(),
        "oldest_age": groups["age"].max(),
    })  # fmt: skip
    if by == "reported_unit":
        done = frame[frame["done"]].groupby(by)
        table = table.join(pd.DataFrame({
            "done": done.size(), "done_with_late_step": done["late_steps"].apply(
                lambda s: int((s > 0).sum())),
        }), how="outer").fillna(0)  # fmt: skip
    return table.rename_axis(by).reset_index()


def phases_of(finished: Mapping[int, tuple[dt.date, Mapping[int, dt.date]]]) -> pd.DataFrame:
    """Every complaint's phases against their budgets: ``finished`` maps a complaint's id
    to its received date and finished steps; one row per complaint and phase
    (:func:`kringlib.complaints.phase_plan`)."""
    rows = [
        complaints.phase_plan(complaints.sla_plan(received_on, steps)).assign(complaint_id=key)
        for key, (received_on, steps) in finished.items()
    ]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["complaint_id", "phase", "executor", "budget_days", "start", "due",
                 "finished", "late_days"])  # fmt: skip


def monthly_on_time(phases: pd.DataFrame) -> pd.DataFrame:
    """Per month a phase finished and per phase: finished phases and the share within
    their budget."""
    done = phases[phases["finished"].notna()].copy()
    if done.empty:
        return pd.DataFrame(columns=["month", "phase", "finished", "on_time_rate"])
    done["month"] = pd.to_datetime(done["finished"]).dt.to_period("M").dt.to_timestamp()
    done["on_time"] = done["late_days"] == 0
    table = done.groupby(["month", "phase"]).agg(
        finished=("on_time", "size"), on_time_rate=("on_time", "mean")
    )
    return table.reset_index()
