"""The import panel: preview shows findings and saves nothing; commit needs a clean plan."""

from pathlib import Path

from kringlib import ingest
from kringlib.store import activity
from kringlib.ui.import_panel import ImportPanelModel, ImportPanelView

EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def test_preview_then_commit_runs_the_callbacks(demo_engine, monkeypatch):
    monkeypatch.setenv("KRING_USER", "spv.uji")
    model = ImportPanelModel(demo_engine)
    reloaded = []
    model.committed.append(lambda: reloaded.append(True))
    model.preview("agent_hms_comma.csv", (EXPORTS / "agent_hms_comma.csv").read_bytes())
    assert model.plan.can_commit and "2 baris siap" in model.message
    assert activity.read_activity(demo_engine, start="2026-11-03", end="2026-11-03").empty
    model.commit()
    assert model.message == "Tersimpan: 2 baris." and reloaded == [True]
    assert len(activity.read_activity(demo_engine, start="2026-11-03", end="2026-11-03")) == 2


def test_a_file_with_errors_is_shown_and_cannot_be_saved(demo_engine):
    model = ImportPanelModel(demo_engine)
    view = ImportPanelView(model)
    model.preview("agent_problems.csv", (EXPORTS / "agent_problems.csv").read_bytes())
    assert "galat" in model.message
    assert view.save.disabled
    assert "baris 5, kolom Date: tanggal mustahil" in view.details.value
    model.commit()  # the browser can press a disabled button; the model still refuses
    assert "ditolak" in model.error


def test_commit_without_preview_is_refused(demo_engine):
    model = ImportPanelModel(demo_engine)
    model.commit()
    assert "dipratinjau" in model.error


def test_changing_the_kind_forgets_the_preview(demo_engine):
    model = ImportPanelModel(demo_engine)
    model.preview("agent_hms_comma.csv", (EXPORTS / "agent_hms_comma.csv").read_bytes())
    model.kind = ingest.SPLIT
    assert model.plan is None


def test_template_links_are_offered(engine):
    view = ImportPanelView(ImportPanelModel(engine))
    html = view.children[0].value
    assert 'download="templat-saluran.csv"' in html and 'download="templat-saluran.xlsx"' in html
