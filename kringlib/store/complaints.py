"""Complaints (SE-11/PJ/2019) in the database: the register, each step's recorded finish,
corrections, and the SLA status of every complaint.

Each write runs in one transaction: the actor read again from the database, the check of
:mod:`kringlib.complaints` on the complaint's records read inside it (after taking the
chain's lock, so two supervisors cannot both finish the same step), and a hash-chained
row. Nothing is ever edited: a corrected finish date is a new record superseding the
newest one of its step. "Today" is the server's Jakarta date.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from kringlib import clock, complaints, ids
from kringlib.access import User
from kringlib.complaints import LATE, ON_TIME
from kringlib.ingest.findings import ERROR, WARNING, Finding
from kringlib.store import chain, db, users
from kringlib.store.models import complaint, complaint_step

FRAME_COLUMNS = [
    "id", "number", "received_on", "channel", "category", "reported_unit", "summary",
    "current_step", "current_activity", "executor", "status", "days_left", "done",
    "late_steps", "finished_on",
]  # fmt: skip
"""The columns of :func:`complaints_frame`, in order."""


def check_summary(summary: str) -> None:
    """A complaint's summary holds no taxpayer identifier (NPWP, NIK) in clear."""
    if ids.contains_identifier(summary):
        raise ValueError(
            "Ringkasan pengaduan ditulis tanpa identitas wajib pajak: hapus NPWP/NIK dari "
            "ringkasan (identitas dicatat di aplikasi pengaduan, bukan di sini)."
        )


def register(
    engine: sa.Engine,
    actor: User,
    *,
    number: str,
    received_on: dt.date,
    channel: str,
    category: str,
    reported_unit: str,
    summary: str,
    source: str = "",
) -> int:
    """Register a complaint received on ``received_on`` through ``channel``; returns its id."""
    with db.begin_write(engine) as conn:
        actor = users.acting(conn, actor)
        values = dict(number=number, received_on=received_on, channel=channel,
                      category=category, reported_unit=reported_unit, summary=summary,
                      source=source)  # fmt: skip
        return _register(conn, actor, values)


def _register(conn: sa.Connection, actor: User, values: dict) -> int:
    """:func:`register` inside the caller's transaction, for an actor already re-read."""
    number, summary = _text(values["number"]), _text(values["summary"])
    received_on = pd.Timestamp(values["received_on"]).date()
    with users.refusing(actor, f"mencatat pengaduan {number}"):
        complaints.check_register(actor, number, values["channel"], received_on, summary,
                                  clock.today())  # fmt: skip
    check_summary(summary)
    chain.lock(conn, complaint.name)
    if conn.execute(sa.select(complaint.c.id).where(complaint.c.number == number)).first():
        raise ValueError(f"Pengaduan nomor {number} sudah tercatat.")
    row = dict(number=number, received_on=received_on, channel=values["channel"],
               category=_text(values.get("category")),
               reported_unit=_text(values.get("reported_unit")), summary=summary,
               entered_by=actor.username, entered_at=clock.now(),
               source=_text(values.get("source")))  # fmt: skip
    return chain.append(conn, complaint, row)


def _text(value) -> str:
    """A cell or argument as stripped text; blank (None, NaN) as ""."""
    return "" if value is None or pd.isna(value) else str(value).strip()


def complete_step(
    engine: sa.Engine,
    actor: User,
    complaint_id: int,
    step: int,
    finished_on: dt.date,
    note: str = "",
) -> int:
    """Record that ``step`` (the first unfinished one) finished on ``finished_on``;
    returns the record's id."""
    with db.begin_write(engine) as conn:
        actor = users.acting(conn, actor)
        return _complete(conn, actor, complaint_id, step, finished_on, note)


def _complete(conn, actor: User, complaint_id: int, step: int, finished_on, note: str) -> int:
    received_on, newest = _facts(conn, complaint_id)
    finished_on = pd.Timestamp(finished_on).date()
    with users.refusing(actor, f"langkah {step} pengaduan #{complaint_id}"):
        complaints.check_completion(actor, received_on, _dates(newest), step, finished_on,
                                    clock.today())  # fmt: skip
    return _append(conn, actor, complaint_id, step, finished_on, note, None)


def correct_step(
    engine: sa.Engine,
    actor: User,
    complaint_id: int,
    step: int,
    finished_on: dt.date,
    reason: str,
) -> int:
    """Correct a finished step's date: a new record superseding the newest one of that
    step, refused (naming the step) when the plan after it would not hold. Returns the
    new record's id."""
    with db.begin_write(engine) as conn:
        actor = users.acting(conn, actor)
        received_on, newest = _facts(conn, complaint_id)
        finished_on = pd.Timestamp(finished_on).date()
        with users.refusing(actor, f"koreksi langkah {step} pengaduan #{complaint_id}"):
            complaints.check_correction(actor, received_on, _dates(newest), step, finished_on,
                                        reason, clock.today())  # fmt: skip
        superseded = newest[step][0]
        return _append(conn, actor, complaint_id, step, finished_on, reason, superseded)


def _facts(conn: sa.Connection, complaint_id: int):
    """The complaint's receipt day and the newest record of each step, ``{step: (id,
    finished_on)}``, read after taking the steps' chain lock."""
    chain.lock(conn, complaint_step.name)
    received_on = conn.execute(
        sa.select(complaint.c.received_on).where(complaint.c.id == complaint_id)
    ).scalar_one_or_none()
    if received_on is None:
        raise ValueError(f"Pengaduan #{complaint_id} tidak ditemukan.")
    return pd.Timestamp(received_on).date(), _newest(conn, complaint_id)


def _newest(conn: sa.Connection, complaint_id: int) -> dict[int, tuple[int, dt.date]]:
    s = complaint_step.c
    rows = conn.execute(
        sa.select(s.id, s.step, s.finished_on).where(s.complaint_id == complaint_id).order_by(s.id)
    ).all()
    return {row.step: (row.id, pd.Timestamp(row.finished_on).date()) for row in rows}


def _dates(newest: dict[int, tuple[int, dt.date]]) -> dict[int, dt.date]:
    return {step: day for step, (_, day) in newest.items()}


def _append(conn, actor: User, complaint_id, step, finished_on, note, supersedes_id) -> int:
    row = dict(complaint_id=complaint_id, step=step, finished_on=finished_on,
               note=(note or "").strip(), recorded_by=actor.username, recorded_at=clock.now(),
               supersedes_id=supersedes_id)  # fmt: skip
    return chain.append(conn, complaint_step, row)


def finished_steps(engine: sa.Engine, complaint_id: int) -> dict[int, dt.date]:
    """The finish day of each recorded step (its newest record)."""
    with engine.connect() as conn:
        return _dates(_newest(conn, complaint_id))


def every_finished_step(engine: sa.Engine) -> dict[int, dict[int, dt.date]]:
    """:func:`finished_steps` of every complaint, by its id, in one read."""
    with engine.connect() as conn:
        return _finished_by_complaint(conn)


def _finished_by_complaint(conn: sa.Connection) -> dict[int, dict[int, dt.date]]:
    s = complaint_step.c
    steps = pd.read_sql_query(sa.select(s.complaint_id, s.step, s.finished_on).order_by(s.id), conn)
    newest = steps.drop_duplicates(["complaint_id", "step"], keep="last")
    return {
        int(key): {int(step): pd.Timestamp(day).date()
                   for step, day in zip(group["step"], group["finished_on"], strict=True)}
        for key, group in newest.groupby("complaint_id")
    }  # fmt: skip


def step_records(engine: sa.Engine, complaint_id: int) -> pd.DataFrame:
    """Every record of the complaint's steps (who, when, note, what it supersedes), oldest
    first; an identifier typed in a note reads masked (kringlib.ids)."""
    s = complaint_step.c
    query = (
        sa.select(
            s.id, s.step, s.finished_on, s.note, s.recorded_by, s.recorded_at, s.supersedes_id
        )  # fmt: skip
        .where(s.complaint_id == complaint_id)
        .order_by(s.id)
    )
    with engine.connect() as conn:
        frame = pd.read_sql_query(query, conn)
    frame["finished_on"] = pd.to_datetime(frame["finished_on"])
    frame["supersedes_id"] = frame["supersedes_id"].astype("Int64")
    frame["note"] = frame["note"].map(ids.mask_identifiers)
    return frame


def complaints_frame(engine: sa.Engine, today: dt.date) -> pd.DataFrame:
    """One row per complaint, oldest first, with its SLA status on ``today``.

    An open complaint shows its current step (the first unfinished one), its activity and
    executor, that step's ``status`` and ``days_left`` (:func:`kringlib.complaints.step_status`).
    A finished one (``done``) is ``on_time`` or ``late`` against the whole budget
    (:func:`kringlib.complaints.overall_plan`), with the day its last step finished.
    ``late_steps`` counts the steps late so far, the one under way included when past due.
    """
    with engine.connect() as conn:
        registered = pd.read_sql_query(sa.select(complaint).order_by(complaint.c.id), conn)
        finished = _finished_by_complaint(conn)
    rows = [_status_row(row, finished.get(row.id, {}), today) for row in registered.itertuples()]
    frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
    return frame.astype({"received_on": "datetime64[ns]", "finished_on": "datetime64[ns]",
                         "current_step": "Int64", "days_left": "Int64", "done": bool,
                         "late_steps": int})  # fmt: skip


def _status_row(row, finished: dict, today: dt.date) -> dict:
    plan = complaints.step_status(complaints.sla_plan(row.received_on, finished), today)
    open_steps = plan[plan["finished"].isna()]
    values = dict(id=row.id, number=row.number, received_on=pd.Timestamp(row.received_on),
                  channel=row.channel, category=row.category, reported_unit=row.reported_unit,
                  summary=ids.mask_identifiers(row.summary),
                  late_steps=int((plan["status"] == LATE).sum()))  # fmt: skip
    if open_steps.empty:
        overall = complaints.overall_plan(plan)
        return dict(values, current_step=None, current_activity=None, executor=None,
                    status=LATE if overall["late_days"] > 0 else ON_TIME, days_left=None,
                    done=True, finished_on=plan["finished"].iloc[-1])  # fmt: skip
    current = open_steps.iloc[0]
    return dict(values, current_step=int(current["step"]), current_activity=current["activity"],
                executor=current["executor"], status=current["status"],
                days_left=int(current["days_left"]), done=False, finished_on=pd.NaT)  # fmt: skip


# --- the import of kind "pengaduan" (kringlib.store.imports)


def check_import(conn: sa.Connection, plan) -> None:
    """A complaint file against the store: a summary holding an identifier is an error; a
    number already stored is a warning, and its row is skipped."""
    rows = plan.rows
    for row, summary in zip(rows["source_row"], rows["summary"], strict=True):
        try:
            check_summary(summary)
        except ValueError as exc:
            plan.findings.append(Finding(ERROR, plan.file, int(row), "ringkasan",
                                         "identifier_in_text", str(exc)))  # fmt: skip
    numbers = sorted(set(rows["complaint_number"]))
    stored = set(
        conn.execute(sa.select(complaint.c.number).where(complaint.c.number.in_(numbers))).scalars()
    )
    known = rows["complaint_number"].isin(stored)
    for row, number in zip(rows.loc[known, "source_row"], rows.loc[known, "complaint_number"],
                           strict=True):  # fmt: skip
        plan.findings.append(Finding(WARNING, plan.file, int(row), "nomor", "number_stored",
                                     f"pengaduan nomor {number} sudah tersimpan; baris "
                                     "dilewati"))  # fmt: skip
    plan.skipped_rows = int(known.sum())
    plan.rows = rows[~known]


def write_import(conn: sa.Connection, rows: pd.DataFrame, source: str, actor: User) -> None:
    """Register each row's complaint and record its finished steps in order, by the same
    rules as :func:`register` and :func:`complete_step`, in the caller's transaction."""
    for row in rows.to_dict("records"):
        values = {key: row.get(key) for key in ("channel", "category", "reported_unit",
                                                "summary")}  # fmt: skip
        values.update(number=row["complaint_number"], received_on=row["date"], source=source)
        complaint_id = _register(conn, actor, values)
        for step in complaints.step_numbers():
            day = row.get(f"finished_{step}")
            if day is None or pd.isna(day):
                break
            _complete(conn, actor, complaint_id, step, day, f"impor {source}")
