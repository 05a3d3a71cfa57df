"""Izin Tidak Online in the database: filings, SIKKA proposals, decisions, outages, the trail.

Each action runs in one transaction: the actor read again from the database, the check of
:mod:`kringlib.adjustments` on facts read inside it, the state change as a compare-and-set
on state and version, and a hash-chained audit row. Deadlines count from the server's
Jakarta date at the moment of filing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import pandas as pd
import sqlalchemy as sa

from kringlib import adjustments, clock
from kringlib.access import User, Visible
from kringlib.adjustments import APPROVED, FILED, REJECTED, Request
from kringlib.store import db, requests, roster, users
from kringlib.store.models import agent, ats_adjustment, ats_adjustment_audit

PROPOSED_BY_SIKKA = "usulan dari SIKKA"


def _audit(conn, adjustment_id: int, actor: str, before, after: str, reason: str) -> None:
    requests.record(conn, ats_adjustment_audit, adjustment_id, actor, before, after, reason)


def _insert(conn, actor: str, origin: str, state: str, rows: list[dict], why: str) -> list[int]:
    """Insert adjustments with their first audit row each; returns their ids."""
    ids = []
    for row in rows:
        values = dict(row, origin=origin, filed_by=actor, filed_at=clock.now(), state=state,
                      state_version=1)  # fmt: skip
        ids.append(conn.execute(ats_adjustment.insert().values(**values)).inserted_primary_key[0])
        _audit(conn, ids[-1], actor, None, state, why)
    return ids


def file(engine: sa.Engine, actor: User, request: Request) -> int:
    """An agent files an Izin Tidak Online for their own period; returns its id."""
    with db.begin_write(engine) as conn:
        actor = users.acting(conn, actor)
        with users.refusing(actor, f"izin tidak online {request.agent_id}"):
            deadline = adjustments.check_request(actor, request, clock.today())
        row = dict(agent_id=request.agent_id, reason=request.reason, start=request.start,
                   end=request.end, evidence=request.evidence.strip(),
                   deadline=deadline)  # fmt: skip
        return _insert(conn, actor.username, "agent", FILED, [row], "izin diajukan")[0]


def propose(conn: sa.Connection, proposals: pd.DataFrame, actor: str) -> int:
    """File SIKKA's proposals (``agent_id, start, end, reason, evidence``) for the Team
    Leader to decide, inside the caller's transaction; one already proposed (same agent,
    reason and period) is not filed twice. Returns how many were filed."""
    if proposals.empty:
        return 0
    a = ats_adjustment.c
    stored = pd.read_sql_query(
        sa.select(a.agent_id, a.reason, a.start, a.end).where(
            a.origin == "sikka",
            a.start >= proposals["start"].min().to_pydatetime(),
            a.start <= proposals["start"].max().to_pydatetime(),
        ),
        conn,
    )
    keys = ["agent_id", "reason", "start", "end"]
    stored[["start", "end"]] = stored[["start", "end"]].apply(pd.to_datetime)
    new = proposals.merge(stored.drop_duplicates(), on=keys, how="left", indicator=True)
    new = new[new["_merge"] == "left_only"]
    rows = [
        dict(
            agent_id=r.agent_id,
            reason=r.reason,
            start=r.start.to_pydatetime(),
            end=r.end.to_pydatetime(),
            evidence=r.evidence,
        )  # fmt: skip
        for r in new.itertuples()
    ]
    return len(_insert(conn, actor, "sikka", FILED, rows, PROPOSED_BY_SIKKA))


def decide(
    engine: sa.Engine, actor: User, adjustment_id: int, approve: bool, reason: str = ""
) -> str:
    """The Team Leader approves or rejects a filed adjustment; returns the new state."""
    if not approve and not reason.strip():
        raise ValueError("Penolakan memerlukan alasan.")
    with db.begin_write(engine) as conn:
        actor = users.acting(conn, actor)
        row = conn.execute(
            sa.select(ats_adjustment).where(ats_adjustment.c.id == adjustment_id)
        ).one_or_none()
        if row is None:
            raise ValueError(f"izin {adjustment_id} tidak ditemukan")
        team_id = roster.team_of(conn, row.agent_id, row.start)
        facts = adjustments.AdjustmentFacts(row.agent_id, team_id, row.state)
        with users.refusing(actor, f"putusan izin #{adjustment_id}"):
            adjustments.check_decision(actor, facts)
        to_state = APPROVED if approve else REJECTED
        requests.move(conn, ats_adjustment, row, to_state,
                      "Izin ini sudah diputus oleh orang lain; muat ulang.")  # fmt: skip
        _audit(conn, row.id, actor.username, row.state, to_state, reason.strip() or "disetujui")
        return to_state


def record_outage(
    engine: sa.Engine,
    actor: User,
    start: dt.datetime,
    end: dt.datetime,
    note: str,
    agents: Collection[str] | None = None,
    teams: Collection[str] | None = None,
) -> list[int]:
    """An SPV enters a system outage once: an approved adjustment for each of ``agents``,
    or else each agent in one of ``teams`` (None: in any team) on the outage's first day.
    Returns their ids."""
    with db.begin_write(engine) as conn:
        actor = users.acting(conn, actor)
        chosen = (
            sorted(agents) if agents is not None else roster.agents_on(conn, start.date(), teams)
        )
        with users.refusing(actor, "mencatat gangguan sistem"):
            adjustments.check_outage(actor, start, end, note, chosen)
        outage_id = (conn.execute(sa.select(sa.func.max(ats_adjustment.c.outage_id))).scalar()
                     or 0) + 1  # fmt: skip
        rows = [
            dict(
                agent_id=agent_id,
                reason=adjustments.OUTAGE_REASON,
                start=start,
                end=end,
                evidence=note.strip(),
                outage_id=outage_id,
            )  # fmt: skip
            for agent_id in chosen
        ]
        return _insert(conn, actor.username, "outage", APPROVED, rows, "gangguan sistem dicatat")


def approved(
    engine: sa.Engine, start=None, end=None, agents: Collection[str] | None = None
) -> pd.DataFrame:
    """Approved adjustments (``agent_id, start, end, reason``) overlapping the days
    ``start`` to ``end``: what :func:`kringlib.adherence.ats` excuses."""
    a = ats_adjustment.c
    query = _overlapping(
        sa.select(a.agent_id, a.start, a.end, a.reason).where(a.state == APPROVED), start, end,
        agents,
    ).order_by(a.start, a.id)  # fmt: skip
    with engine.connect() as conn:
        frame = pd.read_sql_query(query, conn)
    frame[["start", "end"]] = frame[["start", "end"]].apply(pd.to_datetime)
    return frame


def adjustments_frame(
    engine: sa.Engine,
    visible: Visible | None = None,
    *,
    start=None,
    end=None,
    agents: Collection[str] | None = None,
) -> pd.DataFrame:
    """Adjustments overlapping the days ``start`` to ``end`` with the agent's name and the
    team they were in on the period's first day; only those ``visible`` shows, when given."""
    a = ats_adjustment.c
    query = _overlapping(
        sa.select(ats_adjustment, agent.c.name.label("agent_name")).join(
            agent, agent.c.agent_id == a.agent_id
        ),
        start,
        end,
        agents,
    ).order_by(a.start, a.id)
    if visible is not None and visible.agent_id is not None:
        query = query.where(a.agent_id == visible.agent_id)
    with engine.connect() as conn:
        frame = pd.read_sql_query(query, conn)
        frame[["start", "end"]] = frame[["start", "end"]].apply(pd.to_datetime)
        frame = roster.with_team(conn, frame, date="start")
    if visible is not None and visible.agent_id is None and visible.team_id is not None:
        frame = frame[frame["team_id"] == visible.team_id].reset_index(drop=True)
    return frame


def _overlapping(query: sa.Select, start, end, agents: Collection[str] | None) -> sa.Select:
    """``query`` kept to adjustments overlapping the days ``start`` to ``end`` (either may
    be None: open) of ``agents`` (None: all)."""
    a = ats_adjustment.c
    if start is not None:
        query = query.where(a.end > pd.Timestamp(start).to_pydatetime())
    if end is not None:
        query = query.where(a.start < (pd.Timestamp(end) + pd.Timedelta(days=1)).to_pydatetime())
    if agents is not None:
        query = query.where(a.agent_id.in_(sorted(agents)))
    return query


def audit_trail(engine: sa.Engine, adjustment_id: int) -> pd.DataFrame:
    """The adjustment's audit rows (who, when, from, to, why), oldest first."""
    query = (
        sa.select(ats_adjustment_audit)
        .where(ats_adjustment_audit.c.adjustment_id == adjustment_id)
        .order_by(ats_adjustment_audit.c.id)
    )
    with engine.connect() as conn:
        return pd.read_sql_query(query, conn)
