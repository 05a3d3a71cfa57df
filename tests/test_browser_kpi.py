"""KPI Tim in Chromium: import an export, change filters, click an agent, check the numbers."""

from pathlib import Path

import pytest
from browser_support import RequestLog, cell_errors, wait_rendered
from conftest import server_on_a_copy

from kringlib import kpi
from kringlib.store import activity, db
from kringlib.ui import format as fmt

pytestmark = pytest.mark.browser
EXPORT = Path(__file__).parent / "fixtures" / "exports" / "agent_hms_comma.csv"
START, END = "2026-11-01", "2026-11-05"


def expected(server, agent_id=None):
    frame = activity.read_activity(db.make_engine(server.db_url), start=START, end=END)
    frame = frame[frame["channel"] == "telepon"]
    if agent_id:
        frame = frame[frame["agent_id"] == agent_id]
    return kpi.productivity(frame).iloc[0]


@pytest.fixture(scope="module")
def importing_server(server, tmp_path_factory):
    """A server of its own: the first real import ends demo mode."""
    with server_on_a_copy(server, tmp_path_factory.mktemp("import")) as served:
        yield served


def test_import_filter_and_agent_detail(page, importing_server):
    server = importing_server
    server.sign_in(page)
    requests = RequestLog(page)
    page.goto(server.url + "voila/render/KPI-Tim.ipynb")
    wait_rendered(page)
    page.wait_for_selector(".kr-chart-ranking svg", timeout=60_000)

    page.click(".kr-import-accordion .jupyter-widget-Collapse-header")
    with page.expect_file_chooser() as chooser:
        page.click(".kr-import-file")
    chooser.value.set_files(str(EXPORT))
    page.click(".kr-import-preview")
    page.wait_for_selector(".kr-import-details :text('2 baris akan disimpan')")
    page.click(".kr-import-save")
    page.wait_for_selector(".kr-import-message :text('Tersimpan: 2 baris.')")

    page.fill(".kr-filter-start input", START)
    page.locator(".kr-filter-start input").dispatch_event("change")
    page.fill(".kr-filter-end input", END)
    page.locator(".kr-filter-end input").dispatch_event("change")
    page.select_option(".kr-filter-channel select", label="Telepon")
    page.wait_for_selector(".kr-period :text('1 Nov 2026 – 5 Nov 2026')")

    whole = expected(server)
    units = {k: d.unit for k, d in kpi.definitions().items()}
    for kpi_id in ("AHT", "ART", "CPH", "CRM"):
        shown = page.locator(f".kr-tile-{kpi_id} .kr-tile-value")
        shown.filter(has_text=fmt.kpi_value(whole[kpi_id], units[kpi_id])).wait_for(timeout=30_000)

    bar = page.locator(".kr-chart-ranking path[aria-label*='(AG001)']")
    bar.click()
    detail = page.locator(".kr-panel-detail")
    detail.filter(has_text="AG001").wait_for(timeout=30_000)
    adi = expected(server, "AG001")
    assert fmt.kpi_value(adi["AHT"], "detik") in detail.inner_text()
    assert cell_errors(page) == []
    assert requests.off_loopback() == []
    # The import ended demo mode: no more "Masuk sebagai" on this database.
    page.reload()
    wait_rendered(page)
    assert page.query_selector(".kr-switch-user") is None
