"""The Rapor Kualitas model: scorecards from the newest versions only, of the agents the
visitor may see."""

import base64
import datetime as dt
import io
import re

import pandas as pd
import pytest
from page_support import ROLE_USERS
from scope_support import EVERYONE, MERAPI, assert_refused

from kringlib import access, quality
from kringlib.store import assessments, users
from kringlib.ui.identity import Session
from kringlib.ui.scorecard import ScorecardModel, ScorecardView

TODAY = dt.date(2026, 4, 30)


def scorecard(engine, role):
    return ScorecardModel(engine, Session(engine, ROLE_USERS[role]), today=TODAY)


@pytest.fixture
def model(demo_engine):
    return scorecard(demo_engine, "spv")


def test_summary_is_the_mean_of_current_totals(model, small_demo):
    summary = model.summary().set_index("agent_id")
    expected = small_demo.assessments.groupby("agent_id")["total"].mean()
    assert summary["mean"].to_dict() == pytest.approx(expected.to_dict())
    assert set(summary["band"]) <= {b.label for b in quality.load_rubric().bands}


def test_a_correction_replaces_the_old_total(model, demo_engine):
    row = model.loaded.iloc[0]
    answers = {i.id: "ya" for i in quality.load_rubric().items(row["channel"])}
    assessments.save_assessment(
        demo_engine, users.user(demo_engine, ROLE_USERS["assessor"]),
        interaction_pk=int(row["interaction_pk"]), answers=answers, context={}, notes="",
        supersedes=int(row["id"]), reason="koreksi",
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
    assert view._spread.children[0].spec["datasets"] and "Rata-rata" in view._table.value
    view._export()
    assert 'download="rapor-kualitas.xlsx"' in view._download.value


# --- who sees what (rules/akses.yaml, rapor_kualitas: agent own, team_leader team, others all)

SEES = {"agent": {"AG001"}, "team_leader": MERAPI, "spv": EVERYONE, "assessor": EVERYONE,
        "analyst": EVERYONE, "admin": EVERYONE}  # fmt: skip


def exported(view) -> pd.DataFrame:
    view._export()
    encoded = re.search(r"base64,([^\"]+)", view._download.value).group(1)
    return pd.read_excel(io.BytesIO(base64.b64decode(encoded)))


@pytest.mark.parametrize("role", access.ROLES)
def test_each_role_sees_its_scope_and_exports_no_more(demo_engine, role):
    """rapor_kualitas: an agent their own scorecard, a team leader their team's, SPV,
    assessor and admin all; the Excel export holds exactly what the page shows."""
    view = ScorecardView(scorecard(demo_engine, role)).render()
    assert set(view.model.loaded["agent_id"]) == SEES[role]
    assert set(view.model.summary()["agent_id"]) == SEES[role]
    assert set(exported(view)["ID agen"]) == SEES[role]


def test_nobody_signed_in_is_refused_and_nothing_is_loaded(demo_engine):
    view = ScorecardView(ScorecardModel(demo_engine, Session(demo_engine), today=TODAY)).render()
    assert_refused(view)
    assert view.model.loaded.empty


def test_an_agent_is_not_compared_with_their_team(demo_engine):
    """rapor_kualitas agent: own — no team average beside their own, and another agent's id
    sent by a tampered browser shows nothing."""
    model = scorecard(demo_engine, "agent")
    name = model.loaded["agent_name"].iloc[0]
    assert set(model.sections()["who"]) == {name} == set(model.trend()["who"])
    model.agent_id = "AG002"
    assert model.selection().empty and model.agent_assessments().empty


def test_a_team_leader_is_not_compared_with_other_teams(demo_engine):
    """rapor_kualitas team_leader: team — their team stands alone, never beside "Semua tim";
    an agent of theirs is compared with their team."""
    model = scorecard(demo_engine, "team_leader")
    assert set(model.sections()["who"]) == {"Tim Merapi"}
    model.agent_id = "AG003"
    assert "Tim Merapi" in set(model.sections()["who"])
