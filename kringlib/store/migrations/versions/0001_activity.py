"""Teams, agents, daily agent activity and hourly queue arrivals.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ACTIVITY_MEASURES = (
    "acd_calls", "acd_time", "hold_time", "acw_time", "talk_time", "ring_time",
    "staffed_time", "aux_time", "avail_time", "incoming_calls", "interactions_total",
    "interactions_documented", "chats_answered", "chats_answered_in_sla",
    "emails_assigned", "emails_answered",
)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "team",
        sa.Column("team_id", sa.String(40)),
        sa.Column("name", sa.String(120), nullable=False),
        sa.PrimaryKeyConstraint("team_id", name="pk_team"),
        sa.UniqueConstraint("name", name="uq_team_name"),
    )
    op.create_table(
        "agent",
        sa.Column("agent_id", sa.String(40)),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("air_name", sa.String(60)),
        sa.Column("team_id", sa.String(40), nullable=False),
        sa.Column("tier", sa.String(1)),
        sa.Column("primary_channel", sa.String(20)),
        sa.PrimaryKeyConstraint("agent_id", name="pk_agent"),
        sa.ForeignKeyConstraint(["team_id"], ["team.team_id"], name="fk_agent_team_id_team"),
    )
    op.create_index("ix_agent_team_id", "agent", ["team_id"])
    op.create_table(
        "agent_activity",
        sa.Column("id", sa.Integer),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("agent_id", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        *(sa.Column(name, sa.Float) for name in ACTIVITY_MEASURES),
        sa.Column("source", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_agent_activity"),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agent.agent_id"], name="fk_agent_activity_agent_id_agent"
        ),
        sa.UniqueConstraint("agent_id", "date", "channel", name="uq_agent_activity_key"),
    )
    op.create_index("ix_agent_activity_date", "agent_activity", ["date"])
    op.create_table(
        "queue_hourly",
        sa.Column("id", sa.Integer),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("hour", sa.Integer, nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("offered", sa.Float),
        sa.Column("answered", sa.Float),
        sa.Column("abandoned", sa.Float),
        sa.Column("source", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_queue_hourly"),
        sa.UniqueConstraint("date", "hour", "channel", name="uq_queue_hourly_key"),
    )


def downgrade() -> None:
    op.drop_table("queue_hourly")
    op.drop_index("ix_agent_activity_date", table_name="agent_activity")
    op.drop_table("agent_activity")
    op.drop_index("ix_agent_team_id", table_name="agent")
    op.drop_table("agent")
    op.drop_table("team")
