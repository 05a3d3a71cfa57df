"""Least privilege on PostgreSQL: through the application's own engine, history can only
grow and workflow rows change only where the workflow moves them."""

import uuid

import pytest
import sqlalchemy as sa
from page_support import ROLE_USERS, fresh_assessment
from sqlalchemy.engine import make_url

from kringlib.store import appeals, chain, db, roles, seed, users


@pytest.fixture
def app_engine(postgres, small_demo):
    """A demo database set up by its owner, and an engine that logs in as the app's role."""
    owner = db.make_engine(postgres.new_database())
    db.upgrade(owner)
    seed.load_demo(owner, small_demo)
    role = f"kring_app_{uuid.uuid4().hex[:8]}"
    roles.apply(owner, role)
    app = db.make_engine(make_url(str(owner.url)).set(username=role))
    yield app
    app.dispose()
    owner.dispose()


def test_the_workflows_run_as_the_app_role(app_engine):
    assessment_id = fresh_assessment(app_engine)  # a correction: a new version
    appeal_id = appeals.file_appeal(
        app_engine, users.user(app_engine, "ag001"), assessment_id, {"jawaban.ketepatan": "TKB"}
    )
    appeals.decide(app_engine, users.user(app_engine, ROLE_USERS["team_leader"]), appeal_id, True)
    assert all(verdict.intact for verdict in chain.verify(app_engine))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE assessment SET total = 100",
        "DELETE FROM assessment",
        "UPDATE appeal_audit SET reason = 'x'",
        "DELETE FROM appeal_audit",
        "UPDATE import_batch SET imported_by = 'x'",
        "UPDATE appeal SET agent_id = 'AG002'",
        "UPDATE appeal_item SET reason = 'x'",
        "DROP TRIGGER appeal_audit_append_only ON appeal_audit",
        "ALTER TABLE assessment ADD COLUMN x int",
        "DELETE FROM app_user",
    ],
)
def test_the_app_role_cannot_rewrite_or_alter_history(app_engine, statement):
    with pytest.raises(sa.exc.ProgrammingError, match="(permission denied|must be owner)"):
        with app_engine.begin() as conn:
            conn.execute(sa.text(statement))


def test_roles_are_for_postgresql_and_names_are_checked(engine):
    with pytest.raises(ValueError, match="PostgreSQL"):
        roles.apply(engine)
    with pytest.raises(ValueError, match="tidak valid"):
        roles.grants("kring; DROP TABLE x", "kring")


def test_kring_db_roles_prints_the_grants():
    from conftest import kring

    printed = kring("db", "roles", "--db", "sqlite:///:memory:")
    assert printed.returncode == 0
    assert "GRANT INSERT ON appeal_audit TO kring_app;" in printed.stdout
    assert "UPDATE ON assessment" not in printed.stdout
