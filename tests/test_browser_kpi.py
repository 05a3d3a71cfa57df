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
        page.click(".kr-import-file button")
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


def test_an_upload_past_the_websocket_limit_arrives_and_one_past_the_cap_is_refused(
    page, importing_server, tmp_path
):
    """A 12 MiB export (one websocket message allows 10 MiB) arrives in chunks and is
    previewed; a file past ``limits.max_bytes`` is refused in the browser, unsent."""
    rows = "".join(f"Agen {i % 500},{80000 + i % 500},{1 + i // 16000:02d}/11/2026,"
                   f"{i // 500 % 32 // 2:02d}:{i // 500 % 2 * 30:02d},5,0:10:00,0:01:00,0:30:00\n"
                   for i in range(220_000))  # fmt: skip
    big = tmp_path / "besar.csv"
    big.write_text("Agent Name,Login ID,Date,Time,ACD Calls,ACD Time,ACW Time,Staffed Time\n"
                   + rows)  # fmt: skip
    assert big.stat().st_size > 12 << 20
    importing_server.sign_in(page)
    page.goto(importing_server.url + "voila/render/KPI-Tim.ipynb")
    wait_rendered(page)
    page.click(".kr-import-accordion .jupyter-widget-Collapse-header")
    with page.expect_file_chooser() as chooser:
        page.click(".kr-import-file button")
    chooser.value.set_files(str(big))
    page.wait_for_selector(".kr-progress", state="visible")
    unknown = page.locator(".kr-import-unknown")
    unknown.filter(has_text="80499").wait_for(timeout=120_000)  # every row read
    assert page.locator(".kr-import .kr-message-error").inner_text() == ""

    huge = tmp_path / "terlalu-besar.csv"
    with huge.open("wb") as sparse:
        sparse.truncate(301 << 20)
    with page.expect_file_chooser() as chooser:
        page.click(".kr-import-file button")
    chooser.value.set_files(str(huge))
    page.wait_for_selector(".kr-import .kr-message-error :text('melebihi batas unggah 300 MiB')")
    assert cell_errors(page) == []
