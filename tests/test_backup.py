"""Backups taken while the workbench runs, restored into an empty database, on both engines."""

import stat
from pathlib import Path

import pytest
from page_support import ROLE_USERS
from store_support import table_rows

from kringlib import ingest
from kringlib.store import backup, chain, db, imports, users
from kringlib.store.models import team

ON_BOTH_ENGINES = True  # the store runs on SQLite and on PostgreSQL

REPORT = Path(__file__).parent / "fixtures" / "exports" / "agent_hms_comma.csv"


@pytest.fixture
def empty(engine, request, tmp_path):
    """A new database of the same kind as ``engine``, without any schema."""
    if engine.url.get_backend_name() == "postgresql":
        url = request.getfixturevalue("postgres").new_database()
    else:
        url = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    target = db.make_engine(url)
    yield target
    target.dispose()


def test_a_backup_restores_the_demo_data_exactly(demo_engine, empty, tmp_path):
    saved = backup.backup(demo_engine, tmp_path / "kring.backup")
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    backup.restore(empty, saved)
    assert table_rows(empty) == table_rows(demo_engine)
    assert db.current_revision(empty) == db.current_revision(demo_engine) == db.head_revision()
    assert chain.verify(empty) == chain.verify(demo_engine)  # the same chains, still intact
    assert all(verdict.intact for verdict in chain.verify(empty))
    # The restored database takes new rows (PostgreSQL's sequences came back too).
    plan = imports.plan_import(empty, REPORT.read_bytes(), ingest.AGENT, REPORT.name)
    imports.commit_import(empty, plan, users.user(empty, ROLE_USERS["spv"]))


def test_a_backup_is_consistent_while_a_write_transaction_is_open(demo_engine, empty, tmp_path):
    before = table_rows(demo_engine)
    with demo_engine.begin() as writer:
        writer.execute(team.insert().values(team_id="T-BARU", name="Tim yang belum tersimpan"))
        saved = backup.backup(demo_engine, tmp_path / "kring.backup")
    backup.restore(empty, saved)
    assert table_rows(empty) == before
    assert len(table_rows(demo_engine)["team"]) == len(before["team"]) + 1


def test_restore_refuses_a_database_with_rows_or_only_a_schema(demo_engine, empty, tmp_path):
    saved = backup.backup(demo_engine, tmp_path / "kring.backup")
    db.upgrade(empty)
    for target in (demo_engine, empty):
        before = table_rows(target)
        with pytest.raises(ValueError, match="tidak kosong"):
            backup.restore(target, saved)
        assert table_rows(target) == before


def test_a_backup_never_overwrites_a_file(engine, tmp_path):
    existing = tmp_path / "kring.backup"
    existing.write_bytes(b"cadangan kemarin")
    with pytest.raises(ValueError, match="sudah ada"):
        backup.backup(engine, existing)
    assert existing.read_bytes() == b"cadangan kemarin"


def test_a_failing_pg_dump_says_why_without_the_password(postgres, tmp_path):
    missing = db.make_engine(postgres.url("tidak_ada").replace("kring@", "kring:rahasia@"))
    target = tmp_path / "kring.backup"
    with pytest.raises(RuntimeError, match='pg_dump gagal.*"tidak_ada" does not exist') as error:
        backup.backup(missing, target)
    assert "rahasia" not in str(error.value)
    assert not target.exists()
