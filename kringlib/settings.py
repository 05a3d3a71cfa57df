"""Where the workbench keeps its data: the database URL and the data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DB_URL_ENV = "KRING_DB_URL"
CHECKOUT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The folder for the default SQLite file.

    Inside a source checkout (the package sits next to ``pyproject.toml``) it is the
    checkout's ``data/`` folder; an installed package uses the user's data directory.
    """
    if (CHECKOUT_ROOT / "pyproject.toml").is_file():
        return CHECKOUT_ROOT / "data"
    return Path(platformdirs.user_data_dir("kring", appauthor=False))


def cache_dir() -> Path:
    """The folder for files the workbench makes once and can always make again (the chart
    library the dashboards load): ``data/cache`` in a checkout, else the user's cache."""
    if (CHECKOUT_ROOT / "pyproject.toml").is_file():
        return CHECKOUT_ROOT / "data" / "cache"
    return Path(platformdirs.user_cache_dir("kring", appauthor=False))


def default_db_url() -> str:
    """The embedded default: an SQLite file in :func:`data_dir`."""
    return f"sqlite:///{data_dir() / 'kring.sqlite'}"


def resolve_db_url(explicit: str | None = None) -> str:
    """The database URL: ``explicit`` (``--db``), else ``KRING_DB_URL``, else the default."""
    return explicit or os.environ.get(DB_URL_ENV) or default_db_url()
