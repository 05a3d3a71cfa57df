"""Every dashboard as its first visitors meet it, against an empty notebook served alike.

    .venv/bin/python benchmarks/dashboards.py [--runs 2] [--arrivals 0,5,15,30,60]
                                              [--pages KPI-Tim,Data]

On a demo year (made by the first ``kring serve --demo``), with an empty notebook
(``Kosong.ipynb``, not listed on Beranda) beside the dashboards as the reference:

- preheated: once every preheated kernel waits for its visitor, each page is opened in
  Chromium by a visitor who may use it (spv.pkl; asesor.andi for Penilaian, ag001 for
  Banding), ``--runs`` times, each on a refilled kernel, in a browser started afresh:
  seconds until drawn and megabytes its sockets moved (HTTP and websocket) on the first
  visit, with an empty browser cache (``first render s``, ``MB moved``); on later visits,
  with the cache of the earlier ones, opened straight (``..., cached``) and from Beranda
  as visitors come, the page's clock starting as they leave Beranda (``..., from
  Beranda``; its bytes include Beranda's), medians; its kernel's resident and
  proportional memory once drawn (``kernel RSS MiB``, ``kernel PSS MiB``, median).
- first minute: for each page and arrival time t, ``kring serve`` is started again and
  one visitor opens the page t seconds after Beranda first answers; the seconds until
  drawn, worst over the arrival times (``worst wait s``), and each wait.

Each figure is printed with its target, its ratio to the target and its ratio to the
empty notebook in the same run. The whole run takes over an hour on two cores;
``--arrivals ''`` skips the first minute (a quarter of an hour).
"""

from __future__ import annotations

import argparse
import functools
import shutil
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import Server  # noqa: E402
from support import MIB, kernel_process, open_browser, pss, render, rss, stop, visit  # noqa: E402
from support import wait_until_preheated as preheated  # noqa: E402

REFERENCE = "Kosong.ipynb"
SPV = "spv.pkl"
PAGES = {  # notebook: (visitor, what is drawn once the page has its data)
    "KPI-Tim.ipynb": (SPV, ".kr-chart-ranking svg"),
    "Penilaian.ipynb": ("asesor.andi", ".kr-live-score"),
    "Rapor-Kualitas.ipynb": (SPV, ".kr-score-trend svg"),
    "Banding.ipynb": ("ag001", ".kr-my-appeals"),
    "Izin-Tidak-Online.ipynb": ("tl.merapi", ".kr-permit-list"),
    "Pengaduan.ipynb": (SPV, ".kr-complaint-groups"),
    "Buku-Saku.ipynb": ("ag001", ".kr-panel-speller"),
    "Proses-Banding.ipynb": (SPV, ".kr-appeal-queue"),
    "Analitik-Banding.ipynb": (SPV, ".kr-appeal-steps"),
    "Data.ipynb": (SPV, ".kr-chart svg"),
    "Organisasi.ipynb": (SPV, ".kr-org-agents"),
    REFERENCE: (SPV, "body"),
}
MEASURES = ("first render s", "first render s, cached", "first render s, from Beranda",
            "MB moved", "MB moved, cached", "MB moved, from Beranda",
            "kernel RSS MiB", "kernel PSS MiB")  # fmt: skip
TARGETS = {
    "first render s": 1.5,
    "first render s, cached": 1.5,
    "first render s, from Beranda": 1.5,
    "MB moved": 1.0,
    "MB moved, cached": 1.0,
    "MB moved, from Beranda": 1.0,
    "kernel RSS MiB": 150.0,
    "worst wait s": 10.0,
}


def prepare(scratch: Path) -> tuple[Path, str]:
    """The dashboards beside the empty notebook, and a demo database made by the first
    ``kring serve --demo`` (so every later start finds it ready)."""
    folder = scratch / "dashboards"
    shutil.copytree(ROOT / "dashboards", folder)
    nbformat.write(nbformat.v4.new_notebook(), folder / REFERENCE)
    db_url = f"sqlite:///{scratch / 'kring.sqlite'}"
    server = Server(scratch, dashboards=folder, db_url=db_url)
    try:
        server.wait_ready(timeout=600)
    finally:
        stop(server)
    return folder, db_url


def page_url(server: Server, notebook: str) -> str:
    return f"{server.url}voila/render/{notebook}?token={server.token}"


def kernel_memory(root: psutil.Process, _page, kernel_id: str) -> dict:
    """The page kernel's resident and proportional memory, once the render has settled."""
    time.sleep(1.0)
    kernel = kernel_process(root, kernel_id)
    return {"kernel RSS MiB": rss(kernel) / MIB, "kernel PSS MiB": pss(kernel) / MIB}


def preheated_figures(playwright, scratch, folder, db_url, pages, runs) -> dict:
    """First render, bytes and kernel memory of each page opened on a preheated kernel."""
    figures = {name: [] for name in pages}
    for visitor in dict.fromkeys(PAGES[name][0] for name in pages):
        server = Server(scratch, dashboards=folder, db_url=db_url, user=visitor)
        try:
            server.wait_ready()
            root = psutil.Process(server.process.pid)
            notebooks = len(list(folder.glob("*.ipynb")))
            preheated(root, notebooks)
            for run in range(runs):
                for name in (n for n in pages if PAGES[n][0] == visitor):
                    url = page_url(server, name)
                    measure = functools.partial(kernel_memory, root)
                    profile = scratch / f"profile-{name}"  # empty on the first run
                    # An empty browser cache first; later visits keep theirs, and come
                    # both straight to the page and from Beranda, as visitors do.
                    ways = (
                        {"": None}
                        if run == 0
                        else {
                            ", cached": None,
                            ", from Beranda": server.url + f"?token={server.token}",
                        }
                    )
                    for way, via in ways.items():
                        seen = visit(
                            playwright, url, PAGES[name][1], scratch, measure, profile, via
                        )
                        figures[name].append(
                            {
                                f"first render s{way}": seen.seconds,
                                f"MB moved{way}": seen.bytes / 1e6,
                                **seen.measured,
                            }
                        )
                        preheated(root, notebooks)  # the pool refills before the next visit
        finally:
            stop(server)
    return figures


def _wait_until_answering(server: Server, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server stopped:\n{server.output()}")
        try:
            with urllib.request.urlopen(server.url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # answering, whatever it says
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(server.url)


def arrival_wait(playwright, scratch, folder, db_url, name: str, arrival: float) -> float:
    """Seconds a visitor waits for ``name`` when arriving ``arrival`` s after Beranda answers."""
    server = Server(scratch, dashboards=folder, db_url=db_url, user=PAGES[name][0])
    browser = open_browser(playwright)
    try:
        _wait_until_answering(server)
        up = time.monotonic()
        server.wait_ready()  # reads the token; the server already answers
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        time.sleep(max(0.0, up + arrival - time.monotonic()))
        return render(page, page_url(server, name), PAGES[name][1])[0]
    finally:
        browser.close()
        stop(server)


def report(figures: dict, waits: dict) -> None:
    rows = {}
    for name, runs in figures.items():
        keys = [k for k in MEASURES if any(k in r for r in runs)]
        rows[name] = {k: statistics.median(r[k] for r in runs if k in r) for k in keys}
        if waits.get(name):
            rows[name]["worst wait s"] = max(waits[name].values())
    reference = rows[REFERENCE]
    print(f"{'page':18} {'measure':22} {'median':>7} {'target':>7} {'/target':>8} {'/empty nb':>9}")
    for name, values in rows.items():
        label = "empty notebook" if name == REFERENCE else name.removesuffix(".ipynb")
        for key, value in values.items():
            target = TARGETS.get(key)
            versus = f"{value / reference[key]:9.2f}" if reference.get(key) else " " * 9
            shown_target = f"{target:7.1f} {value / target:8.2f}" if target else " " * 16
            print(f"{label:18} {key:22} {value:7.2f} {shown_target} {versus}")
    if waits:
        print("\nwait s by arrival (s after Beranda answers):")
        arrivals = sorted({t for by_time in waits.values() for t in by_time})
        print(f"{'page':18} " + " ".join(f"{f't={t:g}':>7}" for t in arrivals))
        for name, by_time in waits.items():
            label = "empty notebook" if name == REFERENCE else name.removesuffix(".ipynb")
            print(f"{label:18} " + " ".join(f"{by_time[t]:7.2f}" for t in arrivals))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="preheated visits per page")
    parser.add_argument("--arrivals", default="0,5,15,30,60", help="'' skips the first minute")
    parser.add_argument("--pages", default="", help="notebook names without .ipynb (all)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chosen = [f"{p}.ipynb" for p in args.pages.split(",") if p]
    pages = [name for name in PAGES if not chosen or name in chosen or name == REFERENCE]
    arrivals = [float(t) for t in args.arrivals.split(",") if t]
    with tempfile.TemporaryDirectory() as scratch_dir, sync_playwright() as playwright:
        scratch = Path(scratch_dir)
        folder, db_url = prepare(scratch)
        figures = preheated_figures(playwright, scratch, folder, db_url, pages, args.runs)
        waits = {name: {} for name in pages} if arrivals else {}
        for arrival in arrivals:
            for name in pages:
                waits[name][arrival] = arrival_wait(
                    playwright, scratch, folder, db_url, name, arrival
                )
    report(figures, waits)


if __name__ == "__main__":
    main()
