"""Least privilege on PostgreSQL: through the application's own engine, history can only
grow and workflow rows change only where the workflow moves them; the analysts' engine
only reads, through views without secrets or identifiers in clear."""

import uuid

import pytest
import sqlalchemy as sa
from page_support import ROLE_USERS, fresh_assessment
from sqlalchemy.engine import make_url

from kringlib.store import appeals, assessments, chain, db, reporting, roles, seed, users

NPWP = "01.234.567.8-901.000"


@pytest.fixture
def engines(postgres, small_demo):
    """A demo database set up by its owner (with an NPWP in an assessment's notes), and
    engines that log in as the app's role and as the analysts' role."""
    owner = db.make_engine(postgres.new_database())
    db.upgrade(owner)
    seed.load_demo(owner, small_demo)
    fresh_assessment(owner, notes=f"penelpon menyebut NPWP {NPWP}")
    users.set_password(owner, "asesor.andi", "kata-sandi-yang-panjang")
    suffix = uuid.uuid4().hex[:8]
    app_role, analyst_role = f"kring_app_{suffix}", f"kring_analis_{suffix}"
    roles.apply(owner, app_role, analyst_role)
    url = make_url(str(owner.url))
    made = {
        "app": db.make_engine(url.set(username=app_role)),
        "analyst": db.make_engine(url.set(username=analyst_role)),
    }
    yield made
    for engine in (*made.values(), owner):
        engine.dispose()


@pytest.fixture
def app_engine(engines):
    return engines["app"]


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


def test_the_analyst_role_reads_through_views_without_secrets_or_identifiers(engines):
    analyst = engines["analyst"]
    newest = assessments.current(analyst, agent_id="AG001")
    assert not newest.empty
    notes = " ".join(newest["notes"])
    assert NPWP not in notes and reporting.MASK in notes
    assert users.users(analyst)["username"].size  # the account list, without its hashes
    with analyst.connect() as conn:
        hashes = conn.execute(sa.text("SELECT password_hash FROM app_user")).scalars().all()
    assert set(hashes) == {None}


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO workbench_flag VALUES ('x', 'y', 'z', now())",
        "UPDATE app_user SET role = 'admin'",
        "SELECT password_hash FROM public.app_user",
        "SELECT notes FROM public.assessment",
        "CREATE TABLE analis.x (y int)",
        "SET TRANSACTION READ WRITE; INSERT INTO workbench_flag VALUES ('x', 'y', 'z', now())",
        "CREATE TABLE public.x (y int)",
        "CREATE TEMP TABLE x (y int)",
    ],
)
def test_the_analyst_role_is_refused_every_write_and_the_base_tables(engines, statement):
    refused = "(permission denied|read-only transaction|cannot be updated|not updatable)"
    with pytest.raises(sa.exc.DBAPIError, match=refused):
        with engines["analyst"].begin() as conn:
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
    assert "GRANT SELECT ON ALL TABLES IN SCHEMA analis TO kring_analis;" in printed.stdout
    assert "UPDATE ON assessment" not in printed.stdout
