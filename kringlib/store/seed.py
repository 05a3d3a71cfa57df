"""Loading the demo world into a database, in one transaction."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from kringlib.demo import demo_roster
from kringlib.roster import Roster
from kringlib.store import chain, flags, roster
from kringlib.store.activity import write_activity, write_queue
from kringlib.store.assessments import write_interactions
from kringlib.store.models import (
    agent,
    agent_activity,
    agent_login,
    agent_state,
    app_user,
    appeal,
    appeal_item,
    assessment,
    ats_adjustment,
    attendance,
    complaint,
    import_batch,
    interaction,
    queue_hourly,
    roster_change,
    system_failure,
    team,
    team_membership,
    work_schedule,
    workbench_flag,
)
from kringlib.store.schedules import write_attendance, write_schedule, write_states
from kringlib.store.users import write_users

DEMO_SOURCE = "demo"
DEMO_ACTOR = "kring demo"
DEMO_ASSESSED_AFTER = dt.timedelta(days=2)


class DatabaseNotEmpty(RuntimeError):
    """Demo data would mix with data already in the database."""


def load_demo(engine: sa.Engine, data, *, replace: bool = False) -> None:
    """Write demo data in one transaction and mark the database as a demo; refuse to mix it
    into a database that holds anything of a site's own (people, activity, imports)."""
    with engine.begin() as conn:
        held = {
            table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in (agent_activity, agent, app_user, import_batch, assessment)
        }
        if any(held.values()) and not replace:
            counts = ", ".join(f"{n} baris {name}" for name, n in held.items() if n)
            raise DatabaseNotEmpty(f"Basis data sudah berisi {counts}; data demo tidak dimuat.")
        if replace:
            _clear(conn)
        roster.write(conn, Roster.empty(), demo_roster(data), DEMO_ACTOR, "data demo")
        write_activity(conn, data.activity, DEMO_SOURCE)
        write_queue(conn, data.queue, DEMO_SOURCE)
        write_interactions(conn, data.interactions, DEMO_SOURCE)
        _write_assessments(conn, data.assessments)
        write_schedule(conn, data.schedule, DEMO_SOURCE)
        write_states(conn, data.states, DEMO_SOURCE)
        write_attendance(conn, data.attendance, DEMO_SOURCE)
        write_users(conn, data.users)
        flags.set_flag(conn, flags.DEMO, "1", DEMO_ACTOR)


def _clear(conn: sa.Connection) -> None:
    """Remove everything the demo writes. The appeal and adjustment audits and the
    complaints are append-only by design, so a database that holds any of them is not
    replaced: that is real history, not demo data."""
    histories = ((appeal, "banding"), (ats_adjustment, "Izin Tidak Online"),
                 (complaint, "pengaduan"))  # fmt: skip
    for history, what in histories:
        if conn.execute(sa.select(sa.func.count()).select_from(history)).scalar_one():
            raise DatabaseNotEmpty(f"Basis data berisi {what}; data demo tidak menggantikannya.")
    tables = (workbench_flag, system_failure, appeal_item, app_user, assessment, interaction,
              import_batch, agent_activity, queue_hourly, work_schedule, agent_state,
              attendance, roster_change, agent_login, team_membership, agent, team)  # fmt: skip
    for table in tables:
        conn.execute(table.delete())


def _write_assessments(conn: sa.Connection, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    ids = dict(conn.execute(sa.select(interaction.c.interaction_id, interaction.c.id)).all())
    rows = [
        {
            "interaction_pk": ids[row.interaction_id],
            "version": 1,
            "reason": "penilaian awal",
            "assessor": row.assessor,
            "rubric_version": row.rubric_version,
            "channel": row.channel,
            "agent_id": row.agent_id,
            "interaction_at": row.started_at.to_pydatetime(),
            "answers": row.answers,
            "context": {},
            "notes": "",
            "total": float(row.total),
            "by_section": row.by_section,
            "derived": {},
            "auto_fail": bool(row.auto_fail),
            "created_at": (row.started_at + DEMO_ASSESSED_AFTER)
            .to_pydatetime()
            .replace(tzinfo=dt.UTC),
        }
        for row in frame.itertuples()
    ]
    chain.append_many(conn, assessment, rows)
