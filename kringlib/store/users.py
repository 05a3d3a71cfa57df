"""Workbench accounts: who they are, their role and team, and how they sign in.

Passwords are stored as argon2id hashes (``argon2-cffi``); repeated failures lock the
account for a while. Every write elsewhere in the store re-reads its actor here, inside
its own transaction, so a forged or stale :class:`~kringlib.access.User` grants nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re

import pandas as pd
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kringlib.access import ROLES, PermissionDenied, User
from kringlib.store import db
from kringlib.store.models import app_user

log = logging.getLogger("kringlib.access")
MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")
_hasher = PasswordHasher()


class UnknownUser(PermissionDenied):
    """No active account of that name."""


def _user(row) -> User:
    return User(row.username, row.role, row.team_id, row.agent_id, row.name)


def acting(conn: sa.Connection, who: User | str) -> User:
    """The actor as the database says now (role, team, agent), read on ``conn``.

    Only the username of ``who`` is used; a disabled or unknown account is refused.
    """
    username = who.username if isinstance(who, User) else who
    row = conn.execute(sa.select(app_user).where(app_user.c.username == username)).one_or_none()
    if row is None or row.disabled:
        log.warning("ditolak: pengguna %r tidak dikenal atau nonaktif", username)
        raise UnknownUser(f"Pengguna tidak dikenal atau nonaktif: {username!r}.")
    return _user(row)


def user(engine: sa.Engine, username: str) -> User:
    """The active user named ``username``; an unknown name is a permission error."""
    with engine.connect() as conn:
        return acting(conn, username)


@contextlib.contextmanager
def refusing(actor: User, what: str):
    """Log a permission error raised in the block (who, what, why), and let it through."""
    try:
        yield
    except PermissionDenied as exc:
        log.warning("ditolak: %s (%s) %s: %s", actor.username, actor.role, what, exc)
        raise


def users(engine: sa.Engine) -> pd.DataFrame:
    """Every account with role, team, agent and whether it is active (no password hashes)."""
    shown = ("username", "name", "role", "team_id", "agent_id", "disabled", "locked_until", "lab")
    columns = [app_user.c[name] for name in shown]
    with engine.connect() as conn:
        return pd.read_sql_query(
            sa.select(*columns).order_by(app_user.c.role, app_user.c.username), conn
        )


def write_users(conn: sa.Connection, frame: pd.DataFrame) -> None:
    """Insert users (username, name, role, team_id, agent_id) without passwords."""
    rows = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    if rows:
        conn.execute(app_user.insert(), rows)


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter.")
    return _hasher.hash(password)


def add_user(
    engine: sa.Engine,
    username: str,
    name: str,
    role: str,
    password: str | None = None,
    *,
    team_id: str | None = None,
    agent_id: str | None = None,
) -> None:
    """Create an account; an agent needs ``agent_id``, a team leader ``team_id``."""
    if not USERNAME.fullmatch(username):
        raise ValueError(
            f"Nama pengguna {username!r} tidak valid: huruf kecil, angka, titik, garis bawah "
            "atau tanda hubung (nama masuk JupyterHub selalu huruf kecil)."
        )
    if role not in ROLES:
        raise ValueError(f"Peran tidak dikenal: {role!r} (pilih {', '.join(ROLES)}).")
    if role == "agent" and not agent_id:
        raise ValueError("Akun agen memerlukan --agent (ID agen).")
    if role == "team_leader" and not team_id:
        raise ValueError("Akun Team Leader memerlukan --team (ID tim).")
    values = dict(username=username, name=name, role=role, team_id=team_id, agent_id=agent_id,
                  password_hash=_check_password(password) if password else None)  # fmt: skip
    try:
        with db.begin_write(engine) as conn:
            conn.execute(app_user.insert().values(**values))
    except sa.exc.IntegrityError as exc:
        raise ValueError(
            f"Akun {username!r} tidak dapat dibuat: nama sudah dipakai, atau tim/agen tidak ada "
            f"({str(exc.orig).splitlines()[0]})."
        ) from None


def _update(engine: sa.Engine, username: str, **values) -> None:
    with db.begin_write(engine) as conn:
        changed = conn.execute(
            app_user.update().where(app_user.c.username == username).values(**values)
        ).rowcount
    if changed != 1:
        raise ValueError(f"Akun tidak ditemukan: {username!r}.")


def set_password(engine: sa.Engine, username: str, password: str) -> None:
    """Set a new password and lift any lock-out."""
    _update(engine, username, password_hash=_check_password(password), failed_logins=0,
            locked_until=None)  # fmt: skip


def set_lab(engine: sa.Engine, username: str, lab: bool = True) -> None:
    """An admin opts in to (or out of) JupyterLab; analysts always have it."""
    if user(engine, username).role != "admin":
        raise ValueError("Pilihan JupyterLab hanya untuk admin; analis selalu mendapatkannya.")
    _update(engine, username, lab=lab)


def may_use_lab(engine: sa.Engine, username: str) -> bool:
    """Whether the hub starts a JupyterLab server for ``username``: an active analyst, or
    an active admin who opted in."""
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(app_user.c.role, app_user.c.lab, app_user.c.disabled).where(
                app_user.c.username == username
            )
        ).one_or_none()
    return (
        row is not None
        and not row.disabled
        and (row.role == "analyst" or (row.role == "admin" and row.lab))
    )


def set_disabled(engine: sa.Engine, username: str, disabled: bool = True) -> None:
    """Disable (or enable again) an account; a disabled account cannot sign in or act."""
    _update(engine, username, disabled=disabled)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.replace(tzinfo=dt.UTC) if moment and moment.tzinfo is None else moment


def authenticate(
    engine: sa.Engine, username: str, password: str, *, now: dt.datetime | None = None
) -> User | None:
    """The user when the password is right and the account active and not locked, else None.

    Each wrong password counts; the :data:`MAX_FAILED_LOGINS`-th locks the account for
    :data:`LOCKOUT`. A right password during the lock-out is refused too.
    """
    now = now or dt.datetime.now(dt.UTC)
    with db.begin_write(engine) as conn:
        row = conn.execute(
            sa.select(app_user).where(app_user.c.username == username).with_for_update()
        ).one_or_none()
        if row is None or row.disabled or not row.password_hash:
            _hasher.hash(password)  # the same work as a real check: no timing hint
            log.warning("masuk gagal: %r tidak dikenal, nonaktif atau tanpa kata sandi", username)
            return None
        if row.locked_until is not None and _aware(row.locked_until) > now:
            log.warning("masuk ditolak: %r terkunci sampai %s", username, row.locked_until)
            return None
        try:
            _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            failed = row.failed_logins + 1
            locked = now + LOCKOUT if failed >= MAX_FAILED_LOGINS else None
            conn.execute(
                app_user.update().where(app_user.c.username == username)
                .values(failed_logins=0 if locked else failed, locked_until=locked)
            )  # fmt: skip
            log.warning("masuk gagal: kata sandi salah untuk %r (%d)", username, failed)
            return None
        values = {"failed_logins": 0, "locked_until": None}
        if _hasher.check_needs_rehash(row.password_hash):
            values["password_hash"] = _hasher.hash(password)
        conn.execute(app_user.update().where(app_user.c.username == username).values(**values))
        return _user(row)


def sync_directory_account(
    engine: sa.Engine,
    username: str,
    name: str,
    role: str,
    team_id: str | None,
    agent_id: str | None,
) -> None:
    """Create or update an account signed in through the office directory (no password
    here: the directory checks it). A disabled account stays disabled and is refused
    (UnknownUser); a team or agent the workbench does not know is a ValueError."""
    values = dict(name=name, role=role, team_id=team_id, agent_id=agent_id)
    with db.begin_write(engine) as conn:
        row = conn.execute(
            sa.select(app_user.c.disabled).where(app_user.c.username == username)
        ).one_or_none()
        if row is not None and row.disabled:
            raise UnknownUser(f"Akun {username!r} nonaktif.")
        statement = (
            app_user.insert().values(username=username, **values)
            if row is None
            else app_user.update().where(app_user.c.username == username).values(**values)
        )
        try:
            with conn.begin_nested():
                conn.execute(statement)
        except sa.exc.IntegrityError:
            raise ValueError(f"Tim {team_id!r} atau agen {agent_id!r} tidak dikenal.") from None
