"""The database schema (SQLAlchemy Core tables). Alembic migrations create and evolve it."""

from __future__ import annotations

import sqlalchemy as sa

from kringlib.canonical import ACTIVITY_MEASURES, QUEUE_MEASURES

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

team = sa.Table(
    "team",
    metadata,
    sa.Column("team_id", sa.String(40), primary_key=True),
    sa.Column("name", sa.String(120), nullable=False, unique=True),
)

agent = sa.Table(
    "agent",
    metadata,
    sa.Column("agent_id", sa.String(40), primary_key=True),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("air_name", sa.String(60)),
    # The team of the latest membership (team_membership holds who was where when).
    sa.Column("team_id", sa.ForeignKey("team.team_id"), nullable=False, index=True),
    sa.Column("tier", sa.String(1)),
    sa.Column("primary_channel", sa.String(20)),
)

team_membership = sa.Table(
    "team_membership",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("agent_id", sa.ForeignKey("agent.agent_id"), nullable=False, index=True),
    sa.Column("team_id", sa.ForeignKey("team.team_id"), nullable=False),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_to", sa.Date),  # the last day; NULL: still
)

agent_login = sa.Table(
    "agent_login",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("agent_id", sa.ForeignKey("agent.agent_id"), nullable=False, index=True),
    sa.Column("system", sa.String(20), nullable=False),  # kringlib.roster.SYSTEMS
    sa.Column("login_id", sa.String(80), nullable=False),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_to", sa.Date),
)
sa.Index("ix_agent_login_system_login", agent_login.c.system, agent_login.c.login_id)

roster_change = sa.Table(
    "roster_change",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("entity", sa.String(10), nullable=False),  # "tim" or "agen"
    sa.Column("entity_id", sa.String(40), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("snapshot", sa.JSON, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("changed_by", sa.String(80), nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("chain_hash", sa.String(64)),  # kringlib.store.chain
    sa.UniqueConstraint("entity", "entity_id", "version", name="uq_roster_change_version"),
)

agent_activity = sa.Table(
    "agent_activity",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("agent_id", sa.ForeignKey("agent.agent_id"), nullable=False),
    sa.Column("channel", sa.String(20), nullable=False),
    *(sa.Column(name, sa.Float) for name in ACTIVITY_MEASURES),
    sa.Column("source", sa.String(200), nullable=False),
    sa.UniqueConstraint("agent_id", "date", "channel", name="uq_agent_activity_key"),
)
sa.Index("ix_agent_activity_date", agent_activity.c.date)

queue_hourly = sa.Table(
    "queue_hourly",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("hour", sa.Integer, nullable=False),
    sa.Column("channel", sa.String(20), nullable=False),
    *(sa.Column(name, sa.Float) for name in QUEUE_MEASURES),
    sa.Column("offered_basis", sa.String(120)),  # the report's column(s) calls offered came from
    sa.Column("source", sa.String(200), nullable=False),
    sa.UniqueConstraint("date", "hour", "channel", name="uq_queue_hourly_key"),
)

agent_session = sa.Table(
    "agent_session",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("agent_id", sa.ForeignKey("agent.agent_id"), nullable=False),
    sa.Column("login_at", sa.DateTime, nullable=False),  # Jakarta time, as the switch writes it
    sa.Column("logout_at", sa.DateTime),  # NULL: still logged in when the report was run
    sa.Column("extension", sa.String(20)),
    sa.Column("split", sa.String(80)),
    sa.Column("source", sa.String(200), nullable=False),
    sa.UniqueConstraint("agent_id", "login_at", name="uq_agent_session_key"),
)

import_batch = sa.Table(
    "import_batch",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("row_count", sa.Integer, nullable=False),
    sa.Column("warning_count", sa.Integer, nullable=False),
    sa.Column("first_day", sa.Date),
    sa.Column("last_day", sa.Date),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("imported_by", sa.String(120), nullable=False),
    sa.Column("chain_hash", sa.String(64)),  # kringlib.store.chain
)

interaction = sa.Table(
    "interaction",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("interaction_id", sa.String(80), nullable=False, unique=True),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("agent_id", sa.ForeignKey("agent.agent_id"), nullable=False, index=True),
    sa.Column("topic", sa.String(200)),
    sa.Column("source", sa.String(200), nullable=False),
)

assessment = sa.Table(
    "assessment",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("interaction_pk", sa.ForeignKey("interaction.id"), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("supersedes_id", sa.ForeignKey("assessment.id")),
    sa.Column("reason", sa.String(200), nullable=False),
    sa.Column("assessor", sa.String(120), nullable=False),
    sa.Column("rubric_version", sa.String(60), nullable=False),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("agent_id", sa.ForeignKey("agent.agent_id"), nullable=False, index=True),
    sa.Column("interaction_at", sa.DateTime, nullable=False),
    sa.Column("answers", sa.JSON, nullable=False),
    sa.Column("context", sa.JSON, nullable=False),
    sa.Column("notes", sa.Text, nullable=False),
    sa.Column("total", sa.Float, nullable=False),
    sa.Column("by_section", sa.JSON, nullable=False),
    sa.Column("derived", sa.JSON, nullable=False),
    sa.Column("auto_fail", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("chain_hash", sa.String(64)),  # kringlib.store.chain
    sa.UniqueConstraint("interaction_pk", "version", name="uq_assessment_version"),
)

app_user = sa.Table(
    "app_user",
    metadata,
    sa.Column("username", sa.String(80), primary_key=True),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("team_id", sa.ForeignKey("team.team_id")),
    sa.Column("agent_id", sa.ForeignKey("agent.agent_id")),
    sa.Column("password_hash", sa.String(255)),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
    sa.Column("lab", sa.Boolean, nullable=False, server_default=sa.false()),  # an admin's opt-in
)

workbench_flag = sa.Table(
    "workbench_flag",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
    sa.Column("set_by", sa.String(80), nullable=False),
    sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
)

system_failure = sa.Table(
    "system_failure",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("assessed_from", sa.Date, nullable=False),
    sa.Column("assessed_to", sa.Date, nullable=False),
    sa.Column("compilation_received_on", sa.Date, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("entered_by", sa.String(80), nullable=False),
    sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
)

OPEN_APPEAL = "state IN ('diajukan', 'disetujui_tl', 'disetujui_spv')"

appeal = sa.Table(
    "appeal",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("assessment_id", sa.ForeignKey("assessment.id"), nullable=False),
    sa.Column("interaction_pk", sa.ForeignKey("interaction.id"), nullable=False),
    sa.Column("agent_id", sa.ForeignKey("agent.agent_id"), nullable=False),
    sa.Column("filed_by", sa.String(80), nullable=False),
    sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("deadline", sa.Date, nullable=False),
    sa.Column("compilation_received_on", sa.Date),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("state_version", sa.Integer, nullable=False),
    sa.Column("outcome_assessment_id", sa.ForeignKey("assessment.id")),
)
sa.Index(
    "uq_appeal_open_per_interaction",
    appeal.c.interaction_pk,
    unique=True,
    sqlite_where=sa.text(OPEN_APPEAL),
    postgresql_where=sa.text(OPEN_APPEAL),
)

appeal_item = sa.Table(
    "appeal_item",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("appeal_id", sa.ForeignKey("appeal.id"), nullable=False, index=True),
    sa.Column("item_id", sa.String(80), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("accepted", sa.Boolean),
)


def _audit_trail(name: str, key: str, subject: str) -> sa.Table:
    """A request's trail (kringlib.store.chain, append-only): who moved it from which
    state to which, when and why."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(key, sa.ForeignKey(f"{subject}.id"), nullable=False, index=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("from_state", sa.String(20)),
        sa.Column("to_state", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("chain_hash", sa.String(64)),  # kringlib.store.chain
    )


appeal_audit = _audit_trail("appeal_audit", "appeal_id", "appeal")


# Adherence to Schedule (kringlib.adherence): the WFM schedule, the agents' states, SIKKA
# attendance, and the "Izin Tidak Online" adjustments with their chained audit trail.
def _agent_periods(name: str, *columns: sa.Column) -> sa.Table:
    """An agent's periods of one kind, naive Jakarta moments; ``date`` is the day each
    starts, by which a re-import replaces an agent's days."""
    table = sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("agent_id", sa.ForeignKey("agent.agent_id"), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("start", sa.DateTime, nullable=False),
        sa.Column("end", sa.DateTime, nullable=False),
        *columns,
        sa.Column("source", sa.String(200), nullable=False),
    )
    sa.Index(f"ix_{name}_agent_date", table.c.agent_id, table.c.date)
    return table


work_schedule = _agent_periods(
    "work_schedule", sa.Column("activity", sa.String(40), nullable=False)
)
agent_state = _agent_periods(
    "agent_state",
    sa.Column("state", sa.String(10), nullable=False),  # kringlib.adherence.STATES
    sa.Column("reason_code", sa.String(20)),  # the AUX reason code, when the source gives one
    sa.Column("basis", sa.String(20), nullable=False),  # "events" or "interval": which source
)

attendance = sa.Table(
    "attendance",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("agent_id", sa.ForeignKey("agent.agent_id"), nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("check_in", sa.DateTime),  # NULL: no presence recorded
    sa.Column("check_out", sa.DateTime),
    sa.Column("status", sa.String(20)),  # SIKKA's absence status (sakit, cuti, izin, alpha)
    sa.Column("source", sa.String(200), nullable=False),
    sa.UniqueConstraint("agent_id", "date", name="uq_attendance_key"),
)

ats_adjustment = sa.Table(
    "ats_adjustment",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("agent_id", sa.ForeignKey("agent.agent_id"), nullable=False, index=True),
    sa.Column("reason", sa.String(30), nullable=False),  # rules/ats.yaml reasons
    sa.Column("start", sa.DateTime, nullable=False),
    sa.Column("end", sa.DateTime, nullable=False),
    sa.Column("evidence", sa.Text, nullable=False),
    sa.Column("origin", sa.String(20), nullable=False),  # agent, sikka or outage
    sa.Column("outage_id", sa.Integer),  # the SPV's one entry for many agents
    sa.Column("filed_by", sa.String(80), nullable=False),
    sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("deadline", sa.Date),  # NULL: not filed by the agent (SIKKA, outage)
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("state_version", sa.Integer, nullable=False),
)

ats_adjustment_audit = _audit_trail("ats_adjustment_audit", "adjustment_id", "ats_adjustment")

# Complaints (kringlib.complaints, SE-11/PJ/2019): each complaint registered once, and the
# finish of each step recorded once; a correction is a new record superseding the earlier
# one. Both are history (kringlib.store.chain, append-only).
complaint = sa.Table(
    "complaint",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("number", sa.String(80), nullable=False, unique=True),
    sa.Column("received_on", sa.Date, nullable=False),
    sa.Column("channel", sa.String(20), nullable=False),  # rules/pengaduan.yaml channels
    sa.Column("category", sa.String(200), nullable=False),  # the IVR/CRM topic, free text
    sa.Column("reported_unit", sa.String(200), nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("entered_by", sa.String(80), nullable=False),
    sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("source", sa.String(200), nullable=False),  # "" when typed, else the file
    sa.Column("chain_hash", sa.String(64)),  # kringlib.store.chain
)

complaint_step = sa.Table(
    "complaint_step",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("complaint_id", sa.ForeignKey("complaint.id"), nullable=False, index=True),
    sa.Column("step", sa.Integer, nullable=False),
    sa.Column("finished_on", sa.Date, nullable=False),
    sa.Column("note", sa.Text, nullable=False),  # a correction's reason
    sa.Column("recorded_by", sa.String(80), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("supersedes_id", sa.ForeignKey("complaint_step.id")),
    sa.Column("chain_hash", sa.String(64)),  # kringlib.store.chain
)
