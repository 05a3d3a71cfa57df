"""``kring serve``: Voilà on the dashboards folder with the project's template and settings."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from jupyter_core.paths import jupyter_path
from voila.app import Voila

from kringlib import settings
from kringlib.server.catalogue import dashboards

HERE = Path(__file__).resolve().parent
TEMPLATE_ROOT = HERE / "share"  # holds voila/templates/kring


class KringVoila(Voila):
    """Voilà with the Beranda catalogue available to the project's templates."""

    name = "kring-voila"

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
        # gzip for pages and scripts, permessage-deflate for the kernel websocket: most of
        # a dashboard's weight is JavaScript and widget state, which compress well.
        app_settings.update(compress_response=True, websocket_compression_options={})
        root = Path(self.root_dir)
        app_settings["voila_jinja2_env"].globals["kring_dashboards"] = functools.partial(
            dashboards, root
        )
        return app_settings


def run_voila(folder: Path, host: str, port: int, db_url: str, demo: bool = False) -> None:
    """Start Voilà in this process on ``folder`` and block until it stops."""
    os.environ[settings.DB_URL_ENV] = db_url  # the kernels read it
    if demo:
        os.environ["KRING_DEMO"] = "1"  # the "masuk sebagai" switch exists only on demo data
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(TEMPLATE_ROOT), os.environ.get("JUPYTER_PATH")) if p
    )
    app = KringVoila()
    app.config_file_paths = [str(HERE)]
    app.initialize([str(folder), f"--port={port}", f"--Voila.ip={host}"])
    app.start()
