"""The Rapor Kualitas model: scorecards from the newest versions only."""

import datetime as dt

import pytest

from kringlib import quality
from kringlib.store import assessments
from kringlib.ui.scorecard import ScorecardModel, ScorecardView

TODAY = dt.date(2026, 4, 30)


@pytest.fixture
def model(demo_engine):
    return ScorecardModel(demo_engine, today=TODAY)


def test_summary_is_the_mean_of_current_totals(model, small_demo):
    summary = model.summary().set_index("agent_id")
    expected = small_demo.assessments.groupby("agent_id")["total"].mean()
    assert summary["mean"].to_dict() == pytest.approx(expected.to_dict())
    assert set(summary["band"]) <= {b.label for b in quality.load_rubric().bands}


def test_a_correction_replaces_the_old_total(model, demo_engine):
    row = model.loaded.iloc[0]
    answers = {i.id: "ya" for i in quality.load_rubric().items(row["channel"])}
    assessments.save_assessment(
        demo_engine, interaction_pk=int(row["interaction_pk"]), answers=answers, context={},
        notes="", assessor="x", supersedes=int(row["id"]), reason="koreksi",
    )  # fmt: skip
    model.reload()
    assert len(model.loaded) == len(model.loaded["interaction_pk"].unique())
    again = model.loaded.set_index("interaction_pk").loc[row["interaction_pk"]]
    assert again["total"] == 100


def test_agent_against_team_sections_and_trend(model):
    model.team = "Tim Merapi"
    model.agent_id = "AG003"
    sections = model.sections()
    assert set(sections["who"]) == {
        model.loaded.set_index("agent_id").loc["AG003", "agent_name"].iloc[0],
        "Tim Merapi",
    }
    assert (sections["points"] <= sections["weight"] + 1e-9).all()
    assert set(model.trend()["who"]) == set(sections["who"])


def test_weakest_items_rank_the_tidak_rate(model):
    items = model.weakest_items()
    assert items["rate"].is_monotonic_decreasing
    assert (items["tidak"] <= items["dinilai"]).all()


def test_assessor_spread_shows_a_harsh_assessor(model):
    summary = model.assessor_summary().set_index("assessor")
    assert summary.loc["asesor.dewi", "mean"] < summary.loc["asesor.budi", "mean"]


def test_view_renders_and_exports(model):
    view = ScorecardView(model).render()
    assert "<svg" in view._assessors.value and "Rata-rata" in view._table.value
    view._export()
    assert 'download="rapor-kualitas.xlsx"' in view._download.value
