"""Importing an export: check it against the database, preview, then commit in one transaction.

Only a role that may use the page ``impor`` (``rules/akses.yaml``) commits; the actor is
re-read inside the transaction that writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import sqlalchemy as sa

from kringlib import access, adherence, attendance, clock, ingest
from kringlib.access import User
from kringlib.ingest import Finding, ats_inputs
from kringlib.ingest.findings import ERROR, HasFindings
from kringlib.ingest.matching import match_agents
from kringlib.store import adjustments, chain, complaints, db, roster, users
from kringlib.store.activity import write_activity, write_queue, write_sessions
from kringlib.store.models import (
    agent_activity,
    agent_session,
    agent_state,
    import_batch,
    queue_hourly,
    work_schedule,
)
from kringlib.store.models import attendance as attendance_table
from kringlib.store.schedules import load_schedule, write_attendance, write_schedule, write_states

PAGE = "impor"
"""The page (``rules/akses.yaml``) whose roles may import: SPV and admin."""


WRITE_ROWS = 5_000
"""Rows written at a time when committing, between telling the progress."""
Progress = Callable[[float], None]


def _silent(_fraction: float) -> None:
    """No one is told."""


class ImportRefused(ValueError):
    """The plan has errors (or nothing to write); nothing was saved."""


@dataclass
class ImportPlan(HasFindings):
    """What committing an export would do; nothing is written until :func:`commit_import`."""

    kind: str
    file: str
    sha256: str
    rows: pd.DataFrame  # rows to write, canonical, without source_row
    findings: list[Finding]
    skipped_rows: int = 0
    replaced_rows: int = 0
    notes: list[str] = field(default_factory=list)
    unknown_logins: pd.DataFrame = field(default_factory=pd.DataFrame)  # ingest.matching
    proposals: pd.DataFrame = field(default_factory=pd.DataFrame)  # attendance.proposals

    @property
    def can_commit(self) -> bool:
        return not self.errors and not self.rows.empty


def plan_import(
    engine: sa.Engine, source, kind: str, file_name: str, progress: Progress = _silent
) -> ImportPlan:
    """Parse ``source`` (the file's bytes, or its path) as a ``kind`` export and check it
    against what is stored; ``progress`` is told the share read (0 to 1)."""
    parsed = ingest.parse_export(source, kind, file_name, progress)
    plan = ImportPlan(
        kind=kind,
        file=parsed.file,
        sha256=_sha256(source),
        rows=parsed.frame,
        findings=list(parsed.findings),
    )
    if parsed.errors or parsed.frame.empty:
        if not parsed.errors:
            plan.findings.append(
                Finding(ERROR, parsed.file, 0, "", "no_rows", "tidak ada baris data")
            )
        return plan
    with engine.connect() as conn:
        DESTINATIONS[kind].check(conn, plan)
        _note_earlier_import(conn, plan)
    plan.rows = plan.rows.drop(columns="source_row")
    return plan


def _sha256(source) -> str:
    """The SHA-256 of a file's bytes, or of the file at a path, read in blocks."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return hashlib.sha256(source).hexdigest()
    with open(source, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _check_activity(conn: sa.Connection, plan: ImportPlan) -> None:
    """Agents matched; how many rows (agent, day, channel) replace stored ones."""
    _match_agents(conn, plan)
    keys = ["agent_id", "date", "channel"]
    plan.replaced_rows = _stored_rows(conn, plan.rows, agent_activity, keys)


def _check_sessions(conn: sa.Connection, plan: ImportPlan) -> None:
    """Agents matched; how many log-in periods (agent, log-in moment) replace stored ones."""
    _match_agents(conn, plan)
    plan.replaced_rows = _stored_rows(conn, plan.rows, agent_session, ["agent_id", "login_at"])


def _match_agents(conn: sa.Connection, plan: ImportPlan) -> None:
    """Match the rows to agents (:mod:`kringlib.ingest.matching`); rows of nobody known
    are skipped, and their log-ins offered for adding to the roster."""
    rows = plan.rows
    matched = match_agents(rows, roster.load(conn), plan.file)
    plan.findings += matched.findings
    plan.unknown_logins = matched.unknown_logins
    known = matched.agent_id.notna()
    plan.skipped_rows = int((~known).sum())
    kept = [c for c in rows if c not in ingest.IDENTITIES]
    plan.rows = rows.loc[known, kept]
    plan.rows.insert(kept.index("date") + 1, "agent_id", matched.agent_id[known])


def _stored_rows(conn: sa.Connection, rows: pd.DataFrame, table: sa.Table, keys: list[str]) -> int:
    """How many of ``rows`` are stored in ``table`` already, by ``keys`` (the second a day
    or moment): read by the rows' range of it, matched here (a list of every key would
    make a query of thousands of parameters)."""
    if rows.empty:
        return 0
    moment = table.c[keys[1]]
    first, last = rows[keys[1]].min(), rows[keys[1]].max()
    if not isinstance(moment.type, sa.DateTime):  # a day column compares with days
        first, last = first.date(), last.date()
    stored = pd.read_sql_query(
        sa.select(*(table.c[k] for k in keys)).where(moment.between(first, last)), conn
    )
    stored[keys[1]] = pd.to_datetime(stored[keys[1]])
    return len(rows[keys].merge(stored.drop_duplicates(), on=keys))


def _stored_days(conn: sa.Connection, table: sa.Table, rows: pd.DataFrame, *columns: str):
    """The rows of ``table`` stored on the agents' days of ``rows``: what importing them
    replaces (``agent_id``, ``date`` and ``columns``)."""
    if rows.empty:
        return pd.DataFrame(columns=["agent_id", "date", *columns])
    query = sa.select(table.c.agent_id, table.c.date, *(table.c[c] for c in columns)).where(
        table.c.date.between(rows["date"].min().date(), rows["date"].max().date()),
        table.c.agent_id.in_(sorted(set(rows["agent_id"]))),
    )
    stored = pd.read_sql_query(query, conn)
    stored["date"] = pd.to_datetime(stored["date"])
    return stored.merge(rows[["agent_id", "date"]].drop_duplicates(), on=["agent_id", "date"])


def _check_schedule(conn: sa.Connection, plan: ImportPlan) -> None:
    """Agents matched; how many stored periods the same agents' days lose."""
    _match_agents(conn, plan)
    plan.replaced_rows = len(_stored_days(conn, work_schedule, plan.rows))


def _check_states(conn: sa.Connection, plan: ImportPlan) -> None:
    """Agents matched; how many stored states the same agents' days lose, and a note when
    they came from the other source, or when these are estimated from interval totals."""
    _match_agents(conn, plan)
    stored = _stored_days(conn, agent_state, plan.rows, "basis")
    plan.replaced_rows = len(stored)
    if plan.rows.empty:
        return
    basis = plan.rows["basis"].iloc[0]
    other = stored.loc[stored["basis"] != basis, "basis"]
    if len(other):
        plan.notes.append(f"{len(other)} periode status dari {ats_inputs.BASES[other.iloc[0]]} "
                          "pada hari yang sama akan diganti")  # fmt: skip
    if basis == ats_inputs.INTERVAL:
        plan.notes.append(
            "Status ini diperkirakan dari total interval (Staffed Time dan AUX Time): waktu online "
            "dianggap mulai pada awal tiap interval, lalu AUX. ATS dari data ini perkiraan; "
            "jejak status CMS (Agent Trace) lebih tepat."
        )


def _check_attendance(conn: sa.Connection, plan: ImportPlan) -> None:
    """Agents matched; how many stored days are replaced; the ATS adjustments the file
    proposes against the stored schedule (filed when committed, for the Team Leader)."""
    _match_agents(conn, plan)
    rows = plan.rows
    plan.replaced_rows = len(_stored_days(conn, attendance_table, rows))
    if rows.empty:
        return
    schedule = load_schedule(conn, rows["date"].min(), rows["date"].max(), set(rows["agent_id"]))
    plan.proposals = attendance.proposals(schedule, rows.assign(source=plan.file))
    if not plan.proposals.empty:
        labels = adherence.reasons()
        counts = plan.proposals["reason"].value_counts().sort_index()
        each = ", ".join(f"{labels[r].label}: {n}" for r, n in counts.items())
        plan.notes.append(
            f"{len(plan.proposals)} usulan penyesuaian ATS akan diajukan ke Team Leader "
            f"untuk disetujui ({each})"
        )


def _check_queue(conn: sa.Connection, plan: ImportPlan) -> None:
    """How many queue rows of the same days and channels are replaced, and a note when
    rows of the other grain (per hour or per day) go so that nothing counts twice."""
    days = sorted(set(plan.rows["date"].dt.date))
    stored = pd.read_sql_query(
        sa.select(queue_hourly.c.date, queue_hourly.c.hour).where(
            queue_hourly.c.date.in_(days), queue_hourly.c.channel.in_(_channels(plan.rows))
        ),
        conn,
    )
    whole_day = (plan.rows["hour"] == ingest.WHOLE_DAY).any()
    other_grain = stored[(stored["hour"] == ingest.WHOLE_DAY) != whole_day]
    if not other_grain.empty:
        plan.notes.append(
            f"{len(other_grain)} baris antrean {'per jam' if whole_day else 'harian'} pada tanggal "
            "yang sama akan diganti agar tidak terhitung ganda"
        )
    plan.replaced_rows = len(stored) - len(other_grain)


def _note_earlier_import(conn: sa.Connection, plan: ImportPlan) -> None:
    earlier = conn.execute(
        sa.select(import_batch.c.file_name, import_batch.c.imported_at)
        .where(import_batch.c.sha256 == plan.sha256)
        .order_by(import_batch.c.imported_at.desc())
    ).first()
    if earlier:
        plan.notes.append(
            f"Berkas yang sama sudah diimpor ({earlier.file_name}, "
            f"{earlier.imported_at:%d-%m-%Y %H:%M}); "
            "mengimpor ulang menimpa baris yang sama, tidak menggandakan"
        )


def commit_import(
    engine: sa.Engine, plan: ImportPlan, actor: User, progress: Progress = _silent
) -> int:
    """Write the plan's rows, file the ATS adjustments a SIKKA file proposes (for the Team
    Leader to decide), and an import record, in one transaction; returns the record's id.
    Complaints are registered and their steps recorded by the rules of
    :mod:`kringlib.store.complaints`, as ``actor``.

    ``actor`` is re-read from the database in that transaction; a role that may not use
    :data:`PAGE` gets :class:`~kringlib.access.PermissionDenied` and nothing changes.
    Rows are written :data:`WRITE_ROWS` at a time, ``progress`` told the share written.
    """
    if not plan.can_commit:
        raise ImportRefused("Impor ditolak: perbaiki galat pada berkas terlebih dahulu.")
    with db.begin_write(engine) as conn:
        who = users.acting(conn, actor)
        with users.refusing(who, f"impor {plan.file}"):
            access.require_page(who, PAGE)
        written = 0
        destination = DESTINATIONS[plan.kind]
        for batch in _batches(plan.rows):
            if destination.acting:
                destination.write(conn, batch, plan.file, who)
            else:
                destination.write(conn, batch, plan.file)
            written += len(batch)
            progress(written / len(plan.rows))
        adjustments.propose(conn, plan.proposals, who.username)
        days = plan.rows["date"]
        record = dict(
            kind=plan.kind,
            file_name=plan.file,
            sha256=plan.sha256,
            row_count=len(plan.rows),
            warning_count=len(plan.warnings),
            first_day=days.min().date(),
            last_day=days.max().date(),
            imported_at=clock.now(),
            imported_by=who.username,
        )
        return chain.append(conn, import_batch, record)


def _batches(rows: pd.DataFrame) -> Iterator[pd.DataFrame]:
    """``rows`` about :data:`WRITE_ROWS` at a time, an agent's rows never split between
    two: a writer that replaces an agent's days must see all of them at once."""
    if "agent_id" not in rows:
        for start in range(0, len(rows), WRITE_ROWS):
            yield rows.iloc[start : start + WRITE_ROWS]
        return
    rows = rows.sort_values("agent_id", kind="stable")
    firsts = np.flatnonzero(rows["agent_id"].ne(rows["agent_id"].shift()).to_numpy())
    cut = 0
    for first in [*firsts[1:], len(rows)]:
        if first - cut >= WRITE_ROWS or first == len(rows):
            yield rows.iloc[cut:first]
            cut = first


def _write_queue(conn: sa.Connection, rows: pd.DataFrame, source: str) -> None:
    _drop_other_grain(conn, rows)
    write_queue(conn, rows, source)


def _channels(rows: pd.DataFrame) -> list[str]:
    return sorted(set(rows["channel"]))


def _drop_other_grain(conn: sa.Connection, rows: pd.DataFrame) -> None:
    whole_day = (rows["hour"] == ingest.WHOLE_DAY).any()
    other = (
        queue_hourly.c.hour != ingest.WHOLE_DAY
        if whole_day
        else queue_hourly.c.hour == ingest.WHOLE_DAY
    )
    conn.execute(
        queue_hourly.delete().where(
            queue_hourly.c.date.in_(sorted(set(rows["date"].dt.date))),
            queue_hourly.c.channel.in_(_channels(rows)),
            other,
        )
    )


@dataclass(frozen=True)
class Destination:
    """Where the rows of an export kind go: checked against the store, then written."""

    check: Callable[[sa.Connection, ImportPlan], None]
    write: Callable[..., None]  # (conn, rows, source), and the actor when ``acting``
    acting: bool = False  # rows written by the rules of a workflow, as the importing actor


DESTINATIONS = {
    ingest.AGENT: Destination(_check_activity, write_activity),
    ingest.CHANNEL_TEMPLATE: Destination(_check_activity, write_activity),
    ingest.SPLIT: Destination(_check_queue, _write_queue),
    ingest.VDN: Destination(_check_queue, _write_queue),
    ingest.LOGIN: Destination(_check_sessions, write_sessions),
    ingest.SCHEDULE: Destination(_check_schedule, write_schedule),
    ingest.STATES: Destination(_check_states, write_states),
    ingest.STATE_INTERVALS: Destination(_check_states, write_states),
    ingest.ATTENDANCE: Destination(_check_attendance, write_attendance),
    ingest.COMPLAINTS: Destination(complaints.check_import, complaints.write_import, acting=True),
}
"""Every export kind the workbench imports, and where its rows go."""


def recent_imports(engine: sa.Engine, limit: int = 10) -> pd.DataFrame:
    """The latest committed imports, newest first."""
    with engine.connect() as conn:
        return pd.read_sql_query(
            sa.select(import_batch).order_by(import_batch.c.id.desc()).limit(limit), conn
        )
