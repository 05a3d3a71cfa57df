"""What analysts read on SQLite: a copy without secrets, identifiers masked, read-only."""

import os

import pytest
import sqlalchemy as sa
from page_support import fresh_assessment

from kringlib.store import appeals, assessments, db, reporting, users

NPWP, NIK = "01.234.567.8-901.000", "3171234567890001"


def test_the_analysts_copy_hides_secrets_masks_notes_and_refuses_writes(demo_engine, tmp_path):
    assessment_id = fresh_assessment(demo_engine, notes=f"NPWP {NPWP} dan NIK {NIK}")
    appeals.file_appeal(  # the audit trail's append-only trigger must not stop the copy
        demo_engine, users.user(demo_engine, "ag001"), assessment_id,
        {"jawaban.ketepatan": f"NPWP saya {NPWP} tertulis benar"},
    )  # fmt: skip
    users.set_password(demo_engine, "asesor.andi", "kata-sandi-yang-panjang")
    copy = reporting.write_copy(demo_engine, tmp_path / "analis.sqlite")
    assert oct(os.stat(copy).st_mode & 0o777) == "0o444"
    analyst = db.make_engine(reporting.read_only_url(copy))
    notes = " ".join(assessments.current(analyst, agent_id="AG001")["notes"])
    assert NPWP not in notes and NIK not in notes and reporting.MASK in notes
    with analyst.connect() as conn:
        assert set(conn.execute(sa.text("SELECT password_hash FROM app_user")).scalars()) == {None}
    with pytest.raises(sa.exc.OperationalError, match="readonly"):
        with analyst.begin() as conn:
            conn.execute(sa.text("DELETE FROM workbench_flag"))
    assert len(users.users(analyst)) == len(users.users(demo_engine))
    again = reporting.write_copy(demo_engine, copy)  # a new sign-in refreshes the copy
    assert again == copy and not copy.with_name(copy.name + ".baru").exists()
