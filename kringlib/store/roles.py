"""Least privilege on PostgreSQL: the workbench connects as a role that owns nothing.

The owner (the role ``kring db upgrade`` runs as) creates and alters tables; the
application's role may read everything but change only what the application changes:
history tables take new rows and nothing else, and an appeal or a disputed item changes
only in the columns its workflow moves. ``kring db roles`` prints these grants or applies
them; run it again after each ``kring db upgrade``.

The analysts' role reads, and only reads, the views of :mod:`kringlib.store.reporting`:
no base table, no password hash, no identifier in clear.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from kringlib.store import reporting

DEFAULT_APP_ROLE = "kring_app"
DEFAULT_ANALYST_ROLE = "kring_analis"
PRIVILEGES: dict[str, str] = {
    # history: new rows only (and tamper-evident, kringlib.store.chain)
    "assessment": "INSERT",
    "appeal_audit": "INSERT",
    "import_batch": "INSERT",
    "system_failure": "INSERT",
    "roster_change": "INSERT",
    "ats_adjustment_audit": "INSERT",
    "complaint": "INSERT",
    "complaint_step": "INSERT",
    # workflows: only the columns they move
    "appeal": "INSERT, UPDATE (state, state_version, outcome_assessment_id)",
    "appeal_item": "INSERT, UPDATE (accepted)",
    "ats_adjustment": "INSERT, UPDATE (state, state_version)",
    # accounts: sign-in failures, lock-outs, directory sync
    "app_user": "INSERT, UPDATE",
    # imported and organisational data, replaced by re-imports
    "agent_activity": "INSERT, UPDATE",
    "queue_hourly": "INSERT, UPDATE, DELETE",
    "agent_session": "INSERT, UPDATE",
    # a re-imported schedule, state log or attendance replaces the same agents' days
    "work_schedule": "INSERT, DELETE",
    "agent_state": "INSERT, DELETE",
    "attendance": "INSERT, UPDATE, DELETE",
    "interaction": "INSERT",
    "team": "INSERT, UPDATE",
    "agent": "INSERT, UPDATE",
    # an agent's periods are rewritten whole with each new version (kept in roster_change)
    "team_membership": "INSERT, DELETE",
    "agent_login": "INSERT, DELETE",
    "workbench_flag": "INSERT, DELETE",
}


def _check_name(role: str) -> None:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise ValueError(f"Nama peran basis data tidak valid: {role!r}.")


def grants(role: str, database: str) -> list[str]:
    """The SQL that gives ``role`` exactly the application's rights on ``database``."""
    _check_name(role)
    statements = [
        f'GRANT CONNECT ON DATABASE "{database}" TO {role}',
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]
    statements += [f"GRANT {rights} ON {table} TO {role}" for table, rights in PRIVILEGES.items()]
    return statements


def analyst_grants(role: str, database: str) -> list[str]:
    """The SQL that lets ``role`` read the analysts' views of ``database`` and nothing
    else: no new objects anywhere (not even temporary ones), sessions that start
    read-only, and time limits so an idle notebook holds no lock for long."""
    _check_name(role)
    return [
        *reporting.view_statements(),
        f'GRANT CONNECT ON DATABASE "{database}" TO {role}',
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f'REVOKE TEMPORARY ON DATABASE "{database}" FROM PUBLIC',
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
        f"GRANT USAGE ON SCHEMA {reporting.SCHEMA} TO {role}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {reporting.SCHEMA} TO {role}",
        f"ALTER ROLE {role} SET search_path = {reporting.SCHEMA}",
        f"ALTER ROLE {role} SET default_transaction_read_only = on",
        f"ALTER ROLE {role} SET statement_timeout = '10min'",
        f"ALTER ROLE {role} SET idle_in_transaction_session_timeout = '1min'",
        f"ALTER ROLE {role} CONNECTION LIMIT 30",
    ]


def apply(
    engine: sa.Engine, role: str = DEFAULT_APP_ROLE, analyst_role: str = DEFAULT_ANALYST_ROLE
) -> list[str]:
    """Create the application's and the analysts' roles (login, no password: set one with
    ALTER ROLE) if missing and grant them their rights, as the owner; returns the
    statements run."""
    if engine.dialect.name != "postgresql":
        raise ValueError("Peran basis data hanya untuk PostgreSQL; SQLite tidak memakainya.")
    database = engine.url.database
    statements = grants(role, database) + analyst_grants(analyst_role, database)
    with engine.begin() as conn:
        for name in (role, analyst_role):
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": name}
            ).first()
            if not exists:
                conn.execute(sa.text(f"CREATE ROLE {name} LOGIN"))
        for statement in statements:
            conn.execute(sa.text(statement))
    return statements
