"""How long from typing the run command to a usable workbench, against bare Voilà.

    .venv/bin/python benchmarks/startup.py [--runs 3]

Prints, per run, the seconds from starting ``kring serve --demo`` to Beranda answering
(``home``) and to the Data page rendered in Chromium (``data page``), on a cold database
(empty: the demo year is generated and loaded) and a warm one (the database exists); and
the seconds a later visitor waits for the Data page once a preheated kernel is ready.
The reference is stock ``voila`` serving an empty folder, started the same way in the
same run; the ratio says what the workbench adds to Voilà's own start.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import free_port  # noqa: E402
from support import open_browser, render, wait_until_preheated  # noqa: E402

DASHBOARDS = len(list((ROOT / "dashboards").glob("*.ipynb")))


def _wait_http(url: str, process: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server stopped early: {' '.join(process.args)}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(url)


def _render_seconds(browser, url: str) -> float:
    page = browser.new_page()
    seconds = render(page, url, ".kr-chart svg, .kr-chart canvas")[0]
    page.close()
    return seconds


def _timed_start(command: list[str], url: str, browser=None, page_path: str | None = None):
    """Seconds to the home page, and (with a browser) to the first and a preheated page render."""
    started = time.perf_counter()
    output = tempfile.TemporaryFile("w+")
    process = subprocess.Popen(command, stdout=output, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        _wait_http(url, process)
        home = time.perf_counter() - started
        if browser is None or page_path is None:
            return home, None, None
        output.seek(0)
        page_url = url + page_path + re.search(r"\?token=\S+", output.read()).group(0)
        first = _render_seconds(browser, page_url) + home
        # the pool refills with a kernel that has run the notebook
        wait_until_preheated(psutil.Process(process.pid), DASHBOARDS)
        return home, first, _render_seconds(browser, page_url)
    finally:
        process.terminate()
        process.wait(timeout=30)
        output.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = {"voila (reference)": [], "kring cold: home": [], "kring warm: home": [],
            "kring warm: data page": [], "data page, preheated": []}  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        browser = open_browser(playwright)
        empty = Path(scratch, "empty")
        empty.mkdir()
        for run in range(args.runs):
            port = free_port()
            reference = [
                sys.executable,
                "-m",
                "voila",
                str(empty),
                f"--port={port}",
                "--no-browser",
            ]
            rows["voila (reference)"].append(
                _timed_start(reference, f"http://localhost:{port}/")[0]
            )
            db_url = f"sqlite:///{Path(scratch, f'run{run}.sqlite')}"
            for label in ("cold", "warm"):
                port = free_port()
                command = [sys.executable, "-m", "kringlib.cli", "serve", "--demo", "--db", db_url,
                           "--port", str(port)]  # fmt: skip
                url = f"http://localhost:{port}/"
                home, first, preheated = _timed_start(
                    command, url, browser if label == "warm" else None, "voila/render/Data.ipynb"
                )
                rows[f"kring {label}: home"].append(home)
                if first is not None:
                    rows["kring warm: data page"].append(first)
                    rows["data page, preheated"].append(preheated)
        browser.close()

    reference = statistics.median(rows["voila (reference)"])
    print(f"{'measure':28} {'median s':>9} {'ratio to voila':>15}   runs")
    for label, values in rows.items():
        median = statistics.median(values)
        runs = ", ".join(f"{v:.2f}" for v in values)
        print(f"{label:28} {median:9.2f} {median / reference:15.2f}   {runs}")


if __name__ == "__main__":
    main()
