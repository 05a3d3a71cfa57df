"""The organisation over time: team memberships and log-in ids with their dates, and a
versioned, hash-chained record of every roster change.

Agents already stored get a membership in their team, and their agent id as log-in id on
every system (what imports matched until now), from the first day the database holds.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None
SYSTEMS = ("avaya", "chat", "email", "twitter")


def upgrade() -> None:
    membership = op.create_table(
        "team_membership",
        sa.Column("id", sa.Integer),
        sa.Column("agent_id", sa.String(40), nullable=False),
        sa.Column("team_id", sa.String(40), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date),
        sa.PrimaryKeyConstraint("id", name="pk_team_membership"),
        sa.ForeignKeyConstraint(["agent_id"], ["agent.agent_id"],
                                name="fk_team_membership_agent_id_agent"),
        sa.ForeignKeyConstraint(["team_id"], ["team.team_id"],
                                name="fk_team_membership_team_id_team"),
    )  # fmt: skip
    op.create_index("ix_team_membership_agent_id", "team_membership", ["agent_id"])
    login = op.create_table(
        "agent_login",
        sa.Column("id", sa.Integer),
        sa.Column("agent_id", sa.String(40), nullable=False),
        sa.Column("system", sa.String(20), nullable=False),
        sa.Column("login_id", sa.String(80), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date),
        sa.PrimaryKeyConstraint("id", name="pk_agent_login"),
        sa.ForeignKeyConstraint(["agent_id"], ["agent.agent_id"],
                                name="fk_agent_login_agent_id_agent"),
    )  # fmt: skip
    op.create_index("ix_agent_login_agent_id", "agent_login", ["agent_id"])
    op.create_index("ix_agent_login_system_login", "agent_login", ["system", "login_id"])
    op.create_table(
        "roster_change",
        sa.Column("id", sa.Integer),
        sa.Column("entity", sa.String(10), nullable=False),
        sa.Column("entity_id", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("snapshot", sa.JSON, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("changed_by", sa.String(80), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("chain_hash", sa.String(64)),
        sa.PrimaryKeyConstraint("id", name="pk_roster_change"),
        sa.UniqueConstraint("entity", "entity_id", "version", name="uq_roster_change_version"),
    )
    _carry_over(op.get_bind(), membership, login)


def _carry_over(bind, membership: sa.Table, login: sa.Table) -> None:
    """Memberships and log-ins for the agents already stored, from the first day held."""
    agents = bind.execute(sa.text("SELECT agent_id, team_id FROM agent")).all()
    if not agents:
        return
    first = bind.execute(sa.text(
        "SELECT MIN(d) FROM (SELECT MIN(date) AS d FROM agent_activity "
        "UNION ALL SELECT MIN(started_at) FROM interaction) AS firsts"
    )).scalar()  # fmt: skip
    since = _day(first) or dt.date.today()
    op.bulk_insert(membership, [
        {"agent_id": a, "team_id": t, "valid_from": since, "valid_to": None} for a, t in agents
    ])  # fmt: skip
    op.bulk_insert(login, [
        {"agent_id": a, "system": s, "login_id": a, "valid_from": since, "valid_to": None}
        for a, _ in agents for s in SYSTEMS
    ])  # fmt: skip


def _day(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    return dt.date.fromisoformat(str(value)[:10])


def downgrade() -> None:
    op.drop_table("roster_change")
    op.drop_index("ix_agent_login_system_login", table_name="agent_login")
    op.drop_index("ix_agent_login_agent_id", table_name="agent_login")
    op.drop_table("agent_login")
    op.drop_index("ix_team_membership_agent_id", table_name="team_membership")
    op.drop_table("team_membership")
