"""The import panel: preview shows findings and saves nothing; commit needs a clean plan and
a role that may import (rules/akses.yaml, impor: spv and admin)."""

from pathlib import Path

import pytest
from page_support import ROLE_USERS, find

from kringlib import ingest
from kringlib.store import activity, imports
from kringlib.ui.identity import Session
from kringlib.ui.import_panel import ImportPanelModel, ImportPanelView

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
REPORT = (EXPORTS / "agent_hms_comma.csv").read_bytes()


def panel(engine, role="spv"):
    return ImportPanelModel(engine, Session(engine, ROLE_USERS[role]))


def stored(engine):
    return activity.read_activity(engine, start="2026-11-03", end="2026-11-03")


def test_preview_then_commit_runs_the_callbacks(demo_engine):
    model = panel(demo_engine)
    reloaded = []
    model.committed.append(lambda: reloaded.append(True))
    model.preview("agent_hms_comma.csv", REPORT)
    assert model.plan.can_commit and "2 baris siap" in model.message
    assert stored(demo_engine).empty
    model.commit()
    assert model.message == "Tersimpan: 2 baris." and reloaded == [True]
    assert len(stored(demo_engine)) == 2
    assert imports.recent_imports(demo_engine)["imported_by"].tolist() == ["spv.pkl"]


@pytest.mark.parametrize("role", ["agent", "team_leader", "assessor"])
def test_roles_that_may_not_import_get_the_refusal_and_no_preview(demo_engine, role):
    """impor: spv and admin only; the others read the page's refusal and nothing is read."""
    model = panel(demo_engine, role)
    assert "Impor data tidak tersedia" in model.refused
    model.preview("agent_hms_comma.csv", REPORT)
    assert model.plan is None and model.error == model.refused


def test_a_file_with_errors_is_shown_and_cannot_be_saved(demo_engine):
    model = panel(demo_engine, "admin")
    view = ImportPanelView(model)
    model.preview("agent_problems.csv", (EXPORTS / "agent_problems.csv").read_bytes())
    assert "galat" in model.message
    assert view.save.disabled
    assert "baris 5, kolom Date: tanggal mustahil" in view.details.value
    model.commit()  # the browser can press a disabled button; the model still refuses
    assert "ditolak" in model.error


def test_commit_without_preview_is_refused(demo_engine):
    model = panel(demo_engine)
    model.commit()
    assert "dipratinjau" in model.error


def test_changing_the_kind_or_the_visitor_forgets_the_preview(demo_engine):
    model = panel(demo_engine)
    model.preview("agent_hms_comma.csv", REPORT)
    model.kind = ingest.SPLIT
    assert model.plan is None
    model.kind = ingest.AGENT
    model.preview("agent_hms_comma.csv", REPORT)
    model.session.username = ROLE_USERS["admin"]
    assert model.plan is None and model.allowed


def test_template_links_are_offered_when_asked_for(engine):
    view = ImportPanelView(ImportPanelModel(engine))
    links = find(view, "kr-import-templates-links")
    assert links.value == ""
    find(view, "kr-import-templates").click()
    html = links.value
    assert 'download="templat-saluran.csv"' in html and 'download="templat-saluran.xlsx"' in html


def test_unknown_log_ins_wait_for_a_team_to_be_chosen(demo_engine):
    model = panel(demo_engine)
    view = ImportPanelView(model)
    model.preview("baru.csv", b"Login ID,Date,ACD Calls\n61234,2026-03-10,7\n")
    assert view.unknown.team.value == ""  # "– pilih tim –": nobody is added by accident
    view.unknown.add.click()
    assert model.error == "Pilih tim untuk agen baru."
    assert model.plan.unknown_logins["login_id"].tolist() == ["61234"]
    view.unknown.team.value = "lawu"
    view.unknown.add.click()
    assert model.plan.unknown_logins.empty and model.plan.rows["agent_id"].tolist() == ["61234"]
