"""Hash chains over the history tables: assessment versions, appeal audit, import records.

Rows already written are sealed in id order; the appeal audit's append-only trigger is
set aside for that one update and restored.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from kringlib.store import chain

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None
CHAINS = ("assessment", "appeal_audit", "import_batch")  # later chains seal themselves

SQLITE_NO_UPDATE = (
    "CREATE TRIGGER appeal_audit_no_update BEFORE UPDATE ON appeal_audit "
    "BEGIN SELECT RAISE(ABORT, 'appeal_audit is append-only'); END"
)
PAUSE_TRIGGER = {
    "sqlite": ("DROP TRIGGER appeal_audit_no_update", SQLITE_NO_UPDATE),
    "postgresql": (
        "ALTER TABLE appeal_audit DISABLE TRIGGER appeal_audit_append_only",
        "ALTER TABLE appeal_audit ENABLE TRIGGER appeal_audit_append_only",
    ),
}


def upgrade() -> None:
    bind = op.get_bind()
    pause, resume = PAUSE_TRIGGER[bind.dialect.name]
    for name in CHAINS:
        op.add_column(name, sa.Column("chain_hash", sa.String(64)))
    op.execute(pause)
    for name in CHAINS:
        chain.seal(bind, name)
    op.execute(resume)


def downgrade() -> None:
    for name in CHAINS:
        with op.batch_alter_table(name) as batch:
            batch.drop_column("chain_hash")
