"""An import killed with SIGKILL in the middle of its commit leaves nothing behind, on both
engines, and the database checks clean."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import ROOT
from crash_import import traces
from page_support import ROLE_USERS
from store_support import table_rows

from kringlib import ingest
from kringlib.store import db, imports, users

ON_BOTH_ENGINES = True  # the store runs on SQLite and on PostgreSQL

CHILD = Path(__file__).parent / "crash_import.py"
REPORT = Path(__file__).parent / "fixtures" / "exports" / "agent_hms_comma.csv"
START_S = 60


def wait_for(marker: Path, child: subprocess.Popen, log: Path) -> str:
    """What the child saw inside its transaction, once it is held before COMMIT."""
    deadline = time.monotonic() + START_S
    while not marker.exists():
        if child.poll() is not None:
            pytest.fail(
                f"the import ended ({child.returncode}) before its commit:\n{log.read_text()}"
            )
        if time.monotonic() > deadline:
            pytest.fail(f"the import did not reach its commit in {START_S} s:\n{log.read_text()}")
        time.sleep(0.05)
    return marker.read_text()


def check_clean(engine: sa.Engine) -> None:
    """SQLite's own integrity check; on PostgreSQL the new connections that read the
    tables are the check (the server rolled the dead client's transaction back)."""
    if engine.url.get_backend_name() == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def test_an_import_killed_inside_its_commit_leaves_nothing(demo_engine, tmp_path):
    before = table_rows(demo_engine)
    marker, log = tmp_path / "in-commit", tmp_path / "child.log"
    with log.open("w") as output:
        child = subprocess.Popen(
            [sys.executable, str(CHILD), db.absolute_url(demo_engine), str(REPORT), str(marker)],
            stdout=output, stderr=subprocess.STDOUT, cwd=ROOT,
        )  # fmt: skip
    try:
        seen = wait_for(marker, child, log)
    finally:
        child.kill()  # SIGKILL: held before COMMIT, or stuck elsewhere if wait_for failed
        child.wait(timeout=30)
    assert seen == "1 2"  # its transaction held the import record and both report rows
    assert child.returncode == -signal.SIGKILL

    demo_engine.dispose()  # from here on, new connections only
    with demo_engine.connect() as conn:
        assert traces(conn, REPORT.name) == (0, 0)
    assert table_rows(demo_engine) == before
    check_clean(demo_engine)
    # No lock of the dead process is left: the same import now commits.
    plan = imports.plan_import(demo_engine, REPORT.read_bytes(), ingest.AGENT, REPORT.name)
    imports.commit_import(demo_engine, plan, users.user(demo_engine, ROLE_USERS["spv"]))
