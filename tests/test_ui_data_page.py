"""The Data page model and view, driven in plain Python without a browser."""

from kringlib.store import db
from kringlib.ui.data_page import DataPageModel, DataPageView
from kringlib.ui.messages import DATABASE_ERROR, GENERIC_ERROR


def test_model_reads_the_overview(demo_engine):
    model = DataPageModel(demo_engine)
    model.reload()
    assert model.error == ""
    assert model.overview.agents == 60


def test_model_reports_an_unreachable_database_instead_of_raising(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path}")  # a folder, not a database file
    model = DataPageModel(engine)
    model.reload()
    assert model.overview is None
    assert model.error == DATABASE_ERROR


def test_model_hides_unexpected_errors_behind_a_generic_message(demo_engine, monkeypatch):
    import kringlib.ui.data_page.model as page_model

    def broken(_engine):
        raise KeyError("internal detail")

    monkeypatch.setattr(page_model, "overview", broken)
    model = DataPageModel(demo_engine)
    model.reload()
    assert model.error == GENERIC_ERROR


def test_view_shows_tiles_table_and_chart(demo_engine):
    model = DataPageModel(demo_engine)
    model.reload()
    view = DataPageView(model).render()
    assert "kr-app" in view._dom_classes
    assert view._teams.value == "6"
    assert view._agents.value == "60"
    assert "2 Mar 2026" in view._range.value
    assert "Aktivitas harian agen" in view._counts.value
    (chart,) = view._chart_box.children
    assert "kr-chart" in chart._dom_classes
    spec = chart.spec
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_view_follows_the_model_and_reuses_its_chart(demo_engine):
    model = DataPageModel(demo_engine)
    model.reload()
    view = DataPageView(model).render()
    chart = view._chart_box.children[0]
    model.reload()
    assert view._chart_box.children[0] is chart


def test_view_shows_the_model_error(demo_engine):
    model = DataPageModel(demo_engine)
    view = DataPageView(model).render()
    model.error = "Basis data tidak dapat dibaca"
    error_widget = view.children[1]
    assert error_widget.value == "Basis data tidak dapat dibaca"
