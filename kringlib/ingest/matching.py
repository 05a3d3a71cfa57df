"""Rows of an export matched to the roster's agents, by log-in id on the row's day first.

An export that names agents by log-in id (Avaya's Login ID, the channel template's
``id_login``) is matched through the log-ins valid on each row's date: a log-in reused by
a new agent in June counts for the old one until May. The channel template may instead
give the workbench's own agent id. Only an export without ids is matched by name,
exactly (case and spacing aside), and a name two agents share is never guessed. Every
log-in or name that finds nobody is reported once, with the rows it holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from kringlib.ingest.findings import WARNING, Finding
from kringlib.roster import CHANNEL_SYSTEM, SYSTEMS, Roster, agent_by_login, team_on

UNKNOWN_COLUMNS = ["system", "login_id", "name", "first_day", "last_day", "rows"]


@dataclass
class Matched:
    """``agent_id`` per row (NaN: not matched, to be skipped), what was found on the way,
    and the log-ins nobody on the roster ever used (one row each, for adding them)."""

    agent_id: pd.Series
    findings: list[Finding] = field(default_factory=list)
    unknown_logins: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=UNKNOWN_COLUMNS)
    )


def match_agents(rows: pd.DataFrame, roster: Roster, file: str) -> Matched:
    """Match ``rows`` (``date``, ``channel``, ``source_row`` and one of ``login_id``,
    ``agent_id`` or ``agent_name``, the surest used) to agents of ``roster``; rows whose
    agent was in no team that day are not matched either."""
    if "login_id" in rows.columns:
        matched = _by_login(rows, roster, file)
    elif "agent_id" in rows.columns:
        matched = _by_agent_id(rows, roster, file)
    else:
        matched = _by_name(rows, roster, file)
    _outside_teams(rows, roster, matched, file)
    return matched


def _by_login(rows: pd.DataFrame, roster: Roster, file: str) -> Matched:
    system = rows["channel"].map(CHANNEL_SYSTEM)
    keys = pd.DataFrame({"system": system, "login_id": rows["login_id"], "date": rows["date"]})
    matched = Matched(agent_by_login(keys, roster.logins))
    missing = rows[matched.agent_id.isna()].assign(system=system)
    unknown = []
    for (sys, login), group in missing.groupby(["system", "login_id"], sort=True):
        first, last = group["date"].min(), group["date"].max()
        users = roster.logins[(roster.logins["system"] == sys)
                              & (roster.logins["login_id"].astype(str) == str(login))]  # fmt: skip
        when = (
            f"; dipakai agen {', '.join(sorted(set(users['agent_id'])))} pada tanggal lain"
            if len(users) else ""
        )  # fmt: skip
        matched.findings.append(Finding(
            WARNING, file, int(group["source_row"].min()), "Login ID", "login_unknown",
            f"{SYSTEMS[sys]} {login} tidak dikenal pada {_span(first, last)}{when}; "
            f"{len(group)} baris dilewati",
        ))  # fmt: skip
        if len(users):  # known, on other dates: not a new agent
            continue
        names = group["agent_name"].dropna() if "agent_name" in group else group.head(0)
        name = names.iloc[0] if len(names) else None
        unknown.append((sys, str(login), name, first, last, len(group)))
    matched.unknown_logins = pd.DataFrame(unknown, columns=UNKNOWN_COLUMNS)
    return matched


def _by_agent_id(rows: pd.DataFrame, roster: Roster, file: str) -> Matched:
    known = rows["agent_id"].isin(set(roster.agents["agent_id"]))
    matched = Matched(rows["agent_id"].where(known))
    for agent_id, group in rows[~known].groupby("agent_id", sort=True):
        matched.findings.append(Finding(
            WARNING, file, int(group["source_row"].min()), "id_agen", "agent_unknown",
            f"agen tidak dikenal: {agent_id}; {len(group)} baris dilewati",
        ))  # fmt: skip
    return matched


def _by_name(rows: pd.DataFrame, roster: Roster, file: str) -> Matched:
    names = roster.agents.assign(key=roster.agents["name"].map(name_key))
    sharing = names.groupby("key")["agent_id"].agg(sorted)
    keys = rows["agent_name"].map(name_key)
    unique = sharing[sharing.map(len) == 1].map(lambda ids: ids[0])
    matched = Matched(keys.map(unique))
    matched.findings.append(Finding(
        WARNING, file, 0, "Agent Name", "matched_by_name",
        "berkas tanpa Login ID: agen dicocokkan dengan nama persis; tambahkan kolom Login ID "
        "agar nama yang sama atau berganti tidak tertukar",
    ))  # fmt: skip
    for key, group in rows[matched.agent_id.isna()].groupby(keys, sort=True):
        shared = sharing.get(key, [])
        reason = (f"dipakai {len(shared)} agen ({', '.join(shared)}); tidak ditebak"
                  if len(shared) > 1 else "tidak dikenal")  # fmt: skip
        matched.findings.append(Finding(
            WARNING, file, int(group["source_row"].min()), "Agent Name", "name_unknown",
            f"nama {group['agent_name'].iloc[0]!r} {reason}; {len(group)} baris dilewati",
        ))  # fmt: skip
    return matched


def name_key(name) -> str:
    """A name as compared: spacing and case do not matter, every letter does."""
    return re.sub(r"\s+", " ", str(name)).strip().casefold() if isinstance(name, str) else ""


def _outside_teams(rows: pd.DataFrame, roster: Roster, matched: Matched, file: str) -> None:
    probe = pd.DataFrame({"agent_id": matched.agent_id, "date": rows["date"]})
    outside = matched.agent_id.notna() & team_on(probe, roster.memberships).isna()
    for agent_id, group in rows[outside].groupby(matched.agent_id[outside], sort=True):
        matched.findings.append(Finding(
            WARNING, file, int(group["source_row"].min()), "Date", "outside_teams",
            f"agen {agent_id} tidak di tim mana pun pada "
            f"{_span(group['date'].min(), group['date'].max())}; {len(group)} baris dilewati",
        ))  # fmt: skip
    matched.agent_id = matched.agent_id.where(~outside)


def _span(first, last) -> str:
    return f"{first:%d-%m-%Y}" if first == last else f"{first:%d-%m-%Y} s.d. {last:%d-%m-%Y}"
