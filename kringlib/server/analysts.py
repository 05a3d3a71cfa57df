"""JupyterLab for analysts through the hub: their own code, data they can only read.

An analyst (or an admin who opted in, ``kring user lab``) gets a JupyterLab server of
their own from the hub; everyone else still gets none. The server runs as a separate
operating-system account (:attr:`AnalystSpawner.os_user`), never as the hub's: the hub's
configuration, its environment and the database file, where the credentials that can
write live, are out of its reach. Its ``KRING_DB_URL`` points at data it can only read:
the analysts' PostgreSQL role (``kring db roles``), or on SQLite a fresh copy made at
each start (:mod:`kringlib.store.reporting`).
"""

from __future__ import annotations

import os
import pwd
import shutil
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from tornado import web
from traitlets import Unicode

from kringlib.store import db, reporting, users


class AnalystSpawner(LocalProcessSpawner):
    """JupyterLab, started in the analyst's own folder with ``notebooks/`` in it, as
    :attr:`os_user`; refused to anyone who may not use it."""

    os_user = Unicode("kring-analis", config=True, help="akun OS server JupyterLab analis")
    db_url = Unicode(config=True, help="basis data meja kerja (milik hub)")
    analyst_db_url = Unicode("", config=True, help="PostgreSQL: URL peran analis (baca saja)")
    home_root = Unicode(config=True, help="folder induk folder kerja para analis")
    notebooks = Unicode(config=True, help="notebook proyek yang disalin ke folder analis")

    async def start(self):
        self._check_allowed()
        folder = self._prepare_folder()
        self.notebook_dir = str(folder)
        self.default_url = "/lab/tree/notebooks"
        self._read_url = self._read_only_url()
        return await super().start()

    def _check_allowed(self) -> None:
        if not users.may_use_lab(db.make_engine(self.db_url), self.user.name):
            raise web.HTTPError(403, "JupyterLab hanya untuk analis (dan admin yang memilihnya).")
        if os.geteuid() != 0:
            raise web.HTTPError(
                503, f"kring hub harus berjalan sebagai root untuk memulai JupyterLab analis "
                f"sebagai akun OS {self.os_user}."
            )  # fmt: skip
        try:
            pwd.getpwnam(self.os_user)
        except KeyError:
            raise web.HTTPError(
                503, f"Akun OS {self.os_user} belum ada: useradd --system {self.os_user}"
            ) from None

    def _prepare_folder(self) -> Path:
        """The analyst's folder, the project's notebooks copied in on the first start."""
        account = pwd.getpwnam(self.os_user)
        folder = Path(self.home_root) / self.user.name
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700)
            shutil.copytree(self.notebooks, folder / "notebooks")
            for path in (folder, *folder.rglob("*")):
                os.chown(path, account.pw_uid, account.pw_gid)
        return folder

    def _read_only_url(self) -> str:
        if self.db_url.startswith("sqlite"):
            copies = Path(self.home_root) / ".salinan"
            copies.mkdir(mode=0o711, exist_ok=True)  # the account may open, not list
            copy = copies / f"{self.user.name}.sqlite"
            return reporting.read_only_url(reporting.write_copy(db.make_engine(self.db_url), copy))
        if not self.analyst_db_url:
            raise web.HTTPError(
                503, "kring hub --analyst-db belum diatur: URL peran analis PostgreSQL."
            )
        return self.analyst_db_url

    def make_preexec_fn(self, name):
        return set_user_setuid(self.os_user, chdir=False)

    def user_env(self, env):
        folder = Path(self.home_root) / self.user.name
        env.update(
            USER=self.os_user,
            HOME=str(folder),
            KRING_DB_URL=self._read_url,
            JUPYTER_RUNTIME_DIR=str(folder / ".jupyter" / "runtime"),
        )
        for name in ("KRING_RULES_DIR",):
            if name in os.environ:
                env[name] = os.environ[name]
        return env
