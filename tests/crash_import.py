"""Run by test_crash.py as ``python crash_import.py URL EXPORT MARKER``: import an agent
report as spv.pkl and stop inside the commit, to be killed there.

Once the import's rows are written and just before COMMIT, it writes into MARKER how many
import records and activity rows of the file its transaction sees, then waits. It never
commits: left alone, it exits without committing after :data:`WAIT_S`.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from kringlib import ingest
from kringlib.store import db, imports, users
from kringlib.store.models import agent_activity, import_batch

WAIT_S = 120


def traces(conn: sa.Connection, file_name: str) -> tuple[int, int]:
    """How many import records and activity rows of ``file_name`` ``conn`` sees."""
    batches = sa.select(sa.func.count()).where(import_batch.c.file_name == file_name)
    rows = sa.select(sa.func.count()).where(agent_activity.c.source == file_name)
    return conn.execute(batches).scalar_one(), conn.execute(rows).scalar_one()


def main(url: str, export: str, marker: str) -> None:
    engine = db.make_engine(url)
    report = Path(export)
    plan = imports.plan_import(engine, report.read_bytes(), ingest.AGENT, report.name)
    actor = users.user(engine, "spv.pkl")

    @sa.event.listens_for(engine, "commit")
    def hold_before_commit(conn: sa.Connection) -> None:
        written = Path(f"{marker}.part")
        written.write_text("{} {}".format(*traces(conn, report.name)))
        written.replace(marker)
        time.sleep(WAIT_S)
        os._exit(1)

    imports.commit_import(engine, plan, actor)


if __name__ == "__main__":
    main(*sys.argv[1:])
