"""The Pengaduan page in plain Python: who sees it and who records, the list and its status
filter, one complaint's steps, recording a step, the figures and the reference panel."""

import datetime as dt

import pytest
from page_support import MONDAY, ROLE_USERS, css_classes, find, set_clock

from kringlib.store import complaints as store
from kringlib.store import users
from kringlib.ui.complaint_tracker import ComplaintTrackerModel, ComplaintTrackerView
from kringlib.ui.identity import Session

TODAY = MONDAY.date()  # Monday 30 November 2026


@pytest.fixture
def filed(demo_engine, monkeypatch):
    """Two complaints: PGD-1 received Monday 2 November with nothing done (step 1, 5
    working days, due Monday 9: late); PGD-2 received today (on time)."""
    set_clock(monkeypatch, MONDAY)
    spv = users.user(demo_engine, "spv.pkl")
    for number, received in (("PGD-1", dt.date(2026, 11, 2)), ("PGD-2", TODAY)):
        store.register(demo_engine, spv, number=number, received_on=received, channel="telepon",
                       category="Layanan KPP", reported_unit="KPP Pratama Contoh",
                       summary="Antrean layanan terlalu lama")  # fmt: skip
    return demo_engine


def page(engine, username="spv.pkl"):
    model = ComplaintTrackerModel(engine, Session(engine, username), today=TODAY)
    return model, ComplaintTrackerView(model).render()


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_who_opens_the_page_and_who_records(filed, role):
    model, view = page(filed, ROLE_USERS[role])
    if role in ("agent", "assessor"):
        assert model.refused.startswith("Halaman Pengaduan tidak tersedia")
        return
    assert "kr-complaints" in css_classes(view)
    assert model.records == (role == "spv")


def test_the_late_one_first_its_steps_and_recording_moves_it_on(filed):
    model, view = page(filed)
    assert list(model.listed()["number"]) == ["PGD-1", "PGD-2"]
    model.shown = "late"
    (late,) = model.listed().itertuples()
    assert late.number == "PGD-1" and late.current_step == 1
    model.complaint_id = int(late.id)
    steps = model.chosen_steps()
    assert steps.loc[0, "status"] == "late" and "kr-chart-gantt" in css_classes(view)
    assert 'data-step="1" data-status="late"' in find(view, "kr-complaint-steps").value

    model.finished_on, model.note = dt.date(2026, 11, 27), "kelengkapan dikonfirmasi"
    find(view, "kr-complaint-complete").click()
    assert not model.error and "Langkah 1" in model.message
    steps = model.chosen_steps()
    # "Konfirmasi Kelengkapan | 5": finished 27 November, due 9 November: 14 working days late
    assert steps.loc[0, ["status", "late_days"]].tolist() == ["late", 14]
    assert steps.loc[1, "status"] != "waiting"  # step 2 is under way now


def test_a_reader_sees_no_recording_and_a_refusal_is_said(filed):
    model, view = page(filed, "admin")
    model.complaint_id = int(model.listed().iloc[0]["id"])
    assert find(view, "kr-complaint-record").layout.display == "none"
    model.complete()
    assert model.error and store.finished_steps(filed, model.complaint_id) == {}


def test_figures_and_the_reference_panel(filed):
    model, view = page(filed)
    groups = find(view, "kr-complaint-groups").value
    assert "KLIP" in groups and "Berjalan" in groups
    model.group_by = "reported_unit"
    assert "KPP Pratama Contoh" in find(view, "kr-complaint-groups").value
    reference = find(view, "kr-reference").children[1].value
    assert "SE-11/PJ/2019" in reference and "1500200" in reference


def test_a_wrong_date_is_corrected_by_a_new_record_and_the_old_one_stays(filed):
    model, view = page(filed)
    model.complaint_id = int(model.listed().iloc[0]["id"])
    model.finished_on = dt.date(2026, 11, 27)
    model.complete()
    model.corrected_step, model.finished_on = 1, dt.date(2026, 11, 6)
    find(view, "kr-complaint-correct").click()
    assert "alasan" in model.error.lower() or "koreksi" in model.error.lower()
    model.corrected_step, model.note = 1, "salah ketik tanggal"
    find(view, "kr-complaint-correct").click()
    assert not model.error and "dikoreksi" in model.message
    assert store.finished_steps(filed, model.complaint_id) == {1: dt.date(2026, 11, 6)}
    records = store.step_records(filed, model.complaint_id)
    assert len(records) == 2 and records["supersedes_id"].notna().sum() == 1
    assert model.chosen_steps().loc[0, "status"] == "on_time"  # due Monday 9 November
