"""The appeal pages in plain Python: who sees what, refusals as messages, the demo-only switch."""

import datetime as dt

import ipywidgets as w
import pytest

from kringlib import quality
from kringlib.store import appeals as store
from kringlib.store import assessments
from kringlib.ui.appeal_agent import AppealAgentModel, AppealAgentView
from kringlib.ui.appeal_analytics import AppealAnalyticsModel, AppealAnalyticsView
from kringlib.ui.appeal_process import AppealProcessModel, AppealProcessView
from kringlib.ui.identity import Session, identity_bar


@pytest.fixture
def assessed(demo_engine):
    current = assessments.current(demo_engine)
    row = current[current["agent_id"] == "AG001"].iloc[-1]
    answers = {i.id: "ya" for i in quality.load_rubric().items(row["channel"])}
    answers["jawaban.ketepatan" if "jawaban.ketepatan" in answers else "etika.citra"] = "tidak"
    return assessments.save_assessment(
        demo_engine, interaction_pk=int(row["interaction_pk"]), answers=answers, context={},
        notes="", assessor="asesor.andi", supersedes=int(row["id"]), reason="uji",
    )  # fmt: skip


def agent_page(engine, username="ag001"):
    model = AppealAgentModel(engine, Session(engine, username), today=dt.date.today())
    return model, AppealAgentView(model).render()


def test_agent_sees_own_assessments_with_a_countdown(demo_engine, assessed):
    model, view = agent_page(demo_engine)
    row = model.mine.set_index("id").loc[assessed]
    assert row["days_left"] == 3
    assert "sisa 3 hari kerja" in str(view._assessments.options)


def test_filing_from_the_page_and_following_it(demo_engine, assessed):
    model, view = agent_page(demo_engine)
    model.assessment_id = assessed
    model.set_reason("jawaban.ketepatan", "Sesuai TKB")
    model.file()
    assert "diajukan" in model.message
    assert "Menunggu persetujuan Team Leader" in view._appeals.value
    assert "Jejak audit" in view._appeals.value


def test_filing_without_items_is_a_message_not_a_crash(demo_engine, assessed):
    model, _ = agent_page(demo_engine)
    model.assessment_id = assessed
    model.file()
    assert "minimal satu item" in model.error


def test_another_agent_cannot_see_or_file(demo_engine, assessed):
    model, _ = agent_page(demo_engine, "ag015")
    assert assessed not in set(model.mine["id"])
    model.assessment_id = assessed  # as a tampered browser would
    model.set_reason("jawaban.ketepatan", "x")
    model.file()
    assert model.error and store.appeals_frame(demo_engine).empty


def test_queues_follow_the_role(demo_engine, assessed):
    model, _ = agent_page(demo_engine)
    model.assessment_id = assessed
    model.set_reason("jawaban.ketepatan", "Sesuai TKB")
    model.file()
    queue = {u: len(AppealProcessModel(demo_engine, Session(demo_engine, u)).queue)
             for u in ("tl.merapi", "tl.rinjani", "spv.pkl", "asesor.budi", "ag001")}  # fmt: skip
    assert queue == {"tl.merapi": 1, "tl.rinjani": 0, "spv.pkl": 0, "asesor.budi": 0, "ag001": 0}


def test_a_refused_decision_is_shown_and_changes_nothing(demo_engine, assessed):
    model, _ = agent_page(demo_engine)
    model.assessment_id = assessed
    model.set_reason("jawaban.ketepatan", "Sesuai TKB")
    model.file()
    appeal_id = int(store.appeals_frame(demo_engine).iloc[0]["id"])
    spv = AppealProcessModel(demo_engine, Session(demo_engine, "spv.pkl"))
    view = AppealProcessView(spv).render()
    spv.appeal_id = appeal_id  # not in the SPV's queue yet; a tampered widget could send it
    spv.decide(True)
    assert "Team Leader" in spv.error
    assert store.audit_trail(demo_engine, appeal_id)["to_state"].tolist() == ["diajukan"]
    assert view.children


def test_analytics_count_appeals_and_acceptance(demo_engine, assessed):
    model, _ = agent_page(demo_engine)
    model.assessment_id = assessed
    model.set_reason("jawaban.ketepatan", "Sesuai TKB")
    model.file()
    appeal_id = int(store.appeals_frame(demo_engine).iloc[0]["id"])
    store.decide(demo_engine, store.user(demo_engine, "tl.merapi"), appeal_id, True)
    store.decide(demo_engine, store.user(demo_engine, "spv.pkl"), appeal_id, True)
    store.reassess(demo_engine, store.user(demo_engine, "asesor.budi"), appeal_id,
                   {"jawaban.ketepatan": True})  # fmt: skip
    analytics = AppealAnalyticsModel(demo_engine)
    view = AppealAnalyticsView(analytics).render()
    assert analytics.acceptance_rate() == 1.0
    assert analytics.by_assessor().set_index("assessor").loc["asesor.andi", "banding"] == 1
    assert set(analytics.step_times()["langkah"]) == {
        "Menunggu persetujuan Team Leader", "Menunggu persetujuan SPV PKL",
        "Menunggu penilaian kembali",
    }  # fmt: skip
    assert view._rate.value == "100,0 %"


def test_the_user_switch_exists_only_in_demo_mode(demo_engine, monkeypatch):
    monkeypatch.delenv("KRING_DEMO", raising=False)
    bar = identity_bar(Session(demo_engine, "spv.pkl"))
    assert isinstance(bar, w.HTML) and "SPV PKL" in bar.value
    monkeypatch.setenv("KRING_DEMO", "1")
    assert isinstance(identity_bar(Session(demo_engine, "spv.pkl")), w.HBox)


def test_an_unknown_user_is_told_so(demo_engine):
    session = Session(demo_engine, "tamu")
    assert session.user is None and "tidak dikenal" in session.problem
    assert "tidak dikenal" in identity_bar(session).value
