"""What appeals and Izin Tidak Online share in the database: a state moved by
compare-and-set, and each move written to the request's hash-chained trail."""

from __future__ import annotations

import sqlalchemy as sa

from kringlib import clock
from kringlib.access import AlreadyDecided
from kringlib.store import chain


def move(conn: sa.Connection, table: sa.Table, row, to_state: str, taken: str, **values) -> None:
    """Move ``row`` of ``table`` to ``to_state`` only from the state and version read
    earlier; when someone else moved it first, :class:`AlreadyDecided` with ``taken``."""
    moved = conn.execute(
        table.update()
        .where(table.c.id == row.id, table.c.state == row.state,
               table.c.state_version == row.state_version)
        .values(state=to_state, state_version=row.state_version + 1, **values)
    ).rowcount  # fmt: skip
    if moved != 1:
        raise AlreadyDecided(taken)


def record(conn, trail: sa.Table, request_id: int, actor: str, before, after: str, reason: str):
    """Append one step (who, from which state to which, why, now) to a request's trail."""
    (key,) = (column.name for column in trail.columns if column.foreign_keys)
    values = {key: request_id, "at": clock.now(), "actor": actor, "from_state": before,
              "to_state": after, "reason": reason}  # fmt: skip
    chain.append(conn, trail, values)
