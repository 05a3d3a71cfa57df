"""The Penilaian form model and view in plain Python: who may open it, live score,
validation, corrections saved as the signed-in assessor."""

import datetime as dt

import pytest
from page_support import ROLE_USERS, css_classes

from kringlib import quality
from kringlib.store import assessments
from kringlib.ui.assessment_form import AssessmentFormModel, AssessmentFormView
from kringlib.ui.identity import Session

TODAY = dt.date(2026, 4, 30)


def form_page(engine, username=""):
    model = AssessmentFormModel(engine, Session(engine, username), today=TODAY)
    return model, AssessmentFormView(model).render()


@pytest.fixture
def form(demo_engine):
    model, view = form_page(demo_engine, "asesor.citra")
    model.agent_id = "AG001"
    fresh = model.interactions[model.interactions["versions"] == 0].iloc[0]
    model.interaction_pk = int(fresh["id"])
    return model, view


def answer_all(view, value="ya"):
    for toggle in view._toggles.values():
        toggle.value = value


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_only_assessors_open_penilaian(demo_engine, role):
    model, view = form_page(demo_engine, ROLE_USERS[role])
    if role == "assessor":
        assert not model.refused and "kr-form-agent" in css_classes(view)
        assert not model.roster.empty
    else:
        assert model.refused.startswith("Halaman Penilaian tidak tersedia untuk peran")
        assert "kr-form-agent" not in css_classes(view) and model.roster.empty
        model.draw_sample("2026-04", per_agent=1, seed=1)  # as a tampered browser would
        assert model.error and model.sample.empty


def test_signing_in_after_the_page_opened_fills_the_form(demo_engine):
    model, view = form_page(demo_engine)  # a preheated page: nobody yet
    assert "kr-form-agent" not in css_classes(view) and model.roster.empty
    model.session.username = "asesor.citra"
    assert "kr-form-agent" in css_classes(view)
    assert "AG001" in {value for _, value in view._agent.options}
    view._agent.value = "AG001"
    assert model.agent_id == "AG001" and not model.interactions.empty
    model.session.username = "ag001"  # the demo switch to a role that may not see the form
    assert model.refused and model.roster.empty and model.interactions.empty


def test_choosing_an_interaction_shows_its_channel_items(form):
    model, view = form
    assert set(view._toggles) == {i.id for i in quality.load_rubric().items(model.channel)}
    assert model.context["interaction_time"].date() <= TODAY


def test_the_channels_script_stands_beside_the_items_that_check_it(form):
    """Atribut Interaksi: "Lihat Panduan Interaksi" — the flow of the interaction's channel."""
    model, view = form
    (aside,) = [w for w in _all(view) if "kr-script-aside" in getattr(w, "_dom_classes", ())]
    section = [w for w in _all(view) if "kr-section-atribut" in getattr(w, "_dom_classes", ())]
    assert section and aside in _all(section[0])
    if model.channel == "inbound":
        assert "Kring Pajak, dengan (nama udara agent), selamat pagi/siang/sore." in aside.value


def _all(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all(child)


def test_the_score_follows_the_toggles_live(form):
    model, view = form
    answer_all(view)
    assert model.result.total == 100
    view._toggles["jawaban.ketepatan"].value = "tidak"
    assert model.result.total == pytest.approx(87.5)
    assert "87,5" in view._score.value


def test_unanswered_items_count_as_na_live_but_block_saving(form):
    model, view = form
    view._toggles["etika.citra"].value = "ya"
    assert model.result.total == 100  # only answered items apply
    assert "item belum dijawab" in view._score.value
    model.save()
    assert "belum dijawab" in model.error
    assert assessments.history(model.engine, model.interaction_pk).empty


def test_derived_answers_are_marked_and_explained(form):
    model, view = form
    answer_all(view)
    model.set_fact("poro_required", True)
    model.set_fact("poro_done", False)
    assert "poro_tidak_dilakukan" in view._markers["jawaban.ketepatan"].value
    assert "ND-550/LIP/2019" in view._score.value


def test_save_with_confirmation_then_a_correction(form):
    model, view = form
    answer_all(view)
    model.notes = "rapi"
    view._ask_confirmation()
    assert "Ya, simpan" in model.message and view._confirm.layout.display is None
    view._confirmed()
    assert model.message.startswith("Tersimpan: total 100")
    (saved,) = assessments.history(model.engine, model.interaction_pk).itertuples()
    assert saved.assessor == "asesor.citra" and saved.total == 100 and saved.notes == "rapi"
    assert "Sudah dinilai" not in model.error
    view._toggles["atribut.salam_penutup"].value = "tidak"
    model.save()
    versions = assessments.history(model.engine, model.interaction_pk)
    assert versions["version"].tolist() == [1, 2]
    assert versions["reason"].tolist() == ["penilaian awal", "koreksi"]
    assert "v2" in view._history.value


def test_sampling_queue_draws_and_opens(form):
    model, view = form
    model.draw_sample("2026-04", per_agent=1, seed=5)
    assert model.sample.groupby("agent_id").size().max() == 1
    chosen = int(model.sample.iloc[3]["id"])
    model.open_from_sample(chosen)
    assert model.interaction_pk == chosen
    assert model.agent_id == model.sample.iloc[3]["agent_id"]


def test_a_bad_sample_month_is_a_message(form):
    model, _ = form
    model.draw_sample("April", per_agent=1, seed=1)
    assert "YYYY-MM" in model.error
