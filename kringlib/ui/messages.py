"""Callbacks that never break a dashboard: errors become a short Indonesian message."""

from __future__ import annotations

import functools
import logging

import sqlalchemy as sa

from kringlib.store import db

log = logging.getLogger("kringlib.ui")

GENERIC_ERROR = "Terjadi kesalahan; rincian tercatat di log server."
DATABASE_ERROR = "Basis data tidak dapat dibaca saat ini; coba lagi atau hubungi administrator."
BUSY_ERROR = "Basis data sedang dipakai; coba lagi sebentar lagi. Belum ada yang tersimpan."


def user_message(exc: Exception) -> str:
    """The text shown for ``exc``: its own message for expected errors, a generic one otherwise."""
    if db.is_busy(exc):
        return BUSY_ERROR
    if isinstance(exc, sa.exc.OperationalError):
        return DATABASE_ERROR
    if isinstance(exc, (ValueError, PermissionError, RuntimeError)) and str(exc):
        return str(exc)
    return GENERIC_ERROR


def guarded(method):
    """Run ``method``; on an exception log it and put the message in ``self.error``."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            self.error = ""
            return method(self, *args, **kwargs)
        except Exception as exc:  # a dashboard callback must not die
            log.exception("%s gagal", method.__qualname__)
            self.error = user_message(exc)
            return None

    return wrapper
