"""Layout of the import panel: kind, upload, preview with findings, save."""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from kringlib import adherence, ingest
from kringlib.ingest import templates
from kringlib.ingest.layouts import export_rules
from kringlib.roster import SYSTEMS
from kringlib.ui import downloads, tables
from kringlib.ui import format as fmt
from kringlib.ui.import_panel.model import KINDS, ImportPanelModel
from kringlib.ui.progress import progress_bar
from kringlib.ui.upload import ChunkedUpload
from kringlib.workbooks import csv_text

PREVIEW_ROWS = 8
SHOWN_FINDINGS = 200
"""Findings listed on the page; the rest are counted, and all of them downloadable."""


def template_links() -> str:
    """Download links for each template (channel, schedule, SIKKA), as CSV and as XLSX."""
    lines = []
    for kind, name in templates.FILES.items():
        template = templates.template_frame(kind)
        csv = downloads.link(csv_text(template), f"{name}.csv", "CSV")
        xlsx = downloads.link(downloads.xlsx(template, "templat"), f"{name}.xlsx", "XLSX")
        lines.append(f"Unduh {html.escape(KINDS[kind])}: {csv} · {xlsx}")
    return "<br>".join(lines)


class ImportPanelView(w.VBox):
    """The upload form; every rule lives in :class:`ImportPanelModel`."""

    def __init__(self, model: ImportPanelModel, **kwargs):
        super().__init__(**kwargs)
        self.model = model
        self.add_class("kr-import")
        kind = w.Dropdown(options=[(v, k) for k, v in KINDS.items()], description="Jenis")
        kind.add_class("kr-import-kind")
        w.link((model, "kind"), (kind, "value"))
        self.upload = ChunkedUpload(
            accept=".csv,.txt,.xlsx", max_bytes=export_rules().limits.max_bytes
        ).add_class("kr-import-file")
        w.dlink((self.upload, "error"), (model, "error"))
        w.dlink((self.upload, "fraction"), (model, "progress"))
        self.upload.observe(lambda _: setattr(model, "stage", "Mengunggah"), "fraction")
        self.upload.observe(lambda change: change.new and self._preview(), "file")
        preview = w.Button(description="Pratinjau").add_class("kr-import-preview")
        self.save = w.Button(
            description="Simpan ke basis data", disabled=True, layout=w.Layout(width="auto")
        )
        self.save.add_class("kr-import-save")
        self.details = w.HTML().add_class("kr-import-details")
        self.every_finding = w.Button(
            description="Unduh semua temuan (CSV)", layout=w.Layout(width="auto", display="none")
        ).add_class("kr-import-findings-all")
        self.every_finding.on_click(lambda _: self._offer_every_finding())
        self.every_finding_link = w.HTML().add_class("kr-import-findings-link")
        self.unknown = UnknownLogins(model)
        message = w.HTML().add_class("kr-import-message")
        w.dlink((model, "message"), (message, "value"), transform=html.escape)
        error = w.HTML().add_class("kr-message-error")
        w.dlink((model, "error"), (error, "value"), transform=html.escape)
        preview.on_click(lambda _: self._preview())
        self.save.on_click(lambda _: model.commit())
        model.observe(self._show_plan, "plan")
        self.children = [
            downloads.on_request(
                "Templat impor (CSV/XLSX)",
                lambda: f'<div class="kr-message-info">{template_links()}</div>',
                "kr-import-templates",
            ),
            w.HBox([kind, self.upload, preview, self.save]),
            progress_bar(model),
            message,
            error,
            self.unknown,
            self.details,
            w.HBox([self.every_finding, self.every_finding_link]),
        ]

    def _preview(self) -> None:
        received = self.upload.file
        if received is None:
            self.model.error = "Pilih berkas terlebih dahulu (tunggu sampai terunggah)."
            return
        self.model.preview(received.name, received.path)

    def _offer_every_finding(self) -> None:
        """A download of every finding of the preview, built when asked for."""
        findings = self.model.plan.findings if self.model.plan else []
        self.every_finding_link.value = downloads.link(
            findings_csv(findings), "temuan-impor.csv", "temuan-impor.csv"
        )

    def _show_plan(self, _change=None) -> None:
        plan = self.model.plan
        self.save.disabled = plan is None or not plan.can_commit
        self.unknown.show(plan)
        many = plan is not None and len(plan.findings) > SHOWN_FINDINGS
        self.every_finding.layout.display = None if many else "none"
        self.every_finding_link.value = ""
        if plan is None:
            self.details.value = ""
            return
        findings = findings_list(plan.findings)
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in plan.notes)
        summary = (
            f"<p>{len(plan.rows)} baris akan disimpan; {plan.replaced_rows} menggantikan baris "
            f"yang sudah ada; {plan.skipped_rows} dilewati.</p>"
        )
        self.details.value = (
            summary
            + (f'<ul class="kr-notes">{notes}</ul>' if notes else "")
            + findings
            + _preview_table(plan.rows.head(PREVIEW_ROWS))
            + _proposals_table(plan.proposals)
        )


class UnknownLogins(w.VBox):
    """The preview's unknown log-ins, each once, with a team to add them to the roster."""

    def __init__(self, model: ImportPanelModel):
        super().__init__(layout=w.Layout(display="none"))
        self.model = model
        self.add_class("kr-import-unknown")
        self.table = w.HTML()
        self.team = w.Dropdown(description="Ke tim").add_class("kr-import-unknown-team")
        self.add = w.Button(description="Tambahkan ke roster", layout=w.Layout(width="auto"))
        self.add.add_class("kr-import-unknown-add")
        self.add.on_click(lambda _: model.add_unknown_logins(self.team.value))
        self.children = [self.table, w.HBox([self.team, self.add])]

    def show(self, plan) -> None:
        """List ``plan``'s unknown log-ins, or hide when it has none."""
        unknown = None if plan is None else plan.unknown_logins
        if unknown is None or unknown.empty:
            self.layout.display = "none"
            return
        may_add = self.model.may_add_agents
        self.team.options = [("– pilih tim –", ""), *self.model.team_options()] if may_add else []
        self.team.value = "" if may_add else None
        self.team.layout.display = self.add.layout.display = None if may_add else "none"
        self.add.description = f"Tambahkan {len(unknown)} agen ke roster"
        rows = [
            [html.escape(SYSTEMS[r.system]), html.escape(r.login_id),
             html.escape(r.name or "–"), f"{r.first_day:%d-%m-%Y}", str(r.rows)]
            for r in unknown.itertuples()
        ]  # fmt: skip
        lead = ("Log-in berikut belum ada di roster. Pilih tim lalu tambahkan sebagai agen baru "
                "(mulai tanggal baris pertamanya); pratinjau diulang sesudahnya."
                if may_add else "Log-in berikut belum ada di roster; minta admin menambahkannya "
                "di halaman Organisasi.")  # fmt: skip
        self.table.value = f'<p class="kr-message-info">{lead}</p>' + tables.table(
            ["Sistem", "Log-in", "Nama di ekspor", "Baris pertama", "Baris"], rows, [4], ""
        )
        self.layout.display = None


def findings_list(findings: list[ingest.Finding]) -> str:
    """The first :data:`SHOWN_FINDINGS` findings as a list, then how many more there are
    (the page's button downloads them all: :func:`findings_csv`)."""
    if not findings:
        return ""
    items = "".join(
        f'<li class="kr-finding kr-finding-{f.level}">{html.escape(str(f))}</li>'
        for f in findings[:SHOWN_FINDINGS]
    )
    rest = len(findings) - SHOWN_FINDINGS
    if rest > 0:
        items += f'<li class="kr-findings-more">dan {fmt.number(rest)} temuan lain</li>'
    return f'<ul class="kr-findings">{items}</ul>'


def findings_csv(findings: list[ingest.Finding]) -> str:
    """Every finding as CSV: level, file, line, column, code, message."""
    every = pd.DataFrame(
        [(f.level, f.file, f.row, f.column, f.code, f.message) for f in findings],
        columns=["tingkat", "berkas", "baris", "kolom", "kode", "pesan"],
    )
    return csv_text(every)


def _proposals_table(proposals: pd.DataFrame) -> str:
    """The first ATS adjustments a SIKKA file proposes, with the rulebook's labels."""
    if proposals.empty:
        return ""
    labels = {k: r.label for k, r in adherence.reasons().items()}
    shown = proposals.head(PREVIEW_ROWS).assign(reason=lambda f: f["reason"].map(labels))
    return "<p>Usulan penyesuaian ATS (menunggu persetujuan Team Leader):</p>" + shown.to_html(
        index=False, classes="kr-table kr-import-proposals", border=0
    )


def _preview_table(rows: pd.DataFrame) -> str:
    if rows.empty:
        return ""
    shown = rows.copy()
    if "date" in shown:
        shown["date"] = shown["date"].dt.strftime("%d-%m-%Y")
    return shown.to_html(index=False, classes="kr-table kr-import-rows", na_rep="–", border=0)
