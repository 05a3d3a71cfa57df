"""Sign-in: password hashes and lock-out on users; workbench flags; system-failure records.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("password_hash", sa.String(255)))
        batch.add_column(
            sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", sa.DateTime(timezone=True)))
    op.create_table(
        "workbench_flag",
        sa.Column("name", sa.String(40)),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("set_by", sa.String(80), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_workbench_flag"),
    )
    op.create_table(
        "system_failure",
        sa.Column("id", sa.Integer),
        sa.Column("assessed_from", sa.Date, nullable=False),
        sa.Column("assessed_to", sa.Date, nullable=False),
        sa.Column("compilation_received_on", sa.Date, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("entered_by", sa.String(80), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_system_failure"),
    )


def downgrade() -> None:
    op.drop_table("system_failure")
    op.drop_table("workbench_flag")
    with op.batch_alter_table("app_user") as batch:
        for column in ("locked_until", "failed_logins", "disabled", "password_hash"):
            batch.drop_column(column)
