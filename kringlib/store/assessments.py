"""Interactions and versioned quality assessments.

A saved assessment is never edited: a correction or a re-assessment is a new version of
the same interaction's assessment that supersedes the previous one. The newest version
is the one that counts; every version stays readable. Only an assessor saves, checked on
the role read again inside the saving transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import asdict

import numpy as np
import pandas as pd
import sqlalchemy as sa

from kringlib import access, appeals, clock, quality
from kringlib.access import PermissionDenied, User
from kringlib.roster import with_team
from kringlib.store import chain, db, roster, users
from kringlib.store.activity import records
from kringlib.store.models import agent, appeal, assessment, interaction

PAGE = "penilaian"
"""The page (``rules/akses.yaml``) whose roles may save assessments: assessors."""


class AssessmentConflict(ValueError):
    """Someone saved a newer version first, or the interaction is already assessed."""


class UnderAppeal(PermissionDenied):
    """The interaction's appeal is open: only its re-assessment may supersede the assessment."""


def write_interactions(conn: sa.Connection, frame: pd.DataFrame, source: str) -> None:
    """Insert interactions (interaction_id, channel, started_at, agent_id, topic)."""
    columns = ["interaction_id", "channel", "started_at", "agent_id", "topic"]
    rows = records(frame[columns].assign(source=source))
    if rows:
        conn.execute(interaction.insert(), rows)


def _jsonable(context: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in context.items()}


def stored_context(context: dict) -> dict:
    """A context as saved, with ``interaction_time`` back to a datetime for scoring."""
    restored = dict(context)
    if isinstance(restored.get("interaction_time"), str):
        restored["interaction_time"] = dt.datetime.fromisoformat(restored["interaction_time"])
    return restored


def save_assessment(engine: sa.Engine, actor: User, *, interaction_pk: int, **fields) -> int:
    """Score and save one version as ``actor`` in its own transaction; returns its id.

    The saved assessor is the actor as the database knows them, who must be an assessor;
    while the interaction's appeal is open no correction is taken. See :func:`save_version`
    for the fields.
    """
    with db.begin_write(engine) as conn:
        actor = users.acting(conn, actor)
        with users.refusing(actor, f"menyimpan penilaian interaksi {interaction_pk}"):
            access.require_page(actor, PAGE)
            return save_version(
                conn, interaction_pk=interaction_pk, assessor=actor.username, **fields
            )


def _check_no_open_appeal(conn: sa.Connection, interaction_pk: int, answering: int | None):
    others = appeal.c.interaction_pk == interaction_pk
    if answering is not None:
        others &= appeal.c.id != answering
    open_appeal = conn.execute(
        sa.select(appeal.c.id).where(others, appeal.c.state.in_(appeals.open_states()))
    ).scalar_one_or_none()
    if open_appeal is not None:
        raise UnderAppeal(
            f"Penilaian ini sedang dibanding (banding #{open_appeal}); koreksi tidak dapat "
            "disimpan. Penilaian baru hanya lewat penilaian kembali banding tersebut."
        )


def lock_interaction(conn: sa.Connection, interaction_pk: int):
    """The interaction's row, locked until the transaction ends, so that filing an appeal
    and saving a version of its assessment take turns."""
    query = sa.select(interaction).where(interaction.c.id == interaction_pk)
    if conn.dialect.name == "postgresql":  # a lock that needs no right to change the row,
        # taken in the same round trip (the row itself never changes)
        query = query.add_columns(sa.func.pg_advisory_xact_lock(1, interaction.c.id))
    row = conn.execute(query).one_or_none()
    if row is None:
        raise ValueError(f"interaksi {interaction_pk} tidak ditemukan")
    return row


def save_version(
    conn: sa.Connection,
    *,
    interaction_pk: int,
    answers: dict[str, str],
    context: dict | None,
    notes: str,
    assessor: str,
    supersedes: int | None = None,
    reason: str = "penilaian awal",
    rubric_version: str | None = None,
    answering: int | None = None,
) -> int:
    """Score and save one version on ``conn``; returns its id.

    Without ``supersedes`` the interaction must not be assessed yet; with it, ``supersedes``
    must be the newest version, so two people correcting at once cannot both win. A new
    version is scored under ``rubric_version`` (default: the superseded one's, else latest).
    While an appeal on the interaction is open only its re-assessment (``answering`` = the
    appeal's id) is taken.
    """
    target = lock_interaction(conn, interaction_pk)
    _check_no_open_appeal(conn, interaction_pk, answering)
    latest = conn.execute(
        sa.select(assessment.c.id, assessment.c.version, assessment.c.rubric_version)
        .where(assessment.c.interaction_pk == interaction_pk)
        .order_by(assessment.c.version.desc())
        .limit(1)
    ).one_or_none()
    if latest is not None and supersedes != latest.id:
        raise AssessmentConflict(
            f"Interaksi {target.interaction_id} sudah dinilai (versi {latest.version}); "
            "muat ulang dan simpan sebagai koreksi."
        )
    if latest is None and supersedes is not None:
        raise AssessmentConflict(f"Penilaian {supersedes} bukan versi interaksi ini.")
    rubric = quality.load_rubric(rubric_version or (latest.rubric_version if latest else None))
    result = quality.score(answers, target.channel, context, rubric=rubric)
    try:  # the interaction's lock makes a clash unlikely; the unique key makes it impossible
        return chain.append(
            conn,
            assessment,
            dict(
                interaction_pk=interaction_pk,
                version=(latest.version + 1) if latest else 1,
                supersedes_id=supersedes,
                reason=reason,
                assessor=assessor,
                rubric_version=rubric.version,
                channel=target.channel,
                agent_id=target.agent_id,
                interaction_at=target.started_at,
                answers=dict(answers),
                context=_jsonable(context or {}),
                notes=notes,
                total=result.total,
                by_section=result.by_section,
                derived={k: asdict(v) for k, v in result.derived.items()},
                auto_fail=result.auto_fail,
                created_at=clock.now(),
            ),
        )
    except sa.exc.IntegrityError:
        raise AssessmentConflict("Versi baru sudah disimpan orang lain; muat ulang.") from None


def _newest_versions(*conditions):
    """Subquery: the newest assessment version per interaction (interaction_pk, version),
    among the assessments meeting ``conditions`` (narrowed here, not after grouping all)."""
    return (
        sa.select(assessment.c.interaction_pk, sa.func.max(assessment.c.version).label("version"))
        .where(*conditions)
        .group_by(assessment.c.interaction_pk)
        .subquery()
    )


def _on_days(query, moment_column, start, end):
    """Limit ``query`` to moments on the days ``start`` to ``end``, both included."""
    if start is not None:
        query = query.where(moment_column >= pd.Timestamp(start).to_pydatetime())
    if end is not None:
        query = query.where(
            moment_column < (pd.Timestamp(end) + pd.Timedelta(days=1)).to_pydatetime()
        )
    return query


def history(engine: sa.Engine, interaction_pk: int) -> pd.DataFrame:
    """Every version of an interaction's assessment, oldest first."""
    with engine.connect() as conn:
        return pd.read_sql_query(
            sa.select(assessment)
            .where(assessment.c.interaction_pk == interaction_pk)
            .order_by(assessment.c.version),
            conn,
        )


def current(
    engine: sa.Engine,
    start=None,
    end=None,
    agent_id: str | None = None,
    agents: Collection[str] | None = None,
) -> pd.DataFrame:
    """The newest version of every assessment (of one agent, or of ``agents``, if given),
    with agent name and the team (``team_id``, ``team``) the agent was in on the
    interaction's day, on interaction days ``start`` to ``end``."""
    whose = []
    if agent_id is not None:
        whose.append(assessment.c.agent_id == agent_id)
    if agents is not None:
        whose.append(assessment.c.agent_id.in_(list(agents)))
    newest = _newest_versions(*whose)
    query = (
        sa.select(
            assessment,
            interaction.c.interaction_id,
            agent.c.name.label("agent_name"),
        )
        .join(
            newest,
            (newest.c.interaction_pk == assessment.c.interaction_pk)
            & (newest.c.version == assessment.c.version),
        )
        .join(interaction, interaction.c.id == assessment.c.interaction_pk)
        .join(agent, agent.c.agent_id == assessment.c.agent_id)
        .where(*whose)
        .order_by(assessment.c.interaction_at)
    )
    with engine.connect() as conn:
        frame = pd.read_sql_query(_on_days(query, assessment.c.interaction_at, start, end), conn)
        memberships = roster.memberships(conn, [agent_id] if agent_id is not None else agents)
    frame["interaction_at"] = pd.to_datetime(frame["interaction_at"])
    return with_team(frame, memberships, date="interaction_at")


def item_answers(assessments: pd.DataFrame) -> pd.DataFrame:
    """One row per assessment and item: id, agent_id, team, assessor, item, answer."""
    rows = [
        (row.id, row.agent_id, row.team, row.assessor, item, answer)
        for row in assessments.itertuples()
        for item, answer in row.answers.items()
    ]
    return pd.DataFrame(rows, columns=["id", "agent_id", "team", "assessor", "item", "answer"])


def interactions_of(engine: sa.Engine, agent_id: str, start=None, end=None) -> pd.DataFrame:
    """An agent's interactions with whether (and how) each is assessed, newest first."""
    newest = _newest_versions(assessment.c.agent_id == agent_id)
    query = (
        sa.select(interaction, newest.c.version.label("versions"))
        .outerjoin(newest, newest.c.interaction_pk == interaction.c.id)
        .where(interaction.c.agent_id == agent_id)
        .order_by(interaction.c.started_at.desc())
    )
    with engine.connect() as conn:
        frame = pd.read_sql_query(_on_days(query, interaction.c.started_at, start, end), conn)
    frame["versions"] = frame["versions"].fillna(0).astype(int)
    return frame


def sample_candidates(engine: sa.Engine, month: str) -> pd.DataFrame:
    """Interactions of ``month`` (YYYY-MM) that have no assessment yet."""
    start = pd.Period(month, "M").start_time
    end = pd.Period(month, "M").end_time
    assessed = sa.select(assessment.c.interaction_pk)
    query = (
        sa.select(interaction)
        .where(interaction.c.started_at.between(start.to_pydatetime(), end.to_pydatetime()))
        .where(interaction.c.id.not_in(assessed))
        .order_by(interaction.c.interaction_id)
    )
    with engine.connect() as conn:
        return pd.read_sql_query(query, conn)


def draw_sample(candidates: pd.DataFrame, per_agent: int, seed: int) -> pd.DataFrame:
    """Up to ``per_agent`` interactions per agent at random; the same seed, the same draw."""
    picks = []
    for offset, (_, rows) in enumerate(
        candidates.sort_values("interaction_id").groupby("agent_id")
    ):
        rng = np.random.default_rng([seed, offset])
        chosen = rng.choice(len(rows), size=min(per_agent, len(rows)), replace=False)
        picks.append(rows.iloc[np.sort(chosen)])
    if not picks:
        return candidates.head(0)
    return pd.concat(picks).sort_values(["agent_id", "started_at"]).reset_index(drop=True)
