"""What the benchmarks that serve dashboards share: kernels and their memory, quiet
servers, and a page opened in a fresh Chromium with the bytes it moved."""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import CHROMIUM, FLAGS  # noqa: E402

MIB = 2**20


def kernels(root: psutil.Process) -> list[psutil.Process]:
    """The Jupyter kernels below ``root`` (a ``kring serve`` or ``kring hub`` process)."""
    found = []
    for process in root.children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(process.cmdline()):
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return found


def kernel_process(root: psutil.Process, kernel_id: str) -> psutil.Process:
    """The process of the kernel ``kernel_id`` below ``root``."""
    for process in kernels(root):
        if any(kernel_id in part for part in process.cmdline()):
            return process
    raise LookupError(f"no kernel process for {kernel_id}")


def pss(process: psutil.Process) -> int:
    """Proportional set size: shared pages counted once across processes (0 once gone)."""
    try:
        return process.memory_full_info().pss
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0


def rss(process: psutil.Process) -> int:
    """Resident set size (0 once gone)."""
    try:
        return process.memory_info().rss
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0


def _cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def wait_until_preheated(
    root: psutil.Process, count: int, timeout: float = 300, quiet_s: float = 2.0
) -> float:
    """Wait until ``root`` holds ``count`` kernels and it and they have been idle (under
    5 % of a core) for ``quiet_s`` seconds: every preheated notebook then waits for its
    visitor. Returns the seconds waited."""
    started = time.monotonic()
    quiet_since = None
    before = None
    while time.monotonic() - started < timeout:
        time.sleep(0.25)
        processes = [root, *root.children(recursive=True)]
        used = _cpu_seconds(processes)
        busy = before is None or used - before > 0.05 * 0.25
        before = used
        if busy or len(kernels(root)) < count:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_s:
            return time.monotonic() - started
    raise TimeoutError(f"{count} preheated kernels not idle after {timeout} s")


def stop(server) -> None:
    """Stop a test ``Server`` or ``Hub`` and any of its processes left behind."""
    try:
        left = psutil.Process(server.process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        left = []
    server.stop()
    for process in left:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass


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


@dataclass
class Visit:
    """One page opened in a fresh browser: seconds to drawn, bytes moved, its kernel, and
    what was measured while it was open."""

    seconds: float
    bytes: int
    kernel_id: str
    measured: object = None


def open_browser(playwright, net_log: Path | None = None, profile: Path | None = None):
    """A fresh Chromium, writing its network log to ``net_log`` if given; with ``profile``,
    one that keeps its cache in that folder from one launch to the next."""
    flags = [*FLAGS, f"--log-net-log={net_log}"] if net_log else FLAGS
    if profile is None:
        return playwright.chromium.launch(executable_path=str(CHROMIUM), args=flags)
    return playwright.chromium.launch_persistent_context(
        profile, executable_path=str(CHROMIUM), args=flags
    )


def render(page, url: str, ready: str, timeout_ms: int = 180_000) -> tuple[float, str]:
    """Open ``url`` in ``page``: seconds until Voilà's spinner is gone and ``ready`` is
    visible, and the id of the page's kernel."""
    started = time.perf_counter()
    response = page.goto(url, timeout=timeout_ms)
    page.wait_for_selector("#loading", state="detached", timeout=timeout_ms)
    page.wait_for_selector(ready, state="visible", timeout=timeout_ms)
    seconds = time.perf_counter() - started
    return seconds, re.search(r'"kernelId": "([0-9a-f-]+)"', response.text()).group(1)


def visit(
    playwright, url: str, ready: str, scratch: Path, measure=None, profile=None, via=None
) -> Visit:
    """Render ``url`` in a fresh browser (with ``profile``: one whose cache that folder
    keeps; with ``via``: after opening that page first in the same tab, as a visitor
    comes from Beranda) and count the bytes it moved; ``measure(page, kernel_id)`` runs
    while the page is still open."""
    net_log = scratch / f"net-{time.monotonic_ns()}.json"
    browser = open_browser(playwright, net_log, profile)
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    if via is not None:
        page.goto(via)
        page.wait_for_load_state("load")
    seconds, kernel_id = render(page, url, ready)
    page.wait_for_timeout(500)  # late widget messages still count
    measured = measure(page, kernel_id) if measure is not None else None
    leave(page)
    browser.close()
    return Visit(seconds, socket_bytes(net_log), kernel_id, measured)


def leave(page) -> None:
    """Close ``page`` as a visitor closes a tab: Voilà's page then asks the server to shut
    its kernel down (which frees one of the visitor's pages)."""
    page.close(run_before_unload=True)
    time.sleep(0.5)  # the shutdown beacon leaves before the browser does
