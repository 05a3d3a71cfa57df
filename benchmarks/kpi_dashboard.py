"""The KPI Tim page as a supervisor meets it: first render, filter redraw, bytes moved.

    .venv/bin/python benchmarks/kpi_dashboard.py [--runs 3]

Starts ``kring serve --demo`` on a fresh database (a demo year) and waits until every
dashboard has a preheated kernel that has run its notebook. Then, in Chromium: the first
render of KPI Tim (navigation until tiles and ranking chart are drawn); the redraw after a
filter change (selecting a channel until the tiles show the new figures); and the bytes
the page moved, HTTP and websocket together, from Chromium's own network log (socket
bytes, compressed as sent). The Data page, measured the same way in the same run, is
the reference.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import Server  # noqa: E402
from support import stop, visit, wait_until_preheated  # noqa: E402

TARGETS = {"first render s": 3.0, "filter redraw s": 0.5, "page MB": 2.0}


def filter_redraw(page, _kernel_id: str) -> float:
    """Seconds from choosing the Telepon channel until the CRM tile shows its new figure."""
    before = page.inner_text(".kr-tile-CRM .kr-tile-value")
    started = time.perf_counter()
    page.select_option(".kr-filter-channel select", label="Telepon")
    page.wait_for_function(
        "([selector, before]) => document.querySelector(selector).innerText !== before",
        arg=[".kr-tile-CRM .kr-tile-value", before],
        polling="raf",
        timeout=30_000,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    dashboards = len(list((ROOT / "dashboards").glob("*.ipynb")))
    with tempfile.TemporaryDirectory() as scratch_dir, sync_playwright() as playwright:
        scratch = Path(scratch_dir)
        server = Server(scratch)
        try:
            server.wait_ready()
            root = psutil.Process(server.process.pid)
            rows: dict[str, list[dict]] = {"KPI Tim": [], "Data (reference)": []}
            for _ in range(args.runs):
                wait_until_preheated(root, dashboards)
                data_url = server.url + f"voila/render/Data.ipynb?token={server.token}"
                seen = visit(playwright, data_url, ".kr-chart svg", scratch)
                rows["Data (reference)"].append(
                    {"first render s": seen.seconds, "page MB": seen.bytes / 1e6}
                )
                wait_until_preheated(root, dashboards)  # the used kernel is replaced
                kpi_url = server.url + f"voila/render/KPI-Tim.ipynb?token={server.token}"
                seen = visit(playwright, kpi_url, ".kr-chart-ranking svg", scratch, filter_redraw)
                rows["KPI Tim"].append({
                    "first render s": seen.seconds,
                    "filter redraw s": seen.measured,
                    "page MB": seen.bytes / 1e6,
                })  # fmt: skip
        finally:
            stop(server)

    reference = {
        k: statistics.median(r[k] for r in rows["Data (reference)"])
        for k in ("first render s", "page MB")
    }
    print(
        f"{'page':18} {'measure':16} {'median':>8} {'target':>7} {'/target':>8} "
        f"{'/Data page':>10}   runs"
    )
    for page_name, results in rows.items():
        for key in results[0]:
            values = [r[key] for r in results]
            median = statistics.median(values)
            versus = f"{median / reference[key]:10.2f}" if key in reference else " " * 10
            runs = ", ".join(f"{v:.2f}" for v in values)
            print(
                f"{page_name:18} {key:16} {median:8.2f} {TARGETS[key]:7.2f} "
                f"{median / TARGETS[key]:8.2f} {versus}   {runs}"
            )


if __name__ == "__main__":
    main()
