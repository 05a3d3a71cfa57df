"""Users with roles, appeals with their disputed items, and an append-only audit trail.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OPEN_APPEAL = "state IN ('diajukan', 'disetujui_tl', 'disetujui_spv')"
IMMUTABLE = {
    "sqlite": [
        "CREATE TRIGGER appeal_audit_no_update BEFORE UPDATE ON appeal_audit "
        "BEGIN SELECT RAISE(ABORT, 'appeal_audit is append-only'); END",
        "CREATE TRIGGER appeal_audit_no_delete BEFORE DELETE ON appeal_audit "
        "BEGIN SELECT RAISE(ABORT, 'appeal_audit is append-only'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION appeal_audit_append_only() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'appeal_audit is append-only'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER appeal_audit_append_only BEFORE UPDATE OR DELETE ON appeal_audit "
        "FOR EACH ROW EXECUTE FUNCTION appeal_audit_append_only()",
    ],
}


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("username", sa.String(80)),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("team_id", sa.String(40)),
        sa.Column("agent_id", sa.String(40)),
        sa.PrimaryKeyConstraint("username", name="pk_app_user"),
        sa.ForeignKeyConstraint(["team_id"], ["team.team_id"], name="fk_app_user_team_id_team"),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agent.agent_id"], name="fk_app_user_agent_id_agent"
        ),
    )
    op.create_table(
        "appeal",
        sa.Column("id", sa.Integer),
        sa.Column("assessment_id", sa.Integer, nullable=False),
        sa.Column("interaction_pk", sa.Integer, nullable=False),
        sa.Column("agent_id", sa.String(40), nullable=False),
        sa.Column("filed_by", sa.String(80), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("compilation_received_on", sa.Date),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("state_version", sa.Integer, nullable=False),
        sa.Column("outcome_assessment_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_appeal"),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessment.id"], name="fk_appeal_assessment_id_assessment"
        ),
        sa.ForeignKeyConstraint(
            ["interaction_pk"], ["interaction.id"], name="fk_appeal_interaction_pk_interaction"
        ),
        sa.ForeignKeyConstraint(["agent_id"], ["agent.agent_id"], name="fk_appeal_agent_id_agent"),
        sa.ForeignKeyConstraint(
            ["outcome_assessment_id"],
            ["assessment.id"],
            name="fk_appeal_outcome_assessment_id_assessment",
        ),
    )
    op.create_index(
        "uq_appeal_open_per_interaction",
        "appeal",
        ["interaction_pk"],
        unique=True,
        sqlite_where=sa.text(OPEN_APPEAL),
        postgresql_where=sa.text(OPEN_APPEAL),
    )
    op.create_table(
        "appeal_item",
        sa.Column("id", sa.Integer),
        sa.Column("appeal_id", sa.Integer, nullable=False),
        sa.Column("item_id", sa.String(80), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("accepted", sa.Boolean),
        sa.PrimaryKeyConstraint("id", name="pk_appeal_item"),
        sa.ForeignKeyConstraint(
            ["appeal_id"], ["appeal.id"], name="fk_appeal_item_appeal_id_appeal"
        ),
    )
    op.create_index("ix_appeal_item_appeal_id", "appeal_item", ["appeal_id"])
    op.create_table(
        "appeal_audit",
        sa.Column("id", sa.Integer),
        sa.Column("appeal_id", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("from_state", sa.String(20)),
        sa.Column("to_state", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_appeal_audit"),
        sa.ForeignKeyConstraint(
            ["appeal_id"], ["appeal.id"], name="fk_appeal_audit_appeal_id_appeal"
        ),
    )
    op.create_index("ix_appeal_audit_appeal_id", "appeal_audit", ["appeal_id"])
    for statement in IMMUTABLE.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER appeal_audit_append_only ON appeal_audit")
        op.execute("DROP FUNCTION appeal_audit_append_only()")
    op.drop_table("appeal_audit")
    op.drop_index("ix_appeal_item_appeal_id", table_name="appeal_item")
    op.drop_table("appeal_item")
    op.drop_index("uq_appeal_open_per_interaction", table_name="appeal")
    op.drop_table("appeal")
    op.drop_table("app_user")
