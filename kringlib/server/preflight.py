"""Checks made before the server starts, each failing with one line the user can act on."""

from __future__ import annotations

import errno
import ipaddress
import os
import shutil
import socket
from pathlib import Path

from kringlib import settings

DASHBOARDS_ENV = "KRING_DASHBOARDS"


class ServeError(RuntimeError):
    """A setting that keeps the server from starting; the message is one line for the user."""


def dashboards_dir(explicit: str | None = None) -> Path:
    """The folder of dashboard notebooks: ``explicit``, ``KRING_DASHBOARDS``, or the checkout's."""
    default = settings.CHECKOUT_ROOT / "dashboards"
    folder = Path(explicit or os.environ.get(DASHBOARDS_ENV) or default)
    if not folder.is_dir():
        raise ServeError(f"Folder dasbor tidak ditemukan: {folder}")
    return folder.resolve()


def ensure_port_free(host: str, port: int) -> None:
    """Raise :class:`ServeError` when ``port`` cannot be bound on ``host``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((socket.gethostbyname(host), port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServeError(
                    f"Port {port} sudah dipakai program lain; pilih port lain dengan --port."
                ) from None
            raise ServeError(f"Tidak dapat membuka port {port} di {host}: {exc.strerror}") from None


def require_loopback(host: str) -> None:
    """``kring serve`` is for one person on this machine: refuse any other address."""
    try:
        loopback = ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        loopback = False
    if not loopback:
        raise ServeError(
            f"`kring serve` hanya untuk komputer ini (localhost), bukan {host}; "
            "untuk jaringan kantor jalankan `kring hub`, tempat setiap pengguna masuk."
        )


def require_proxy() -> None:
    """JupyterHub needs ``configurable-http-proxy`` (npm) on the PATH."""
    if shutil.which("configurable-http-proxy") is None:
        raise ServeError(
            "configurable-http-proxy tidak ditemukan; pasang dengan "
            "`npm install -g configurable-http-proxy`."
        )
