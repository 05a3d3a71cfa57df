"""Reading and writing teams, agents, agent activity and queue arrivals."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from kringlib.canonical import ACTIVITY_KEYS, ACTIVITY_MEASURES, QUEUE_KEYS, QUEUE_MEASURES
from kringlib.store import roster
from kringlib.store.models import (
    agent,
    agent_activity,
    agent_session,
    assessment,
    interaction,
    queue_hourly,
    team,
)

ACTIVITY_LABELS = ("agent_id", "channel", "agent_name", "source")
"""Text columns of activity rows: a few distinct values, each repeated on many rows."""


def upsert(conn: sa.Connection, table: sa.Table, rows: list[dict], keys: Iterable[str]) -> None:
    """Insert ``rows`` into ``table``; a row whose ``keys`` exist replaces the old values."""
    if not rows:
        return
    dialect = {"sqlite": sqlite, "postgresql": postgresql}.get(conn.dialect.name)
    if dialect is None:
        raise NotImplementedError(f"upsert belum didukung untuk {conn.dialect.name}")
    statement = dialect.insert(table)
    keys = list(keys)
    updates = {c: statement.excluded[c] for c in rows[0] if c not in keys}
    conn.execute(statement.on_conflict_do_update(index_elements=keys, set_=updates), rows)


def records(frame: pd.DataFrame) -> list[dict]:
    """DataFrame rows as dicts of plain Python values, NaN as None.

    The ``date`` column becomes ``datetime.date``; other timestamps stay datetimes. Built a
    column at a time: a year of demo states (some 80,000 rows) takes a tenth of a second.
    """
    columns = [_plain(name, column) for name, column in frame.items()]
    return [dict(zip(frame.columns, row, strict=True)) for row in zip(*columns, strict=True)]


def _plain(name: str, column: pd.Series) -> list:
    hidden = column.dtype == object  # numpy scalars or timestamps may hide among objects
    if pd.api.types.is_datetime64_any_dtype(column):
        column = column.dt.date if name == "date" else column.dt.to_pydatetime()
    values = np.array(column, dtype=object)
    values[pd.isna(values)] = None
    return [_python(value) for value in values] if hidden else values.tolist()


def _python(value):
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value.item() if isinstance(value, np.generic) else value


def write_activity(conn: sa.Connection, frame: pd.DataFrame, source: str) -> None:
    """Upsert canonical activity rows: the same agent, date and channel is never counted twice.

    A row updates only the figures it carries: a blank cell (NaN) leaves the stored value
    alone, so talk time from one system and call counts from another fill the same row.
    """
    _upsert_present(conn, agent_activity, frame, ACTIVITY_KEYS, ACTIVITY_MEASURES, source)


def write_queue(conn: sa.Connection, frame: pd.DataFrame, source: str) -> None:
    """Upsert queue arrivals keyed on date, hour and channel (blank figures left alone);
    calls offered are written with their ``offered_basis``."""
    measures = (*QUEUE_MEASURES, "offered_basis")
    _upsert_present(conn, queue_hourly, frame, QUEUE_KEYS, measures, source)


def write_sessions(conn: sa.Connection, frame: pd.DataFrame, source: str) -> None:
    """Upsert agents' log-in periods keyed on agent and log-in moment: a report imported
    again, or one run later that closes a period still open, replaces the row."""
    columns = [c for c in ("agent_id", "login_at", "logout_at", "extension", "split") if c in frame]
    upsert(conn, agent_session, records(frame[columns].assign(source=source)),
           ["agent_id", "login_at"])  # fmt: skip


def read_sessions(engine: sa.Engine, start=None, end=None) -> pd.DataFrame:
    """Log-in periods (agent_id, login_at, logout_at, extension, split, source) that began
    on ``start`` to ``end``."""
    query = sa.select(agent_session).order_by(agent_session.c.agent_id, agent_session.c.login_at)
    if start is not None:
        query = query.where(agent_session.c.login_at >= pd.Timestamp(start).to_pydatetime())
    if end is not None:
        last = pd.Timestamp(end) + pd.Timedelta(days=1)
        query = query.where(agent_session.c.login_at < last.to_pydatetime())
    with engine.connect() as conn:
        return pd.read_sql_query(query, conn).drop(columns="id")


def _upsert_present(conn, table, frame, keys, measures, source: str) -> None:
    """Upsert rows grouped by which measures they carry, writing only those."""
    present = [m for m in measures if m in frame.columns]
    if frame.empty or not present:
        return
    carried_by_row = frame[present].notna()
    for carried, rows in frame.groupby([carried_by_row[m] for m in present], sort=False):
        columns = [*keys, *(m for m, has in zip(present, carried, strict=True) if has)]
        upsert(conn, table, records(rows[columns].assign(source=source)), keys)


def read_queue(engine: sa.Engine, start=None, end=None) -> pd.DataFrame:
    """Queue rows (date, hour, channel, offered, answered, abandoned, offered_basis) from
    ``start`` to ``end``."""
    columns = (*QUEUE_KEYS, *QUEUE_MEASURES, "offered_basis")
    query = sa.select(*(queue_hourly.c[k] for k in columns))
    return _read_dated(engine, query, queue_hourly.c.date, start, end, QUEUE_MEASURES)


def _read_dated(engine, query, date_column, start, end, measures) -> pd.DataFrame:
    """Run ``query`` limited to ``start``..``end``; dates as datetime64, measures as float."""
    if start is not None:
        query = query.where(date_column >= pd.Timestamp(start).date())
    if end is not None:
        query = query.where(date_column <= pd.Timestamp(end).date())
    with engine.connect() as conn:
        frame = pd.read_sql_query(query, conn)
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    return frame.astype({m: "float64" for m in measures})


def read_roster(engine: sa.Engine) -> pd.DataFrame:
    """Agents with their team's name: agent_id, name, air_name, team_id, team, tier."""
    query = sa.select(
        agent.c.agent_id, agent.c.name, agent.c.air_name, agent.c.team_id,
        team.c.name.label("team"), agent.c.tier,
    ).join(team, team.c.team_id == agent.c.team_id).order_by(agent.c.agent_id)  # fmt: skip
    with engine.connect() as conn:
        return pd.read_sql_query(query, conn)


def has_activity(engine: sa.Engine) -> bool:
    """True when at least one activity row is stored."""
    with engine.connect() as conn:
        return conn.execute(sa.select(agent_activity.c.id).limit(1)).first() is not None


def read_activity(
    engine: sa.Engine, start=None, end=None, agents: Collection[str] | None = None
) -> pd.DataFrame:
    """Canonical activity rows with ``agent_name``, and the ``team_id`` and ``team`` the
    agent was in on the row's day; ``start`` to ``end`` inclusive; of ``agents`` only,
    when given."""
    query = (
        sa.select(
            *(agent_activity.c[k] for k in ACTIVITY_KEYS),
            agent.c.name.label("agent_name"),
            *(agent_activity.c[m] for m in ACTIVITY_MEASURES),
            agent_activity.c.source,
        )
        .join(agent, agent.c.agent_id == agent_activity.c.agent_id)
        .order_by(agent_activity.c.date, agent_activity.c.agent_id, agent_activity.c.channel)
    )
    query = _of_agents(query, agent_activity, agents)
    frame = _read_dated(engine, query, agent_activity.c.date, start, end, ACTIVITY_MEASURES)
    frame = frame.assign(**{c: _each_value_once(frame[c]) for c in ACTIVITY_LABELS})
    with engine.connect() as conn:
        frame = roster.with_team(conn, frame)
    columns = [*ACTIVITY_KEYS, "agent_name", "team_id", "team", *ACTIVITY_MEASURES, "source"]
    return frame[columns]


def _each_value_once(column: pd.Series) -> pd.Series:
    """``column`` with one string object per distinct value. The driver makes a new one
    for every row: memory for each, and every later grouping or filter by the column
    visits them scattered in memory (productivity() by agent took about twice as long)."""
    codes, uniques = pd.factorize(column)
    values = uniques.take(codes, allow_fill=True, fill_value=np.nan)
    return pd.Series(values, index=column.index, dtype=column.dtype, name=column.name)


@dataclass(frozen=True)
class Overview:
    """What the database holds, for the Data page."""

    teams: int
    agents: int
    first_day: pd.Timestamp | None
    last_day: pd.Timestamp | None
    row_counts: dict[str, int]
    daily_by_channel: pd.DataFrame  # date, channel, interactions


def overview(engine: sa.Engine, periods: pd.DataFrame | None = None) -> Overview:
    """Counts, date range and daily interactions per channel, aggregated in the database.

    ``periods`` (agent_id, team_id, valid_from, valid_to: memberships) limits every figure
    to the work those agents did within them, and leaves out the queue table (the whole
    centre's); None counts the whole database.
    """
    tables = [agent, agent_activity, queue_hourly, interaction, assessment]
    if periods is not None:
        tables.remove(queue_hourly)
    count = sa.select(sa.func.count())
    with engine.connect() as conn:
        counts = {
            table.name: conn.execute(
                _in_periods(count.select_from(table), table, periods)
            ).scalar_one()
            for table in tables
        }
        counts["team"] = (
            conn.execute(count.select_from(team)).scalar_one()
            if periods is None
            else periods["team_id"].nunique()
        )
        span = sa.select(sa.func.min(agent_activity.c.date), sa.func.max(agent_activity.c.date))
        first, last = conn.execute(_in_periods(span, agent_activity, periods)).one()
        volume = sa.select(
            agent_activity.c.date,
            agent_activity.c.channel,
            sa.func.sum(agent_activity.c.interactions_total).label("interactions"),
        ).group_by(agent_activity.c.date, agent_activity.c.channel)
        daily = pd.read_sql_query(_in_periods(volume, agent_activity, periods), conn)
    daily["date"] = pd.to_datetime(daily["date"])
    return Overview(
        teams=counts["team"],
        agents=counts["agent"],
        first_day=pd.Timestamp(first) if first else None,
        last_day=pd.Timestamp(last) if last else None,
        row_counts=counts,
        daily_by_channel=daily,
    )


def _of_agents(query: sa.Select, table: sa.Table, agents: Collection[str] | None) -> sa.Select:
    """``query`` limited to the rows of ``table`` that belong to ``agents`` (None: all)."""
    return query if agents is None else query.where(table.c.agent_id.in_(list(agents)))


WORK_DAY = {"agent_activity": "date", "interaction": "started_at", "assessment": "interaction_at"}
"""The column giving the day of each table's work."""


def _in_periods(query: sa.Select, table: sa.Table, periods: pd.DataFrame | None) -> sa.Select:
    """``query`` limited to the rows of ``table`` its agents did within ``periods`` (for
    the ``agent`` table, those agents; None: everything)."""
    if periods is None:
        return query
    if table is agent:
        return _of_agents(query, agent, set(periods["agent_id"]))
    day = table.c[WORK_DAY[table.name]]
    as_day = not isinstance(day.type, sa.DateTime)
    within = []
    for row in periods.itertuples():
        start, end = pd.Timestamp(row.valid_from), pd.Timestamp(row.valid_to)
        bounds = [table.c.agent_id == row.agent_id,
                  day >= (start.date() if as_day else start.to_pydatetime())]  # fmt: skip
        if pd.notna(end):
            after = end + pd.Timedelta(days=1)
            bounds.append(day < (after.date() if as_day else after.to_pydatetime()))
        within.append(sa.and_(*bounds))
    return query.where(sa.or_(sa.false(), *within))
