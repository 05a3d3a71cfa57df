"""A cheap fingerprint of what the database holds, to tell whether a page's data is stale."""

from __future__ import annotations

import sqlalchemy as sa

from kringlib.store.models import agent, agent_activity, appeal_audit, assessment, import_batch


def data_stamp(engine: sa.Engine) -> tuple:
    """Counts and newest ids that move whenever data is imported, assessed or appealed."""
    with engine.connect() as conn:
        return conn.execute(
            sa.select(
                sa.select(sa.func.count()).select_from(agent_activity).scalar_subquery(),
                sa.select(sa.func.count()).select_from(agent).scalar_subquery(),
                sa.select(sa.func.max(import_batch.c.id)).scalar_subquery(),
                sa.select(sa.func.max(assessment.c.id)).scalar_subquery(),
                sa.select(sa.func.max(appeal_audit.c.id)).scalar_subquery(),
            )
        ).one()
