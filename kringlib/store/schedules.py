"""The WFM schedule, the agents' states and SIKKA attendance: what ATS is measured on.

A schedule, a state log or an attendance file imported again replaces what was stored for
the same agents and days, so a corrected file never counts twice. Periods are naive
moments in Jakarta time; ``date`` is the day a period starts.
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
import sqlalchemy as sa

from kringlib import adherence
from kringlib.store import adjustments, roster
from kringlib.store.activity import records, upsert
from kringlib.store.models import agent, agent_state, attendance, work_schedule

SCHEDULE_COLUMNS = ("agent_id", "start", "end", "activity")
STATE_COLUMNS = ("agent_id", "start", "end", "state", "reason_code", "basis")
ATTENDANCE_COLUMNS = ("agent_id", "date", "check_in", "check_out", "status")


def write_schedule(conn: sa.Connection, frame: pd.DataFrame, source: str) -> None:
    """Replace the schedule of the agents and days in ``frame`` (``agent_id, start, end,
    activity``) with its rows."""
    _replace_days(conn, work_schedule, frame, SCHEDULE_COLUMNS, source)


def write_states(conn: sa.Connection, frame: pd.DataFrame, source: str) -> None:
    """Replace the state log of the agents and days in ``frame`` (``agent_id, start, end,
    state``, and ``reason_code``, ``basis`` when known) with its rows."""
    frame = frame.assign(basis=frame["basis"] if "basis" in frame else "events")
    _replace_days(conn, agent_state, frame, STATE_COLUMNS, source)


def write_attendance(conn: sa.Connection, frame: pd.DataFrame, source: str) -> None:
    """Upsert SIKKA attendance, one row per agent and day (``agent_id, date, check_in,
    check_out, status``)."""
    columns = [c for c in ATTENDANCE_COLUMNS if c in frame]
    upsert(conn, attendance, records(frame[columns].assign(source=source)), ["agent_id", "date"])


def _replace_days(conn, table: sa.Table, frame: pd.DataFrame, columns, source: str) -> None:
    frame = frame[[c for c in columns if c in frame]].assign(
        date=pd.to_datetime(frame["start"]).dt.normalize(), source=source
    )
    for agent_id, days in frame.groupby("agent_id", sort=True)["date"]:
        conn.execute(table.delete().where(
            table.c.agent_id == agent_id, table.c.date.in_(sorted(set(days.dt.date)))))  # fmt: skip
    if not frame.empty:
        conn.execute(table.insert(), records(frame))


def read_schedule(engine: sa.Engine, start=None, end=None, agents: Collection[str] | None = None):
    """Schedule periods (``agent_id, start, end, activity, source``) starting on the days
    ``start`` to ``end`` of ``agents`` (all when None)."""
    return _read(engine, work_schedule, SCHEDULE_COLUMNS, start, end, agents)


def load_schedule(conn: sa.Connection, start=None, end=None, agents=None) -> pd.DataFrame:
    """:func:`read_schedule` inside the caller's transaction."""
    return _select(conn, work_schedule, SCHEDULE_COLUMNS, start, end, agents)


def read_states(engine: sa.Engine, start=None, end=None, agents: Collection[str] | None = None):
    """State periods (``agent_id, start, end, state, reason_code, basis, source``) starting
    on the days ``start`` to ``end`` of ``agents`` (all when None)."""
    return _read(engine, agent_state, STATE_COLUMNS, start, end, agents)


def read_attendance(
    engine: sa.Engine, start=None, end=None, agents: Collection[str] | None = None
) -> pd.DataFrame:
    """SIKKA attendance rows of the days ``start`` to ``end`` of ``agents``."""
    frame = _read(engine, attendance, ATTENDANCE_COLUMNS, start, end, agents)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def _read(engine, table: sa.Table, columns, start, end, agents) -> pd.DataFrame:
    with engine.connect() as conn:
        return _select(conn, table, columns, start, end, agents)


def _select(conn, table: sa.Table, columns, start, end, agents) -> pd.DataFrame:
    query = sa.select(*(table.c[c] for c in (*columns, "source")))
    if "start" in columns:
        query = query.order_by(table.c.agent_id, table.c.start)
    if start is not None:
        query = query.where(table.c.date >= pd.Timestamp(start).date())
    if end is not None:
        query = query.where(table.c.date <= pd.Timestamp(end).date())
    if agents is not None:
        query = query.where(table.c.agent_id.in_(sorted(agents)))
    frame = pd.read_sql_query(query, conn)
    for moment in ("start", "end", "check_in", "check_out"):
        if moment in frame:
            frame[moment] = pd.to_datetime(frame[moment])
    return frame


def read_ats_days(
    engine: sa.Engine, start=None, end=None, agents: Collection[str] | None = None
) -> pd.DataFrame:
    """ATS's inputs per agent and day (``date, agent_id, agent_name, team_id, team,
    adherent_s, owed_s, source``), shaped like activity rows without a channel so that
    :func:`kringlib.kpi.productivity` sums them at any grain; ``source`` says whether the
    day's states came from CMS events or interval totals."""
    schedule = read_schedule(engine, start, end, agents)
    states = read_states(engine, start, end, agents)
    excused = adjustments.approved(engine, start, end, agents)
    days = adherence.agent_days(schedule, states, excused)
    days = days[days["scheduled_s"] > 0]
    if start is not None:
        days = days[days["date"] >= pd.Timestamp(start)]
    if end is not None:
        days = days[days["date"] <= pd.Timestamp(end)]
    from_intervals = (
        states.assign(date=states["start"].dt.normalize(), interval=states["basis"] == "interval")
        .groupby(["agent_id", "date"])["interval"]
        .any()
    )
    basis = from_intervals.map({True: "interval", False: "events"})
    frame = pd.DataFrame({
        "date": pd.to_datetime(days["date"]).to_numpy("datetime64[ns]"),
        "agent_id": days["agent_id"].to_numpy(),
        "channel": None,
        "adherent_s": days["adherent_s"].to_numpy(float),
        "owed_s": (days["scheduled_s"] - days["excused_s"]).to_numpy(float),
    })  # fmt: skip
    on = basis.reindex(pd.MultiIndex.from_frame(frame[["agent_id", "date"]])).to_numpy()
    frame["source"] = pd.Series(on).map(ATS_SOURCES).fillna(ATS_SOURCES["none"]).to_numpy()
    with engine.connect() as conn:
        names = pd.read_sql_query(sa.select(agent.c.agent_id, agent.c.name), conn)
        frame = roster.with_team(conn, frame.merge(names.rename(columns={"name": "agent_name"})))
    return frame


ATS_SOURCES = {
    "events": "ATS: jadwal WFM dan peristiwa status Avaya CMS",
    "interval": "ATS: jadwal WFM dan laporan interval Avaya (perkiraan)",
    "none": "ATS: jadwal WFM tanpa status agen",
}
"""What the KPI Tim source panel says each ATS figure came from."""
