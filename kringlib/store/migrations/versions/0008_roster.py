"""The organisation over time: team memberships and log-in ids with their dates, and a
versioned, hash-chained record of every roster change.

Agents already stored get a membership in their team, and their agent id as log-in id on
every system (what imports matched until now), from the first day the database holds;
each team and agent carried over is its own first version.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

from kringlib import clock
from kringlib.store import chain

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
    versions = op.create_table(
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
    _carry_over(op.get_bind(), membership, login, versions)


def _carry_over(bind, membership: sa.Table, login: sa.Table, versions: sa.Table) -> None:
    """Memberships, log-ins and first versions for the teams and agents already stored,
    from the first day held."""
    agents = bind.execute(sa.text(
        "SELECT agent_id, name, air_name, tier, primary_channel, team_id FROM agent "
        "ORDER BY agent_id"
    )).mappings().all()  # fmt: skip
    if not agents:
        return
    first = bind.execute(sa.text(
        "SELECT MIN(d) FROM (SELECT MIN(date) AS d FROM agent_activity "
        "UNION ALL SELECT MIN(started_at) FROM interaction) AS firsts"
    )).scalar()  # fmt: skip
    since = _day(first) or clock.today()
    op.bulk_insert(membership, [
        {"agent_id": a["agent_id"], "team_id": a["team_id"], "valid_from": since,
         "valid_to": None}
        for a in agents
    ])  # fmt: skip
    op.bulk_insert(login, [
        {"agent_id": a["agent_id"], "system": s, "login_id": a["agent_id"], "valid_from": since,
         "valid_to": None}
        for a in agents for s in SYSTEMS
    ])  # fmt: skip
    _first_versions(bind, agents, since, versions)


def _first_versions(bind, agents, since: dt.date, versions: sa.Table) -> None:
    """Version 1 of every team and agent, as ``kringlib.store.roster`` records them."""
    teams = bind.execute(sa.text("SELECT team_id, name FROM team ORDER BY team_id")).all()
    leaders = bind.execute(sa.text(
        "SELECT team_id, username FROM app_user WHERE role = 'team_leader' "
        "AND team_id IS NOT NULL ORDER BY username"
    )).all()  # fmt: skip
    period = {"valid_from": since.isoformat(), "valid_to": None}
    base = {"version": 1, "reason": "dibawa dari skema sebelum riwayat roster",
            "changed_by": "migrasi 0008", "changed_at": clock.now()}  # fmt: skip
    rows = [
        {**base, "entity": "tim", "entity_id": t, "snapshot": {
            "team_id": t, "name": name, "leaders": [u for lt, u in leaders if lt == t]}}
        for t, name in teams
    ] + [
        {**base, "entity": "agen", "entity_id": a["agent_id"], "snapshot": {
            **{c: a[c] for c in ("agent_id", "name", "air_name", "tier", "primary_channel")},
            "memberships": [{"team_id": a["team_id"], **period}],
            "logins": [{"system": s, "login_id": a["agent_id"], **period} for s in SYSTEMS],
        }}
        for a in agents
    ]  # fmt: skip
    chain.append_many(bind, versions, rows)


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
