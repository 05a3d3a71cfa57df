"""Interactions to assess and versioned quality assessments.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "interaction",
        sa.Column("id", sa.Integer),
        sa.Column("interaction_id", sa.String(80), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("agent_id", sa.String(40), nullable=False),
        sa.Column("topic", sa.String(200)),
        sa.Column("source", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_interaction"),
        sa.UniqueConstraint("interaction_id", name="uq_interaction_interaction_id"),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agent.agent_id"], name="fk_interaction_agent_id_agent"
        ),
    )
    op.create_index("ix_interaction_agent_id", "interaction", ["agent_id"])
    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer),
        sa.Column("interaction_pk", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("supersedes_id", sa.Integer),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("assessor", sa.String(120), nullable=False),
        sa.Column("rubric_version", sa.String(60), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("agent_id", sa.String(40), nullable=False),
        sa.Column("interaction_at", sa.DateTime, nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("context", sa.JSON, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("total", sa.Float, nullable=False),
        sa.Column("by_section", sa.JSON, nullable=False),
        sa.Column("derived", sa.JSON, nullable=False),
        sa.Column("auto_fail", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_assessment"),
        sa.ForeignKeyConstraint(
            ["interaction_pk"], ["interaction.id"], name="fk_assessment_interaction_pk_interaction"
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["assessment.id"], name="fk_assessment_supersedes_id_assessment"
        ),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agent.agent_id"], name="fk_assessment_agent_id_agent"
        ),
        sa.UniqueConstraint("interaction_pk", "version", name="uq_assessment_version"),
    )
    op.create_index("ix_assessment_agent_id", "assessment", ["agent_id"])


def downgrade() -> None:
    op.drop_index("ix_assessment_agent_id", table_name="assessment")
    op.drop_table("assessment")
    op.drop_index("ix_interaction_agent_id", table_name="interaction")
    op.drop_table("interaction")
