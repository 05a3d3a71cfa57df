"""The KPI Tim model and view, driven in plain Python against a demo database."""

import datetime as dt
import math

import pandas as pd
import pytest
from page_support import ROLE_USERS
from scope_support import EVERYONE, MERAPI, assert_refused

from kringlib import access, kpi
from kringlib.store import activity
from kringlib.ui import charting, kpi_team
from kringlib.ui.identity import Session
from kringlib.ui.import_panel import ImportPanelModel, ImportPanelView
from kringlib.ui.kpi_team import KpiTeamModel, KpiTeamView

TODAY = dt.date(2026, 4, 30)  # the demo fixture ends here


def page(engine, role):
    """The model and rendered view of the KPI Tim page of a ``role``, import panel included."""
    session = Session(engine, ROLE_USERS[role])
    model = KpiTeamModel(engine, session, today=TODAY)
    return model, KpiTeamView(model, ImportPanelModel(engine, session)).render()


@pytest.fixture
def model(demo_engine):
    return KpiTeamModel(demo_engine, Session(demo_engine, "spv.pkl"), today=TODAY)


def tile(model, kpi_id):
    return next(t for t in model.tiles if t.kpi == kpi_id)


def test_tiles_match_productivity_on_the_period(model, demo_engine):
    assert (model.start, model.end) == (dt.date(2026, 4, 1), TODAY)
    frame = activity.read_activity(demo_engine, start="2026-04-01", end=TODAY)
    expected = kpi.productivity(frame).iloc[0]
    for kpi_id in ["ART", "AHT", "CE", "CPH", "CRM", "PAI_chat", "PAI_email"]:
        assert tile(model, kpi_id).value == pytest.approx(expected[kpi_id]), kpi_id


def test_previous_period_is_the_month_before(model, demo_engine):
    march = activity.read_activity(demo_engine, start="2026-03-01", end="2026-03-30")
    assert model.previous == (dt.date(2026, 3, 1), dt.date(2026, 3, 30))
    assert tile(model, "AHT").previous == pytest.approx(kpi.productivity(march).iloc[0]["AHT"])


def test_pai_call_comes_from_the_queue_when_agents_lack_incoming_calls(model, demo_engine):
    queue = activity.read_queue(demo_engine, start="2026-04-01", end=TODAY)
    phone = queue[queue["channel"] == "telepon"]
    assert tile(model, "PAI_call").value == pytest.approx(
        phone["answered"].sum() / phone["offered"].sum()
    )
    assert tile(model, "PAI_call").note


def test_targets_come_from_local_settings(model):
    assert tile(model, "AHT").target == 300
    assert tile(model, "AHT").meets == (tile(model, "AHT").value <= 300)


def test_team_filter_limits_agents_and_numbers(model, demo_engine):
    model.teams = ["Tim Merapi"]
    assert {label.split("(")[-1][:-1] for label, _ in model.agent_options} == {
        f"AG{i:03d}" for i in range(1, 11)
    }
    frame = activity.read_activity(demo_engine, start="2026-04-01", end=TODAY)
    merapi = frame[frame["team"] == "Tim Merapi"]
    assert tile(model, "AHT").value == pytest.approx(kpi.productivity(merapi).iloc[0]["AHT"])
    assert set(model.per_agent["team"]) == {"Tim Merapi"}


def test_choosing_a_team_drops_agents_of_other_teams(model):
    model.agents = ["AG001", "AG015"]
    model.teams = ["Tim Merapi"]
    assert model.agents == ["AG001"]


def test_channel_filter(model):
    model.channel = "chat"
    assert math.isnan(tile(model, "AHT").value)
    assert not math.isnan(tile(model, "PAI_chat").value)
    assert math.isnan(tile(model, "PAI_call").value)  # the phone queue is not chat


def test_presets_and_custom_dates(model):
    model.preset = "bulan_lalu"
    assert (model.start, model.end) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    model.start = dt.date(2026, 3, 10)
    assert model.preset == "kustom"
    assert model.loaded["date"].min() <= pd.Timestamp("2026-03-10")


def test_backwards_dates_are_an_error_not_a_crash(model):
    model.preset = "kustom"
    model.end = dt.date(2026, 3, 1)
    model.start = dt.date(2026, 3, 20)
    assert "sebelum" in model.error


def test_trend_by_week_and_month(model):
    model.grain = "week"
    assert len(model.trend) in (5, 6)
    model.grain = "month"
    assert len(model.trend) == 1


def test_ranking_puts_the_best_first(model):
    model.rank_kpi = "AHT"
    ranked = model.ranking()
    assert ranked["value"].is_monotonic_increasing  # lower AHT is better
    model.rank_kpi = "CRM"
    assert model.ranking()["value"].is_monotonic_decreasing


def test_selecting_an_agent_compares_with_their_team(model):
    model.selected_agent = "AG003"
    compare = model.detail["compare"]
    assert model.detail["team"] == "Tim Merapi"
    assert compare.loc["AHT", "agen"] == pytest.approx(model.per_agent.loc["AG003", "AHT"])
    assert set(model.detail["trend"]["who"]) == {model.agent_label("AG003"), "Tim Merapi"}
    model.selected_agent = ""
    assert model.detail is None


def test_view_renders_and_follows_the_model(demo_engine, model):
    view = KpiTeamView(model, ImportPanelModel(demo_engine, model.session)).render()
    assert view._tiles.value.count('class="kr-tile ') == len(kpi.definitions())  # ART … ATS
    assert view._trend.children[0].spec["datasets"]  # drawn by the browser, no menu
    assert view._trend.children[0].embed_options == charting.STATIC
    assert "Tim Merapi" in view._table.value
    model.selected_agent = "AG003"
    assert len(view._detail.children) == 1
    assert view._detail_chart.children[0].spec["datasets"]
    view._prepare_downloads()
    assert 'download="kpi-agen.xlsx"' in view._downloads.value
    assert 'download="tren-kpi.svg"' in view._downloads.value


def test_ranking_chart_selection_reaches_the_model(demo_engine, model):
    view = KpiTeamView(model, ImportPanelModel(demo_engine, model.session)).render()
    # What the browser sends when a bar is clicked: the Vega signal of the point selection.
    clicked = {"vlPoint": {"or": [{"agent_id": "AG007"}]}}
    view._ranking.widget._vl_selections = {"pilih_agen": {"value": clicked, "store": []}}
    assert model.selected_agent == "AG007"
    view._ranking.widget._vl_selections = {"pilih_agen": {"value": None, "store": []}}
    assert model.selected_agent == ""
    model.channel = "telepon"  # a filter change replaces the chart; clicks still arrive
    view._ranking.widget._vl_selections = {"pilih_agen": {"value": clicked, "store": []}}
    assert model.selected_agent == "AG007"


# --- who sees what (rules/akses.yaml, kpi_tim: agent own, team_leader team, spv all, admin all)

SEES = {"agent": {"AG001"}, "team_leader": MERAPI, "spv": EVERYONE, "admin": EVERYONE,
        "analyst": EVERYONE, "assessor": None}  # fmt: skip


@pytest.mark.parametrize("role", access.ROLES)
def test_each_role_sees_its_scope_or_is_refused(demo_engine, role):
    """kpi_tim: an agent sees their own figures, a team leader their team's, SPV and admin
    all; an assessor may not open the page and nothing is loaded."""
    model, view = page(demo_engine, role)
    agents = SEES[role]
    if agents is None:
        assert_refused(view)
        assert model.loaded.empty and model.roster.empty and model.tiles == []
        return
    assert set(model.loaded["agent_id"]) == agents
    assert set(model.per_agent.index) == agents >= set(model.ranking()["agent_id"])
    assert {agent_id for _, agent_id in model.agent_options} == agents
    assert {team for _, team in model.team_options} == set(model.per_agent["team"])


def test_team_figures_are_the_team_leaders_own_team(demo_engine):
    """kpi_tim team_leader: team — the tiles count Tim Merapi only; the phone queue is the
    whole centre's, so PAI telepon stays empty outside scope all."""
    model, _ = page(demo_engine, "team_leader")
    frame = activity.read_activity(demo_engine, start="2026-04-01", end=TODAY)
    merapi = kpi.productivity(frame[frame["agent_id"].isin(MERAPI)]).iloc[0]
    for kpi_id in ["ART", "AHT", "CE", "CRM", "PAI_chat"]:
        assert tile(model, kpi_id).value == pytest.approx(merapi[kpi_id]), kpi_id
    assert model.queue.empty and math.isnan(tile(model, "PAI_call").value)
    assert model.team_options == [("Tim Merapi", "Tim Merapi")]


def test_an_agent_sees_no_team_figure_and_no_colleague(demo_engine):
    """kpi_tim agent: own — the detail compares with the target, not with the team; another
    agent's id sent by a tampered browser shows nothing."""
    model, _ = page(demo_engine, "agent")
    frame = activity.read_activity(demo_engine, start="2026-04-01", end=TODAY)
    own = kpi.productivity(frame[frame["agent_id"] == "AG001"]).iloc[0]
    assert tile(model, "AHT").value == pytest.approx(own["AHT"])
    model.selected_agent = "AG001"
    assert model.detail["compare"]["tim"].isna().all()
    assert set(model.detail["trend"]["who"]) == {model.agent_label("AG001")}
    model.selected_agent = "AG002"
    assert model.detail is None


def import_section(view):
    (section,) = [part for part in view._body if "kr-import-section" in part._dom_classes]
    return section


@pytest.mark.parametrize(
    ("role", "shown"), [("spv", True), ("admin", True), ("team_leader", False), ("agent", False)]
)
def test_the_import_panel_is_there_for_spv_and_admin_only(demo_engine, role, shown):
    """impor: spv and admin only."""
    _, view = page(demo_engine, role)
    assert bool(import_section(view).children) == shown


def test_the_import_panel_is_built_when_first_opened(demo_engine):
    """Most visits never open the import panel: its widgets are built on the first open."""
    _, view = page(demo_engine, "spv")
    (accordion,) = import_section(view).children
    assert not isinstance(accordion.children[0], ImportPanelView)
    accordion.selected_index = 0
    (panel_view,) = accordion.children
    assert isinstance(panel_view, ImportPanelView) and accordion.titles == ("Impor data",)
    accordion.selected_index = None
    accordion.selected_index = 0
    assert accordion.children == (panel_view,)  # built once, kept with what was chosen


def test_a_new_visitor_gets_their_own_scope(demo_engine):
    """The demo switch signs in someone else: the page reloads for them and keeps nothing of
    the previous visitor's (their team filter, the import panel, the body when refused)."""
    model, view = page(demo_engine, "spv")
    model.teams = ["Tim Rinjani"]
    model.session.username = ROLE_USERS["team_leader"]
    assert model.teams == [] and set(model.per_agent.index) == MERAPI
    assert not import_section(view).children
    model.session.username = ROLE_USERS["assessor"]
    assert_refused(view)
    assert model.loaded.empty and model.tiles == []


def test_build_app_waits_for_the_visitor(demo_engine, monkeypatch):
    """Before sign_in binds the visitor nobody is signed in: the page says so, loads nothing,
    and the import panel shares the page's session."""
    monkeypatch.setenv("KRING_DB_URL", demo_engine.url.render_as_string(hide_password=False))
    view = kpi_team.build_app()
    assert_refused(view)
    assert "hanya untuk pengguna yang sudah masuk" in view.model.refused
    assert view.importer.session is view.model.session
    view.model.session.username = ROLE_USERS["spv"]
    assert set(view.model.roster["agent_id"]) == EVERYONE and import_section(view).children


def test_a_page_preheated_yesterday_shows_todays_period(demo_engine, monkeypatch):
    """A preheated kernel may wait overnight: "bulan ini" is the month of the visit."""
    from kringlib import clock

    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 4, 30, 12, tzinfo=dt.UTC))
    session = Session(demo_engine)
    model = KpiTeamModel(demo_engine, session)
    assert model.start == dt.date(2026, 4, 1)
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 5, 1, 1, tzinfo=dt.UTC))
    session.username = "spv.pkl"
    assert (model.today, model.start) == (dt.date(2026, 5, 1), dt.date(2026, 5, 1))
