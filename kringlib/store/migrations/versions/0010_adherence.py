"""Adherence to Schedule: the WFM schedule, agent states (CMS events or interval reports),
SIKKA attendance, and the "Izin Tidak Online" adjustments with their chained audit trail.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None
APPEND_ONLY = {
    "sqlite": [
        f"CREATE TRIGGER ats_adjustment_audit_no_{verb.lower()} BEFORE {verb} ON "
        "ats_adjustment_audit BEGIN SELECT RAISE(ABORT, 'ats_adjustment_audit is append-only'); END"
        for verb in ("UPDATE", "DELETE")
    ],
    "postgresql": [
        "CREATE FUNCTION ats_adjustment_audit_append_only() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'ats_adjustment_audit is append-only'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER ats_adjustment_audit_append_only BEFORE UPDATE OR DELETE ON "
        "ats_adjustment_audit FOR EACH ROW EXECUTE FUNCTION ats_adjustment_audit_append_only()",
    ],
}


def _agent(table: str) -> list:
    return [
        sa.Column("id", sa.Integer),
        sa.Column("agent_id", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
        sa.ForeignKeyConstraint(["agent_id"], ["agent.agent_id"],
                                name=f"fk_{table}_agent_id_agent"),
    ]  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "work_schedule",
        *_agent("work_schedule"),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("start", sa.DateTime, nullable=False),
        sa.Column("end", sa.DateTime, nullable=False),
        sa.Column("activity", sa.String(40), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
    )
    op.create_index("ix_work_schedule_agent_date", "work_schedule", ["agent_id", "date"])
    op.create_table(
        "agent_state",
        *_agent("agent_state"),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("start", sa.DateTime, nullable=False),
        sa.Column("end", sa.DateTime, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("reason_code", sa.String(20)),
        sa.Column("basis", sa.String(20), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
    )
    op.create_index("ix_agent_state_agent_date", "agent_state", ["agent_id", "date"])
    op.create_table(
        "attendance",
        *_agent("attendance"),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("check_in", sa.DateTime),
        sa.Column("check_out", sa.DateTime),
        sa.Column("status", sa.String(20)),
        sa.Column("source", sa.String(200), nullable=False),
        sa.UniqueConstraint("agent_id", "date", name="uq_attendance_key"),
    )
    op.create_table(
        "ats_adjustment",
        *_agent("ats_adjustment"),
        sa.Column("reason", sa.String(30), nullable=False),
        sa.Column("start", sa.DateTime, nullable=False),
        sa.Column("end", sa.DateTime, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("outage_id", sa.Integer),
        sa.Column("filed_by", sa.String(80), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.Date),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("state_version", sa.Integer, nullable=False),
    )
    op.create_index("ix_ats_adjustment_agent_id", "ats_adjustment", ["agent_id"])
    op.create_table(
        "ats_adjustment_audit",
        sa.Column("id", sa.Integer),
        sa.Column("adjustment_id", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("from_state", sa.String(20)),
        sa.Column("to_state", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("chain_hash", sa.String(64)),
        sa.PrimaryKeyConstraint("id", name="pk_ats_adjustment_audit"),
        sa.ForeignKeyConstraint(["adjustment_id"], ["ats_adjustment.id"],
                                name="fk_ats_adjustment_audit_adjustment_id_ats_adjustment"),
    )  # fmt: skip
    op.create_index(
        "ix_ats_adjustment_audit_adjustment_id", "ats_adjustment_audit", ["adjustment_id"]
    )
    for statement in APPEND_ONLY.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER ats_adjustment_audit_append_only ON ats_adjustment_audit")
        op.execute("DROP FUNCTION ats_adjustment_audit_append_only()")
    for table in ("ats_adjustment_audit", "ats_adjustment", "attendance", "agent_state",
                  "work_schedule"):  # fmt: skip
        op.drop_table(table)
