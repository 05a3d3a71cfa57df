"""Engines, the schema version, and one clear error when the database cannot be reached.

Alembic is imported only where a migration is read or run: a dashboard's kernel, which
only reads and writes rows, never loads it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseUnavailable(RuntimeError):
    """The database URL is malformed or the server cannot be reached."""


class SchemaOutOfDate(RuntimeError):
    """The database is reachable but its schema is not at the latest migration."""


def safe_url(url: str) -> str:
    """The URL with its password hidden, fit for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<URL tidak valid>"


BUSY_TIMEOUT_S = 5
"""How long a write waits for another's lock before it gives up (SQLite, PostgreSQL)."""
STATEMENT_TIMEOUT_S = 60
"""How long one PostgreSQL statement may run."""


def is_busy(exc: BaseException) -> bool:
    """True for the error of a write that waited :data:`BUSY_TIMEOUT_S` for a lock."""
    if not isinstance(exc, sa.exc.OperationalError):
        return False
    text = str(exc.orig).lower()
    return "database is locked" in text or "lock timeout" in text


def _create_private(database: str) -> None:
    """An SQLite file and its folder, created readable by their owner only."""
    path = Path(database)
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def make_engine(url: str) -> sa.Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL and a busy timeout, PostgreSQL
    a lock and a statement timeout.

    Creates a missing SQLite file (and folder) readable by its owner only, unless the URL
    opens it read-only (``?mode=ro&uri=true``, see :mod:`kringlib.store.reporting`).
    Raises :class:`DatabaseUnavailable` when the URL is malformed or names a driver that
    is not installed.
    """
    try:
        parsed = make_url(url)
        sqlite = parsed.get_backend_name() == "sqlite"
        read_only = sqlite and parsed.query.get("mode") == "ro"
        if sqlite and not read_only and parsed.database not in (None, "", ":memory:"):
            _create_private(parsed.database)
        engine = sa.create_engine(parsed, connect_args=_connect_args(parsed))
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError, OSError) as exc:
        raise DatabaseUnavailable(
            f"URL basis data {safe_url(url)} tidak dapat dipakai: {exc} "
            "(contoh: sqlite:///data/kring.sqlite, postgresql://pengguna@host/kring)"
        ) from None
    if sqlite:
        sa.event.listen(engine, "connect", _read_only_pragmas if read_only else _sqlite_pragmas)
    return engine


def _connect_args(url) -> dict:
    if url.get_backend_name() == "sqlite":
        return {"timeout": BUSY_TIMEOUT_S}
    if url.get_backend_name() == "postgresql":
        limits = f"-c lock_timeout={BUSY_TIMEOUT_S}s -c statement_timeout={STATEMENT_TIMEOUT_S}s"
        return {"connect_timeout": 5, "options": limits}
    return {}


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _read_only_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA query_only=ON")  # a second lock on the read-only file


@contextlib.contextmanager
def begin_write(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A transaction that will write: on SQLite it takes the write lock first (BEGIN
    IMMEDIATE), waiting up to :data:`BUSY_TIMEOUT_S` for it. A transaction that read first
    and wrote later could not wait: SQLite refuses at once to upgrade a snapshot that
    another writer has since overtaken."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        yield conn


def absolute_url(engine: sa.Engine) -> str:
    """The engine's URL, password included, with an SQLite path made absolute: for the
    kernels and services the server starts in other folders."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        url = url.set(database=str(Path(url.database).resolve()))
    return url.render_as_string(hide_password=False)


def check_connection(engine: sa.Engine) -> None:
    """Open and close one connection; :class:`DatabaseUnavailable` says why it failed."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailable(
            f"Tidak dapat terhubung ke basis data {safe_url(str(engine.url))}: {reason}"
        ) from None


def _alembic_config(connection: sa.Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration shipped with this version of kringlib."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current_revision(engine: sa.Engine) -> str | None:
    """The migration the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: sa.Engine) -> None:
    """Bring the schema to the newest migration, in one transaction."""
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")


def require_current_schema(engine: sa.Engine) -> None:
    """Raise :class:`SchemaOutOfDate` unless the database is at :func:`head_revision`."""
    current = current_revision(engine)
    if current != head_revision():
        raise SchemaOutOfDate(
            f"Skema basis data {safe_url(str(engine.url))} di revisi {current or 'kosong'}, "
            f"terbaru {head_revision()}: jalankan `kring db upgrade`."
        )
