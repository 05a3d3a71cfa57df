"""The appeal workflow in the database (ND-301/LIP/2019): five steps, refusals that change
nothing, the race, deadlines from the server's clock, one appeal per interaction."""

import datetime as dt
import re
import threading

import pytest
import sqlalchemy as sa
from page_support import DISPUTED, MONDAY, fresh_assessment, set_clock

from kringlib import appeals, quality
from kringlib.access import PermissionDenied
from kringlib.store import appeals as store
from kringlib.store import assessments, db, users
from kringlib.store.models import OPEN_APPEAL, appeal_audit, system_failure

ON_BOTH_ENGINES = True  # the store runs on SQLite and on PostgreSQL


REASONS = {"jawaban.ketepatan": "Jawaban sesuai TKB", "atribut.salam_penutup": "Salam diucapkan"}


@pytest.fixture
def assessed(demo_engine, monkeypatch):
    """AG001's assessment by asesor.andi on Monday 30 Nov 2026 (WIB), two items 'tidak'."""
    set_clock(monkeypatch, MONDAY)
    return fresh_assessment(demo_engine)


def who(engine, username):
    return users.user(engine, username)


def file(engine, assessment_id, reasons=REASONS, username="ag001"):
    return store.file_appeal(engine, who(engine, username), assessment_id, reasons)


def through_both_approvals(engine, appeal_id):
    store.decide(engine, who(engine, "tl.merapi"), appeal_id, True)
    store.decide(engine, who(engine, "spv.pkl"), appeal_id, True)


def test_the_five_steps_with_partial_acceptance(demo_engine, assessed):
    # "Input appeal; Persetujuan Team Leader; Persetujuan SPV PKL; Penilaian Kembali;
    #  Appeal Selesai" (ND-301/LIP/2019)
    appeal_id = file(demo_engine, assessed)
    assert (
        store.decide(demo_engine, who(demo_engine, "tl.merapi"), appeal_id, True)
        == appeals.TL_APPROVED
    )
    assert (
        store.decide(demo_engine, who(demo_engine, "spv.pkl"), appeal_id, True)
        == appeals.SPV_APPROVED
    )
    outcome = store.reassess(
        demo_engine, who(demo_engine, "asesor.budi"), appeal_id,
        {"jawaban.ketepatan": True, "atribut.salam_penutup": False},
    )  # fmt: skip
    versions = assessments.history(
        demo_engine, int(store.appeals_frame(demo_engine).iloc[-1]["interaction_pk"])
    )
    final = versions.iloc[-1]
    assert final["id"] == outcome and final["assessor"] == "asesor.budi"
    assert final["answers"]["jawaban.ketepatan"] == "ya"
    assert final["answers"]["atribut.salam_penutup"] == "tidak"
    assert final["rubric_version"] == versions.iloc[-2]["rubric_version"]
    expected = quality.score(final["answers"], "inbound").total
    assert final["total"] == pytest.approx(expected)
    assert final["total"] > versions.iloc[-2]["total"]
    trail = store.audit_trail(demo_engine, appeal_id)
    assert trail["to_state"].tolist() == ["diajukan", "disetujui_tl", "disetujui_spv", "selesai"]
    assert trail["actor"].tolist() == ["ag001", "tl.merapi", "spv.pkl", "asesor.budi"]
    current = assessments.current(demo_engine)
    assert current.set_index("id").loc[outcome, "total"] == pytest.approx(expected)


def test_rejection_needs_a_reason_and_ends_the_appeal(demo_engine, assessed):
    appeal_id = file(demo_engine, assessed)
    tl = who(demo_engine, "tl.merapi")
    with pytest.raises(ValueError, match="alasan"):
        store.decide(demo_engine, tl, appeal_id, False, "")
    assert (
        store.decide(demo_engine, tl, appeal_id, False, "Tidak sesuai rekaman")
        == appeals.TL_REJECTED
    )
    with pytest.raises(appeals.AlreadyDecided):
        store.decide(demo_engine, who(demo_engine, "spv.pkl"), appeal_id, True)


@pytest.mark.parametrize(
    "actor, action",
    [
        ("ag015", "file"),  # another team's agent
        ("tl.rinjani", "decide"),  # a team leader of another team
        ("spv.pkl", "decide"),  # the SPV before the team leader
        ("admin", "decide"),  # the admin reads Proses Banding, never decides
        ("asesor.budi", "reassess"),  # re-assessment before approvals
    ],
)
def test_each_refusal_changes_nothing(demo_engine, assessed, actor, action, caplog):
    appeal_id = file(demo_engine, assessed) if action != "file" else None
    before = store.audit_trail(demo_engine)
    with pytest.raises(appeals.PermissionDenied):
        if action == "file":
            file(demo_engine, assessed, {"jawaban.ketepatan": "x"}, username=actor)
        elif action == "decide":
            store.decide(demo_engine, who(demo_engine, actor), appeal_id, True)
        else:
            store.reassess(
                demo_engine, who(demo_engine, actor), appeal_id, {"jawaban.ketepatan": True}
            )
    assert store.audit_trail(demo_engine).equals(before)
    assert f"ditolak: {actor}" in caplog.text


def test_a_forged_role_decides_nothing(demo_engine, assessed):
    appeal_id = file(demo_engine, assessed)
    forged = appeals.User("ag002", "team_leader", team_id="merapi")
    with pytest.raises(appeals.PermissionDenied):
        store.decide(demo_engine, forged, appeal_id, True)
    assert store.audit_trail(demo_engine, appeal_id)["to_state"].tolist() == ["diajukan"]


def test_the_original_assessor_cannot_reassess(demo_engine, assessed):
    appeal_id = file(demo_engine, assessed)
    through_both_approvals(demo_engine, appeal_id)
    with pytest.raises(appeals.PermissionDenied, match="asesor lain"):
        store.reassess(demo_engine, who(demo_engine, "asesor.andi"), appeal_id,
                       dict.fromkeys(DISPUTED, True))  # fmt: skip


def test_an_item_answered_ya_cannot_be_disputed(demo_engine, assessed):
    with pytest.raises(ValueError, match="'ya' tidak dapat dibanding: etika.citra"):
        file(demo_engine, assessed, {"jawaban.ketepatan": "x", "etika.citra": "x"})
    assert store.appeals_frame(demo_engine).empty


def test_the_deadline_is_the_servers_clock_at_filing(demo_engine, assessed, monkeypatch):
    # "3 hari kerja setelah penilaian dilakukan oleh assessor": assessed Monday 30 Nov 2026,
    # the last day is Thursday 3 Dec, whatever day the caller thinks it is.
    set_clock(monkeypatch, dt.datetime(2026, 12, 3, 17, 0, tzinfo=dt.UTC))  # Fri 00:00 WIB
    with pytest.raises(appeals.DeadlinePassed, match="03-12-2026"):
        file(demo_engine, assessed)
    assert store.appeals_frame(demo_engine).empty
    set_clock(monkeypatch, dt.datetime(2026, 12, 3, 16, 59, tzinfo=dt.UTC))  # Thu 23:59 WIB
    appeal_id = file(demo_engine, assessed)
    assert store.appeals_frame(demo_engine).set_index("id").loc[appeal_id, "deadline"] == (
        dt.date(2026, 12, 3)
    )


def test_an_assessment_saved_early_monday_wib_counts_from_monday(demo_engine, monkeypatch):
    # Sunday 29 Nov 2026 23:30 UTC is Monday 30 Nov 06:30 WIB: "3 hari kerja setelah penilaian"
    # run Tue, Wed, Thu (a UTC date would end on Wednesday).
    set_clock(monkeypatch, dt.datetime(2026, 11, 29, 23, 30, tzinfo=dt.UTC))
    assessment_id = fresh_assessment(demo_engine)
    set_clock(monkeypatch, dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC))  # Thursday 16:00 WIB
    appeal_id = file(demo_engine, assessment_id)
    row = store.appeals_frame(demo_engine).set_index("id").loc[appeal_id]
    assert row["deadline"] == dt.date(2026, 12, 3)


def test_system_failure_path_counts_from_the_recorded_compilation(
    demo_engine, assessed, monkeypatch
):
    # "Dalam hal terjadi kendala sistem ... agen melakukan appeal dalam jangka waktu 2 hari
    #  kerja sejak menerima kompilasi tersebut" (ND-301/LIP/2019)
    spv = who(demo_engine, "spv.pkl")
    monday, received = dt.date(2026, 11, 30), dt.date(2026, 12, 9)  # a Wednesday
    store.record_system_failure(demo_engine, spv, monday, monday, dt.date(2026, 12, 14), "awal")
    store.record_system_failure(demo_engine, spv, monday, monday, received, "diperbaiki")
    set_clock(monkeypatch, dt.datetime(2026, 12, 11, 9, 0, tzinfo=dt.UTC))  # Friday, 2nd day
    appeal_id = file(demo_engine, assessed)
    row = store.appeals_frame(demo_engine).set_index("id").loc[appeal_id]
    assert row["compilation_received_on"] == received
    assert row["deadline"] == dt.date(2026, 12, 11)


def test_an_agent_cannot_record_a_system_failure(demo_engine):
    day = dt.date(2026, 11, 30)
    with pytest.raises(PermissionDenied, match="SPV PKL atau administrator"):
        store.record_system_failure(demo_engine, who(demo_engine, "ag001"), day, day, day, "x")
    with demo_engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(system_failure)).scalar() == 0


def test_a_second_appeal_is_refused_while_one_is_open_or_after_a_rejection(demo_engine, assessed):
    # ND-301/LIP/2019 describes one appeal and no second round (banding.yaml:
    # appeals_per_interaction, a local setting): a rejection is final for that assessment.
    appeal_id = file(demo_engine, assessed)
    with pytest.raises(appeals.AppealLimitReached, match="sudah pernah dibanding"):
        file(demo_engine, assessed)
    store.decide(demo_engine, who(demo_engine, "tl.merapi"), appeal_id, False, "Sesuai rekaman")
    with pytest.raises(appeals.AppealLimitReached):
        file(demo_engine, assessed)
    assert len(store.appeals_frame(demo_engine)) == 1


def test_the_reassessed_version_cannot_be_appealed_again(demo_engine, assessed):
    appeal_id = file(demo_engine, assessed, {"jawaban.ketepatan": "Sesuai TKB"})
    through_both_approvals(demo_engine, appeal_id)
    outcome = store.reassess(
        demo_engine, who(demo_engine, "asesor.budi"), appeal_id, {"jawaban.ketepatan": False}
    )
    with pytest.raises(appeals.AppealLimitReached):
        file(demo_engine, outcome, {"atribut.salam_penutup": "Salam diucapkan"})
    assert len(store.appeals_frame(demo_engine)) == 1


def test_a_correction_under_an_open_appeal_is_refused_the_reassessment_is_not(
    demo_engine, assessed
):

    # "Penilaian Kembali" is the step that supersedes an appealed assessment (ND-301/LIP/2019).
    appeal_id = file(demo_engine, assessed)
    row = assessments.current(demo_engine).set_index("id").loc[assessed]
    pk = int(row["interaction_pk"])
    with pytest.raises(assessments.UnderAppeal, match=f"banding #{appeal_id}"):
        assessments.save_assessment(
            demo_engine, who(demo_engine, "asesor.andi"), interaction_pk=pk,
            answers=dict.fromkeys(row["answers"], "ya"), context={}, notes="", supersedes=assessed,
            reason="koreksi",
        )  # fmt: skip
    assert assessments.history(demo_engine, pk).iloc[-1]["id"] == assessed
    through_both_approvals(demo_engine, appeal_id)
    outcome = store.reassess(
        demo_engine, who(demo_engine, "asesor.budi"), appeal_id, dict.fromkeys(DISPUTED, True)
    )
    assert assessments.history(demo_engine, pk).iloc[-1]["id"] == outcome


def test_unknown_user_is_refused(demo_engine):
    with pytest.raises(appeals.PermissionDenied, match="tidak dikenal"):
        users.user(demo_engine, "tamu")


def test_the_audit_trail_cannot_be_edited(demo_engine, assessed):
    file(demo_engine, assessed)
    with demo_engine.begin() as conn, pytest.raises(sa.exc.DatabaseError, match="append-only"):
        conn.execute(appeal_audit.update().values(reason="diubah"))
    with demo_engine.begin() as conn, pytest.raises(sa.exc.DatabaseError, match="append-only"):
        conn.execute(appeal_audit.delete())


def test_the_index_of_open_appeals_names_the_open_states_of_the_rule_file():
    # One open appeal per interaction is a partial unique index, whose SQL names the states.
    assert sorted(re.findall(r"'(\w+)'", OPEN_APPEAL)) == sorted(appeals.open_states())


def test_two_approvers_racing_exactly_one_wins(demo_engine, assessed):
    appeal_id = file(demo_engine, assessed)
    url = demo_engine.url.render_as_string(hide_password=False)
    first, second = db.make_engine(url), db.make_engine(url)  # two independent connections
    tl = who(demo_engine, "tl.merapi")
    start = threading.Barrier(2)
    outcomes = []

    def approve(engine):
        start.wait()
        try:
            outcomes.append(store.decide(engine, tl, appeal_id, True))
        except appeals.AlreadyDecided as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=approve, args=(e,)) for e in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(type(o).__name__ for o in outcomes) == ["AlreadyDecided", "str"]
    trail = store.audit_trail(demo_engine, appeal_id)
    assert trail["to_state"].tolist() == ["diajukan", "disetujui_tl"]
