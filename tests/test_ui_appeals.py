"""The appeal pages in plain Python (ND-301/LIP/2019): who sees what, refusals as messages,
deadlines from the server's clock, the demo-only switch."""

import datetime as dt

import ipywidgets as w
import pandas as pd
import pytest
from page_support import MONDAY, ROLE_USERS, css_classes, fresh_assessment, set_clock

from kringlib.store import appeals as store
from kringlib.store import users
from kringlib.ui.appeal_agent import AppealAgentModel, AppealAgentView
from kringlib.ui.appeal_process import AppealProcessModel, AppealProcessView
from kringlib.ui.appeal_process.view import trail_table
from kringlib.ui.identity import Session, identity_bar

ACTIONS = {"kr-approve", "kr-reject", "kr-reassess-save"}


@pytest.fixture
def assessed(demo_engine, monkeypatch):
    """AG001's assessment by asesor.andi on Monday 30 Nov 2026 (WIB), two items 'tidak'."""
    set_clock(monkeypatch, MONDAY)
    return fresh_assessment(demo_engine)


def agent_page(engine, username="ag001"):
    model = AppealAgentModel(engine, Session(engine, username))
    return model, AppealAgentView(model).render()


def process_page(engine, username):
    model = AppealProcessModel(engine, Session(engine, username))
    return model, AppealProcessView(model).render()


def filed(engine, assessed) -> int:
    """File AG001's appeal on ketepatan from the Banding page; returns the appeal's id."""
    model, _ = agent_page(engine)
    model.assessment_id = assessed
    model.set_reason("jawaban.ketepatan", "Sesuai TKB")
    model.file()
    return int(store.appeals_frame(engine).iloc[-1]["id"])


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_only_agents_open_banding(demo_engine, assessed, role):
    model, view = agent_page(demo_engine, ROLE_USERS[role])
    shown = css_classes(view)
    if role == "agent":
        assert not model.refused and "kr-appeal-assessments" in shown
        assert assessed in set(model.mine["id"])
    else:
        assert model.refused.startswith("Halaman Banding tidak tersedia untuk peran")
        assert "kr-appeal-assessments" not in shown and model.mine.empty


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_proses_banding_for_approvers_assessors_and_admin(demo_engine, assessed, role):
    appeal_id = filed(demo_engine, assessed)
    model, view = process_page(demo_engine, ROLE_USERS[role])
    if role in ("agent", "analyst"):
        assert model.refused.startswith("Halaman Proses Banding tidak tersedia untuk peran")
        assert "kr-appeal-queue" not in css_classes(view) and model.queue.empty
        return
    assert not model.refused and "kr-appeal-queue" in css_classes(view)
    in_queue = appeal_id in set(model.queue["id"])
    assert in_queue == (role in ("team_leader", "admin"))  # filed: the team leader's step


def test_admin_reads_proses_banding_without_acting(demo_engine, assessed):
    # "Persetujuan Team Leader; Persetujuan SPV PKL": the admin follows, never decides.
    appeal_id = filed(demo_engine, assessed)
    tl, tl_view = process_page(demo_engine, "tl.merapi")
    tl.appeal_id = appeal_id
    assert {"kr-approve", "kr-reject"} <= css_classes(tl_view)
    admin, view = process_page(demo_engine, "admin")
    admin.appeal_id = appeal_id
    assert "kr-panel-appeal" in css_classes(view) and not ACTIONS & css_classes(view)
    admin.decide(True)  # as a tampered browser would
    assert "Team Leader" in admin.error
    assert store.audit_trail(demo_engine, appeal_id)["to_state"].tolist() == ["diajukan"]


def test_agent_sees_own_assessments_with_a_countdown(demo_engine, assessed):
    model, view = agent_page(demo_engine)
    row = model.mine.set_index("id").loc[assessed]
    assert row["deadline"] == dt.date(2026, 12, 3) and row["days_left"] == 3
    assert "sisa 3 hari kerja" in str(view._assessments.options)


def test_the_countdown_counts_from_the_wib_date(demo_engine, monkeypatch):
    # "3 hari kerja setelah penilaian dilakukan oleh assessor": saved Sunday 23:30 UTC is
    # Monday 06:30 WIB, so the last day is Thursday 3 Dec 2026.
    set_clock(monkeypatch, dt.datetime(2026, 11, 29, 23, 30, tzinfo=dt.UTC))
    assessed = fresh_assessment(demo_engine)
    model, _ = agent_page(demo_engine)
    row = model.mine.set_index("id").loc[assessed]
    assert row["deadline"] == dt.date(2026, 12, 3) and row["days_left"] == 3


def test_the_countdown_follows_a_recorded_system_failure(demo_engine, assessed, monkeypatch):
    # "2 hari kerja sejak menerima kompilasi tersebut" (ND-301/LIP/2019)
    admin, monday = users.user(demo_engine, "admin"), MONDAY.date()
    store.record_system_failure(
        demo_engine, admin, monday, monday, dt.date(2026, 12, 9), "aplikasi penilaian mati"
    )
    set_clock(monkeypatch, dt.datetime(2026, 12, 9, 2, 0, tzinfo=dt.UTC))  # Wednesday
    model, _ = agent_page(demo_engine)
    row = model.mine.set_index("id").loc[assessed]
    assert row["deadline"] == dt.date(2026, 12, 11) and row["days_left"] == 2


def test_the_deadline_is_checked_when_filing_not_when_the_page_opened(
    demo_engine, assessed, monkeypatch
):
    # "3 hari kerja setelah penilaian": opened on the last day, filed the next morning.
    set_clock(monkeypatch, dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC))
    model, view = agent_page(demo_engine)
    model.assessment_id = assessed
    model.set_reason("jawaban.ketepatan", "Sesuai TKB")
    assert "hari terakhir" in str(view._assessments.options)
    set_clock(monkeypatch, dt.datetime(2026, 12, 4, 1, 0, tzinfo=dt.UTC))  # Friday 08:00 WIB
    model.file()
    assert "Batas waktu banding sudah lewat" in model.error
    assert store.appeals_frame(demo_engine).empty


def test_items_answered_ya_offer_no_dispute(demo_engine, assessed):
    model, view = agent_page(demo_engine)
    model.assessment_id = assessed
    shown = css_classes(view)
    assert "kr-dispute-jawaban-ketepatan" in shown and "kr-dispute-etika-citra" not in shown
    model.set_reason("etika.citra", "x")  # as a tampered browser would
    model.file()
    assert "'ya' tidak dapat dibanding: etika.citra" in model.error
    assert store.appeals_frame(demo_engine).empty


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
    filed(demo_engine, assessed)
    queue = {u: len(process_page(demo_engine, u)[0].queue)
             for u in ("tl.merapi", "tl.rinjani", "spv.pkl", "asesor.budi", "admin")}  # fmt: skip
    assert queue == {"tl.merapi": 1, "tl.rinjani": 0, "spv.pkl": 0, "asesor.budi": 0, "admin": 1}


def test_queue_ages_count_from_the_wib_date_of_filing(demo_engine, monkeypatch):
    set_clock(monkeypatch, dt.datetime(2026, 11, 29, 23, 0, tzinfo=dt.UTC))  # Mon 06:00 WIB
    assessed = fresh_assessment(demo_engine)
    set_clock(monkeypatch, dt.datetime(2026, 11, 29, 23, 30, tzinfo=dt.UTC))
    appeal_id = filed(demo_engine, assessed)
    set_clock(monkeypatch, dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC))  # Tuesday
    tl, view = process_page(demo_engine, "tl.merapi")
    row = tl.queue.set_index("id").loc[appeal_id]
    assert row["filed_on"] == dt.date(2026, 11, 30) and row["age"] == 1
    assert "diajukan 30-11-2026 (1 hari kerja)" in str(view._queue.options)


def test_a_refused_decision_is_shown_and_changes_nothing(demo_engine, assessed):
    appeal_id = filed(demo_engine, assessed)
    spv, view = process_page(demo_engine, "spv.pkl")
    spv.appeal_id = appeal_id  # not in the SPV's queue yet; a tampered widget could send it
    assert spv.disputed().empty and spv.trail().empty  # nothing shown outside the queue
    spv.decide(True)
    assert "Team Leader" in spv.error
    assert store.audit_trail(demo_engine, appeal_id)["to_state"].tolist() == ["diajukan"]
    assert view.children


def test_the_user_switch_exists_only_in_demo_mode(demo_engine):
    bar = identity_bar(Session(demo_engine, "spv.pkl"))
    assert "kr-switch-user" not in css_classes(bar) and "SPV PKL" in bar.children[0].value
    demo_bar = identity_bar(Session(demo_engine, "spv.pkl", demo=True))
    assert "kr-switch-user" in css_classes(demo_bar)


def test_an_unknown_user_is_told_so(demo_engine):
    session = Session(demo_engine, "tamu")
    assert session.user is None and "tidak dikenal" in session.problem
    label = identity_bar(session).children[0]
    assert isinstance(label, w.HTML) and "tidak dikenal" in label.value


def test_the_trail_shows_the_filing_as_coming_from_no_state():
    """The filing's audit row has no state before it (NaN once in a frame)."""
    trail = pd.DataFrame({
        "at": [dt.datetime(2026, 11, 30, 2), dt.datetime(2026, 11, 30, 3)],
        "actor": ["ag002", "tl.merapi"], "from_state": [None, "diajukan"],
        "to_state": ["diajukan", "disetujui_tl"], "reason": ["alasan", ""],
    })  # fmt: skip
    shown = trail_table(trail)
    assert "–" in shown
    assert shown.count("Menunggu persetujuan Team Leader") == 2
    assert "Menunggu persetujuan SPV PKL" in shown
