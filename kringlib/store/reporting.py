"""What analysts read: every table, minus secrets, with taxpayer identifiers masked.

Analysts run their own code, so what they may read is enforced by the database, not by
a notebook's good manners. On PostgreSQL their role reads the views of schema
:data:`SCHEMA`, which carry the tables' names (their ``search_path`` points there), so
``kringlib``'s queries run unchanged against them; the base tables are out of reach. On
SQLite they get a copy made for them (:func:`write_copy`), the same columns hidden and
masked, opened read-only.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from kringlib.ids import IDENTIFIER, MASK, mask_identifiers
from kringlib.store import backup, chain
from kringlib.store.models import metadata

SCHEMA = "analis"
HIDDEN: dict[str, dict[str, str]] = {
    "app_user": {"password_hash": "NULL", "failed_logins": "0", "locked_until": "NULL"},
    # a hash over the unmasked text would let a masked identifier be guessed offline
    **{table: {"chain_hash": "NULL"} for table in chain.CHAINED},
}
"""Columns analysts never read (sign-in secrets and state, hashes over clear text), and
the blank they read instead: the tables keep their shape, so every query of ``kringlib``
still runs."""
FREE_TEXT: dict[str, tuple[str, ...]] = {
    "interaction": ("topic",),
    "assessment": ("notes",),
    "appeal_item": ("reason",),
    "appeal_audit": ("reason",),
    "system_failure": ("note",),
    "ats_adjustment": ("evidence",),
    "ats_adjustment_audit": ("reason",),
    "complaint": ("summary",),
    "complaint_step": ("note",),
}
"""Text typed by people, where an NPWP or NIK may have been written down."""


def view_statements() -> list[str]:
    """PostgreSQL: the schema and one view per table of the workbench (run as the owner)."""
    quote = postgresql.dialect().identifier_preparer.quote  # "end" is a keyword
    statements = [f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"]
    for table in metadata.sorted_tables:
        columns = []
        for column in table.columns:
            name = quote(column.name)
            blank = HIDDEN.get(table.name, {}).get(column.name)
            if blank is not None:
                kind = column.type.compile(dialect=postgresql.dialect())
                columns.append(f"CAST({blank} AS {kind}) AS {name}")
            elif column.name in FREE_TEXT.get(table.name, ()):
                columns.append(f"regexp_replace({name}, '{IDENTIFIER}', '{MASK}', 'g') AS {name}")
            else:
                columns.append(name)
        statements.append(
            f"CREATE OR REPLACE VIEW {SCHEMA}.{table.name} AS "
            f"SELECT {', '.join(columns)} FROM public.{table.name}"
        )
    return statements


def write_copy(engine: sa.Engine, path: str | Path) -> Path:
    """SQLite: replace ``path`` with a fresh copy of the database for analysts, hidden
    columns emptied and identifiers masked, readable by everyone and writable by nobody."""
    path = Path(path)
    partial = path.with_name(path.name + ".baru")
    partial.unlink(missing_ok=True)
    backup.backup(engine, partial)
    try:
        _hide_and_mask(partial)
    except BaseException:
        partial.unlink(missing_ok=True)  # never leave the unmasked copy behind
        raise
    os.chmod(partial, 0o444)
    partial.replace(path)
    return path


def _hide_and_mask(partial: Path) -> None:
    with closing(sqlite3.connect(partial)) as copy:
        # the copy is nobody's history: the append-only triggers would refuse the masking
        triggers = copy.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        for (trigger,) in triggers.fetchall():
            copy.execute(f'DROP TRIGGER "{trigger}"')
        copy.create_function("mask_identifiers", 1, mask_identifiers, deterministic=True)
        for table, blanks in HIDDEN.items():
            copy.execute(f"UPDATE {table} SET {', '.join(f'{c} = {b}' for c, b in blanks.items())}")
        for table, columns in FREE_TEXT.items():
            masked = ", ".join(f"{c} = mask_identifiers({c})" for c in columns)
            copy.execute(f"UPDATE {table} SET {masked}")
        copy.commit()
        copy.execute("PRAGMA journal_mode = DELETE")  # read-only readers need no -shm file
        copy.execute("VACUUM")  # no trace of the hidden values left in free pages


def read_only_url(path: str | Path) -> str:
    """The URL that opens an SQLite copy read-only."""
    return f"sqlite:///file:{Path(path).resolve()}?mode=ro&uri=true"
