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
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import CHROMIUM, FLAGS, wait_rendered  # noqa: E402
from conftest import Server  # noqa: E402

TARGETS = {"first render s": 3.0, "filter redraw s": 0.5, "page MB": 2.0}


def socket_bytes(net_log: Path) -> int:
    """Bytes Chromium's sockets sent and received, from a --log-net-log file."""
    text = net_log.read_text()
    try:
        log = json.loads(text)
    except json.JSONDecodeError:  # the browser may close before writing the last bracket
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    types = log["constants"]["logEventTypes"]
    wanted = {types["SOCKET_BYTES_RECEIVED"], types["SOCKET_BYTES_SENT"]}
    return sum(
        e.get("params", {}).get("byte_count", 0) for e in log["events"] if e["type"] in wanted
    )


PREHEAT_SETTLE = 20.0


def wait_for_pools(server: Server, filled: int, timeout: float = 240) -> int:
    """Wait until Voilà has reported ``filled`` pool fills, then let the notebooks run.

    Voilà logs a filled pool once the kernel is started; the preheated notebook then still
    executes, so the wait ends ``PREHEAT_SETTLE`` seconds later.
    """
    deadline = time.monotonic() + timeout
    while server.output().count("is filled with") < filled:
        if time.monotonic() > deadline:
            raise TimeoutError("preheated kernels not ready")
        time.sleep(0.5)
    time.sleep(PREHEAT_SETTLE)
    return filled


def measure(playwright, url: str, ready: str, scratch: Path, change=None) -> dict:
    """Render ``url`` in a fresh browser; optionally time ``change`` (a page → waiter pair)."""
    net_log = scratch / f"net-{time.monotonic_ns()}.json"
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=[*FLAGS, f"--log-net-log={net_log}"]
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    started = time.perf_counter()
    page.goto(url)
    wait_rendered(page)
    page.wait_for_selector(ready, timeout=120_000)
    result = {"first render s": time.perf_counter() - started}
    if change is not None:
        act, settled = change
        before = settled(page)
        started = time.perf_counter()
        act(page)
        page.wait_for_function(
            "([selector, before]) => document.querySelector(selector).innerText !== before",
            arg=[".kr-tile-CRM .kr-tile-value", before],
            polling="raf",
            timeout=30_000,
        )
        result["filter redraw s"] = time.perf_counter() - started
    page.wait_for_timeout(500)
    browser.close()
    result["page MB"] = socket_bytes(net_log) / 1e6
    return result


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
            rows: dict[str, list[dict]] = {"KPI Tim": [], "Data (reference)": []}
            filled = wait_for_pools(server, dashboards)
            for _ in range(args.runs):
                rows["Data (reference)"].append(
                    measure(
                        playwright,
                        server.url + f"voila/render/Data.ipynb?token={server.token}",
                        ".kr-chart svg",
                        scratch,
                    )
                )
                filled = wait_for_pools(server, filled + 1)  # the used kernel is replaced
                channel = (
                    lambda page: page.select_option(".kr-filter-channel select", label="Telepon"),
                    lambda page: page.inner_text(".kr-tile-CRM .kr-tile-value"),
                )
                kpi_url = server.url + f"voila/render/KPI-Tim.ipynb?token={server.token}"
                kpi_page = measure(playwright, kpi_url, ".kr-chart-ranking svg", scratch, channel)
                rows["KPI Tim"].append(kpi_page)
                filled = wait_for_pools(server, filled + 1)
        finally:
            server.stop()

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
