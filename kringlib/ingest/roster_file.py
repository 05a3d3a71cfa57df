"""The roster template, as HR keeps it: a sheet of teams and a sheet of agents' periods.

An agent row is a period in which nothing changes: one team, the same log-ins. An agent
who moves, or gets a new log-in, has a row per period. Reading joins periods back into
memberships and log-ins; writing cuts them at every change, so a roster survives the
round trip. CSV holds one of the two tables (told apart by its header), XLSX both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from kringlib.ingest import table
from kringlib.ingest.findings import ERROR, Finding, HasFindings, Problem
from kringlib.ingest.layouts import export_rules
from kringlib.ingest.values import parse_date
from kringlib.roster import COLUMNS, ONE_DAY, SYSTEMS, Roster, held_on, spans
from kringlib.workbooks import workbook

TEAM_CAPTIONS = {"team_id": "id_tim", "name": "nama_tim", "leaders": "team_leader"}
AGENT_CAPTIONS = {
    "agent_id": "id_agen",
    "name": "nama",
    "air_name": "nama_udara",
    "team_id": "id_tim",
    "valid_from": "mulai",
    "valid_to": "selesai",
    "avaya": "login_avaya",
    "chat": "id_chat",
    "email": "id_email",
    "twitter": "id_twitter",
    "tier": "tier",
    "primary_channel": "saluran_utama",
}
REQUIRED = {"teams": ("team_id", "name"), "agents": ("agent_id", "name", "team_id", "valid_from")}
SHEETS = {"teams": "Tim", "agents": "Agen"}
DATE_ORDER = "DMY"
GUIDE = (
    "Lembar Tim: satu baris per tim (id_tim, nama_tim, team_leader = nama akun Team Leader, "
    "pisahkan dengan koma bila lebih dari satu). Lembar Agen: satu baris per masa agen di satu "
    "tim dengan log-in yang sama; mulai dan selesai (hari terakhir, kosong = masih) sebagai "
    "tanggal HH-BB-TTTT atau TTTT-BB-HH. Agen yang pindah tim atau berganti log-in punya satu "
    "baris per masa."
)


@dataclass
class RosterFile(HasFindings):
    """What a roster file holds: teams and agents (each table may be absent), the team
    leaders it names (team_id, username, source_row), and what was found wrong."""

    file: str
    roster: Roster
    leaders: pd.DataFrame
    tables: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)


def read_roster_file(source, name: str | None = None) -> RosterFile:
    """Read a roster template (CSV or XLSX); never raises for bad content: see ``errors``."""
    try:
        tables = table.load_all(source, name, export_rules().limits)
    except Problem as problem:
        file = name or "roster"
        return RosterFile(file, Roster.empty(), _leaders([]), findings=[
            Finding(ERROR, file, 0, "", problem.code, str(problem))
        ])  # fmt: skip
    result = RosterFile(tables[0].name, Roster.empty(), _leaders([]))
    for raw in tables:
        kind, header_at = _kind(raw)
        if kind is None:
            continue
        if kind in result.tables:
            result.findings.append(
                Finding(ERROR, raw.name, 0, "", "table_repeated", f"tabel {SHEETS[kind]} ganda")
            )
            continue
        result.tables.add(kind)
        read = _read_teams if kind == "teams" else _read_agents
        read(raw, header_at, result)
    if not result.tables:
        expected = ", ".join([*TEAM_CAPTIONS.values(), *AGENT_CAPTIONS.values()])
        message = f"baris judul tidak ditemukan; kolom templat: {expected}"
        result.findings.append(Finding(ERROR, result.file, 0, "", "header_missing", message))
    return result


def _kind(raw: table.RawTable) -> tuple[str | None, int]:
    """Which table ``raw`` is (by the required captions of its header) and where that is."""
    for position, (_, cells) in enumerate(raw.lines[:20]):
        captions = {table.normalise_caption(c) for c in cells if c}
        for kind, captions_of in (("agents", AGENT_CAPTIONS), ("teams", TEAM_CAPTIONS)):
            if {captions_of[c] for c in REQUIRED[kind]} <= captions:
                return kind, position
    return None, 0


def _cells(raw: table.RawTable, header_at: int, captions: dict[str, str], kind: str):
    """(line number, {column: text or None}) for each row under the header."""
    _, header = raw.lines[header_at]
    by_caption = {caption: column for column, caption in captions.items()}
    positions = {
        by_caption[table.normalise_caption(c)]: i
        for i, c in enumerate(header)
        if table.normalise_caption(c) in by_caption
    }
    for number, row in raw.lines[header_at + 1 :]:
        values = {}
        for column, position in positions.items():
            value = row[position] if position < len(row) else None
            values[column] = value if isinstance(value, dt.date) or value is None else str(value)
        yield number, values


def _read_teams(raw: table.RawTable, header_at: int, result: RosterFile) -> None:
    teams, leaders = [], []
    for number, values in _cells(raw, header_at, TEAM_CAPTIONS, "teams"):
        if not _has_required(values, "teams", raw.name, number, result):
            continue
        teams.append({"team_id": values["team_id"], "name": values["name"], "source_row": number})
        for username in (values.get("leaders") or "").split(","):
            if username.strip():
                leaders.append((values["team_id"], username.strip().lower(), number))
    frame = pd.DataFrame(teams, columns=[*COLUMNS["teams"], "source_row"])
    for _, row in frame[frame["team_id"].duplicated()].iterrows():
        result.findings.append(Finding(ERROR, raw.name, row["source_row"],
                                       TEAM_CAPTIONS["team_id"], "id_repeated",
                                       f"id tim ganda: {row['team_id']}"))  # fmt: skip
    result.roster = Roster(frame.drop(columns="source_row"), *_rest(result.roster))
    result.leaders = _leaders(leaders)


def _rest(roster: Roster):
    return roster.agents, roster.memberships, roster.logins


def _leaders(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["team_id", "username", "source_row"])


def _has_required(values: dict, kind: str, file: str, number: int, result: RosterFile) -> bool:
    captions = TEAM_CAPTIONS if kind == "teams" else AGENT_CAPTIONS
    missing = [c for c in REQUIRED[kind] if not values.get(c)]
    for column in missing:
        result.findings.append(
            Finding(ERROR, file, number, captions[column], "required_blank", "wajib diisi")
        )
    return not missing


def _read_agents(raw: table.RawTable, header_at: int, result: RosterFile) -> None:
    periods = []
    for number, values in _cells(raw, header_at, AGENT_CAPTIONS, "agents"):
        if not _has_required(values, "agents", raw.name, number, result):
            continue
        dates = {}
        for column in ("valid_from", "valid_to"):
            try:
                dates[column] = (
                    pd.Timestamp(parse_date(values[column], DATE_ORDER))
                    if values.get(column) else pd.NaT
                )  # fmt: skip
            except Problem as problem:
                result.findings.append(Finding(ERROR, raw.name, number, AGENT_CAPTIONS[column],
                                               problem.code, str(problem)))  # fmt: skip
        if len(dates) == 2:
            periods.append({**values, **dates, "source_row": number})
    frame = pd.DataFrame(periods, columns=[*AGENT_CAPTIONS, "source_row"])
    teams = result.roster.teams
    result.roster = Roster(teams, *_from_periods(frame))


def _from_periods(periods: pd.DataFrame):
    """Agents (as each one's latest period has them), memberships and log-ins from periods."""
    periods = periods.sort_values(["agent_id", "valid_from"], kind="stable")
    agents = periods.drop_duplicates("agent_id", keep="last")[[*COLUMNS["agents"], "source_row"]]
    agents = agents.astype(object).where(agents.notna(), None).reset_index(drop=True)
    memberships = _joined(periods, ["team_id"])
    logins = []
    for system in SYSTEMS:
        held = periods[periods[system].notna()].rename(columns={system: "login_id"})
        logins.append(_joined(held, ["login_id"]).assign(system=system))
    logins = pd.concat(logins, ignore_index=True)
    return agents, memberships, logins[[*COLUMNS["logins"], "source_row"]]


def _joined(periods: pd.DataFrame, same: list[str]) -> pd.DataFrame:
    """Consecutive periods of an agent with the same ``same`` values, where one ends the
    day before the next starts, as one period (keeping the first row's ``source_row``)."""
    rows = []
    for row in periods.itertuples():
        last = rows[-1] if rows else None
        if (
            last is not None
            and last["agent_id"] == row.agent_id
            and all(last[c] == getattr(row, c) for c in same)
            and pd.notna(last["valid_to"])
            and last["valid_to"] + ONE_DAY == row.valid_from
        ):
            last["valid_to"] = row.valid_to
            continue
        rows.append({"agent_id": row.agent_id, **{c: getattr(row, c) for c in same},
                     "valid_from": row.valid_from, "valid_to": row.valid_to,
                     "source_row": row.source_row})  # fmt: skip
    columns = ["agent_id", *same, "valid_from", "valid_to", "source_row"]
    return pd.DataFrame(rows, columns=columns).astype(
        {"valid_from": "datetime64[ns]", "valid_to": "datetime64[ns]"}
    )


# --- writing ------------------------------------------------------------------------------


def team_table(roster: Roster, leaders: pd.DataFrame) -> pd.DataFrame:
    """The Tim sheet: each team with its leaders' account names."""
    named = leaders.groupby("team_id")["username"].agg(lambda u: ", ".join(sorted(u)))
    teams = roster.teams.sort_values("team_id")
    return pd.DataFrame({
        TEAM_CAPTIONS["team_id"]: teams["team_id"].to_numpy(),
        TEAM_CAPTIONS["name"]: teams["name"].to_numpy(),
        TEAM_CAPTIONS["leaders"]: teams["team_id"].map(named).fillna("").to_numpy(),
    })  # fmt: skip


def agent_table(roster: Roster) -> pd.DataFrame:
    """The Agen sheet: a row per period in which an agent's team and log-ins stay the same."""
    rows = []
    for agent in roster.agents.sort_values("agent_id").itertuples():
        memberships = roster.memberships[roster.memberships["agent_id"] == agent.agent_id]
        logins = roster.logins[roster.logins["agent_id"] == agent.agent_id]
        for start, end in _pieces(memberships, logins):
            team = held_on(memberships, start)
            held = held_on(logins, start)
            rows.append({
                "agent_id": agent.agent_id, "name": agent.name, "air_name": agent.air_name,
                "team_id": team["team_id"].iloc[0], "valid_from": _text(start),
                "valid_to": _text(end),
                **{s: _login(held, s) for s in SYSTEMS},
                "tier": agent.tier, "primary_channel": agent.primary_channel,
            })  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(AGENT_CAPTIONS))
    return frame.astype(object).where(frame.notna(), None).rename(columns=AGENT_CAPTIONS)


def _pieces(memberships: pd.DataFrame, logins: pd.DataFrame):
    """(first day, last day or NaT) of each period in which nothing changes, within the
    agent's time in teams."""
    for span in spans(memberships).itertuples():
        cuts = {span.valid_from}
        for frame in (memberships, logins):
            cuts |= {d for d in frame["valid_from"] if d > span.valid_from}
            cuts |= {d + ONE_DAY for d in frame["valid_to"].dropna() if d >= span.valid_from}
        cuts = sorted(c for c in cuts if pd.isna(span.valid_to) or c <= span.valid_to)
        ends = [c - ONE_DAY for c in cuts[1:]] + [span.valid_to]
        yield from zip(cuts, ends, strict=True)


def _login(held: pd.DataFrame, system: str):
    ids = held.loc[held["system"] == system, "login_id"]
    return ids.iloc[0] if len(ids) else None


def _text(day) -> str | None:
    return None if pd.isna(day) else f"{day:%Y-%m-%d}"


def roster_workbook(roster: Roster, leaders: pd.DataFrame) -> bytes:
    """The whole roster as the XLSX template: sheets Tim, Agen and Petunjuk (how to fill)."""
    guide = pd.DataFrame({"Petunjuk": [GUIDE]})
    return workbook({SHEETS["teams"]: team_table(roster, leaders),
                     SHEETS["agents"]: agent_table(roster), "Petunjuk": guide})  # fmt: skip
