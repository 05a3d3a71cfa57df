"""The appeal workflow in the database: five steps, refusals that change nothing, the race."""

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from kringlib import appeals, quality
from kringlib.store import appeals as store
from kringlib.store import assessments, db
from kringlib.store.models import appeal_audit, interaction


@pytest.fixture
def assessed(demo_engine):
    """A fresh assessment of AG001 by asesor.andi with two items marked 'tidak'."""
    with demo_engine.connect() as conn:
        mine = (interaction.c.agent_id == "AG001") & (interaction.c.channel == "inbound")
        target = conn.execute(
            sa.select(interaction).where(mine).order_by(interaction.c.started_at.desc()).limit(1)
        ).one()
    answers = {i.id: "ya" for i in quality.load_rubric().items("inbound")}
    answers.update({"jawaban.ketepatan": "tidak", "atribut.salam_penutup": "tidak"})
    assessment_id = assessments.save_assessment(
        demo_engine, interaction_pk=target.id, answers=answers, context={}, notes="",
        assessor="asesor.andi", supersedes=_newest_id(demo_engine, target.id),
        reason="penilaian uji",
    )  # fmt: skip
    return assessment_id


def _newest_id(engine, interaction_pk):
    versions = assessments.history(engine, interaction_pk)
    return None if versions.empty else int(versions.iloc[-1]["id"])


def who(engine, username):
    return store.user(engine, username)


def today_for(engine, assessment_id):
    with engine.connect() as conn:
        created = conn.execute(
            sa.text(f"SELECT created_at FROM assessment WHERE id={assessment_id}")
        ).scalar_one()
    return dt.datetime.fromisoformat(str(created)).date()


def file(engine, assessment_id, **kwargs):
    return store.file_appeal(
        engine, who(engine, "ag001"), assessment_id,
        {"jawaban.ketepatan": "Jawaban sesuai TKB", "atribut.salam_penutup": "Salam diucapkan"},
        today=today_for(engine, assessment_id), **kwargs,
    )  # fmt: skip


def test_the_five_steps_with_partial_acceptance(demo_engine, assessed):
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
        ("asesor.budi", "reassess"),  # re-assessment before approvals
    ],
)
def test_each_refusal_changes_nothing(demo_engine, assessed, actor, action):
    appeal_id = file(demo_engine, assessed) if action != "file" else None
    before = store.audit_trail(demo_engine)
    with pytest.raises(appeals.PermissionDenied):
        if action == "file":
            store.file_appeal(
                demo_engine, who(demo_engine, actor), assessed, {"jawaban.ketepatan": "x"},
                today=today_for(demo_engine, assessed),
            )  # fmt: skip
        elif action == "decide":
            store.decide(demo_engine, who(demo_engine, actor), appeal_id, True)
        else:
            store.reassess(
                demo_engine, who(demo_engine, actor), appeal_id, {"jawaban.ketepatan": True}
            )
    assert store.audit_trail(demo_engine).equals(before)


def test_the_original_assessor_cannot_reassess(demo_engine, assessed):
    appeal_id = file(demo_engine, assessed)
    store.decide(demo_engine, who(demo_engine, "tl.merapi"), appeal_id, True)
    store.decide(demo_engine, who(demo_engine, "spv.pkl"), appeal_id, True)
    with pytest.raises(appeals.PermissionDenied, match="asesor lain"):
        store.reassess(demo_engine, who(demo_engine, "asesor.andi"), appeal_id,
                       {"jawaban.ketepatan": True, "atribut.salam_penutup": True})  # fmt: skip


def test_late_filing_is_refused_with_the_deadline(demo_engine, assessed):
    assessed_on = today_for(demo_engine, assessed)
    deadline = appeals.appeal_deadline(assessed_on)
    with pytest.raises(appeals.DeadlinePassed, match=f"{deadline:%d-%m-%Y}"):
        store.file_appeal(
            demo_engine, who(demo_engine, "ag001"), assessed, {"jawaban.ketepatan": "x"},
            today=deadline + dt.timedelta(days=1),
        )  # fmt: skip
    assert store.appeals_frame(demo_engine).empty


def test_system_failure_path_counts_from_the_compilation(demo_engine, assessed):
    received = today_for(demo_engine, assessed) + dt.timedelta(days=10)
    appeal_id = store.file_appeal(
        demo_engine, who(demo_engine, "ag001"), assessed, {"jawaban.ketepatan": "x"},
        today=received, compilation_received_on=received,
    )  # fmt: skip
    row = store.appeals_frame(demo_engine).set_index("id").loc[appeal_id]
    assert row["deadline"] == appeals.appeal_deadline(received, compilation_received_on=received)


def test_one_open_appeal_per_assessment(demo_engine, assessed):
    file(demo_engine, assessed)
    with pytest.raises(appeals.AlreadyDecided, match="sudah memiliki banding"):
        file(demo_engine, assessed)


def test_unknown_user_is_refused(demo_engine):
    with pytest.raises(appeals.PermissionDenied, match="tidak dikenal"):
        store.user(demo_engine, "tamu")


def test_the_audit_trail_cannot_be_edited(demo_engine, assessed):
    file(demo_engine, assessed)
    with demo_engine.begin() as conn, pytest.raises(sa.exc.DatabaseError, match="append-only"):
        conn.execute(appeal_audit.update().values(reason="diubah"))
    with demo_engine.begin() as conn, pytest.raises(sa.exc.DatabaseError, match="append-only"):
        conn.execute(appeal_audit.delete())


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
