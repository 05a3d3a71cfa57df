"""What a database holds, table by table, to show that a backup or a crash lost or added nothing."""

from __future__ import annotations

import sqlalchemy as sa

from kringlib.store.models import metadata


def table_rows(engine: sa.Engine) -> dict[str, list[tuple]]:
    """Every row of every table of the schema, in primary-key order."""
    with engine.connect() as conn:
        return {
            table.name: [
                tuple(row) for row in conn.execute(sa.select(table).order_by(*table.primary_key))
            ]
            for table in metadata.sorted_tables
        }
