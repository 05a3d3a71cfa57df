"""Tamper evidence: history rows hash-chained in the order they were written.

Each assessment version, appeal or adjustment audit row, import record, roster version,
registered complaint and recorded complaint step carries ``chain_hash`` =
SHA-256 of the previous row's hash and a canonical serialisation of the row's own
columns (:data:`CHAINED`, a fixed list: a column added later does not change old
hashes). Editing, deleting or inserting a row behind the application's back breaks the
chain at that row; :func:`verify` names the first such row of each table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import sqlalchemy as sa

GENESIS = "0" * 64
CHAINED: dict[str, tuple[str, ...]] = {
    "assessment": (
        "interaction_pk", "version", "supersedes_id", "reason", "assessor", "rubric_version",
        "channel", "agent_id", "interaction_at", "answers", "context", "notes", "total",
        "by_section", "derived", "auto_fail", "created_at",
    ),
    "appeal_audit": ("appeal_id", "at", "actor", "from_state", "to_state", "reason"),
    "ats_adjustment_audit": ("adjustment_id", "at", "actor", "from_state", "to_state", "reason"),
    "import_batch": (
        "kind", "file_name", "sha256", "row_count", "warning_count", "first_day", "last_day",
        "imported_at", "imported_by",
    ),
    "roster_change": (
        "entity", "entity_id", "version", "snapshot", "reason", "changed_by", "changed_at",
    ),
    "complaint": (
        "number", "received_on", "channel", "category", "reported_unit", "summary",
        "entered_by", "entered_at", "source",
    ),
    "complaint_step": (
        "complaint_id", "step", "finished_on", "note", "recorded_by", "recorded_at",
        "supersedes_id",
    ),
}  # fmt: skip


def _plain(value):
    """One value as JSON sees it, the same whether written by Python or read back from
    either engine: moments in UTC without a zone, dates as ISO text."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _canonical(table: str, row) -> str:
    """The row's :data:`CHAINED` columns as canonical JSON."""
    fields = {name: _plain(row.get(name)) for name in CHAINED[table]}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)  # fmt: skip


def row_hash(previous: str, table: str, row) -> str:
    """The chain hash of ``row`` (a mapping of :data:`CHAINED` columns) after ``previous``."""
    return hashlib.sha256(f"{previous}\n{_canonical(table, row)}".encode()).hexdigest()


def _table(conn: sa.Connection, name: str) -> sa.Table:
    """The table as the database has it (typed by reflection, so JSON and moments read
    back as Python values; migrations use this too, without the live models)."""
    return sa.Table(name, sa.MetaData(), autoload_with=conn)


def lock(conn: sa.Connection, name: str) -> None:
    """On PostgreSQL, wait until no other transaction is appending to chain ``name`` (on
    SQLite a writing transaction holds the whole database already)."""
    if conn.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big")
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _newest_hash(name: str) -> sa.Select:
    """The query of chain ``name``'s newest hash (no reflection per write)."""
    table = sa.table(name, sa.column("id"), sa.column("chain_hash"))
    return sa.select(table.c.chain_hash).order_by(table.c.id.desc()).limit(1)


def _last_hash(conn: sa.Connection, name: str) -> str:
    lock(conn, name)
    return conn.execute(_newest_hash(name)).scalar_one_or_none() or GENESIS


def _next_hash_in_sql(table: sa.Table, row: dict):
    """:func:`row_hash` after the last row, computed by PostgreSQL inside the INSERT: the
    chain's lock is then held for the INSERT and the COMMIT only."""
    last = _newest_hash(table.name).scalar_subquery()
    text = sa.func.concat(sa.func.coalesce(last, GENESIS), "\n", _canonical(table.name, row))
    return sa.func.encode(sa.func.sha256(sa.func.convert_to(text, "UTF8")), "hex")


def append(conn: sa.Connection, table: sa.Table, values: dict) -> int:
    """Insert one history row with its chain hash, inside the caller's transaction."""
    if conn.dialect.name == "postgresql":
        lock(conn, table.name)
        digest = _next_hash_in_sql(table, values)
    else:
        digest = row_hash(_last_hash(conn, table.name), table.name, values)
    return conn.execute(table.insert().values(**values, chain_hash=digest)).inserted_primary_key[0]


def append_many(conn: sa.Connection, table: sa.Table, rows: list[dict]) -> None:
    """Insert history rows in order, each chained to the one before."""
    previous = _last_hash(conn, table.name)
    for row in rows:
        row["chain_hash"] = previous = row_hash(previous, table.name, row)
    if rows:
        conn.execute(table.insert(), rows)


def seal(conn: sa.Connection, name: str) -> None:
    """Give rows written before the chain existed their hashes, in id order."""
    table = _table(conn, name)
    previous = GENESIS
    for row in conn.execute(sa.select(table).order_by(table.c.id)).mappings().all():
        previous = row_hash(previous, name, row)
        conn.execute(table.update().where(table.c.id == row["id"]).values(chain_hash=previous))


@dataclass(frozen=True)
class Verdict:
    """One chain: how many rows were checked and the first that does not match (if any)."""

    table: str
    rows: int
    broken_at: int | None = None

    @property
    def intact(self) -> bool:
        return self.broken_at is None

    def __str__(self) -> str:
        if self.intact:
            return f"{self.table}: {self.rows} baris, rantai utuh"
        return (f"{self.table}: rantai putus di baris id {self.broken_at} "
                f"(diubah, dihapus atau disisipkan di luar aplikasi)")  # fmt: skip


def _states(conn: sa.Connection, name: str, trail: str, key: str) -> Verdict:
    """A request's state (an appeal's, an adjustment's) is a projection of its chained
    audit trail: the last step's ``to_state``. A state set behind the application's back
    disagrees with it."""
    audit = _table(conn, trail)
    requests = _table(conn, name)
    last = (
        sa.select(audit.c[key], sa.func.max(audit.c.id).label("id"))
        .group_by(audit.c[key])
        .subquery()
    )
    rows = conn.execute(
        sa.select(requests.c.id, requests.c.state, audit.c.to_state)
        .outerjoin(last, last.c[key] == requests.c.id)
        .outerjoin(audit, audit.c.id == last.c.id)
        .order_by(requests.c.id)
    ).all()
    broken = next((row.id for row in rows if row.state != row.to_state), None)
    return Verdict(name, len(rows), broken)


def verify(engine: sa.Engine) -> list[Verdict]:
    """Walk every chain from its start, and check each appeal's and adjustment's state
    against its trail; each verdict names the first row that fails."""
    verdicts = []
    with engine.connect() as conn:
        for name in CHAINED:
            table, previous, rows, broken = _table(conn, name), GENESIS, 0, None
            for row in conn.execute(sa.select(table).order_by(table.c.id)).mappings():
                rows += 1
                previous = row_hash(previous, name, row)
                if broken is None and row["chain_hash"] != previous:
                    broken = row["id"]
            verdicts.append(Verdict(name, rows, broken))
        verdicts.append(_states(conn, "appeal", "appeal_audit", "appeal_id"))
        verdicts.append(_states(conn, "ats_adjustment", "ats_adjustment_audit", "adjustment_id"))
    return verdicts
