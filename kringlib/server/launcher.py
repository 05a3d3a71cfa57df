"""Voilà on the dashboards folder with the project's template, settings and visitor rules.

``kring serve`` runs it for one person on localhost; ``kring hub`` runs it as the hub's
dashboard service for every signed-in visitor. Either way the page handler, the kernel
sockets and the shutdown call go through :mod:`kringlib.server.guard`.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

from jupyter_core.paths import jupyter_path
from jupyter_server.utils import url_path_join
from tornado import web
from traitlets import Bool, Int, Unicode
from traitlets.config import Config
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler

from kringlib import settings
from kringlib.server import guard
from kringlib.server.catalogue import dashboards
from kringlib.ui import chart_bundle
from kringlib.ui.identity import DEMO_HEADER, VISITOR_HEADER, header_env

HERE = Path(__file__).resolve().parent
TEMPLATE_ROOT = HERE / "share"  # holds voila/templates/kring
GUARDED = {
    TornadoVoilaHandler: guard.VisitorVoilaHandler,
    VoilaShutdownKernelHandler: guard.OwnerShutdownHandler,
    RequestInfoSocketHandler: guard.KernelOnlyRequestInfoHandler,
}


class KringVoila(Voila):
    """Voilà with Beranda, the visitor rules of :mod:`guard`, and no file-reading API."""

    name = "kring-voila"
    demo = Bool(False, help="offer the demo user switch (only on a database kring demo made)")
    max_pages_per_visitor = Int(6, help="pages (kernels) one visitor may hold open").tag(
        config=True
    )
    check_host_header = Bool(False, help="refuse requests whose Host is not this machine")
    chart_bundles = Unicode(help="the folder holding the chart library's bundle")

    @property
    def data_dir(self) -> str:
        # The project's template root comes first on JUPYTER_PATH, but Voilà's themes and
        # schemas stay in Voilà's own data folder.
        for base in jupyter_path("voila"):
            if Path(base, "themes").is_dir():
                return str(Path(base).resolve())
        return super().data_dir

    def init_settings(self) -> dict:
        app_settings = super().init_settings()
        _keep_hub_token_from_kernels(self.identity_provider)  # before any kernel starts
        # gzip for pages and scripts, permessage-deflate for the kernel websocket: most of
        # a dashboard's weight is JavaScript and widget state, which compress well.
        app_settings.update(compress_response=True, websocket_compression_options={})
        owners = guard.KernelOwners()
        guard.assign_kernels_to_visitors(self.kernel_manager, owners)
        app_settings.update({
            "allow_remote_access": not self.check_host_header,
            guard.OWNERS: owners,
            guard.DEMO: self.demo,
            guard.MAX_PAGES: self.max_pages_per_visitor,
        })  # fmt: skip
        root = Path(self.root_dir)
        app_settings["voila_jinja2_env"].globals["kring_dashboards"] = functools.partial(
            dashboards, root
        )
        return app_settings

    def init_handlers(self) -> list:
        bundle = url_path_join(self.server_url, chart_bundle.ROUTE, "(.*)")
        return [
            (route[0], GUARDED.get(route[1], route[1]), *route[2:])
            for route in super().init_handlers()
            if route[1] is not VoilaContentsHandler  # Beranda is rendered on the server
        ] + [(bundle, ChartBundleHandler, {"path": self.chart_bundles})]


class ChartBundleHandler(web.StaticFileHandler):
    """The chart library (:mod:`kringlib.ui.chart_bundle`): its file name changes with its
    content, so a browser keeps it instead of asking again."""

    def get_cache_time(self, path, modified, mime_type) -> int:
        return self.CACHE_MAX_AGE


def _chart_bundles() -> str:
    """The folder with the chart library's bundle, written there by a process of its own
    the first time (vl-convert's JavaScript engine stays out of the server's memory)."""
    folder = settings.cache_dir()
    if not (folder / chart_bundle.file_name()).is_file():
        command = [sys.executable, "-m", "kringlib.ui.chart_bundle", str(folder)]
        subprocess.run(command, check=True)
    return str(folder)


def _clean_environment(db_url: str) -> None:
    """The kernels inherit this process's environment: give them the database, and never a
    visitor or demo grant that did not come with a request."""
    os.environ[settings.DB_URL_ENV] = db_url
    for header in (VISITOR_HEADER, DEMO_HEADER):
        os.environ.pop(header_env(header), None)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(TEMPLATE_ROOT), os.environ.get("JUPYTER_PATH")) if p
    )


SIGN_IN_TAG = "kring-sign-in"
"""The tag of a dashboard's cell that waits for its visitor (:func:`kringlib.ui.base.sign_in`)."""


def cell_timeout(cell, limit: float) -> float | None:
    """The execution limit of ``cell``: none for the cell that waits for the visitor (a
    preheated kernel may wait there for hours), ``limit`` seconds for every other."""
    return None if SIGN_IN_TAG in cell.get("metadata", {}).get("tags", []) else limit


def _start(folder: Path, db_url: str, argv: list[str], **traits) -> None:
    _clean_environment(db_url)
    limit = json.loads((HERE / "voila.json").read_text())["VoilaExecutor"]["timeout"]
    timeouts = Config(
        {"VoilaExecutor": {"timeout_func": functools.partial(cell_timeout, limit=limit)}}
    )
    app = KringVoila(config=timeouts, chart_bundles=_chart_bundles(), **traits)
    app.config_file_paths = [str(HERE)]
    app.initialize([
        str(folder),
        *(f"--VoilaConfiguration.http_header_envs={h}" for h in (VISITOR_HEADER, DEMO_HEADER)),
        "--Voila.authorizer_class=kringlib.server.guard.KernelOwnerAuthorizer",
        *argv,
    ])  # fmt: skip
    app.start()


def _keep_hub_token_from_kernels(identity_provider) -> None:
    """The service's hub API token stays with its sign-in, out of every kernel's environment."""
    hub_auth = getattr(identity_provider, "hub_auth", None)
    if hub_auth is not None:
        assert hub_auth.api_token  # read from the environment now, before it is removed
        for name in ("JUPYTERHUB_API_TOKEN", "JPY_API_TOKEN"):
            os.environ.pop(name, None)


def run_voila(
    folder: Path, host: str, port: int, db_url: str, *, token: str, local_user: str, demo: bool
) -> None:
    """``kring serve``: one local person, on loopback, with a token; blocks until stopped."""
    _start(folder, db_url, [
        f"--port={port}", f"--Voila.ip={host}", f"--Voila.token={token}",
        "--Voila.identity_provider_class=kringlib.server.signin.LocalVisitor",
        f"--LocalVisitor.local_username={local_user}",
    ], demo=demo, check_host_header=True)  # fmt: skip


def run_service(folder: Path, db_url: str, *, demo: bool) -> None:
    """``kring hub``'s dashboard service, where the hub tells it (``JUPYTERHUB_SERVICE_*``)."""
    from urllib.parse import urlsplit

    url = urlsplit(os.environ["JUPYTERHUB_SERVICE_URL"])
    prefix = os.environ["JUPYTERHUB_SERVICE_PREFIX"]
    _start(folder, db_url, [
        f"--port={url.port}", f"--Voila.ip={url.hostname}", f"--Voila.base_url={prefix}",
        "--Voila.auto_token=True",
        "--Voila.identity_provider_class=kringlib.server.signin.HubVisitor",
    ], demo=demo)  # fmt: skip
