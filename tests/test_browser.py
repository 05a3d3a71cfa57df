"""End to end in Debian's Chromium: `kring serve` on a free port, pages as users see them."""

import re
import time
import urllib.request

import nbformat
import pytest
from browser_support import RequestLog, cell_errors, wait_rendered
from conftest import ROOT, Server, new_context, server_on_a_copy

from kringlib.server.catalogue import dashboards

pytestmark = pytest.mark.browser


def test_home_page_lists_the_dashboards(page, server):
    requests = RequestLog(page)
    page.goto(server.url)
    assert "Beranda" in page.title()
    assert page.inner_text("h1") == "Beranda"
    entries = page.query_selector_all(".kr-dashboard")
    titles = [entry.query_selector("a").inner_text() for entry in entries]
    assert "Data" in titles
    for entry in entries:
        assert entry.query_selector("p").inner_text().strip(), "every dashboard says what it is for"
    assert requests.off_loopback() == []


def test_data_page_renders_its_chart_offline(page, server):
    requests = RequestLog(page)
    page.goto(server.url)
    page.click(".kr-dashboard a:text-is('Data')")
    wait_rendered(page)
    assert cell_errors(page) == []
    page.wait_for_selector(".kr-chart svg, .kr-chart canvas", timeout=60_000)
    assert page.inner_text(".kr-tile-agents .kr-tile-value") == "60"
    assert page.inner_text(".kr-tile-teams .kr-tile-value") == "6"
    assert re.search(r"\d+ \w{3} \d{4} – \d+ \w{3} \d{4}", page.inner_text(".kr-tile-range"))
    assert "Aktivitas harian agen" in page.inner_text(".kr-row-counts")
    assert requests.off_loopback() == []


def test_closing_a_page_opened_by_its_own_link_frees_its_kernel(browser, server):
    """A bookmark skips Beranda (which sets the XSRF cookie the tab's closing call needs)."""
    context = new_context(browser)
    page = context.new_page()
    response = page.goto(f"{server.url}voila/render/Data.ipynb?token={server.token}")
    wait_rendered(page)
    kernel_id = re.search(r'"kernelId": "([0-9a-f-]+)"', response.text()).group(1)
    page.close(run_before_unload=True)
    try:
        wait_for_log(server, f"Kernel shutdown: {kernel_id}")
    finally:
        context.close()


def wait_for_log(server, line: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while line not in server.output():
        assert time.monotonic() < deadline, f"not logged: {line}"
        time.sleep(0.2)


def test_dashboards_preheat_one_at_a_time_in_berandas_order(browser, server, tmp_path):
    """And a visitor who comes before their page's turn gets a kernel at once, not a place
    in the queue."""
    listed = [d.path for d in dashboards(ROOT / "dashboards")]
    with server_on_a_copy(server, tmp_path) as served:
        context = new_context(browser)
        page = context.new_page()
        response = page.goto(f"{served.url}voila/render/{listed[-1]}?token={served.token}")
        wait_rendered(page)
        kernel_id = re.search(r'"kernelId": "([0-9a-f-]+)"', response.text()).group(1)
        wait_for_log(served, f"Dasbor {listed[-1]} siap", timeout_s=300)
        log = served.output()
        context.close()
    steps = re.findall(r"Kernel pool of (\S+) is filled|Dasbor (\S+) siap", log)
    assert [a or b for a, b in steps] == [n for n in listed for _ in ("started", "waits")]
    assert log.index(f"Kernel started: {kernel_id}") < log.index(f"pool of {listed[-1]} is")


def test_unknown_dashboard_gets_an_indonesian_404(page, server):
    response = page.goto(server.url + "voila/render/Tidak-Ada.ipynb")
    assert response.status == 404
    assert "Halaman tidak ditemukan" in page.inner_text("h1")
    assert page.query_selector("a[href='/']") is not None


def test_query_string_cannot_swap_template_or_theme(page, server):
    requests = RequestLog(page)
    page.goto(server.url + "voila/render/Data.ipynb?template=lab&theme=dark")
    wait_rendered(page)
    assert page.query_selector(".kr-header") is not None
    assert page.get_attribute("body", "data-jp-theme-light") == "true"
    page.goto(server.url + "?classic-tree=false")
    assert page.inner_text("h1") == "Beranda"
    assert requests.off_loopback() == []


def test_no_page_references_a_cdn(server):
    for path in ("", "voila/render/Data.ipynb"):
        with urllib.request.urlopen(server.url + path, timeout=120) as response:
            body = response.read().decode()
        assert not re.search(
            r"https?://(?!localhost|127\.0\.0\.1)[\w.-]+/[\w@^./-]*\.(css|js)", body
        )


def test_the_chart_library_is_served_once_for_the_browser_to_keep(server):
    from kringlib.ui import chart_bundle

    url = server.url + chart_bundle.ROUTE + chart_bundle.file_name()
    with urllib.request.urlopen(url, timeout=60) as response:
        assert "max-age=" in response.headers["Cache-Control"]
        assert b"export" in response.read()


def test_a_failing_dashboard_shows_no_traceback(page, tmp_path):
    folder = tmp_path / "dashboards"
    folder.mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kring"] = {"title": "Rusak", "description": "Dasbor uji yang gagal."}
    notebook.cells = [nbformat.v4.new_code_cell("raise RuntimeError('rahasia-internal')")]
    nbformat.write(notebook, folder / "Rusak.ipynb")
    broken = Server(tmp_path, dashboards=folder)
    try:
        broken.wait_ready()
        page.goto(broken.url + "voila/render/Rusak.ipynb")
        page.wait_for_selector("#loading", state="detached", timeout=90_000)
        text = page.inner_text("body")
        assert "rahasia-internal" not in text
        assert "Traceback" not in text
    finally:
        broken.stop()
