"""Appeals in the database: filing, decisions, re-assessment, system failures, the audit trail.

Each action runs in one transaction: the actor read again from the database, the permission
check (kringlib.appeals) on facts read inside it, the state change as a compare-and-set on
the appeal's state and version, and an audit row. Two approvers acting at once: exactly one
update matches, the other is told the appeal was already decided. Deadlines count from the
dates in the database and the server's clock at the moment of the action.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from kringlib import appeals, clock
from kringlib.access import Visible
from kringlib.appeals import AppealFacts, User
from kringlib.store import db, requests, roster, users
from kringlib.store.assessments import lock_interaction, save_version, stored_context
from kringlib.store.models import (
    agent,
    appeal,
    appeal_audit,
    appeal_item,
    assessment,
    system_failure,
)


def _audit(conn, appeal_id: int, actor: str, before: str | None, after: str, reason: str) -> None:
    requests.record(conn, appeal_audit, appeal_id, actor, before, after, reason)


def _filing(conn, assessment_id: int):
    """The disputed assessment row and the facts a filing is checked against."""
    row = conn.execute(sa.select(assessment).where(assessment.c.id == assessment_id)).one_or_none()
    if row is None:
        raise ValueError(f"penilaian {assessment_id} tidak ditemukan")
    lock_interaction(conn, row.interaction_pk)
    on_interaction = sa.select(sa.func.max(assessment.c.version)).where(
        assessment.c.interaction_pk == row.interaction_pk
    )
    earlier = sa.select(sa.func.count()).where(appeal.c.interaction_pk == row.interaction_pk)
    filing = appeals.Filing(
        agent_id=row.agent_id,
        answers=row.answers,
        assessed_at=row.created_at,
        is_newest=conn.execute(on_interaction).scalar_one() == row.version,
        earlier_appeals=conn.execute(earlier).scalar_one(),
        failures=_failures(conn),
    )
    return row, filing


def _check_reasons(reasons: dict[str, str]) -> None:
    if not reasons:
        raise ValueError("Pilih minimal satu item yang dibanding beserta alasannya.")
    if any(not text.strip() for text in reasons.values()):
        raise ValueError("Setiap item yang dibanding memerlukan alasan.")


def file_appeal(engine: sa.Engine, actor: User, assessment_id: int, reasons: dict[str, str]) -> int:
    """File an appeal on the disputed items (item id → the agent's reason); returns its id.

    The deadline is the assessment's (see :func:`kringlib.appeals.deadline_of`, with the
    recorded system failures) against today's Jakarta date at the moment of filing.
    """
    _check_reasons(reasons)
    with db.begin_write(engine) as conn:
        actor = users.acting(conn, actor)
        row, filing = _filing(conn, assessment_id)
        with users.refusing(actor, f"banding atas penilaian {assessment_id}"):
            appeals.check_filing(actor, filing, reasons, clock.today())
        state = appeals.initial_state()
        try:
            with conn.begin_nested():
                appeal_id = conn.execute(
                    appeal.insert().values(
                        assessment_id=assessment_id,
                        interaction_pk=row.interaction_pk,
                        agent_id=row.agent_id,
                        filed_by=actor.username,
                        filed_at=clock.now(),
                        deadline=filing.deadline,
                        compilation_received_on=filing.compilation_received_on,
                        state=state,
                        state_version=1,
                    )  # fmt: skip
                ).inserted_primary_key[0]
        except sa.exc.IntegrityError:
            raise appeals.AlreadyDecided(
                "Penilaian ini sudah memiliki banding yang berjalan."
            ) from None
        conn.execute(
            appeal_item.insert(),
            [
                {"appeal_id": appeal_id, "item_id": k, "reason": v.strip()}
                for k, v in reasons.items()
            ],
        )
        _audit(conn, appeal_id, actor.username, None, state, "banding diajukan")
        return appeal_id


def _facts(conn, appeal_id: int):
    """The appeal's row and the facts its next step is judged on; its team is the one the
    agent was in on the day of the disputed interaction."""
    row = conn.execute(
        sa.select(appeal, assessment.c.assessor, assessment.c.answers, assessment.c.context,
                  assessment.c.notes, assessment.c.rubric_version, assessment.c.interaction_at)
        .join(assessment, assessment.c.id == appeal.c.assessment_id)
        .where(appeal.c.id == appeal_id)
    ).one_or_none()  # fmt: skip
    if row is None:
        raise ValueError(f"banding {appeal_id} tidak ditemukan")
    team_id = roster.team_of(conn, row.agent_id, row.interaction_at)
    return row, AppealFacts(row.agent_id, team_id, row.assessor, row.state)


def _move(conn, row, to_state: str, **values) -> None:
    """Compare-and-set: only the state and version read earlier may be moved on."""
    requests.move(conn, appeal, row, to_state,
                  "Banding ini sudah diputus oleh orang lain; muat ulang.", **values)  # fmt: skip


def decide(engine: sa.Engine, actor: User, appeal_id: int, approve: bool, reason: str = "") -> str:
    """Approve or reject at the current step (team leader, then SPV); returns the new state."""
    if not approve and not reason.strip():
        raise ValueError("Penolakan memerlukan alasan.")
    with db.begin_write(engine) as conn:
        actor = users.acting(conn, actor)
        row, facts = _facts(conn, appeal_id)
        with users.refusing(actor, f"putusan banding #{appeal_id}"):
            appeals.check_decision(actor, facts)
        to_state = appeals.next_state(row.state, "approve" if approve else "reject")
        _move(conn, row, to_state)
        _audit(conn, appeal_id, actor.username, row.state, to_state,
               reason.strip() or ("disetujui" if approve else ""))  # fmt: skip
        return to_state


def reassess(
    engine: sa.Engine, actor: User, appeal_id: int, accepted: dict[str, bool], note: str = ""
) -> int:
    """Answer each disputed item (accepted or upheld) and save the new assessment version.

    The new version supersedes the disputed one and is scored under its rubric version;
    returns the new version's id.
    """
    with db.begin_write(engine) as conn:
        actor = users.acting(conn, actor)
        row, facts = _facts(conn, appeal_id)
        with users.refusing(actor, f"penilaian kembali banding #{appeal_id}"):
            appeals.check_reassessment(actor, facts)
        disputed = set(
            conn.execute(
                sa.select(appeal_item.c.item_id).where(appeal_item.c.appeal_id == appeal_id)
            )
            .scalars()
            .all()
        )
        if set(accepted) != disputed:
            raise ValueError("Setiap item yang dibanding harus dijawab: diterima atau ditolak.")
        answers = appeals.reassessed_answers(row.answers, accepted)
        outcome = save_version(
            conn, interaction_pk=row.interaction_pk, answers=answers,
            context=stored_context(row.context), notes=note or row.notes, assessor=actor.username,
            supersedes=row.assessment_id, reason=f"penilaian kembali (banding #{appeal_id})",
            rubric_version=row.rubric_version, answering=appeal_id,
        )  # fmt: skip
        for item_id, verdict in accepted.items():
            conn.execute(
                appeal_item.update()
                .where(appeal_item.c.appeal_id == appeal_id, appeal_item.c.item_id == item_id)
                .values(accepted=verdict)
            )
        to_state = appeals.next_state(row.state, "reassess")
        _move(conn, row, to_state, outcome_assessment_id=outcome)
        summary = f"penilaian kembali: {sum(accepted.values())} dari {len(accepted)} item diterima"
        _audit(conn, appeal_id, actor.username, row.state, to_state, summary)
        return outcome


def record_system_failure(
    engine: sa.Engine,
    actor: User,
    assessed_from: dt.date,
    assessed_to: dt.date,
    compilation_received_on: dt.date,
    note: str,
) -> int:
    """Record that assessments of ``assessed_from``–``assessed_to`` (Jakarta dates) reached
    the agents as a compilation received on ``compilation_received_on``; returns its id.

    Appeals on those assessments then have 2 working days from that date (ND-301/LIP/2019).
    """
    with db.begin_write(engine) as conn:
        actor = users.acting(conn, actor)
        with users.refusing(actor, "mencatat kendala sistem"):
            appeals.check_system_failure(
                actor, assessed_from, assessed_to, compilation_received_on, note
            )
        return conn.execute(
            system_failure.insert().values(
                assessed_from=assessed_from,
                assessed_to=assessed_to,
                compilation_received_on=compilation_received_on,
                note=note.strip(),
                entered_by=actor.username,
                entered_at=clock.now(),
            )
        ).inserted_primary_key[0]


def system_failures(engine: sa.Engine) -> tuple[appeals.SystemFailure, ...]:
    """Every recorded system failure, oldest entry first (a later one wins)."""
    with engine.connect() as conn:
        return _failures(conn)


def _failures(conn: sa.Connection) -> tuple[appeals.SystemFailure, ...]:
    rows = conn.execute(
        sa.select(system_failure.c.assessed_from, system_failure.c.assessed_to,
                  system_failure.c.compilation_received_on)
        .order_by(system_failure.c.entered_at, system_failure.c.id)
    )  # fmt: skip
    return tuple(appeals.SystemFailure(*row) for row in rows)


def appeals_frame(engine: sa.Engine, visible: Visible | None = None) -> pd.DataFrame:
    """Every appeal (or those of the agents ``visible`` shows) with agent, the team the
    agent was in on the disputed interaction's day, the assessment's total and assessor."""
    query = (
        sa.select(
            appeal, agent.c.name.label("agent_name"), assessment.c.interaction_at,
            assessment.c.total, assessment.c.assessor, assessment.c.created_at.label("assessed_at"),
        )
        .join(agent, agent.c.agent_id == appeal.c.agent_id)
        .join(assessment, assessment.c.id == appeal.c.assessment_id)
        .order_by(appeal.c.filed_at)
    )  # fmt: skip
    if visible is not None and visible.agent_id is not None:
        query = query.where(appeal.c.agent_id == visible.agent_id)
    with engine.connect() as conn:
        frame = roster.with_team(conn, pd.read_sql_query(query, conn), date="interaction_at")
    if visible is not None and visible.agent_id is None and visible.team_id is not None:
        frame = frame[frame["team_id"] == visible.team_id].reset_index(drop=True)
    return frame


def items_of(engine: sa.Engine, appeal_id: int | None = None) -> pd.DataFrame:
    """Disputed items (all appeals, or one) with reasons and verdicts."""
    return _rows_of(engine, appeal_item, appeal_id)


def audit_trail(engine: sa.Engine, appeal_id: int | None = None) -> pd.DataFrame:
    """Audit rows (who, when, from, to, why), oldest first."""
    return _rows_of(engine, appeal_audit, appeal_id)


def _rows_of(engine: sa.Engine, table: sa.Table, appeal_id: int | None) -> pd.DataFrame:
    query = sa.select(table).order_by(table.c.appeal_id, table.c.id)
    if appeal_id is not None:
        query = query.where(table.c.appeal_id == appeal_id)
    with engine.connect() as conn:
        return pd.read_sql_query(query, conn)
