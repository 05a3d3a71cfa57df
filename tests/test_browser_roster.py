"""A site's first load in Chromium: a roster template in Organisasi, then an Avaya export
whose agents were unknown before, one more unknown log-in added from the preview, and
their figures in KPI Tim."""

import pytest
from browser_support import RequestLog, cell_errors, wait_rendered
from conftest import server_on_a_copy

from kringlib import kpi
from kringlib.store import activity, db
from kringlib.ui import format as fmt

pytestmark = pytest.mark.browser
DAY = "2026-11-03"
ROSTER = b"id_tim,nama_tim,team_leader\nsindoro,Tim Sindoro,\n"
AGENTS = (
    b"id_agen,nama,nama_udara,id_tim,mulai,selesai,login_avaya\n"
    b"AG201,Rahmat Hidayat,Rahmat,sindoro,2026-11-01,,71001\n"
    b"AG202,Siti Aminah,Siti,sindoro,2026-11-01,,71002\n"
)
EXPORT = (
    b'"Agent Summary"\n"Dates: 03/11/2026"\n'
    b'"Agent Name","Login ID","ACD Calls","ACD Time","ACW Time","Staffed Time"\n'
    b'"Rahmat Hidayat","71001",40,"2:40:00","0:20:00","7:30:00"\n'
    b'"Siti Aminah","71002",50,"3:10:00","0:25:00","7:30:00"\n'
    b'"Dewi Lestari","71003",30,"2:30:00","0:30:00","7:00:00"\n'
)


@pytest.fixture(scope="module")
def site(server, tmp_path_factory):
    """A server of its own: the first real import ends demo mode."""
    with server_on_a_copy(server, tmp_path_factory.mktemp("roster")) as served:
        yield served


def upload(page, selector: str, path) -> None:
    with page.expect_file_chooser() as chooser:
        page.click(selector)
    chooser.value.set_files(str(path))


def test_roster_then_unknown_agents_then_their_figures_in_kpi_tim(page, site, tmp_path):
    (tmp_path / "tim.csv").write_bytes(ROSTER)
    (tmp_path / "agen.csv").write_bytes(AGENTS)
    (tmp_path / "avaya.csv").write_bytes(EXPORT)
    site.sign_in(page)
    requests = RequestLog(page)

    page.goto(site.url + "voila/render/Organisasi.ipynb")
    wait_rendered(page)
    for name, saved in (("tim.csv", "1 tim dan 0 agen"), ("agen.csv", "0 tim dan 2 agen")):
        upload(page, ".kr-org-import-file button", tmp_path / name)
        page.click(".kr-org-import-preview")
        page.wait_for_selector(".kr-org-message :text('periksa lalu tekan Simpan')")
        page.click(".kr-org-import-save")
        page.wait_for_selector(f".kr-org-message :text('Impor {name}: Tersimpan: {saved}')")

    page.goto(site.url + "voila/render/KPI-Tim.ipynb")
    wait_rendered(page)
    page.click(".kr-import-accordion .jupyter-widget-Collapse-header")
    upload(page, ".kr-import-file button", tmp_path / "avaya.csv")
    page.click(".kr-import-preview")
    unknown = page.locator(".kr-import-unknown")
    unknown.filter(has_text="71003").wait_for(timeout=60_000)
    assert "71001" not in unknown.inner_text()  # the roster's agents found by their log-in
    page.wait_for_selector(".kr-import-details :text('2 baris akan disimpan')")
    page.select_option(".kr-import-unknown-team select", label="Tim Sindoro")
    page.click(".kr-import-unknown-add")
    page.wait_for_selector(".kr-import-details :text('3 baris akan disimpan')", timeout=60_000)
    assert not unknown.is_visible()
    page.click(".kr-import-save")
    page.wait_for_selector(".kr-import-message :text('Tersimpan: 3 baris.')")

    for field, value in ((".kr-filter-start input", DAY), (".kr-filter-end input", DAY)):
        page.fill(field, value)
        page.locator(field).dispatch_event("change")
    page.select_option(".kr-filter-teams select", label="Tim Sindoro")
    page.wait_for_selector(".kr-agent-table tr[data-agent='71003']", timeout=60_000)
    table = page.locator(".kr-agent-table").inner_text()
    assert "Rahmat Hidayat" in table and "Dewi Lestari" in table

    frame = activity.read_activity(db.make_engine(site.db_url), start=DAY, end=DAY)
    sindoro = frame[frame["team"] == "Tim Sindoro"]
    assert sorted(sindoro["agent_id"]) == ["71003", "AG201", "AG202"]
    cph = kpi.productivity(sindoro).iloc[0]["CPH"]
    assert cph == pytest.approx(120 / 22)  # 40 + 50 + 30 calls in 7.5 + 7.5 + 7 staffed hours
    tile = page.locator(".kr-tile-CPH .kr-tile-value")
    tile.filter(has_text=fmt.kpi_value(cph, kpi.definitions()["CPH"].unit)).wait_for(timeout=30_000)
    page.screenshot(path=str(tmp_path / "kpi-sindoro.png"), full_page=True)
    assert cell_errors(page) == []
    assert requests.off_loopback() == []
