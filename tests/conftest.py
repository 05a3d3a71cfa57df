"""Shared fixtures: a migrated temporary database, demo data, a running `kring serve`, Chromium."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import socket
import sqlite3
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


def pytest_generate_tests(metafunc):
    """A test module with ``ON_BOTH_ENGINES = True`` runs its database tests on SQLite and
    on PostgreSQL."""
    if getattr(metafunc.module, "ON_BOTH_ENGINES", False) and "engine" in metafunc.fixturenames:
        metafunc.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def postgres(tmp_path_factory):
    """A PostgreSQL cluster for the session (skips without the server binaries)."""
    from postgres_support import Cluster, require_postgres_or_skip

    cluster = Cluster(require_postgres_or_skip())
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def small_demo() -> demo.DemoData:
    """Two months of demo data around the SPT deadlines (March–April 2026)."""
    return demo.generate(months=2, end=DEMO_END)


@pytest.fixture(scope="session")
def templates(tmp_path_factory):
    """Databases made once per session and copied for each test: migrated and empty, or
    with the small demo loaded (``{(engine kind, with demo): SQLite path or PG name}``)."""
    made: dict[tuple[str, bool], str] = {}

    def template(kind: str, with_demo: bool, request) -> str:
        if (kind, with_demo) not in made:
            if kind == "postgresql":
                url = request.getfixturevalue("postgres").new_database()
            else:
                path = tmp_path_factory.mktemp("template") / "kring.sqlite"
                url = f"sqlite:///{path}"
            engine = db.make_engine(url)
            db.upgrade(engine)
            if with_demo:
                seed.load_demo(engine, request.getfixturevalue("small_demo"))
            engine.dispose()
            made[kind, with_demo] = url.rsplit("/", 1)[1] if kind == "postgresql" else str(path)
        return made[kind, with_demo]

    return template


@pytest.fixture
def engine(request, tmp_path, templates):
    """A database at the newest migration, empty (or with the small demo for a test that
    asks for ``demo_engine``): SQLite, or PostgreSQL too in a module that asks for both
    engines (``ON_BOTH_ENGINES``). Each test gets its own copy of a template made once."""
    kind = getattr(request, "param", "sqlite")
    template = templates(kind, "demo_engine" in request.fixturenames, request)
    if kind == "postgresql":
        url = request.getfixturevalue("postgres").new_database(template)
    else:
        path = tmp_path / "kring.sqlite"
        with contextlib.closing(sqlite3.connect(template)) as source:
            with contextlib.closing(sqlite3.connect(path)) as target:
                source.backup(target)
        url = f"sqlite:///{path}"
    engine = db.make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def demo_engine(engine):
    """The small demo in a database of the test's own (see :func:`engine`)."""
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


def wait_until_up(server, url: str, timeout: float) -> None:
    """Poll ``url`` until it answers 200 (after redirects), or fail with the server's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server stopped:\n{server.output()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"server not ready after {timeout} s:\n{server.output()}")


class Server:
    """A `kring serve --demo` process on a free port and a temporary database."""

    def __init__(
        self,
        workdir: Path,
        dashboards: Path | None = None,
        db_url: str | None = None,
        user: str | None = None,
    ):
        self.port = free_port()
        self.db_url = db_url or f"sqlite:///{workdir / 'served.sqlite'}"
        self.url = f"http://localhost:{self.port}/"
        self.log = open(workdir / "serve.log", "w+")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kringlib.cli", "serve", "--demo", "--db", self.db_url,
             "--port", str(self.port), *(["--dashboards", str(dashboards)] if dashboards else []),
             *(["--user", user] if user else [])],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT,
        )  # fmt: skip

    def wait_ready(self, timeout: float = 180) -> None:
        wait_until_up(self, self.url, timeout)
        self.token = re.search(r"\?token=(\S+)", self.output()).group(1)

    def sign_in(self, page) -> None:
        """Open the link with the start-up token once; the browser context keeps the cookie."""
        page.goto(f"{self.url}?token={self.token}")

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


@contextlib.contextmanager
def server_on_a_copy(server: Server, workdir: Path):
    """A server of its own on a copy of ``server``'s demo database: the first real
    import ends demo mode, which the other browser tests still need."""
    source = sqlite3.connect(server.db_url.removeprefix("sqlite:///"))
    with sqlite3.connect(workdir / "copy.sqlite") as target:
        source.backup(target)
    source.close()
    served = Server(workdir, db_url=f"sqlite:///{workdir / 'copy.sqlite'}")
    try:
        served.wait_ready()
        yield served
    finally:
        served.stop()


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


def new_context(browser, **options):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="id-ID", **options
    )
    # Right after start-up every dashboard is being preheated at once on a small machine.
    context.set_default_navigation_timeout(120_000)
    return context


@pytest.fixture
def page(browser, request):
    """A fresh browser page; signed in to the session's `kring serve` when the test uses it."""
    context = new_context(browser)
    page = context.new_page()
    if "server" in request.fixturenames:
        request.getfixturevalue("server").sign_in(page)
    yield page
    # Close the tabs as a visitor does: each page then asks the server to shut its kernel
    # down, so the session's server does not count them against the visitor's page limit.
    for opened in context.pages:
        opened.close(run_before_unload=True)
    time.sleep(0.3)  # the shutdown beacons leave before the browser context does
    context.close()


HUB_PASSWORD = "kata-sandi-uji-panjang"
HUB_USERS = ("ag001", "ag015", "tl.merapi", "spv.pkl", "asesor.andi", "analis", "admin")
ANALYST, ANALYST_OS_USER = "analis", "kring-analis"


def analyst_home() -> Path:
    """A folder for analysts' servers that their OS account can reach (pytest's own
    temporary folders are private to root)."""
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="kring-analis-", dir="/tmp"))
    home.chmod(0o755)
    return home


def require_analyst_account() -> None:
    """The OS account analysts' JupyterLab runs as, created if missing (as root), and
    able to run this checkout's Python, as on a site's server; `.ci/run` prepares both."""
    import shutil

    if os.geteuid() != 0 or shutil.which("useradd") is None:
        reason = "JupyterLab analis memerlukan root dan useradd"
        if os.environ.get("KRING_REQUIRE_BROWSER") == "1":
            pytest.fail(f"KRING_REQUIRE_BROWSER=1 tetapi {reason}")
        pytest.skip(reason)
    if subprocess.run(["id", ANALYST_OS_USER], capture_output=True).returncode:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell",
                        "/usr/sbin/nologin", ANALYST_OS_USER], check=True)  # fmt: skip
    probe = subprocess.run(
        ["runuser", "-u", ANALYST_OS_USER, "--", sys.executable, "-c", "import kringlib"],
        capture_output=True, text=True, cwd="/",
    )  # fmt: skip
    if probe.returncode:
        pytest.fail(
            f"akun OS {ANALYST_OS_USER} tidak dapat menjalankan {sys.executable} dengan "
            f"kringlib (izin folder induk? lihat .ci/run): {probe.stderr.strip()[-300:]}"
        )


class Hub:
    """A `kring hub` process on a free port, on a demo database whose users have passwords."""

    def __init__(self, workdir: Path, db_url: str, dashboards: Path | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.db_url = db_url
        self.log = open(workdir / "hub.log", "w+")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kringlib.cli", "hub", "--host", "127.0.0.1",
             "--port", str(self.port), "--db", db_url, "--state-dir", str(workdir / "hub"),
             "--analyst-home", str(analyst_home()),
             *(["--dashboards", str(dashboards)] if dashboards else [])],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT,
        )  # fmt: skip

    output = Server.output
    stop = Server.stop

    def wait_ready(self, timeout: float = 180) -> None:
        wait_until_up(self, self.url + "hub/login", timeout)

    def session(self, username: str, password: str = HUB_PASSWORD):
        """An HTTP session signed in through the hub's login form, as a browser would."""
        import requests

        session = requests.Session()
        form = session.get(self.url + "hub/login")
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text).group(1)
        session.post(
            self.url + "hub/login",
            data={"username": username, "password": password, "_xsrf": xsrf},
        )
        return session


def require_proxy_or_skip() -> None:
    """Skip without npm's configurable-http-proxy; fail instead under KRING_REQUIRE_BROWSER=1."""
    import shutil

    if shutil.which("configurable-http-proxy") is None:
        reason = "configurable-http-proxy tidak ada (npm install -g configurable-http-proxy)"
        if os.environ.get("KRING_REQUIRE_BROWSER") == "1":
            pytest.fail(f"KRING_REQUIRE_BROWSER=1 tetapi {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def hub(tmp_path_factory, small_demo):
    """`kring hub` (not in demo mode) on two months of demo data."""
    from kringlib.store import users

    require_proxy_or_skip()
    workdir = tmp_path_factory.mktemp("hub")
    url = f"sqlite:///{workdir / 'hub.sqlite'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    seed.load_demo(engine, small_demo)
    for username in HUB_USERS:
        users.set_password(engine, username, HUB_PASSWORD)
    engine.dispose()
    served = Hub(workdir, url)
    try:
        served.wait_ready()
        yield served
    finally:
        served.stop()
