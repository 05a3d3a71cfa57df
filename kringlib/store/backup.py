"""Backups while the workbench runs, and restoring one into an empty database.

SQLite uses its online backup API; PostgreSQL uses ``pg_dump --format=custom`` and
``pg_restore``, found on PATH or among Debian's ``/usr/lib/postgresql/*/bin``.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import sqlalchemy as sa

from kringlib.store.db import safe_url


def backup(engine: sa.Engine, path: str | Path) -> Path:
    """Write a consistent copy of the database to the new file ``path`` (readable by its
    owner only) while others keep reading and writing; refuses to overwrite a file."""
    path = Path(path)
    try:
        out = open(path, "xb", opener=_owner_only)
    except FileExistsError:
        raise ValueError(
            f"Berkas {path} sudah ada; cadangan tidak menimpa berkas, pilih nama lain."
        ) from None
    try:
        with out:
            if _is_sqlite(engine):
                with _sqlite(engine) as source, closing(sqlite3.connect(path)) as target:
                    source.backup(target)
            else:
                _pg_client(engine, "pg_dump", "--format=custom", stdout=out)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def restore(engine: sa.Engine, path: str | Path) -> None:
    """Bring the backup at ``path`` back into the engine's database, which must be empty
    (no table at all, not even a migrated schema)."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"Berkas cadangan {path} tidak ada.")
    tables = sa.inspect(engine).get_table_names()
    if tables:
        raise ValueError(
            f"Basis data {safe_url(str(engine.url))} tidak kosong ({len(tables)} tabel): "
            "pulihkan cadangan hanya ke basis data baru yang kosong."
        )
    if _is_sqlite(engine):
        read_only = f"{path.resolve().as_uri()}?mode=ro"
        with closing(sqlite3.connect(read_only, uri=True)) as source, _sqlite(engine) as target:
            source.backup(target)
    else:
        _pg_client(engine, "pg_restore", "--no-owner", "--exit-on-error", str(path))


def _owner_only(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


def _is_sqlite(engine: sa.Engine) -> bool:
    return engine.url.get_backend_name() == "sqlite"


@contextmanager
def _sqlite(engine: sa.Engine) -> Iterator[sqlite3.Connection]:
    """One of the engine's own sqlite3 connections. Its online backup copies one read
    snapshot (WAL), which a writer holding its transaction open does not block."""
    with closing(engine.raw_connection()) as raw:
        yield raw.driver_connection


def _pg_client(engine: sa.Engine, program: str, *args: str, stdout=None) -> None:
    """Run a PostgreSQL client program on the engine's database; the password goes
    through the environment, never the command line."""
    url = engine.url
    conninfo = sa.URL.create(
        "postgresql", url.username, None, url.host, url.port, url.database, url.query
    ).render_as_string()
    env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    result = subprocess.run(
        [_find(program), f"--dbname={conninfo}", *args],
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
    )
    if result.returncode:
        reason = next(iter(result.stderr.strip().splitlines()), f"kode keluar {result.returncode}")
        raise RuntimeError(f"{program} gagal pada {safe_url(str(url))}: {reason}")


def _find(program: str) -> str:
    found = shutil.which(program) or max(
        glob.glob(f"/usr/lib/postgresql/*/bin/{program}"),
        key=lambda candidate: float(Path(candidate).parts[-3]),
        default=None,
    )
    if found is None:
        raise RuntimeError(f"{program} tidak ditemukan: pasang paket postgresql-client.")
    return found
