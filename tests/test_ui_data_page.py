"""The Data page model and view, driven in plain Python without a browser."""

import pytest
import sqlalchemy as sa
from page_support import ROLE_USERS
from scope_support import MERAPI, assert_refused

from kringlib import access
from kringlib.store import db
from kringlib.store.models import agent_activity, assessment
from kringlib.ui.data_page import DataPageModel, DataPageView
from kringlib.ui.identity import Session
from kringlib.ui.messages import DATABASE_ERROR, GENERIC_ERROR


def data_page(engine, role="spv", session_engine=None):
    """The Data page of a ``role``; ``session_engine`` signs in on another database."""
    session = Session(session_engine or engine, ROLE_USERS[role])
    return DataPageModel(engine, session)


def test_model_reads_the_overview(demo_engine):
    model = data_page(demo_engine)
    assert model.error == ""
    assert model.overview.agents == 60


def test_model_reports_an_unreachable_database_instead_of_raising(tmp_path, demo_engine):
    engine = db.make_engine(f"sqlite:///{tmp_path}")  # a folder, not a database file
    model = data_page(engine, session_engine=demo_engine)
    assert model.overview is None
    assert model.error == DATABASE_ERROR


def test_model_hides_unexpected_errors_behind_a_generic_message(demo_engine, monkeypatch):
    import kringlib.ui.data_page.model as page_model

    def broken(*_args):
        raise KeyError("internal detail")

    monkeypatch.setattr(page_model, "overview", broken)
    model = data_page(demo_engine)
    assert model.error == GENERIC_ERROR


def test_view_shows_tiles_table_and_chart(demo_engine):
    view = DataPageView(data_page(demo_engine)).render()
    assert "kr-app" in view._dom_classes
    assert view._teams.value == "6"
    assert view._agents.value == "60"
    assert "2 Mar 2026" in view._range.value
    assert "Aktivitas harian agen" in view._counts.value
    assert view._scope.value == ""
    (chart,) = view._chart_box.children
    assert "kr-chart" in chart._dom_classes
    spec = chart.spec
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_view_follows_the_model_and_reuses_its_chart(demo_engine):
    model = data_page(demo_engine)
    view = DataPageView(model).render()
    chart = view._chart_box.children[0]
    model.reload()
    assert view._chart_box.children[0] is chart


def test_view_shows_the_model_error(demo_engine):
    model = data_page(demo_engine)
    view = DataPageView(model).render()
    model.error = "Basis data tidak dapat dibaca"
    (error_widget,) = [c for c in view.children if "kr-message-error" in c._dom_classes]
    assert error_widget.value == "Basis data tidak dapat dibaca"


# --- who sees what (rules/akses.yaml, data: team_leader team, spv/assessor/admin all)


def rows_of(engine, table, agents=None) -> int:
    query = sa.select(sa.func.count()).select_from(table)
    if agents is not None:
        query = query.where(table.c.agent_id.in_(sorted(agents)))
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


@pytest.mark.parametrize("role", access.ROLES)
def test_each_role_sees_its_scope_or_is_refused(demo_engine, role):
    """data: a team leader sees their own team's roster and rows, SPV, assessor and admin the
    whole database; an agent may not open the page and nothing is read."""
    view = DataPageView(data_page(demo_engine, role)).render()
    data = view.model.overview
    if role in ("agent", "analyst"):  # analysts read the data in JupyterLab instead
        assert_refused(view)
        assert data is None
        return
    team = MERAPI if role == "team_leader" else None
    assert (data.teams, data.agents) == ((1, 10) if team else (6, 60))
    assert data.row_counts["agent_activity"] == rows_of(demo_engine, agent_activity, team)
    assert data.row_counts["assessment"] == rows_of(demo_engine, assessment, team)
    assert ("queue_hourly" in data.row_counts) == (team is None)  # the centre's queue
    assert ("tim Anda saja" in view._scope.value) == (team is not None)


def test_the_data_page_shows_each_history_chains_verdict(demo_engine):

    model = DataPageModel(demo_engine, Session(demo_engine, "spv.pkl"))
    view = DataPageView(model).render()
    assert "utuh" in view._chains.value and "putus" not in view._chains.value
    with demo_engine.begin() as conn:  # edited behind the application's back
        conn.execute(sa.text("UPDATE assessment SET notes = 'diubah' WHERE id = 5"))
    model.reload()
    assert "putus di id 5" in view._chains.value
