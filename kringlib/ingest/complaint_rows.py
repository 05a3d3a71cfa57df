"""The complaint template (SE-11/PJ/2019), checked once its cells are read: known channels,
numbers once each, no day after today, and finish days that fit the SLA's steps in order
(:func:`kringlib.complaints.sla_plan`). What needs the database (numbers already stored,
identifiers in the summary) is checked by the store."""

from __future__ import annotations

import pandas as pd

from kringlib import clock, complaints
from kringlib.complaints import ScheduleError
from kringlib.ingest.checks import check_duplicates, check_filled
from kringlib.ingest.findings import Collector
from kringlib.ingest.layouts import COMPLAINTS, FINISHED_COLUMNS, ReportLayout

ORDER_CODES = {"finished_after_today": "future_date"}
"""The finding code of a :class:`ScheduleError`, when not ``steps_out_of_order``."""


def _complaint_rows(frame: pd.DataFrame, layout: ReportLayout, found: Collector) -> pd.DataFrame:
    """One row per complaint: ``complaint_number, date`` (received), ``channel``,
    ``category``, ``reported_unit``, ``summary`` and ``finished_1`` … (NaT: not yet)."""
    caption = {name: captions[0] for name, captions in layout.columns.items()}
    check_filled(frame, layout, layout.required, found)
    for column in ("category", "reported_unit", *FINISHED_COLUMNS):
        if column not in frame:
            frame[column] = pd.NaT if column in FINISHED_COLUMNS else None
    frame["channel"] = frame["channel"].map(_channel_id, na_action="ignore")
    known = complaints.channel_ids()
    for row, channel in frame.loc[~frame["channel"].isin(known) & frame["channel"].notna(),
                                  ["source_row", "channel"]].values:  # fmt: skip
        found.error(int(row), caption["channel"], "unknown_channel",
                    f"saluran tidak dikenal: {channel!r} (pilih {', '.join(known)})")  # fmt: skip
    check_duplicates(frame.dropna(subset=["complaint_number"]), ["complaint_number"], found,
                     "nomor pengaduan")  # fmt: skip
    today = clock.today()
    late = frame["date"] > pd.Timestamp(today)
    for row, day in frame.loc[late, ["source_row", "date"]].values:
        found.error(int(row), caption["date"], "future_date",
                    f"tanggal terima {day:%d-%m-%Y} setelah hari ini")  # fmt: skip
    for row in frame[frame["date"].notna() & ~late].itertuples():
        _check_steps(row, caption, today, found)
    return frame[["source_row", "complaint_number", "date", "channel", "category",
                  "reported_unit", "summary", *FINISHED_COLUMNS]]  # fmt: skip


def _channel_id(written: str) -> str:
    """A channel as its id, written as its id or its label, in any case."""
    key = str(written).strip().lower()
    for channel in complaints.complaint_rules().channels:
        if key in (channel.id, channel.label.lower()):
            return channel.id
    return str(written).strip()


def _check_steps(row, caption: dict[str, str], today, found: Collector) -> None:
    """The row's finish days fit the SLA's steps: in order, none skipped, none before its
    step starts nor after today; an error names the step."""
    finished = {
        number: getattr(row, column).date()
        for number, column in zip(complaints.step_numbers(), FINISHED_COLUMNS, strict=True)
        if pd.notna(getattr(row, column))
    }
    if not finished:
        return
    try:
        complaints.step_status(complaints.sla_plan(row.date.date(), finished), today)
    except ScheduleError as error:
        column = caption[f"finished_{error.step}"]
        code = ORDER_CODES.get(error.code, "steps_out_of_order")
        found.error(int(row.source_row), column, code, str(error))


CHECKS = {COMPLAINTS: _complaint_rows}
"""What the complaint template is checked for."""
