"""Complaints (SE-11/PJ/2019): the register and the recorded finish of each step, both
append-only and hash-chained.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None
TABLES = ("complaint", "complaint_step")


def _append_only(dialect: str, table: str) -> list[str]:
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            for verb in ("UPDATE", "DELETE")
        ]
    if dialect == "postgresql":
        return [
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{table} is append-only'; END $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()",
        ]
    return []


def upgrade() -> None:
    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer),
        sa.Column("number", sa.String(80), nullable=False),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("category", sa.String(200), nullable=False),
        sa.Column("reported_unit", sa.String(200), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("entered_by", sa.String(80), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("chain_hash", sa.String(64)),
        sa.PrimaryKeyConstraint("id", name="pk_complaint"),
        sa.UniqueConstraint("number", name="uq_complaint_number"),
    )
    op.create_table(
        "complaint_step",
        sa.Column("id", sa.Integer),
        sa.Column("complaint_id", sa.Integer, nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("finished_on", sa.Date, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.String(80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("supersedes_id", sa.Integer),
        sa.Column("chain_hash", sa.String(64)),
        sa.PrimaryKeyConstraint("id", name="pk_complaint_step"),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaint.id"],
                                name="fk_complaint_step_complaint_id_complaint"),
        sa.ForeignKeyConstraint(["supersedes_id"], ["complaint_step.id"],
                                name="fk_complaint_step_supersedes_id_complaint_step"),
    )  # fmt: skip
    op.create_index("ix_complaint_step_complaint_id", "complaint_step", ["complaint_id"])
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        for statement in _append_only(dialect, table):
            op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in reversed(TABLES):
        if postgresql:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            op.execute(f"DROP FUNCTION {table}_append_only()")
        op.drop_table(table)
