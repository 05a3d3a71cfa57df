"""Shared fixtures: a migrated temporary database, demo data, a running `kring serve`, Chromium."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kringlib import demo
from kringlib.store import db, seed

ROOT = Path(__file__).resolve().parent.parent
DEMO_END = dt.date(2026, 4, 30)


@pytest.fixture
def engine(tmp_path):
    """An empty SQLite database at the newest migration."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'kring.sqlite'}")
    db.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def small_demo() -> demo.DemoData:
    """Two months of demo data around the SPT deadlines (March–April 2026)."""
    return demo.generate(months=2, end=DEMO_END)


@pytest.fixture
def demo_engine(engine, small_demo):
    seed.load_demo(engine, small_demo)
    return engine


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def kring(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the `kring` command in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "kringlib.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )


class Server:
    """A `kring serve --demo` process on a free port and a temporary database."""

    def __init__(self, workdir: Path, dashboards: Path | None = None):
        self.port = free_port()
        self.db_url = f"sqlite:///{workdir / 'served.sqlite'}"
        self.url = f"http://localhost:{self.port}/"
        self.log = open(workdir / "serve.log", "w+")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kringlib.cli", "serve", "--demo", "--db", self.db_url,
             "--port", str(self.port), *(["--dashboards", str(dashboards)] if dashboards else [])],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT,
        )  # fmt: skip

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"kring serve stopped:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise TimeoutError(f"kring serve not ready after {timeout} s:\n{self.output()}")

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The workbench served on its demo database for the browser tests."""
    served = Server(tmp_path_factory.mktemp("serve"))
    try:
        served.wait_ready()
        yield served
    finally:
        served.stop()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (skips, or fails under KRING_REQUIRE_BROWSER=1)."""
    from browser_support import CHROMIUM, FLAGS, require_browser_or_skip

    require_browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    # Right after start-up every dashboard is being preheated at once on a small machine.
    context.set_default_navigation_timeout(120_000)
    yield context.new_page()
    context.close()
