"""Layout of the Organisasi page: teams, agents with their history, the forms that change
them, and the roster template. Every rule lives in :class:`OrganisationModel`."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w
import pandas as pd

from kringlib import clock
from kringlib.canonical import CHANNEL_LABELS, CHANNELS
from kringlib.ingest.layouts import export_rules
from kringlib.ingest.roster_file import GUIDE
from kringlib.roster import SYSTEMS, TIERS
from kringlib.ui import downloads, tables
from kringlib.ui import format as fmt
from kringlib.ui.base import PageView, panel
from kringlib.ui.organisation.model import OrganisationModel, example_template
from kringlib.ui.upload import ChunkedUpload

NONE = ("–", "")
CHOOSE_TEAM = ("– pilih tim –", "")
CHOOSE_ACCOUNT = ("– pilih akun –", "")
TIER_CHOICES = [NONE, *((f"Tier {t}", t) for t in TIERS)]
CHANNEL_CHOICES = [NONE, *((CHANNEL_LABELS[c], c) for c in CHANNELS)]
STILL = "masih"
WIDE = {"style": {"description_width": "110px"}}


def _text(css: str, description: str = "", placeholder: str = "", **options) -> w.Text:
    box = w.Text(description=description, placeholder=placeholder, **WIDE, **options)
    return box.add_class(css)


def _day(value) -> str:
    return STILL if pd.isna(value) else fmt.date(value)


class OrganisationView(PageView):
    """Teams, agents with their periods and versions, the forms that change them, and the
    roster template; every rule lives in :class:`OrganisationModel`."""

    title = "Organisasi"
    subtitle = (
        "Tim, agen, keanggotaan tim dan ID log-in dari waktu ke waktu. Setiap perubahan "
        "tersimpan sebagai versi baru beserta alasannya."
    )

    def build_body(self) -> list[w.Widget]:
        """The page's panels, top to bottom."""
        model: OrganisationModel = self.model
        self._filling = False
        self._teams = w.HTML().add_class("kr-org-teams")
        self._agents = w.HTML().add_class("kr-org-agents").add_class("kr-scroll")
        self._count = w.HTML().add_class("kr-org-count")
        self._info = w.HTML().add_class("kr-org-info")
        self._history = w.HTML().add_class("kr-org-versions")
        self._detail = w.VBox().add_class("kr-org-detail")
        self._export = w.HTML().add_class("kr-org-export-link")
        self._team_pickers: list[w.Dropdown] = []
        self._feedback = self._feedback_lines()
        self._slots: dict[str, w.Box] = {}
        self._agent_panel = panel(
            "Agen terpilih",
            self._info,
            self._note(),
            self._agent_forms(),
            self._slot("agent"),
            self._history,
            css_class="kr-org-agent-panel",
        )
        body = [
            panel(
                "Tim",
                self._teams,
                self._team_forms(),
                self._slot("teams"),
                css_class="kr-org-teams-panel",
            ),
            panel(
                "Agen",
                self._agent_finder(),
                self._count,
                self._agents,
                css_class="kr-org-agents-panel",
            ),
            self._detail,
            panel(
                "Agen baru", self._new_agent_form(), self._slot("new"), css_class="kr-org-new-panel"
            ),
            panel(
                "Akun Team Leader",
                self._leader_form(),
                self._slot("leader"),
                css_class="kr-org-leader-panel",
            ),
            panel(
                "Impor dan ekspor roster",
                *self._roster_file(),
                self._slot("file"),
                css_class="kr-org-file-panel",
            ),
        ]
        self.follow(self._show)
        model.observe(lambda _: self._show_agents(), "search")
        model.observe(lambda _: self._show_agents(), "agent_id")
        return body

    # --- parts of the page ----------------------------------------------------------------

    def _note(self) -> w.Widget:
        note = _text(
            "kr-org-note",
            "Keterangan",
            "dasar perubahan (opsional), mis. nomor ND; dicatat pada perubahan berikutnya",
            layout=w.Layout(width="100%"),
        )
        w.link((self.model, "note"), (note, "value"))
        return note

    def _feedback_lines(self) -> w.Widget:
        """The last message and error, shown under the form that was used last (the page
        is long: the error line at its top may be out of sight)."""
        message = w.HTML().add_class("kr-org-message")
        w.dlink((self.model, "message"), (message, "value"), transform=html.escape)
        error = w.HTML().add_class("kr-message-error")
        w.dlink((self.model, "error"), (error, "value"), transform=html.escape)
        return w.VBox([message, error]).add_class("kr-org-feedback")

    def _slot(self, place: str) -> w.Box:
        """Where the feedback shows after a button of ``place`` is pressed."""
        self._slots[place] = w.Box()
        return self._slots[place]

    def _button(
        self, css: str, description: str, place: str, action: Callable[[], object]
    ) -> w.Button:
        """A button that runs ``action`` and reports under the forms of ``place``."""
        button = w.Button(description=description, layout=w.Layout(width="auto"))

        def clicked(_) -> None:
            for name, slot in self._slots.items():
                slot.children = [self._feedback] if name == place else []
            action()

        button.on_click(clicked)
        return button.add_class(css)

    def _team_picker(self, css: str, description: str = "Tim") -> w.Dropdown:
        """A team dropdown whose options follow the roster."""
        picker = w.Dropdown(options=[CHOOSE_TEAM], description=description, **WIDE)
        picker.add_class(css)
        self._team_pickers.append(picker)
        return picker

    def _team_forms(self) -> w.Widget:
        model = self.model
        team_id = _text("kr-org-team-id", "ID tim baru", "mis. semeru2")
        name = _text("kr-org-team-name", "Nama", "mis. Tim Semeru 2")
        add = self._button(
            "kr-org-team-add",
            "Tambah tim",
            "teams",
            lambda: model.add_team(team_id.value, name.value),
        )
        renamed = self._team_picker("kr-org-rename-team")
        new_name = _text("kr-org-rename-name", "Nama baru")
        rename = self._button(
            "kr-org-rename-save",
            "Ganti nama",
            "teams",
            lambda: model.rename_team(renamed.value, new_name.value),
        )
        return w.VBox([w.HBox([team_id, name, add]), w.HBox([renamed, new_name, rename])])

    def _agent_finder(self) -> w.Widget:
        search = w.Text(
            placeholder="Cari ID agen, nama, nama udara, atau ID log-in",
            continuous_update=False,
            layout=w.Layout(width="420px"),
        ).add_class("kr-org-search")
        w.link((self.model, "search"), (search, "value"))
        self._picker = w.Dropdown(description="Pilih agen", layout=w.Layout(width="460px"), **WIDE)
        self._picker.add_class("kr-org-agent")
        self._picker.observe(self._picked, "value")
        return w.HBox([search, self._picker])

    def _picked(self, change) -> None:
        if not self._filling and change["new"]:
            self.model.agent_id = change["new"]

    def _agent_forms(self) -> w.Widget:
        forms = {
            "Ubah data": self._edit_form(),
            "Pindah tim": self._move_form(),
            "Keluar": self._leave_form(),
            "ID log-in baru": self._login_form(),
            "Akun agen": self._link_form(),
        }
        return w.Tab(children=list(forms.values()), titles=list(forms)).add_class("kr-org-forms")

    def _edit_form(self) -> w.Widget:
        self._edit = {
            "name": _text("kr-org-edit-name", "Nama"),
            "air_name": _text("kr-org-edit-air", "Nama udara"),
            "tier": w.Dropdown(options=TIER_CHOICES, description="Tier", **WIDE),
            "primary_channel": w.Dropdown(
                options=CHANNEL_CHOICES, description="Saluran utama", **WIDE
            ),
        }
        self._edit["tier"].add_class("kr-org-edit-tier")
        self._edit["primary_channel"].add_class("kr-org-edit-channel")
        save = self._button(
            "kr-org-edit-save",
            "Simpan sebagai versi baru",
            "agent",
            lambda: self.model.edit_agent(**{k: f.value for k, f in self._edit.items()}),
        )
        return w.VBox(
            [
                w.HBox([self._edit["name"], self._edit["air_name"]]),
                w.HBox([self._edit["tier"], self._edit["primary_channel"], save]),
            ]
        )

    def _move_form(self) -> w.Widget:
        team = self._team_picker("kr-org-move-team", "Ke tim")
        day = w.DatePicker(description="Mulai tanggal", **WIDE).add_class("kr-org-move-date")
        save = self._button(
            "kr-org-move-save", "Pindahkan", "agent", lambda: self.model.move(team.value, day.value)
        )
        hint = w.HTML(
            '<div class="kr-message-info">Keanggotaan di tim sekarang berakhir sehari '
            "sebelumnya; kinerja sebelum tanggal itu tetap milik tim lama.</div>"
        )
        return w.VBox([w.HBox([team, day, save]), hint])

    def _leave_form(self) -> w.Widget:
        day = w.DatePicker(description="Hari terakhir", **WIDE).add_class("kr-org-leave-date")
        save = self._button(
            "kr-org-leave-save", "Tandai keluar", "agent", lambda: self.model.leave(day.value)
        )
        hint = w.HTML(
            '<div class="kr-message-info">Keanggotaan tim dan semua ID log-in yang '
            "masih berlaku berakhir pada hari itu.</div>"
        )
        return w.VBox([w.HBox([day, save]), hint])

    def _login_form(self) -> w.Widget:
        options = [(label, system) for system, label in SYSTEMS.items()]
        system = w.Dropdown(options=options, description="Sistem", **WIDE)
        system.add_class("kr-org-login-system")
        login_id = _text("kr-org-login-id", "ID baru")
        day = w.DatePicker(description="Mulai tanggal", **WIDE).add_class("kr-org-login-date")
        save = self._button(
            "kr-org-login-save",
            "Simpan ID log-in",
            "agent",
            lambda: self.model.set_login(system.value, login_id.value, day.value),
        )
        hint = w.HTML(
            '<div class="kr-message-info">ID lama pada sistem itu berakhir sehari sebelumnya.</div>'
        )
        return w.VBox([w.HBox([system, login_id]), w.HBox([day, save]), hint])

    def _link_form(self) -> w.Widget:
        self._agent_accounts = w.Combobox(
            description="Akun", placeholder="nama akun agen", ensure_option=False, **WIDE
        )
        self._agent_accounts.add_class("kr-org-link-user")
        save = self._button(
            "kr-org-link-save",
            "Hubungkan ke agen ini",
            "agent",
            lambda: self.model.link_agent_account(self._agent_accounts.value),
        )
        return w.HBox([self._agent_accounts, save])

    def _new_agent_form(self) -> w.Widget:
        fields = {
            "agent_id": _text("kr-org-new-id", "ID agen", "mis. AG061"),
            "name": _text("kr-org-new-name", "Nama"),
            "air_name": _text("kr-org-new-air", "Nama udara"),
        }
        team = self._team_picker("kr-org-new-team")
        since = w.DatePicker(description="Mulai bertugas", **WIDE).add_class("kr-org-new-since")
        logins = {
            system: _text(
                f"kr-org-new-login-{system}", label, "wajib" if system == "avaya" else "opsional"
            )
            for system, label in SYSTEMS.items()
        }

        def add() -> None:
            self.model.add_agent(
                fields["agent_id"].value,
                fields["name"].value,
                team.value,
                since.value,
                air_name=fields["air_name"].value,
                logins={system: box.value for system, box in logins.items()},
            )
            if not self.model.error:
                for box in [*fields.values(), *logins.values()]:
                    box.value = ""

        save = self._button("kr-org-new-save", "Tambah agen", "new", add)
        boxes = list(logins.values())
        return w.VBox(
            [
                w.HBox([*fields.values()]),
                w.HBox([team, since, boxes[0]]),
                w.HBox([*boxes[1:], save]),
            ]
        )

    def _leader_form(self) -> w.Widget:
        self._leader_accounts = w.Dropdown(options=[CHOOSE_ACCOUNT], description="Akun", **WIDE)
        self._leader_accounts.add_class("kr-org-leader-user")
        team = self._team_picker("kr-org-leader-team", "Memimpin tim")
        save = self._button(
            "kr-org-leader-save",
            "Simpan",
            "leader",
            lambda: self.model.link_leader(self._leader_accounts.value, team.value),
        )
        return w.HBox([self._leader_accounts, team, save])

    def _roster_file(self) -> list[w.Widget]:
        model = self.model
        template = downloads.on_request(
            "Templat roster dengan contoh (XLSX)",
            lambda: downloads.link(example_template(), "templat-roster.xlsx", "Unduh templat"),
            "kr-org-template",
        )
        export = self._button(
            "kr-org-export", "Siapkan roster sekarang (XLSX)", "file", self._prepare_export
        )
        self._upload = ChunkedUpload(
            accept=".csv,.xlsx", max_bytes=export_rules().limits.max_bytes
        ).add_class("kr-org-import-file")
        w.dlink((self._upload, "error"), (model, "error"))
        self._upload.observe(lambda change: change.new and self._preview(), "file")
        preview = self._button("kr-org-import-preview", "Pratinjau", "file", self._preview)
        self._save_file = self._button(
            "kr-org-import-save", "Simpan ke basis data", "file", model.commit
        )
        self._save_file.disabled = True
        self._plan = w.HTML().add_class("kr-org-import-details")
        model.observe(lambda _: self._show_plan(), "plan")
        guide = f'<div class="kr-message-info kr-org-guide">{html.escape(GUIDE)}</div>'
        return [
            w.HTML(guide),
            template,
            w.HBox([export, self._export]),
            w.HBox([self._upload, preview, self._save_file]),
            self._plan,
        ]

    def _prepare_export(self) -> None:
        content = self.model.export()
        name = f"roster-{self.model.today:%Y-%m-%d}.xlsx"
        self._export.value = (
            "" if content is None else downloads.link(content, name, "Unduh roster")
        )

    def _preview(self) -> None:
        received = self._upload.file
        if received is None:
            self.model.error = "Pilih berkas terlebih dahulu (tunggu sampai terunggah)."
            return
        self.model.preview(received.name, received.path)

    # --- showing the model ----------------------------------------------------------------

    def _show(self, _change=None) -> None:
        model: OrganisationModel = self.model
        self._teams.value = _team_table(model.teams())
        choices = [CHOOSE_TEAM, *model.team_choices()]
        for picker in self._team_pickers:
            picker.options = choices
        self._agent_accounts.options = model.usernames("agent")
        leaders = model.usernames("team_leader")
        self._leader_accounts.options = [CHOOSE_ACCOUNT, *zip(leaders, leaders, strict=True)]
        self._export.value = ""
        self._show_agents()

    def _show_agents(self) -> None:
        model: OrganisationModel = self.model
        found = model.agents()
        total = len(model.roster.agents)
        self._count.value = (
            f'<div class="kr-message-info">{fmt.number(len(found))} dari '
            f"{fmt.number(total)} agen</div>"
        )
        self._filling = True
        self._picker.options = [
            (f"{r.agent_id} · {r.name} · {r.team}", r.agent_id) for r in found.itertuples()
        ]
        self._picker.value = model.agent_id if model.agent_id in set(found["agent_id"]) else None
        self._filling = False
        self._agents.value = _agent_table(found, model.agent_id)
        self._show_chosen()

    def _show_chosen(self) -> None:
        model: OrganisationModel = self.model
        row = model.chosen()
        if row is None:
            self._detail.children = []
            return
        for field, box in self._edit.items():
            box.value = "" if pd.isna(row[field]) else row[field]
        self._info.value = _agent_info(model, row)
        self._history.value = _history_table(model.history())
        self._detail.children = [self._agent_panel]

    def _show_plan(self) -> None:
        plan = self.model.plan
        self._save_file.disabled = plan is None or not plan.can_commit
        self._plan.value = "" if plan is None else _plan_details(plan)


def _team_table(teams: pd.DataFrame) -> str:
    rows = [
        [
            html.escape(t.team_id),
            html.escape(t.name),
            html.escape(t.leaders or "–"),
            fmt.number(t.agents),
        ]
        for t in teams.itertuples()
    ]
    attributes = [f'data-team="{html.escape(t)}"' for t in teams["team_id"]]
    head = ["ID tim", "Nama", "Team Leader (akun)", "Agen aktif"]
    return tables.table(head, rows, numeric=[3], row_attributes=attributes)


def _agent_table(agents: pd.DataFrame, chosen: str) -> str:
    if agents.empty:
        return '<div class="kr-message-info">Tidak ada agen yang cocok.</div>'
    rows = [
        [
            html.escape(str(value or "–"))
            for value in (a.agent_id, a.name, a.air_name, a.team, a.status, a.logins)
        ]
        for a in agents.fillna("").itertuples()
    ]
    attributes = [
        f'data-agent="{html.escape(a)}"' + (' class="kr-org-chosen"' if a == chosen else "")
        for a in agents["agent_id"]
    ]
    head = ["ID", "Nama", "Nama udara", "Tim", "Status", "ID log-in hari ini"]
    return tables.table(head, rows, row_attributes=attributes)


def _agent_info(model: OrganisationModel, row: pd.Series) -> str:
    """The chosen agent: who they are, their teams and log-ins over time."""
    facts = [
        f"<b>{html.escape(row['name'])}</b> ({html.escape(row['agent_id'])})",
        *(
            html.escape(f"{label} {value}")
            for label, value in (
                ("nama udara", row["air_name"]),
                ("Tier", row["tier"]),
                ("saluran utama", CHANNEL_LABELS.get(row["primary_channel"])),
            )
            if not pd.isna(value)
        ),
        html.escape(f"{row['team']} · {row['status']}"),
        "akun: " + html.escape(", ".join(model.linked_accounts()) or "belum ada"),
    ]
    return (
        f'<div class="kr-org-facts">{" · ".join(facts)}</div>'
        f'<div class="kr-org-periods">{_membership_table(model.memberships())}'
        f"{_login_table(model.logins())}</div>"
    )


def _membership_table(memberships: pd.DataFrame) -> str:
    rows = [
        [html.escape(m.team), _day(m.valid_from), _day(m.valid_to)]
        for m in memberships.itertuples()
    ]
    table = tables.table(["Tim", "Dari", "Sampai"], rows, css_class="kr-org-memberships")
    return f"<div><b>Keanggotaan tim</b>{table}</div>"


def _login_table(logins: pd.DataFrame) -> str:
    rows = [
        [html.escape(g.label), html.escape(g.login_id), _day(g.valid_from), _day(g.valid_to)]
        for g in logins.itertuples()
    ]
    table = tables.table(["Sistem", "ID", "Dari", "Sampai"], rows, css_class="kr-org-logins")
    return f"<div><b>ID log-in</b>{table}</div>"


def _history_table(versions: pd.DataFrame) -> str:
    rows = [
        [
            fmt.number(v.version),
            f"{clock.in_jakarta(v.changed_at):%d-%m-%Y %H:%M} WIB",
            html.escape(v.changed_by),
            html.escape(v.reason),
            "<br>".join(html.escape(c) for c in v.changes) or "–",
        ]
        for v in versions.itertuples()
    ]
    head = ["Versi", "Waktu", "Oleh", "Alasan", "Yang berubah"]
    table = tables.table(head, rows, numeric=[0], css_class="kr-org-history")
    return f"<div><b>Riwayat versi</b>{table}</div>"


def _plan_details(plan) -> str:
    """What importing the previewed file would do, its findings and its problems."""

    def listed(title: str, ids) -> str:
        return f"<li>{html.escape(title)}: {html.escape(', '.join(ids))}</li>" if ids else ""

    findings = [
        f'<li class="kr-finding kr-finding-{f.level}">{html.escape(str(f))}</li>'
        for f in plan.file.findings
    ]
    problems = [
        f'<li class="kr-finding kr-finding-galat">{html.escape(p)}</li>' for p in plan.problems
    ]
    changes = (
        listed("Tim baru", plan.new_teams)
        + listed("Agen baru", plan.new_agents)
        + listed("Agen berubah", plan.changed_agents)
    )
    return (
        f"<p><b>{html.escape(plan.file.file)}</b>: {html.escape(str(plan))}.</p>"
        + (f"<ul>{changes}</ul>" if changes else "")
        + (
            f'<ul class="kr-findings">{"".join(findings + problems)}</ul>'
            if findings or problems
            else ""
        )
    )
