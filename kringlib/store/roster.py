"""The roster in the database: every change saved whole or not at all, each a new version.

A change is a function from :class:`~kringlib.roster.Roster` to a new one. :func:`save`
reads the roster inside a writing transaction, applies the change, refuses it with
:class:`~kringlib.roster.RosterError` when :func:`~kringlib.roster.problems` finds any,
writes what differs, and records each changed team or agent as a new version in
``roster_change`` (hash-chained, :mod:`kringlib.store.chain`). Only a role that may open
the page ``organisasi`` (``rules/akses.yaml``) changes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import sqlalchemy as sa

from kringlib import access, clock, roster
from kringlib.access import User
from kringlib.roster import Roster, RosterError
from kringlib.store import chain, db, users
from kringlib.store.models import (
    agent,
    agent_activity,
    agent_login,
    app_user,
    assessment,
    roster_change,
    team,
    team_membership,
)

if TYPE_CHECKING:  # the file readers (and openpyxl) load only for an import or export
    from kringlib.ingest.roster_file import RosterFile

PAGE = "organisasi"
"""The page (``rules/akses.yaml``) whose roles may change the roster."""
Change = Callable[[Roster], Roster]


@dataclass(frozen=True)
class Saved:
    """What a save changed: the teams and agents that got a new version."""

    teams: tuple[str, ...]
    agents: tuple[str, ...]

    def __str__(self) -> str:
        if not self.teams and not self.agents:
            return "Tidak ada perubahan: roster sudah sama."
        return f"Tersimpan: {len(self.teams)} tim dan {len(self.agents)} agen versi baru."


def load(conn: sa.Connection) -> Roster:
    """The roster as stored, read on ``conn``."""

    def read(table: sa.Table, part: str) -> pd.DataFrame:
        frame = pd.read_sql_query(sa.select(*(table.c[c] for c in roster.COLUMNS[part])), conn)
        for column in ("valid_from", "valid_to"):
            if column in frame:
                frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        return frame

    return Roster(read(team, "teams"), read(agent, "agents"), read(team_membership, "memberships"),
                  read(agent_login, "logins"))  # fmt: skip


def read(engine: sa.Engine) -> Roster:
    """The roster as stored now."""
    with engine.connect() as conn:
        return load(conn)


def leaders(conn: sa.Connection) -> pd.DataFrame:
    """Team leaders' accounts by team: team_id, username."""
    query = sa.select(app_user.c.team_id, app_user.c.username).where(
        app_user.c.role == "team_leader", app_user.c.team_id.is_not(None)
    )
    return pd.read_sql_query(query.order_by(app_user.c.username), conn)


def read_memberships(engine: sa.Engine) -> pd.DataFrame:
    """Every membership with names: agent_id, name, team_id, team, valid_from, valid_to."""
    with engine.connect() as conn:
        return memberships(conn)


def with_team(conn: sa.Connection, frame: pd.DataFrame, date: str = "date") -> pd.DataFrame:
    """``frame`` with the ``team_id`` and ``team`` its agent was in on each row's day
    (:func:`kringlib.roster.with_team`), memberships read on ``conn``."""
    return roster.with_team(frame, memberships(conn), date)


def _member_on(day: dt.date):
    """The condition of a membership that holds on ``day``."""
    m = team_membership.c
    return sa.and_(m.valid_from <= day, sa.or_(m.valid_to.is_(None), m.valid_to >= day))


def team_of(conn: sa.Connection, agent_id: str, moment) -> str | None:
    """The team ``agent_id`` was in on the day of ``moment`` (a date or datetime)."""
    day = moment.date() if isinstance(moment, dt.datetime) else moment
    query = sa.select(team_membership.c.team_id).where(
        team_membership.c.agent_id == agent_id, _member_on(day)
    )
    return conn.execute(query).scalar_one_or_none()


def agents_on(conn: sa.Connection, day: dt.date, teams: Collection[str] | None = None) -> list[str]:
    """The agents in a team (one of ``teams``, when given) on ``day``."""
    m = team_membership.c
    query = sa.select(m.agent_id).where(_member_on(day)).distinct()
    if teams is not None:
        query = query.where(m.team_id.in_(sorted(teams)))
    return sorted(conn.execute(query).scalars())


def memberships(conn: sa.Connection, agents: Collection[str] | None = None) -> pd.DataFrame:
    """:func:`read_memberships` on ``conn``; of ``agents`` only, when given."""
    query = (
        sa.select(team_membership.c.agent_id, agent.c.name, team_membership.c.team_id,
                  team.c.name.label("team"), team_membership.c.valid_from,
                  team_membership.c.valid_to)
        .join(agent, agent.c.agent_id == team_membership.c.agent_id)
        .join(team, team.c.team_id == team_membership.c.team_id)
        .order_by(team_membership.c.agent_id, team_membership.c.valid_from)
    )  # fmt: skip
    if agents is not None:
        query = query.where(team_membership.c.agent_id.in_(list(agents)))
    frame = pd.read_sql_query(query, conn)
    for column in ("valid_from", "valid_to"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    return frame


def save(engine: sa.Engine, actor: User, change: Change, reason: str) -> Saved:
    """Apply ``change`` to the stored roster in one transaction, as ``actor`` (re-read
    there); nothing is written when it is refused or invalid."""
    with db.begin_write(engine) as conn:
        who = _permitted(conn, actor, reason)
        chain.lock(conn, roster_change.name)
        before = load(conn)
        return write(conn, before, roster.checked(change(before)), who.username, reason)


def _permitted(conn: sa.Connection, actor: User, what: str) -> User:
    who = users.acting(conn, actor)
    with users.refusing(who, what):
        access.require_page(who, PAGE)
    return who


def write(
    conn: sa.Connection,
    before: Roster,
    after: Roster,
    by: str,
    reason: str,
    leaders: dict[str, str] | None = None,
) -> Saved:
    """Write what differs between ``before`` (as stored) and ``after`` (already checked),
    and move the team leader accounts of ``leaders`` (username → team id), with a version
    per changed team and agent; inside the caller's transaction. A change that would
    leave stored work in no team is refused (:class:`RosterError`) before anything is
    written."""
    agents = roster.changed_agents(before, after)
    orphaned = _orphaned_work(conn, after, agents)
    if orphaned:
        raise RosterError(orphaned)
    now = clock.now()
    renamed = _changed_teams(before, after)
    for team_id, name in renamed:
        _upsert(conn, team, {"team_id": team_id, "name": name}, "team_id")
    teams = sorted({t for t, _ in renamed} | _move_leaders(conn, leaders or {}))
    snapshots = after.snapshots()
    for agent_id in agents:
        _write_agent(conn, after, agent_id, snapshots[agent_id])
    versions = _next_versions(conn, [("tim", t) for t in teams] + [("agen", a) for a in agents])
    led = leaders_of(conn)
    rows = [
        _version(versions, "tim", t, _team_snapshot(after, t, led), by, reason, now) for t in teams
    ] + [
        _version(versions, "agen", agent_id, snapshots[agent_id], by, reason, now)
        for agent_id in agents
    ]
    chain.append_many(conn, roster_change, rows)
    return Saved(tuple(teams), tuple(agents))


def leaders_of(conn: sa.Connection) -> dict[str, list[str]]:
    """Each team's team leader accounts, by team id."""
    frame = leaders(conn)
    return {t: sorted(rows["username"]) for t, rows in frame.groupby("team_id")}


def _team_snapshot(after: Roster, team_id: str, led: dict[str, list[str]]) -> dict:
    name = after.teams.set_index("team_id").loc[team_id, "name"]
    return {"team_id": team_id, "name": name, "leaders": led.get(team_id, [])}


def _move_leaders(conn: sa.Connection, leaders: dict[str, str]) -> set[str]:
    """Set each team leader account's team; the teams whose leaders changed."""
    current = dict(conn.execute(sa.select(app_user.c.username, app_user.c.team_id)).all())
    touched = set()
    for username, team_id in leaders.items():
        if current.get(username) == team_id:
            continue
        conn.execute(app_user.update().where(app_user.c.username == username)
                     .values(team_id=team_id))  # fmt: skip
        touched |= {t for t in (current.get(username), team_id) if t}
    return touched


def _orphaned_work(conn: sa.Connection, after: Roster, changed: list[str]) -> list[str]:
    """For each ``changed`` agent, the stored work (activity days, assessed interactions)
    ``after`` would leave in no team, said per agent."""
    if not changed:
        return []
    found = []
    for table, moment, what in (
        (agent_activity, agent_activity.c.date, "hari aktivitas"),
        (assessment, assessment.c.interaction_at, "penilaian"),
    ):
        query = sa.select(table.c.agent_id, moment.label("moment")).where(
            table.c.agent_id.in_(changed)
        )
        work = pd.read_sql_query(query.distinct(), conn)
        work["moment"] = pd.to_datetime(work["moment"])
        outside = work[roster.team_on(work, after.memberships, date="moment").isna()]
        for agent_id, rows in outside.groupby("agent_id"):
            found.append(
                f"agen {agent_id}: {len(rows)} {what} ({rows['moment'].min():%d-%m-%Y} s.d. "
                f"{rows['moment'].max():%d-%m-%Y}) tersimpan di luar masa agen di tim; "
                "ubah tanggal agar pekerjaan itu tetap milik timnya"
            )
    return found


def _changed_teams(before: Roster, after: Roster) -> list[tuple[str, str]]:
    stored = dict(zip(before.teams["team_id"], before.teams["name"], strict=True))
    return [(t, n) for t, n in zip(after.teams["team_id"], after.teams["name"], strict=True)
            if stored.get(t) != n]  # fmt: skip


def _write_agent(conn: sa.Connection, after: Roster, agent_id: str, row: dict) -> None:
    """The agent's row, memberships and log-ins as ``row`` (its snapshot) has them."""
    values = {c: row[c] for c in roster.COLUMNS["agents"]}
    _upsert(conn, agent, {**values, "team_id": after.current_team(agent_id)}, "agent_id")
    for table, part in ((team_membership, "memberships"), (agent_login, "logins")):
        conn.execute(table.delete().where(table.c.agent_id == agent_id))
        rows = [{"agent_id": agent_id, **_dates(r)} for r in row[part]]
        if rows:
            conn.execute(table.insert(), rows)


def _dates(row: dict) -> dict:
    return {k: dt.date.fromisoformat(v) if k.startswith("valid_") and v else v
            for k, v in row.items()}  # fmt: skip


def _upsert(conn: sa.Connection, table: sa.Table, values: dict, key: str) -> None:
    updated = conn.execute(
        table.update().where(table.c[key] == values[key]).values(**values)
    ).rowcount
    if not updated:
        conn.execute(table.insert().values(**values))


def _next_versions(conn: sa.Connection, entities: list[tuple[str, str]]) -> dict:
    counts = conn.execute(
        sa.select(roster_change.c.entity, roster_change.c.entity_id, sa.func.count()).group_by(
            roster_change.c.entity, roster_change.c.entity_id
        )
    ).all()
    known = {(e, i): n for e, i, n in counts}
    return {key: known.get(key, 0) + 1 for key in entities}


def _version(versions, entity, entity_id, snapshot, by, reason, now) -> dict:
    version = versions[(entity, entity_id)]
    return {"entity": entity, "entity_id": entity_id, "version": version, "snapshot": snapshot,
            "reason": reason, "changed_by": by, "changed_at": now}  # fmt: skip


def history(engine: sa.Engine, entity: str, entity_id: str) -> pd.DataFrame:
    """Every version of a team (``"tim"``) or agent (``"agen"``), oldest first."""
    query = (
        sa.select(roster_change)
        .where(roster_change.c.entity == entity, roster_change.c.entity_id == entity_id)
        .order_by(roster_change.c.version)
    )
    with engine.connect() as conn:
        return pd.read_sql_query(query, conn)


def link_account(engine: sa.Engine, actor: User, username: str, role: str, **values) -> None:
    """Set ``values`` (``agent_id`` or ``team_id``) on the account ``username``, which must
    have ``role``; as ``actor``, re-read and checked in the same transaction. A team
    leader's move is a new version of the teams they leave and join."""
    username = (username or "").strip()
    if not username:
        raise ValueError("Pilih akun.")
    with db.begin_write(engine) as conn:
        who = _permitted(conn, actor, f"hubungkan akun {username}")
        chain.lock(conn, roster_change.name)
        found = conn.execute(
            sa.select(app_user.c.role).where(app_user.c.username == username)
        ).scalar_one_or_none()
        if found is None:
            raise ValueError(f"Akun tidak dikenal: {username}.")
        if found != role:
            raise ValueError(
                f"Akun {username} berperan {access.ROLE_LABELS.get(found, found)}, "
                f"bukan {access.ROLE_LABELS[role]}."
            )
        if role == "team_leader":
            stored = load(conn)
            reason = f"akun {username} memimpin tim {values['team_id']}"
            write(conn, stored, stored, who.username, reason, {username: values["team_id"]})
            return
        conn.execute(app_user.update().where(app_user.c.username == username).values(**values))


# --- the roster template --------------------------------------------------------------------


@dataclass(frozen=True)
class RosterPlan:
    """What importing a roster file would do; ``problems`` empty means it may be saved."""

    file: RosterFile
    new_teams: tuple[str, ...]
    renamed_teams: tuple[str, ...]
    moved_leaders: tuple[str, ...]
    new_agents: tuple[str, ...]
    changed_agents: tuple[str, ...]
    problems: tuple[str, ...]

    @property
    def can_commit(self) -> bool:
        """True when the file may be saved: no error reading it, no problem in it."""
        return not self.problems and not self.file.errors

    def __str__(self) -> str:
        counts = {
            "tim baru": self.new_teams,
            "tim berganti nama": self.renamed_teams,
            "team leader berpindah tim": self.moved_leaders,
            "agen baru": self.new_agents,
            "agen berubah": self.changed_agents,
        }
        said = [f"{len(ids)} {what}" for what, ids in counts.items() if ids]
        return ", ".join(said) or "tidak ada perubahan"


def plan_file(engine: sa.Engine, parsed: RosterFile) -> RosterPlan:
    """Check a roster file against the stored roster and accounts; nothing is written."""
    with engine.connect() as conn:
        return _plan(conn, load(conn), parsed)


def _plan(conn: sa.Connection, before: Roster, parsed: RosterFile) -> RosterPlan:
    after = roster.replace_agents(before, parsed.roster)
    found = roster.problems(after) + _leader_problems(conn, parsed)
    stored = set(before.agents["agent_id"])
    incoming = list(parsed.roster.agents["agent_id"])
    changed = [] if found else roster.changed_agents(before, after)
    found = found or _orphaned_work(conn, after, changed)
    changed = () if found else tuple(a for a in changed if a in stored)
    known_teams = dict(zip(before.teams["team_id"], before.teams["name"], strict=True))
    led = dict(conn.execute(sa.select(app_user.c.username, app_user.c.team_id)).all())
    return RosterPlan(
        file=parsed,
        new_teams=tuple(t for t in parsed.roster.teams["team_id"] if t not in known_teams),
        renamed_teams=tuple(t for t, _ in _changed_teams(before, after) if t in known_teams),
        moved_leaders=tuple(u for u, t in _file_leaders(parsed).items() if led.get(u) != t),
        new_agents=tuple(a for a in incoming if a not in stored),
        changed_agents=changed,
        problems=tuple(found),
    )


def _file_leaders(parsed: RosterFile) -> dict[str, str]:
    return dict(zip(parsed.leaders["username"], parsed.leaders["team_id"], strict=True))


def _leader_problems(conn: sa.Connection, parsed: RosterFile) -> list[str]:
    if parsed.leaders.empty:
        return []
    accounts = dict(conn.execute(sa.select(app_user.c.username, app_user.c.role)).all())
    twice = parsed.leaders[parsed.leaders["username"].duplicated()]
    found = [f"baris {row.source_row}: team_leader {row.username} disebut untuk dua tim"
             for row in twice.itertuples()]  # fmt: skip
    for row in parsed.leaders.itertuples():
        role = accounts.get(row.username)
        if role is None:
            found.append(f"baris {row.source_row}: team_leader {row.username}: akun tidak dikenal "
                         "(buat akunnya dulu: kring user add)")  # fmt: skip
        elif role != "team_leader":
            found.append(f"baris {row.source_row}: team_leader {row.username} bukan staf Team "
                         f"Leader (perannya {access.ROLE_LABELS.get(role, role)})")  # fmt: skip
    return found


def import_file(engine: sa.Engine, parsed: RosterFile, actor: User) -> Saved:
    """Save a roster file (its teams, its agents whole, its team leaders) in one
    transaction; refused with :class:`RosterError` and nothing written when any problem."""
    if parsed.errors:
        raise RosterError([str(f) for f in parsed.errors])
    with db.begin_write(engine) as conn:
        who = _permitted(conn, actor, f"impor roster {parsed.file}")
        chain.lock(conn, roster_change.name)
        before = load(conn)
        after = roster.replace_agents(before, parsed.roster)
        problems = roster.problems(after) + _leader_problems(conn, parsed)
        if problems:
            raise RosterError(problems)
        reason = f"impor roster {parsed.file}"
        return write(conn, before, after, who.username, reason, _file_leaders(parsed))


def export_file(engine: sa.Engine) -> bytes:
    """The stored roster as the XLSX template."""
    from kringlib.ingest.roster_file import roster_workbook

    with engine.connect() as conn:
        return roster_workbook(load(conn), leaders(conn))
