"""Tamper evidence: history rows are hash-chained, and a row changed behind the
application's back is named by `kring audit verify`, on both engines."""

import sqlalchemy as sa
from conftest import kring
from page_support import fresh_assessment

from kringlib.store import appeals, chain, db, users

ON_BOTH_ENGINES = True


def verdicts(engine) -> dict[str, chain.Verdict]:
    return {v.table: v for v in chain.verify(engine)}


def with_history(engine):
    """Demo assessments plus a correction and an appeal with its audit rows."""
    assessment_id = fresh_assessment(engine)
    appeals.file_appeal(
        engine, users.user(engine, "ag001"), assessment_id, {"jawaban.ketepatan": "Sesuai TKB"}
    )
    return assessment_id


def test_every_chain_is_intact_after_the_applications_own_writes(demo_engine):
    with_history(demo_engine)
    found = verdicts(demo_engine)
    assert all(v.intact for v in found.values()), found
    assert found["assessment"].rows > 100 and found["appeal_audit"].rows == 1


def test_a_row_edited_behind_the_applications_back_is_named(demo_engine):
    edited = with_history(demo_engine)
    with demo_engine.begin() as conn:  # the owner's raw SQL, no application in between
        conn.execute(
            sa.text("UPDATE assessment SET total = total - 1 WHERE id = :id"), {"id": edited}
        )
    found = verdicts(demo_engine)
    assert found["assessment"].broken_at == edited
    assert f"id {edited}" in str(found["assessment"])
    assert found["appeal_audit"].intact


def test_a_deleted_row_breaks_the_chain_at_the_next_one(demo_engine):
    with demo_engine.connect() as conn:
        first, second = conn.execute(
            sa.text("SELECT id FROM assessment ORDER BY id LIMIT 2")
        ).scalars()
    with demo_engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM assessment WHERE id = :id"), {"id": first})
    assert verdicts(demo_engine)["assessment"].broken_at == second


def test_kring_audit_verify_names_the_first_bad_row(demo_engine):
    url = db.absolute_url(demo_engine)
    clean = kring("audit", "verify", "--db", url)
    assert clean.returncode == 0 and "rantai utuh" in clean.stdout
    with demo_engine.begin() as conn:
        conn.execute(sa.text("UPDATE assessment SET notes = 'x' WHERE id = 3"))
    broken = kring("audit", "verify", "--db", url)
    assert broken.returncode == 1 and "putus di baris id 3" in broken.stdout


def test_an_appeal_state_set_behind_the_applications_back_is_named(demo_engine):
    with_history(demo_engine)
    assert verdicts(demo_engine)["appeal"].intact
    with demo_engine.begin() as conn:  # skip the team leader and the SPV
        conn.execute(sa.text("UPDATE appeal SET state = 'disetujui_spv'"))
    assert verdicts(demo_engine)["appeal"].broken_at == 1
