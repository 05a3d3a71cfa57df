"""The organisation over time: teams, agents, who was in which team and used which log-in
on a given day.

Plain frames in, frames out: no database here (``kringlib.store.roster`` keeps it). Every
period runs from ``valid_from`` to ``valid_to``, both days included; ``valid_to`` NaT means
"still". A change is a new :class:`Roster`; :func:`problems` says what makes one invalid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from kringlib.canonical import CHANNELS

SYSTEMS = {
    "avaya": "Login ID Avaya",
    "chat": "ID live chat",
    "email": "ID e-mail",
    "twitter": "ID Twitter",
}
"""The systems whose log-in ids an agent uses, with the label a user reads."""
CHANNEL_SYSTEM = {"telepon": "avaya", "chat": "chat", "email": "email", "twitter": "twitter"}
"""Which system's log-in ids name the agent on a row of each channel."""
TIERS = ("A", "B", "C")
"""The agents' authority levels (Tier A/B/C of the TKB resume)."""
LENGTHS = {
    "teams": {"team_id": 40, "name": 120},
    "agents": {"agent_id": 40, "name": 120, "air_name": 60},
    "logins": {"login_id": 80},
}
"""The longest text each column holds (as ``kringlib.store.models`` stores it)."""
LABELS = {"team_id": "id tim", "agent_id": "id agen", "name": "nama", "air_name": "nama udara",
          "login_id": "id log-in"}  # fmt: skip
COLUMNS = {
    "teams": ("team_id", "name"),
    "agents": ("agent_id", "name", "air_name", "tier", "primary_channel"),
    "memberships": ("agent_id", "team_id", "valid_from", "valid_to"),
    "logins": ("agent_id", "system", "login_id", "valid_from", "valid_to"),
}
ONE_DAY = pd.Timedelta(days=1)


class RosterError(ValueError):
    """A change that would leave the roster invalid; nothing was saved.

    ``problems`` lists every sentence, each naming the row, agent, team or log-in.
    """

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "; ".join(problems[:5])
        more = f" (dan {len(problems) - 5} masalah lain)" if len(problems) > 5 else ""
        super().__init__(shown + more)


@dataclass(frozen=True)
class Roster:
    """Teams, agents, their team memberships and log-ins, as frames (see :data:`COLUMNS`)."""

    teams: pd.DataFrame
    agents: pd.DataFrame
    memberships: pd.DataFrame
    logins: pd.DataFrame

    @classmethod
    def empty(cls) -> Roster:
        """A roster with no team and no agent."""
        return cls(**{part: _frame(part, []) for part in COLUMNS})

    def agent(self, agent_id: str) -> pd.Series:
        """The agent's row; ``RosterError`` when unknown."""
        found = self.agents[self.agents["agent_id"] == agent_id]
        if found.empty:
            raise RosterError([f"agen tidak dikenal: {agent_id}"])
        return found.iloc[0]

    def snapshot(self, agent_id: str) -> dict:
        """Everything known of one agent, as plain values: what a version records."""
        self.agent(agent_id)
        return self.snapshots()[agent_id]

    def snapshots(self) -> dict[str, dict]:
        """Every agent's :meth:`snapshot`, by agent id, in one pass over the roster."""
        periods = {part: _plain_periods(getattr(self, part), COLUMNS[part][1:])
                   for part in ("memberships", "logins")}  # fmt: skip
        agents = self.agents[list(COLUMNS["agents"])]
        return {
            row[0]: {
                **{c: _plain(v) for c, v in zip(COLUMNS["agents"], row, strict=True)},
                **{part: found.get(row[0], []) for part, found in periods.items()},
            }
            for row in agents.itertuples(index=False, name=None)
        }

    def current_team(self, agent_id: str) -> str | None:
        """The team of the agent's latest membership (the one they left, if they left)."""
        rows = self.memberships[self.memberships["agent_id"] == agent_id]
        return None if rows.empty else rows.sort_values("valid_from")["team_id"].iloc[-1]


def _frame(part: str, rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(COLUMNS[part]))
    for column in ("valid_from", "valid_to"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    return frame


def _plain(value):
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return None if pd.isna(value) else value


def _plain_periods(frame: pd.DataFrame, columns) -> dict[str, list[dict]]:
    """Each agent's periods as plain dicts, in a fixed order (start, then the other keys)."""
    order = ["agent_id", "valid_from", *columns[:-2]]
    rows = frame.sort_values(order, kind="stable")[["agent_id", *columns]]
    found: dict[str, list[dict]] = {}
    for agent_id, *values in rows.itertuples(index=False, name=None):
        found.setdefault(agent_id, []).append(
            {c: _plain(v) for c, v in zip(columns, values, strict=True)}
        )
    return found


def changed_agents(before: Roster, after: Roster) -> list[str]:
    """The agents of ``after`` that are new or differ from ``before`` in anything a
    version records."""
    stored = before.snapshots()
    return [a for a, snapshot in after.snapshots().items() if stored.get(a) != snapshot]


# --- who was where on a day -----------------------------------------------------------------


def team_on(
    frame: pd.DataFrame, memberships: pd.DataFrame, *, date: str = "date", agent: str = "agent_id"
) -> pd.Series:
    """The team each row's agent belonged to on the row's day; NaN when in none.

    ``date`` may hold days or moments (an interaction's start): the day counts.
    """
    keys = pd.DataFrame({"agent_id": frame[agent].to_numpy(), "day": _days(frame[date])})
    found = _valid_on(keys, memberships, ["agent_id"], "team_id")
    return pd.Series(found, index=frame.index, name="team_id")


NO_TEAM = "(tanpa tim)"
"""The team shown for work done on a day its agent was in no team."""


def with_team(frame: pd.DataFrame, memberships: pd.DataFrame, date: str = "date") -> pd.DataFrame:
    """``frame`` with ``team_id`` and ``team`` (its name, from ``memberships``' ``team``
    column) of the team each row's agent was in on the row's day: a move splits the work."""
    team_id = team_on(frame, memberships, date=date)
    names = dict(zip(memberships["team_id"], memberships["team"], strict=True))
    team = team_id.map(names).fillna(NO_TEAM)
    return frame.assign(team_id=team_id.to_numpy(), team=team.to_numpy())


def _valid_on_few(keys: pd.DataFrame, periods: pd.DataFrame, by: list[str], wanted: str):
    """:func:`_valid_on` row by row, for a frame of a few rows (an agent's scorecard)."""
    index: dict[tuple, list] = {}
    columns = [*by, "valid_from", "valid_to", wanted]
    for *key, start, end, value in periods[columns].itertuples(index=False, name=None):
        index.setdefault(tuple(key), []).append((start, end, value))
    out = np.full(len(keys), np.nan, dtype=object)
    for position, (*key, day) in enumerate(keys[[*by, "day"]].itertuples(index=False, name=None)):
        if pd.isna(day):
            continue
        for start, end, value in index.get(tuple(key), ()):
            if start <= day and (pd.isna(end) or day <= end):
                out[position] = value
                break
    return out


def held_on(periods: pd.DataFrame, day) -> pd.DataFrame:
    """The rows of ``periods`` that hold ``day`` (from ``valid_from`` to ``valid_to``)."""
    day = pd.Timestamp(day)
    still = periods["valid_to"].isna() | (periods["valid_to"] >= day)
    return periods[(periods["valid_from"] <= day) & still]


def agent_by_login(keys: pd.DataFrame, logins: pd.DataFrame) -> pd.Series:
    """The agent using each row's log-in (``system``, ``login_id``) on its ``date``; NaN
    when nobody did."""
    probe = keys[["system", "login_id"]].astype(str).assign(day=_days(keys["date"]))
    found = _valid_on(probe, logins.astype({"login_id": str}), ["system", "login_id"], "agent_id")
    return pd.Series(found, index=keys.index, name="agent_id")


def _days(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values).dt.normalize().astype("datetime64[ns]").to_numpy()


FEW_ROWS = 200
"""Up to this many rows, periods are looked up one by one: cheaper than a merge."""


def _valid_on(keys: pd.DataFrame, periods: pd.DataFrame, by: list[str], wanted: str):
    """For each row of ``keys`` (``by`` columns and ``day``), ``wanted`` of the period of
    ``periods`` with the same ``by`` values that covers the day (periods do not overlap)."""
    if len(keys) <= FEW_ROWS:
        return _valid_on_few(keys, periods, by, wanted)
    out = np.full(len(keys), np.nan, dtype=object)
    probe = keys.reset_index(drop=True).assign(position=np.arange(len(keys)))
    probe = probe[probe["day"].notna()].sort_values("day")
    if probe.empty or periods.empty:
        return out
    candidates = periods[[*by, "valid_from", "valid_to", wanted]].rename(
        columns={wanted: "_wanted"}
    )
    # merge_asof wants the same dtype on both sides: ids are text either way, and days
    # nanoseconds (a change may bring days of another unit, e.g. from a Timestamp).
    probe = probe.astype({key: object for key in by})
    days = {"valid_from": "datetime64[ns]", "valid_to": "datetime64[ns]"}
    candidates = candidates.astype({key: object for key in by} | days)
    merged = pd.merge_asof(
        probe, candidates.sort_values("valid_from"), left_on="day", right_on="valid_from",
        by=by, direction="backward",
    )  # fmt: skip
    covered = merged["valid_to"].isna() | (merged["day"] <= merged["valid_to"])
    out[merged["position"].to_numpy()] = merged["_wanted"].where(covered).to_numpy()
    return out


# --- what makes a roster invalid ------------------------------------------------------------


def problems(roster: Roster) -> list[str]:
    """Every reason ``roster`` cannot be saved, each a sentence naming what is wrong.

    Rows that carry ``source_row`` (read from a file) are named by it.
    """
    found = _too_long(roster) + _not_allowed(roster)
    agents = set(roster.agents["agent_id"])
    teams = set(roster.teams["team_id"])
    for row in roster.memberships.itertuples():
        if row.team_id not in teams:
            found.append(f"{_where(row)}tim tidak dikenal: {row.team_id}")
    found += _backwards(roster.memberships, lambda r: f"keanggotaan tim {r.team_id}")
    found += _backwards(roster.logins, lambda r: f"{system_label(r.system)} {r.login_id}")
    found += _overlaps(roster.memberships, ["agent_id"], _membership_clash)
    found += _overlaps(roster.logins, ["system", "login_id"], _login_clash)
    found += _overlaps(roster.logins, ["agent_id", "system"], _two_logins_clash)
    found += _logins_outside_teams(roster)
    without_team = agents - set(roster.memberships["agent_id"])
    found += [f"agen {a} tidak punya tim" for a in sorted(without_team)]
    duplicated_names = roster.teams["name"][roster.teams["name"].duplicated()]
    found += [f"nama tim dipakai dua kali: {name}" for name in duplicated_names]
    return found


def _too_long(roster: Roster) -> list[str]:
    found = []
    for part, limits in LENGTHS.items():
        frame = getattr(roster, part)
        for column, limit in limits.items():
            long = frame[frame[column].fillna("").astype(str).str.len() > limit]
            found += [f"{_where(row)}{LABELS[column]} lebih dari {limit} karakter: "
                      f"{getattr(row, column)!r}" for row in long.itertuples()]  # fmt: skip
    return found


def _not_allowed(roster: Roster) -> list[str]:
    agents = roster.agents
    found = [
        f"{_where(row)}agen {row.agent_id}: tier {row.tier!r} tidak dikenal "
        f"(pilih {', '.join(TIERS)})"
        for row in agents[agents["tier"].notna() & ~agents["tier"].isin(TIERS)].itertuples()
    ]
    wrong = agents["primary_channel"].notna() & ~agents["primary_channel"].isin(CHANNELS)
    found += [
        f"{_where(row)}agen {row.agent_id}: saluran utama {row.primary_channel!r} tidak dikenal "
        f"(pilih {', '.join(CHANNELS)})"
        for row in agents[wrong].itertuples()
    ]
    blank = roster.teams["name"].fillna("").str.strip() == ""
    return found + [f"tim {t}: nama tim wajib diisi" for t in roster.teams.loc[blank, "team_id"]]


def _where(row) -> str:
    source = getattr(row, "source_row", None)
    return f"baris {int(source)}: " if source is not None and not pd.isna(source) else ""


def _backwards(periods: pd.DataFrame, what) -> list[str]:
    wrong = periods[periods["valid_to"] < periods["valid_from"]]
    return [
        f"{_where(r)}{what(r)} agen {r.agent_id}: selesai {_day(r.valid_to)} sebelum mulai "
        f"{_day(r.valid_from)}"
        for r in wrong.itertuples()
    ]


def system_label(system: str) -> str:
    """The label a user reads for a log-in system (the code itself when unknown)."""
    return SYSTEMS.get(system, system)


def _overlaps(periods: pd.DataFrame, by: list[str], say) -> list[str]:
    """A sentence from ``say(earlier, later)`` for each two periods of the same ``by``
    values that share a day."""
    found = []
    ordered = periods.sort_values([*by, "valid_from"])
    for _, group in ordered.groupby(by, sort=False):
        rows = list(group.itertuples())
        for earlier, later in zip(rows, rows[1:], strict=False):
            if pd.isna(earlier.valid_to) or earlier.valid_to >= later.valid_from:
                found.append(say(earlier, later))
    return found


def spans(memberships: pd.DataFrame) -> pd.DataFrame:
    """One agent's memberships joined where one ends the day before the next starts:
    the periods they were in some team (``valid_from``, ``valid_to``)."""
    joined: list[list] = []
    for row in memberships.sort_values("valid_from").itertuples():
        if joined and pd.notna(joined[-1][1]) and joined[-1][1] + ONE_DAY == row.valid_from:
            joined[-1][1] = row.valid_to
        else:
            joined.append([row.valid_from, row.valid_to])
    return pd.DataFrame(joined, columns=["valid_from", "valid_to"])


def _covered(start, end, periods: pd.DataFrame) -> bool:
    """True when one of ``periods`` holds every day from ``start`` to ``end`` (NaT: on)."""
    return any(
        p.valid_from <= start and (pd.isna(p.valid_to) or (pd.notna(end) and end <= p.valid_to))
        for p in periods.itertuples()
    )


def _logins_outside_teams(roster: Roster) -> list[str]:
    found = []
    in_team = {agent: spans(rows) for agent, rows in roster.memberships.groupby("agent_id")}
    none = spans(roster.memberships.head(0))
    for row in roster.logins.itertuples():
        if not _covered(row.valid_from, row.valid_to, in_team.get(row.agent_id, none)):
            found.append(
                f"{_where(row)}{system_label(row.system)} {row.login_id} agen "
                f"{row.agent_id} berlaku di luar masa agen di tim ({_day(row.valid_from)} s.d. "
                f"{_day(row.valid_to)})"
            )
    return found


def _membership_clash(earlier, later) -> str:
    return (
        f"{_where(later)}agen {later.agent_id} ada di dua tim pada waktu yang sama: "
        f"{earlier.team_id} sejak {_day(earlier.valid_from)} dan {later.team_id} sejak "
        f"{_day(later.valid_from)}"
    )


def _login_clash(earlier, later) -> str:
    return (
        f"{_where(later)}{system_label(later.system)} {later.login_id} dipakai "
        f"dua kali pada waktu yang sama: agen {earlier.agent_id} sejak "
        f"{_day(earlier.valid_from)} dan agen {later.agent_id} sejak {_day(later.valid_from)}"
    )


def _two_logins_clash(earlier, later) -> str:
    return (
        f"{_where(later)}agen {later.agent_id} memakai dua {system_label(later.system)} "
        f"sekaligus: {earlier.login_id} dan {later.login_id} sejak {_day(later.valid_from)}"
    )


def _day(value) -> str:
    return "-" if pd.isna(value) else f"{pd.Timestamp(value):%d-%m-%Y}"


def checked(roster: Roster) -> Roster:
    """``roster`` itself, or :class:`RosterError` listing its :func:`problems`."""
    found = problems(roster)
    if found:
        raise RosterError(found)
    return roster


# --- changes ----------------------------------------------------------------------------------


def add_team(roster: Roster, team_id: str, name: str) -> Roster:
    """A new team; its id must be new."""
    team_id, name = team_id.strip(), name.strip()
    if not team_id or not name:
        raise RosterError(["id tim dan nama tim wajib diisi"])
    if team_id in set(roster.teams["team_id"]):
        raise RosterError([f"id tim sudah dipakai: {team_id}"])
    return replace(roster, teams=_append(roster.teams, {"team_id": team_id, "name": name}))


def rename_team(roster: Roster, team_id: str, name: str) -> Roster:
    """The team under a new name."""
    teams = roster.teams.copy()
    known = teams["team_id"] == team_id
    if not known.any():
        raise RosterError([f"tim tidak dikenal: {team_id}"])
    if not name.strip():
        raise RosterError(["nama tim baru wajib diisi"])
    teams.loc[known, "name"] = name.strip()
    return replace(roster, teams=teams)


def add_agent(
    roster: Roster,
    agent_id: str,
    name: str,
    team_id: str,
    since: dt.date,
    *,
    air_name: str | None = None,
    logins: dict[str, str] | None = None,
    tier: str | None = None,
    primary_channel: str | None = None,
) -> Roster:
    """A new agent in ``team_id`` from ``since``, with log-ins (system → id) from then."""
    agent_id, name = agent_id.strip(), name.strip()
    if not agent_id or not name:
        raise RosterError(["id agen dan nama wajib diisi"])
    if agent_id in set(roster.agents["agent_id"]):
        raise RosterError([f"id agen sudah dipakai: {agent_id}"])
    start = pd.Timestamp(since)
    row = {"agent_id": agent_id, "name": name, "air_name": air_name or None, "tier": tier,
           "primary_channel": primary_channel}  # fmt: skip
    new = [{"agent_id": agent_id, "system": system, "login_id": login.strip(),
            "valid_from": start, "valid_to": pd.NaT}
           for system, login in (logins or {}).items() if login and login.strip()]  # fmt: skip
    membership = {"agent_id": agent_id, "team_id": team_id, "valid_from": start,
                  "valid_to": pd.NaT}  # fmt: skip
    return Roster(
        teams=roster.teams,
        agents=_append(roster.agents, row),
        memberships=_append(roster.memberships, membership),
        logins=_append(roster.logins, *new),
    )


def edit_agent(roster: Roster, agent_id: str, **fields) -> Roster:
    """The agent with new ``name``, ``air_name``, ``tier`` or ``primary_channel``."""
    unknown = set(fields) - {"name", "air_name", "tier", "primary_channel"}
    if unknown:
        raise ValueError(f"kolom agen tidak dapat diubah: {', '.join(sorted(unknown))}")
    roster.agent(agent_id)
    if "name" in fields and not str(fields["name"] or "").strip():
        raise RosterError([f"agen {agent_id}: nama wajib diisi"])
    agents = roster.agents.copy()
    at = agents["agent_id"] == agent_id
    for column, value in fields.items():
        agents.loc[at, column] = (value.strip() or None) if isinstance(value, str) else value
    return replace(roster, agents=agents)


def move(roster: Roster, agent_id: str, team_id: str, on: dt.date) -> Roster:
    """The agent in ``team_id`` from ``on``; their current membership ends the day before."""
    current = _open_membership(roster, agent_id)
    day = pd.Timestamp(on)
    if team_id == current.team_id:
        raise RosterError([f"agen {agent_id} sudah di tim {team_id}"])
    if day <= current.valid_from:
        raise RosterError([
            f"agen {agent_id}: pindah tanggal {_day(day)} harus sesudah awal keanggotaan "
            f"sekarang (tim {current.team_id} sejak {_day(current.valid_from)})"
        ])  # fmt: skip
    memberships = roster.memberships.copy()
    memberships.loc[current.Index, "valid_to"] = day - ONE_DAY
    new = {"agent_id": agent_id, "team_id": team_id, "valid_from": day, "valid_to": pd.NaT}
    return replace(roster, memberships=_append(memberships, new))


def leave(roster: Roster, agent_id: str, last_day: dt.date) -> Roster:
    """The agent gone after ``last_day``: their membership and open log-ins end that day."""
    current = _open_membership(roster, agent_id)
    day = pd.Timestamp(last_day)
    if day < current.valid_from:
        raise RosterError([
            f"agen {agent_id}: tanggal keluar {_day(day)} sebelum awal keanggotaan "
            f"(tim {current.team_id} sejak {_day(current.valid_from)})"
        ])  # fmt: skip
    memberships = roster.memberships.copy()
    memberships.loc[current.Index, "valid_to"] = day
    logins = roster.logins.copy()
    still = (logins["agent_id"] == agent_id) & logins["valid_to"].isna()
    if (logins.loc[still, "valid_from"] > day).any():
        raise RosterError([f"agen {agent_id}: ada log-in yang baru berlaku sesudah {_day(day)}"])
    logins.loc[still, "valid_to"] = day
    return replace(roster, memberships=memberships, logins=logins)


def set_login(roster: Roster, agent_id: str, system: str, login_id: str, since) -> Roster:
    """The agent uses ``login_id`` on ``system`` from ``since``; the id they used there
    until then ends the day before."""
    if system not in SYSTEMS:
        raise RosterError([f"sistem tidak dikenal: {system} (pilih {', '.join(SYSTEMS)})"])
    login_id = str(login_id).strip()
    if not login_id:
        raise RosterError([f"{SYSTEMS[system]} wajib diisi"])
    roster.agent(agent_id)
    day = pd.Timestamp(since)
    logins = roster.logins.copy()
    previous = (logins["agent_id"] == agent_id) & (logins["system"] == system)
    previous &= logins["valid_to"].isna()
    if (logins.loc[previous, "valid_from"] >= day).any():
        raise RosterError([
            f"agen {agent_id}: {SYSTEMS[system]} baru harus berlaku sesudah yang sekarang"
        ])  # fmt: skip
    logins.loc[previous, "valid_to"] = day - ONE_DAY
    new = {"agent_id": agent_id, "system": system, "login_id": login_id, "valid_from": day,
           "valid_to": pd.NaT}  # fmt: skip
    return replace(roster, logins=_append(logins, new))


def replace_agents(roster: Roster, incoming: Roster) -> Roster:
    """``roster`` with ``incoming``'s teams added or renamed, and each agent of ``incoming``
    (row, memberships and log-ins) replacing the stored one; other agents stay as they are."""
    ids = set(incoming.agents["agent_id"])

    def merged(part: str, key: str) -> pd.DataFrame:
        mine, theirs = getattr(roster, part), getattr(incoming, part)
        kept = mine[~mine[key].isin(set(theirs[key]) if part == "teams" else ids)]
        return pd.concat([kept, theirs], ignore_index=True)

    return Roster(
        teams=merged("teams", "team_id"),
        agents=merged("agents", "agent_id"),
        memberships=merged("memberships", "agent_id"),
        logins=merged("logins", "agent_id"),
    )


def add_for_logins(roster: Roster, unknown: pd.DataFrame, team_id: str) -> Roster:
    """A new agent in ``team_id`` for each unknown log-in (``system``, ``login_id``,
    ``name``, ``first_day``, as an import preview lists them), from its first day.

    The agent id is the log-in id (prefixed with the system when that id is taken); the
    name is the export's, else "Agen <log-in>": both can be edited later as new versions.
    """
    for row in unknown.itertuples():
        taken = set(roster.agents["agent_id"])
        agent_id = row.login_id if row.login_id not in taken else f"{row.system}-{row.login_id}"
        named = isinstance(row.name, str) and row.name.strip()
        name = row.name if named else f"Agen {row.login_id}"
        roster = add_agent(roster, agent_id, name, team_id, row.first_day,
                           logins={row.system: row.login_id})  # fmt: skip
    return roster


def _open_membership(roster: Roster, agent_id: str):
    roster.agent(agent_id)
    rows = roster.memberships[roster.memberships["agent_id"] == agent_id]
    open_ = rows[rows["valid_to"].isna()]
    if open_.empty:
        raise RosterError([f"agen {agent_id} sudah keluar; tidak ada keanggotaan yang berjalan"])
    return next(open_.itertuples())


def _append(frame: pd.DataFrame, *rows: dict) -> pd.DataFrame:
    if not rows:
        return frame
    added = pd.DataFrame(list(rows), columns=frame.columns)
    if frame.empty:
        return added.astype(frame.dtypes.to_dict())
    return pd.concat([frame, added.astype(frame.dtypes.to_dict())], ignore_index=True)
