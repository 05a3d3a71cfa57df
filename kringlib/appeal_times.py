"""How long appeals wait in each step, from the appeal audit trail.

Every audit row moves an appeal into a state (``to_state``); the appeal waits in that state
until its next audit row. A closing state (selesai, ditolak_tl, ditolak_spv) ends the appeal
and is not a step. Working days are KLIP working days (:mod:`kringlib.calendar`) between the
Jakarta dates of entering and leaving a step, counted as the appeal deadlines are counted.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kringlib import appeals, clock
from kringlib.calendar import WorkCalendar, default_calendar

AUDIT_COLUMNS = ("appeal_id", "at", "to_state")
"""The audit trail columns :func:`time_in_steps` reads."""
TIME_COLUMNS = ("appeal_id", "state", "entered_at", "left_at", "hours", "working_days", "open")
SUMMARY_COLUMNS = (
    "state", "count", "open", "working_days_median", "working_days_p90",
    "hours_median", "hours_p90",
)  # fmt: skip


def _require(frame: pd.DataFrame, columns, what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} tidak memuat kolom: {', '.join(missing)}")


def _until(until) -> tuple[pd.Timestamp, dt.date]:
    """The moment and the Jakarta date open steps are measured to (see time_in_steps)."""
    if until is None:
        until = clock.now()
    if isinstance(until, dt.date) and not isinstance(until, dt.datetime):
        end_of_day = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), clock.JAKARTA)
        return pd.Timestamp(end_of_day), until
    moment = clock.in_jakarta(pd.Timestamp(until).to_pydatetime())
    return pd.Timestamp(moment), moment.date()


def time_in_steps(
    audit: pd.DataFrame, until=None, calendar: WorkCalendar | None = None
) -> pd.DataFrame:
    """One row per appeal and step: appeal_id, state, entered_at, left_at, hours,
    working_days, open.

    ``audit`` is the audit trail (:func:`kringlib.store.appeals.audit_trail`); ``at`` naive
    is taken as UTC, as the store keeps it. ``entered_at``/``left_at`` are on Jakarta time,
    ``left_at`` NaT while the appeal is still in the step. A step still open is measured
    to ``until``: a moment (default: now), or a date, meaning the end of that Jakarta day.
    """
    _require(audit, AUDIT_COLUMNS, "jejak audit banding")
    calendar = calendar or default_calendar()
    moment, until_day = _until(until)
    order = ["appeal_id", "at", *(["id"] if "id" in audit.columns else [])]
    rows = audit.assign(at=pd.to_datetime(audit["at"], utc=True).dt.tz_convert(clock.JAKARTA))
    rows = rows.sort_values(order, kind="stable")
    steps = pd.DataFrame(
        {
            "appeal_id": rows["appeal_id"],
            "state": rows["to_state"],
            "entered_at": rows["at"],
            "left_at": rows.groupby("appeal_id")["at"].shift(-1),
        }
    )
    steps = steps[steps["left_at"].notna() | steps["state"].isin(appeals.open_states())]
    steps = steps.reset_index(drop=True)
    is_open = steps["left_at"].isna()
    ended = steps["left_at"].where(~is_open, moment)
    steps["hours"] = (ended - steps["entered_at"]).dt.total_seconds() / 3600
    end_days = [until_day if o else e.date() for o, e in zip(is_open, ended, strict=True)]
    steps["working_days"] = np.array(
        [
            calendar.working_days_between(start.date(), end)
            for start, end in zip(steps["entered_at"], end_days, strict=True)
        ],
        dtype=int,
    )
    steps["open"] = is_open.to_numpy(dtype=bool)
    return steps[list(TIME_COLUMNS)]


def step_summary(times: pd.DataFrame) -> pd.DataFrame:
    """Per state (in workflow order): count, how many are still open, and the median and
    90th percentile of working days and hours (open steps counted up to their ``until``)."""
    _require(times, ("state", "open", "working_days", "hours"), "waktu per langkah")
    grouped = times.groupby("state")
    summary = pd.DataFrame(
        {
            "count": grouped.size(),
            "open": grouped["open"].sum(),
            "working_days_median": grouped["working_days"].median(),
            "working_days_p90": grouped["working_days"].quantile(0.9),
            "hours_median": grouped["hours"].median(),
            "hours_p90": grouped["hours"].quantile(0.9),
        }
    )
    known = [s for s in appeals.open_states() if s in summary.index]
    summary = summary.loc[known + sorted(set(summary.index) - set(known))]
    return summary.rename_axis("state").reset_index()[list(SUMMARY_COLUMNS)]
