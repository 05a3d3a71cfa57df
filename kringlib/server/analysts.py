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

import asyncio
import os
import pwd
import shutil
import stat
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from tornado import web
from traitlets import Unicode

from kringlib import rules
from kringlib.store import db, reporting, users


class AnalystSpawner(LocalProcessSpawner):
    """JupyterLab, started in the analyst's own folder with ``notebooks/`` in it, as
    :attr:`os_user`; refused to anyone who may not use it."""

    os_user = Unicode(config=True, help="akun OS server JupyterLab analis")
    db_url = Unicode(config=True, help="basis data meja kerja (milik hub)")
    analyst_db_url = Unicode("", config=True, help="PostgreSQL: URL peran analis (baca saja)")
    home_root = Unicode(config=True, help="folder induk folder kerja para analis")
    notebooks = Unicode(config=True, help="notebook proyek yang disalin ke folder analis")

    async def start(self):
        # database, copies and folders off the hub's event loop: other sign-ins go on
        folder, self._read_url = await asyncio.to_thread(self._prepare)
        self.notebook_dir = str(folder)
        self.default_url = "/lab/tree/notebooks"
        return await super().start()

    def _prepare(self) -> tuple[Path, str]:
        engine = db.make_engine(self.db_url)
        try:
            self._check_allowed(engine)
            return self._prepare_folder(), self._read_only_url(engine)
        finally:
            engine.dispose()

    def _check_allowed(self, engine) -> None:
        if not users.may_use_lab(engine, self.user.name):
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
        """The analyst's folder, the project's notebooks copied in on the first start.

        Built by root and handed to the account only when complete, contents first, never
        following a link: nothing the account does meanwhile can redirect root's work."""
        account = pwd.getpwnam(self.os_user)
        folder = _root_folder(Path(self.home_root), 0o755) / self.user.name
        if not folder.exists():
            folder.mkdir(mode=0o700)
            shutil.copytree(self.notebooks, folder / "notebooks", symlinks=True)
            for path in (*sorted(folder.rglob("*"), reverse=True), folder):
                os.chown(path, account.pw_uid, account.pw_gid, follow_symlinks=False)
        return folder

    def _read_only_url(self, engine) -> str:
        if self.db_url.startswith("sqlite"):
            # root's own folder, which the account may pass through but not list or change
            copies = _root_folder(Path(self.home_root) / ".salinan", 0o711)
            copy = copies / f"{self.user.name}.sqlite"
            return reporting.read_only_url(reporting.write_copy(engine, copy))
        if not self.analyst_db_url:
            raise web.HTTPError(
                503, "kring hub --analyst-db belum diatur: URL peran analis PostgreSQL."
            )
        return self.analyst_db_url

    def make_preexec_fn(self, name):
        return set_user_setuid(self.os_user, chdir=False)

    def user_env(self, env):
        env.update(
            USER=self.os_user,
            HOME=self.notebook_dir,
            KRING_DB_URL=self._read_url,
            JUPYTER_RUNTIME_DIR=str(Path(self.notebook_dir) / ".jupyter" / "runtime"),
            # the office has no internet: no "Jupyter news" prompt (labconfig/page_config.json)
            JUPYTER_CONFIG_PATH=str(Path(__file__).resolve().parent / "lab_config"),
            **rules.local_dir_env(),
        )
        return env


def _root_folder(path: Path, mode: int) -> Path:
    """``path`` as a real folder owned by root with exactly ``mode`` (created if missing);
    a link or a folder someone else owns or may write is refused."""
    path.mkdir(parents=True, exist_ok=True)
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0:
        raise web.HTTPError(503, f"{path} harus folder milik root (bukan tautan).")
    path.chmod(mode)  # whatever the umask made of it
    return path
