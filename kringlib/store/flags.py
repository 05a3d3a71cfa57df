"""Facts about the database itself, written by the workbench: e.g. that ``kring demo`` made it."""

from __future__ import annotations

import sqlalchemy as sa

from kringlib import clock
from kringlib.store.models import import_batch, workbench_flag

DEMO = "demo"


def set_flag(conn: sa.Connection, name: str, value: str, set_by: str) -> None:
    """Write (or replace) one flag inside the caller's transaction."""
    conn.execute(workbench_flag.delete().where(workbench_flag.c.name == name))
    conn.execute(
        workbench_flag.insert().values(name=name, value=value, set_by=set_by, set_at=clock.now())
    )


def demo_allowed(engine: sa.Engine) -> bool:
    """True only for a database that ``kring demo`` filled and no real import has touched.

    The mark is a flag only the demo loader writes, not a data source name an import could
    imitate; once any import is committed the database holds real data and demo mode ends.
    """
    with engine.connect() as conn:
        marked = conn.execute(
            sa.select(workbench_flag.c.value).where(workbench_flag.c.name == DEMO)
        ).scalar_one_or_none()
        imported = conn.execute(sa.select(import_batch.c.id).limit(1)).first()
    return marked == "1" and imported is None
