"""Avaya CMS reports as CMS writes them: where a queue's calls offered came from, and the
agents' log-in periods from the login/logout report.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("queue_hourly") as batch:
        batch.add_column(sa.Column("offered_basis", sa.String(120)))
    op.create_table(
        "agent_session",
        sa.Column("id", sa.Integer),
        sa.Column("agent_id", sa.String(40), nullable=False),
        sa.Column("login_at", sa.DateTime, nullable=False),
        sa.Column("logout_at", sa.DateTime),
        sa.Column("extension", sa.String(20)),
        sa.Column("split", sa.String(80)),
        sa.Column("source", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_agent_session"),
        sa.ForeignKeyConstraint(["agent_id"], ["agent.agent_id"],
                                name="fk_agent_session_agent_id_agent"),
        sa.UniqueConstraint("agent_id", "login_at", name="uq_agent_session_key"),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("agent_session")
    with op.batch_alter_table("queue_hourly") as batch:
        batch.drop_column("offered_basis")
