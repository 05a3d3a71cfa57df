"""A throwaway PostgreSQL cluster from Debian's server binaries, for the store's tests.

The server refuses to run as root, so as root the cluster belongs to the ``postgres``
user (``runuser``). Without the binaries the tests skip, unless KRING_REQUIRE_POSTGRES=1
(set by .ci/run after installing them), where they fail.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def require_postgres_or_skip() -> Path:
    """The server binaries' folder; skip (or fail under KRING_REQUIRE_POSTGRES=1) without."""
    bindir = _bindir()
    if bindir is None:
        reason = "PostgreSQL server tidak terpasang (apt-get install postgresql)"
        if os.environ.get("KRING_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"KRING_REQUIRE_POSTGRES=1 tetapi {reason}")
        pytest.skip(reason)
    return bindir


class Cluster:
    """One PostgreSQL server on a free loopback port, in a temporary folder."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="kring-pg-"))
        self.folder.chmod(0o755)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_owner:
            shutil.chown(self.folder, "postgres", "postgres")
        data = self.folder / "data"
        self._run("initdb", "-D", data, "-U", "kring", "--auth=trust", "-E", "UTF8",
                  "--locale=C")  # fmt: skip
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")  # fmt: skip
        self._run("pg_ctl", "-D", data, "-o", options, "-l", self.folder / "log", "-w", "start")

    def _run(self, program: str, *args) -> None:
        command = [*self.as_owner, str(self.bindir / program), *map(str, args)]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://kring@127.0.0.1:{self.port}/{database}"

    def new_database(self, template: str | None = None) -> str:
        """A fresh database, empty or a copy of database ``template``; returns its URL."""
        import sqlalchemy as sa

        name = f"t_{uuid.uuid4().hex[:12]}"
        copy = f' TEMPLATE "{template}"' if template else ""
        admin = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"{copy}'))
        admin.dispose()
        return self.url(name)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", self.folder / "data", "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
