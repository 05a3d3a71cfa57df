"""State of the Organisasi page: teams, agents, who was in which team with which log-ins,
and every change to them as a new version (:mod:`kringlib.store.roster`).

SPV and admin only (``rules/akses.yaml``, page ``organisasi``); the store re-reads the
actor and checks the page again inside the transaction that writes.
"""

from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
import traitlets

from kringlib import roster
from kringlib.access import PermissionDenied
from kringlib.ingest.roster_file import TEAM_CAPTIONS, read_roster_file, roster_workbook, team_table
from kringlib.roster import ONE_DAY, SYSTEMS, Roster, held_on, system_label
from kringlib.store import roster as store
from kringlib.store import users
from kringlib.ui import format as fmt
from kringlib.ui.base import PageModel
from kringlib.ui.messages import guarded

FIELDS = {"name": "nama", "air_name": "nama udara", "tier": "tier", "primary_channel": "saluran"}
"""The fields of a team's or agent's version, as a reader names them."""


def _action(method):
    """A :func:`guarded` change that first clears the last message, so that an error never
    shows beside an earlier success."""

    @functools.wraps(method)
    def clearing(self, *args, **kwargs):
        self.message = ""
        return method(self, *args, **kwargs)

    return guarded(clearing)


class OrganisationModel(PageModel):
    """The roster as stored, the chosen agent, and every change the page can save."""

    page = store.PAGE

    search = traitlets.Unicode("")
    agent_id = traitlets.Unicode("")  # the chosen agent, "" for none
    note = traitlets.Unicode("")  # added to the reason of the next change (e.g. a memo number)
    plan = traitlets.Instance(store.RosterPlan, allow_none=True)

    def __init__(self, engine, session=None, **kwargs):
        super().__init__(engine, session, **kwargs)
        self.observe(self._choose_single_match, "search")
        self.reload()

    @guarded
    def reload(self) -> None:
        """Read the roster, team leaders and accounts again; nothing for a refused visitor."""
        self._read()

    def _read(self) -> None:
        self.roster = Roster.empty()
        self.leaders = pd.DataFrame(columns=["team_id", "username"])
        self.accounts = pd.DataFrame(columns=["username", "role", "agent_id", "disabled"])
        if self.allowed:
            with self.engine.connect() as conn:
                self.roster, self.leaders = store.load(conn), store.leaders(conn)
            self.accounts = users.users(self.engine)
        teams = self.roster.teams
        self._team_names = dict(zip(teams["team_id"], teams["name"], strict=True))
        if self.agent_id not in set(self.roster.agents["agent_id"]):
            self.agent_id = ""
        self.plan = None  # checked against the roster as it was
        self.version += 1

    # --- what the page shows --------------------------------------------------------------

    def teams(self) -> pd.DataFrame:
        """Each team: team_id, name, leaders (their accounts) and agents (in it today)."""
        teams = team_table(self.roster, self.leaders)
        teams = teams.rename(columns={caption: c for c, caption in TEAM_CAPTIONS.items()})
        counts = self._teams_today(self.roster.agents["agent_id"]).value_counts()
        return teams.assign(agents=teams["team_id"].map(counts).fillna(0).astype(int))

    def agents(self) -> pd.DataFrame:
        """The agents matching :attr:`search` (id, name, on-air name or any log-in id ever
        used), described as by :meth:`_described`."""
        agents = self.roster.agents
        return self._described(agents[self._matches(agents)].sort_values("agent_id"))

    def chosen(self) -> pd.Series | None:
        """The chosen agent's row, described as by :meth:`_described`; None for none."""
        agents = self.roster.agents
        found = self._described(agents[agents["agent_id"] == self.agent_id])
        return None if found.empty else found.iloc[0]

    def _described(self, agents: pd.DataFrame) -> pd.DataFrame:
        """``agents`` (agent_id, name, air_name, tier, primary_channel) with their team
        (today's, else the last), status, and logins (those valid today)."""
        ids = agents["agent_id"]
        teams = self._teams_today(ids).fillna(ids.map(self.roster.current_team))
        return agents.assign(
            team=teams.map(self.team_name).to_numpy(),
            status=[self._status(a) for a in ids],
            logins=[self._logins_today(a) for a in ids],
        )

    def _matches(self, agents: pd.DataFrame) -> pd.Series:
        words = self.search.strip().lower()
        if not words:
            return pd.Series(True, index=agents.index)
        logins = self.roster.logins
        used = logins.loc[logins["login_id"].str.lower().str.contains(words, regex=False)]
        by_login = agents["agent_id"].isin(set(used["agent_id"]))
        text = agents[["agent_id", "name", "air_name"]].fillna("").agg(" ".join, axis=1)
        return text.str.lower().str.contains(words, regex=False) | by_login

    def _choose_single_match(self, _change) -> None:
        found = self.agents()
        if len(found) == 1:
            self.agent_id = found["agent_id"].iloc[0]

    def _teams_today(self, ids: pd.Series) -> pd.Series:
        keys = pd.DataFrame({"agent_id": ids.to_numpy(), "date": pd.Timestamp(self.today)})
        return roster.team_on(keys, self.roster.memberships).set_axis(ids.index)

    def _status(self, agent_id: str) -> str:
        """aktif, aktif s.d. (a last day to come), mulai (not yet started) or keluar sejak."""
        mine = self.roster.memberships[self.roster.memberships["agent_id"] == agent_id]
        first, last = mine["valid_from"].min(), mine.sort_values("valid_from").iloc[-1]
        today = pd.Timestamp(self.today)
        if first > today:
            return f"mulai {fmt.date(first)}"
        if pd.isna(last.valid_to):
            return "aktif"
        if last.valid_to >= today:
            return f"aktif s.d. {fmt.date(last.valid_to)}"
        return f"keluar sejak {fmt.date(last.valid_to + ONE_DAY)}"

    def _logins_today(self, agent_id: str) -> str:
        logins = self.roster.logins
        held = _in_system_order(held_on(logins[logins["agent_id"] == agent_id], self.today))
        return " · ".join(f"{s} {i}" for s, i in zip(held["system"], held["login_id"], strict=True))

    def team_name(self, team_id) -> str:
        """The team's name; the id itself when unknown, :data:`~kringlib.roster.NO_TEAM`
        for none."""
        return roster.NO_TEAM if pd.isna(team_id) else self._team_names.get(team_id, team_id)

    def team_choices(self) -> list[tuple[str, str]]:
        """(name, team_id) of every team, for pickers."""
        teams = self.roster.teams.sort_values("name")
        return list(zip(teams["name"], teams["team_id"], strict=True))

    def usernames(self, role: str) -> list[str]:
        """The active accounts of ``role``."""
        accounts = self.accounts
        return list(accounts.loc[(accounts["role"] == role) & ~accounts["disabled"], "username"])

    def linked_accounts(self) -> list[str]:
        """The accounts that sign in as the chosen agent."""
        return list(self.accounts.loc[self.accounts["agent_id"] == self.agent_id, "username"])

    def memberships(self) -> pd.DataFrame:
        """The chosen agent's teams over time: team_id, team, valid_from, valid_to."""
        rows = self.roster.memberships[self.roster.memberships["agent_id"] == self.agent_id]
        rows = rows.sort_values("valid_from")
        return rows.assign(team=rows["team_id"].map(self.team_name))

    def logins(self) -> pd.DataFrame:
        """The chosen agent's log-ins over time: system, label, login_id, valid_from, valid_to."""
        rows = self.roster.logins[self.roster.logins["agent_id"] == self.agent_id]
        rows = _in_system_order(rows.sort_values("valid_from"))
        return rows.assign(label=rows["system"].map(SYSTEMS))

    def history(self) -> pd.DataFrame:
        """The chosen agent's versions, newest first, each with ``changes``: what it
        changed against the version before, in words."""
        versions = store.history(self.engine, "agen", self.agent_id)
        snapshots = [None, *versions["snapshot"]]
        said = [
            changes(before, after, self._team_names)
            for before, after in zip(snapshots[:-1], snapshots[1:], strict=True)
        ]
        return versions.assign(changes=said).iloc[::-1]

    # --- changes ----------------------------------------------------------------------------

    def _save(self, change: store.Change, what: str) -> None:
        """Save ``change`` with ``what`` (and the note) as its reason, then read again."""
        note = self.note.strip()
        saved = store.save(self.engine, self.actor(), change, f"{what} ({note})" if note else what)
        self.note = ""
        self._read()
        self.message = f"{what[0].upper()}{what[1:]}. {saved}"

    def _chosen_id(self) -> str:
        if not self.agent_id:
            raise ValueError("Pilih agen terlebih dahulu.")
        return self.agent_id

    @_action
    def add_team(self, team_id: str, name: str) -> None:
        """A new team."""
        self._save(lambda r: roster.add_team(r, team_id, name), f"tim baru {team_id.strip()}")

    @_action
    def rename_team(self, team_id: str, name: str) -> None:
        """The team under a new name."""
        what = f"nama tim {team_id} menjadi {name.strip()}"
        self._save(lambda r: roster.rename_team(r, team_id, name), what)

    @_action
    def add_agent(
        self,
        agent_id: str,
        name: str,
        team_id: str,
        since: dt.date | None,
        *,
        air_name: str = "",
        logins: dict[str, str] | None = None,
    ) -> None:
        """A new agent in ``team_id`` from ``since`` with an Avaya Login ID and any other
        log-ins (system → id); chosen once saved."""
        logins = logins or {}
        if not (logins.get("avaya") or "").strip():
            raise ValueError(f"{SYSTEMS['avaya']} wajib diisi.")
        day = _given(since, "mulai bertugas")
        agent_id = agent_id.strip()
        what = f"agen baru {agent_id} di {self.team_name(team_id)} mulai {fmt.date(day)}"
        self._save(
            lambda r: roster.add_agent(
                r, agent_id, name, team_id, day, air_name=air_name, logins=logins
            ),
            what,
        )
        self.agent_id = agent_id

    @_action
    def edit_agent(self, name: str, air_name: str, tier: str, primary_channel: str) -> None:
        """The chosen agent's name, on-air name, tier and main channel, as a new version
        (empty tier or channel: none)."""
        agent_id = self._chosen_id()
        fields = dict(
            name=name, air_name=air_name, tier=tier or None, primary_channel=primary_channel or None
        )
        self._save(lambda r: roster.edit_agent(r, agent_id, **fields), f"ubah data agen {agent_id}")

    @_action
    def move(self, team_id: str | None, on: dt.date | None) -> None:
        """The chosen agent in ``team_id`` from ``on``."""
        agent_id = self._chosen_id()
        if not team_id:
            raise ValueError("Pilih tim tujuan.")
        day = _given(on, "pindah")
        what = f"agen {agent_id} pindah ke {self.team_name(team_id)} mulai {fmt.date(day)}"
        self._save(lambda r: roster.move(r, agent_id, team_id, day), what)

    @_action
    def leave(self, last_day: dt.date | None) -> None:
        """The chosen agent gone after ``last_day``."""
        agent_id = self._chosen_id()
        day = _given(last_day, "hari terakhir")
        what = f"agen {agent_id} keluar, hari terakhir {fmt.date(day)}"
        self._save(lambda r: roster.leave(r, agent_id, day), what)

    @_action
    def set_login(self, system: str, login_id: str, since: dt.date | None) -> None:
        """The chosen agent uses ``login_id`` on ``system`` from ``since``."""
        agent_id = self._chosen_id()
        day = _given(since, "mulai berlaku")
        what = f"agen {agent_id}: {system_label(system)} {login_id.strip()} mulai {fmt.date(day)}"
        self._save(lambda r: roster.set_login(r, agent_id, system, login_id, day), what)

    @_action
    def link_agent_account(self, username: str) -> None:
        """The agent account ``username`` signs in as the chosen agent from now on."""
        agent_id = self._chosen_id()
        store.link_account(self.engine, self.actor(), username, "agent", agent_id=agent_id)
        self._read()
        self.message = f"Akun {username} kini masuk sebagai agen {agent_id}."

    @_action
    def link_leader(self, username: str, team_id: str | None) -> None:
        """The team leader account ``username`` leads ``team_id`` from now on."""
        if not team_id:
            raise ValueError("Pilih tim.")
        store.link_account(self.engine, self.actor(), username, "team_leader", team_id=team_id)
        self._read()
        self.message = f"Akun {username} kini Team Leader {self.team_name(team_id)}."

    # --- the roster template ----------------------------------------------------------------

    @_action
    def preview(self, file_name: str, source) -> None:
        """Read an uploaded roster file (its bytes, or the path it was received at) and
        check it against the stored roster; nothing is saved."""
        self.plan = None
        if not self.allowed:
            raise PermissionDenied(self.refused)
        self.plan = store.plan_file(self.engine, read_roster_file(source, file_name))
        if self.plan.can_commit:
            self.message = f"{self.plan}: periksa lalu tekan Simpan."
        else:
            wrong = len(self.plan.problems) + len(self.plan.file.errors)
            self.message = f"{wrong} masalah: perbaiki berkas lalu unggah ulang."

    @_action
    def commit(self) -> None:
        """Save the previewed file in one transaction (refused while it has problems)."""
        if self.plan is None:
            raise ValueError("Belum ada berkas yang dipratinjau.")
        file = self.plan.file
        saved = store.import_file(self.engine, file, self.actor())
        self._read()
        self.message = f"Impor {file.file}: {saved}"

    @guarded
    def export(self) -> bytes | None:
        """The stored roster as the XLSX template."""
        if not self.allowed:
            raise PermissionDenied(self.refused)
        return store.export_file(self.engine)


def _in_system_order(logins: pd.DataFrame) -> pd.DataFrame:
    """``logins`` by system in the order of :data:`~kringlib.roster.SYSTEMS` (stable)."""
    order = {system: k for k, system in enumerate(SYSTEMS)}
    return logins.sort_values("system", key=lambda s: s.map(order), kind="stable")


def _given(day: dt.date | None, what: str) -> dt.date:
    if day is None:
        raise ValueError(f"Isi tanggal {what}.")
    return day


def example_template() -> bytes:
    """The roster template with an example: two teams and an agent who moved between them
    (two rows), under a team leader account that does not exist (so it cannot be saved as is)."""
    example = roster.add_team(Roster.empty(), "contoh-a", "Tim Contoh A")
    example = roster.add_team(example, "contoh-b", "Tim Contoh B")
    example = roster.add_agent(
        example,
        "AG901",
        "Nama Lengkap Agen",
        "contoh-a",
        dt.date(2026, 1, 5),
        air_name="Nama Udara",
        logins={"avaya": "59901", "chat": "AG901"},
    )
    example = roster.move(example, "AG901", "contoh-b", dt.date(2026, 3, 2))
    leaders = pd.DataFrame({"team_id": ["contoh-a"], "username": ["tl.contoh"]})
    return roster_workbook(example, leaders)


def changes(before: dict | None, after: dict, team_names: dict[str, str]) -> list[str]:
    """What a version (a snapshot of :mod:`kringlib.store.roster`) changed against the one
    before it, each change a phrase; the first version is "dibuat"."""
    if before is None:
        return ["dibuat"]
    said = [
        f"{label}: {before.get(k) or '–'} → {after.get(k) or '–'}"
        for k, label in FIELDS.items()
        if before.get(k) != after.get(k)
    ]

    def team(row: dict) -> str:
        return team_names.get(row["team_id"], row["team_id"])

    def login(row: dict) -> str:
        return f"{system_label(row['system'])} {row['login_id']}"

    said += _period_changes(before.get("memberships", []), after.get("memberships", []), team)
    said += _period_changes(before.get("logins", []), after.get("logins", []), login)
    return said


def _period_changes(before: list[dict], after: list[dict], label) -> list[str]:
    """Periods begun, ended (or reopened) and removed between two snapshots."""
    old = {(label(r), r["valid_from"]): r["valid_to"] for r in before}
    new = {(label(r), r["valid_from"]): r["valid_to"] for r in after}
    said = []
    for (what, start), end in new.items():
        if (what, start) not in old:
            said.append(f"{what} mulai {_iso(start)}" + (f" s.d. {_iso(end)}" if end else ""))
        elif old[(what, start)] != end:
            said.append(f"{what} berakhir {_iso(end)}" if end else f"{what} berlaku lagi")
    return said + [
        f"{what} sejak {_iso(start)} dihapus" for what, start in old if (what, start) not in new
    ]


def _iso(day: str) -> str:
    return fmt.date(dt.date.fromisoformat(day))
