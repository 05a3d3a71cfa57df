"""``kring hub``: JupyterHub with the project's configuration; every visitor signs in.

The hub signs visitors in (workbench accounts, or the office directory through a site
configuration file) and proxies them to one dashboard service: Voilà on ``dashboards/``
(:func:`kringlib.server.launcher.run_service`), which learns each visitor through the
hub's OAuth. The service's kernels refuse code from the browser (Voilà's message
allow-list). Only analysts (and admins who opt in) get a server of their own, JupyterLab
with data they can only read (:mod:`kringlib.server.analysts`); everyone else gets none.
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config

from kringlib import rules
from kringlib.server.accounts import WorkbenchAuthenticator
from kringlib.server.analysts import AnalystSpawner

HERE = Path(__file__).resolve().parent
SERVICE = "kring"
SIGN_IN_HOURS = 10  # one working day: a forgotten browser does not stay signed in for weeks


@dataclass(frozen=True)
class Analysts:
    """Where analysts' JupyterLab servers run: as which OS account, in which folder, and
    (PostgreSQL) on which read-only database URL."""

    os_user: str
    home: Path
    db_url: str = ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def hub_config(
    *,
    host: str,
    port: int,
    db_url: str,
    dashboards: Path,
    state_dir: Path,
    demo: bool,
    ssl_cert: str | None = None,
    ssl_key: str | None = None,
    analysts: Analysts,
) -> Config:
    """The JupyterHub configuration of the workbench (a site file may extend it)."""
    state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    c = Config()
    hub = c.JupyterHub
    hub.bind_url = f"{'https' if ssl_cert else 'http'}://{host}:{port}/"
    if ssl_cert:
        hub.ssl_cert, hub.ssl_key = ssl_cert, ssl_key
    hub.hub_bind_url = f"http://127.0.0.1:{_free_port()}"
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{_free_port()}"
    c.ConfigurableHTTPProxy.auth_token = secrets.token_hex(32)
    c.ConfigurableHTTPProxy.pid_file = str(state_dir / "proxy.pid")
    hub.db_url = f"sqlite:///{state_dir / 'jupyterhub.sqlite'}"
    hub.cookie_secret_file = str(state_dir / "jupyterhub_cookie_secret")
    hub.cookie_max_age_days = SIGN_IN_HOURS / 24
    hub.template_paths = [str(HERE / "hub_templates")]
    hub.authenticator_class = WorkbenchAuthenticator
    c.WorkbenchAuthenticator.db_url = db_url
    c.DirectoryRoles.db_url = db_url
    # Visitors use the dashboards (their own name and groups are what the service's sign-in
    # asks the hub for); the spawner starts JupyterLab for analysts and refuses the others.
    hub.load_roles = [{"name": "user", "scopes": [
        f"access:services!service={SERVICE}", "read:users:name!user", "read:users:groups!user",
        "servers!user", "access:servers!user",
    ]}]  # fmt: skip
    hub.default_url = f"/services/{SERVICE}/"
    hub.spawner_class = AnalystSpawner
    spawner = c.AnalystSpawner
    spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
    # an office without internet: no news or updates to fetch
    spawner.args = ["--LabApp.news_url=", "--LabApp.check_for_updates_class="
                    "jupyterlab.NeverCheckForUpdate"]  # fmt: skip
    spawner.os_user = analysts.os_user
    spawner.home_root = str(analysts.home)
    spawner.db_url = db_url
    spawner.analyst_db_url = analysts.db_url
    spawner.notebooks = str(dashboards.parent / "notebooks")
    spawner.start_timeout = 120
    hub.services = [
        {
            "name": SERVICE,
            "display": False,
            "oauth_no_confirm": True,
            "url": f"http://127.0.0.1:{_free_port()}",
            "command": [sys.executable, "-m", "kringlib.server.service", str(dashboards)]
            + (["--demo"] if demo else []),
            "environment": {"KRING_DB_URL": db_url, **rules.local_dir_env()},
        }
    ]
    return c


def run_hub(config: Config, site_config: str | None, state_dir: Path) -> None:
    """Start JupyterHub in this process and block until it stops."""
    from jupyterhub.app import JupyterHub

    JupyterHub.instance(config=config)
    # Only the site's own file is read, never a stray jupyterhub_config.py where the
    # command happens to run: without one, the hub runs in its private state folder.
    site_config = site_config and str(Path(site_config).resolve())
    os.chdir(state_dir)
    JupyterHub.launch_instance([f"--config={site_config}"] if site_config else [])
