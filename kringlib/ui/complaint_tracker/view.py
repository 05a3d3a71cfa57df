"""Layout of the Pengaduan page: the complaints and their SLA status, one complaint's steps
as a Gantt chart with the step to record, the figures by executor, unit and month, and
the rulebook's legal bases and channels."""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from kringlib import charts, complaint_reports, complaints
from kringlib.ui import charting, downloads, tables
from kringlib.ui import format as fmt
from kringlib.ui.base import PageView, panel
from kringlib.ui.complaint_tracker.model import SHOWN, ComplaintTrackerModel

NO_STEP = "Langkah yang selesai …"


class ComplaintTrackerView(PageView):
    title = "Pengaduan"
    subtitle = (
        "SLA pengaduan SE-11/PJ/2019: dua belas langkah dalam hari kerja, 58 hari kerja "
        "seluruhnya; siapa yang terlambat dan di mana."
    )

    def build_body(self) -> list[w.Widget]:
        model: ComplaintTrackerModel = self.model
        shown = w.Dropdown(options=[(v, k) for k, v in SHOWN.items()], description="Status")
        w.link((model, "shown"), (shown.add_class("kr-complaint-filter"), "value"))
        self._list = w.Select(rows=8, layout=w.Layout(width="100%")).add_class("kr-complaints")
        self._list.observe(self._picked, "value")
        self._table = w.HTML().add_class("kr-complaint-table")
        self._gantt = charting.StaticChart("kr-chart-gantt")
        self._steps = w.HTML().add_class("kr-complaint-steps")
        self._record = self._record_form()
        group = w.ToggleButtons(options=[(v, k) for k, v in complaint_reports.BY.items()])
        w.link((model, "group_by"), (group.add_class("kr-complaint-group"), "value"))
        self._groups = w.HTML().add_class("kr-complaint-groups")
        self._monthly = w.HTML().add_class("kr-complaint-monthly")
        self._download = w.HTML()
        export = w.Button(description="Unduh Excel").add_class("kr-complaint-export")
        export.on_click(lambda _: self._export())
        self.follow(self._show)
        return [
            panel("Pengaduan", shown, self._list, self._table, export, self._download),
            panel(
                "Langkah pengaduan: rencana dan realisasi",
                self._gantt,
                self._steps,
                self._record,
                css_class="kr-complaint-detail",
            ),  # fmt: skip
            panel("Umur dan keterlambatan pengaduan yang berjalan", group, self._groups),
            panel("Tepat waktu per tahap, per bulan", self._monthly),
            panel("Dasar hukum dan saluran", w.HTML(_reference()), css_class="kr-reference"),
        ]

    def _record_form(self) -> w.Widget:
        model: ComplaintTrackerModel = self.model
        day = w.DatePicker(description="Selesai")
        w.link((model, "finished_on"), (day, "value"))
        note = w.Text(placeholder="Catatan, atau alasan koreksi")
        w.link((model, "note"), (note, "value"))
        save = w.Button(description="Catat langkah selesai").add_class("kr-complaint-complete")
        save.layout.width = "auto"
        save.on_click(lambda _: model.complete())
        self._corrected = w.Dropdown(options=[(NO_STEP, 0)], description="Koreksi")
        self._corrected.add_class("kr-complaint-corrected")
        w.link((model, "corrected_step"), (self._corrected, "value"))
        correct = w.Button(description="Koreksi tanggal").add_class("kr-complaint-correct")
        correct.on_click(lambda _: model.correct())
        message = w.HTML().add_class("kr-complaint-message")
        w.dlink((model, "message"), (message, "value"), transform=html.escape)
        return w.VBox(
            [w.HBox([day, note, save]), w.HBox([self._corrected, correct]), message]
        ).add_class("kr-complaint-record")

    def _picked(self, change) -> None:
        if change["new"] is not None and change["new"] != self.model.complaint_id:
            self.model.complaint_id = change["new"]

    def _show(self, _change=None) -> None:
        model: ComplaintTrackerModel = self.model
        listed = model.listed()
        self._list.options = [
            (f"{r.number} · diterima {r.received_on:%d-%m-%Y} · {r.reported_unit} · "
             f"{_current(r)}", int(r.id))
            for r in listed.itertuples()
        ]  # fmt: skip
        ids = {value for _, value in self._list.options}
        self._list.value = model.complaint_id if model.complaint_id in ids else None
        self._table.value = _complaints_table(listed)
        steps = model.chosen_steps()
        if steps is None:
            self._gantt.say('<div class="kr-message-info">Pilih pengaduan.</div>')
            self._steps.value = ""
        else:
            self._gantt.show(charts.complaint_gantt(steps, model.today))
            self._steps.value = _steps_table(steps)
        finished = [] if steps is None else steps.loc[steps["finished"].notna(), "step"]
        self._corrected.options = [(NO_STEP, 0)] + [
            (f"Langkah {step}", int(step)) for step in finished
        ]
        self._record.layout.display = "" if model.records and steps is not None else "none"
        self._groups.value = _groups_table(model.by_group(), model.group_by)
        self._monthly.value = _monthly_table(model.monthly())

    def _export(self) -> None:
        frame = self.model.listed()
        self._download.value = downloads.link(
            downloads.xlsx(frame.drop(columns=["id"], errors="ignore"), "Pengaduan"),
            "pengaduan.xlsx", "pengaduan.xlsx",
        )  # fmt: skip


def _current(row) -> str:
    if row.done:
        return f"selesai {row.finished_on:%d-%m-%Y}"
    status = complaints.STATUS_LABELS[row.status].lower()
    left = (f"lewat {-row.days_left} hari kerja" if row.days_left < 0
            else f"sisa {row.days_left} hari kerja")  # fmt: skip
    return f"langkah {row.current_step} {row.current_activity} ({row.executor}) · {status}, {left}"


def _complaints_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return '<div class="kr-message-info">Tidak ada pengaduan.</div>'
    rows = [
        [html.escape(r.number), f"{r.received_on:%d-%m-%Y}", html.escape(str(r.channel)),
         html.escape(str(r.category)), html.escape(str(r.reported_unit)),
         "selesai" if r.done else html.escape(f"{r.current_step}. {r.current_activity}"),
         "" if r.done else html.escape(str(r.executor)),
         "–" if r.done else fmt.number(r.days_left),
         html.escape(complaints.STATUS_LABELS.get(r.status, str(r.status)))]
        for r in frame.itertuples()
    ]  # fmt: skip
    head = ["Nomor", "Diterima", "Saluran", "Kategori", "Unit terlapor", "Langkah",
            "Pelaksana", "Sisa hari kerja", "Status"]  # fmt: skip
    attributes = [f'data-complaint="{html.escape(r.number)}" data-status="{r.status}"'
                  for r in frame.itertuples()]  # fmt: skip
    return tables.table(head, rows, [7], "kr-complaints-table", attributes)


def _steps_table(steps: pd.DataFrame) -> str:
    day = lambda value: "–" if pd.isna(value) else f"{value:%d-%m-%Y}"  # noqa: E731
    rows = [
        [str(r.step), html.escape(r.activity), html.escape(r.executor), str(r.sla_days),
         day(r.start), day(r.due), day(r.finished), str(r.late_days),
         html.escape(complaints.STATUS_LABELS[r.status])]
        for r in steps.itertuples()
    ]  # fmt: skip
    head = ["No", "Aktivitas", "Pelaksana", "SLA", "Mulai", "Batas", "Selesai", "Terlambat",
            "Status"]  # fmt: skip
    attributes = [f'data-step="{r.step}" data-status="{r.status}"' for r in steps.itertuples()]
    return tables.table(head, rows, [0, 3, 7], "kr-steps-table", attributes)


def _groups_table(frame: pd.DataFrame, by: str) -> str:
    if frame.empty:
        return '<div class="kr-message-info">Tidak ada pengaduan yang berjalan.</div>'
    columns = {by: complaint_reports.BY[by], "open": "Berjalan", "late": "Terlambat",
               "at_risk": "Berisiko", "median_age": "Umur median (hari kerja)",
               "oldest_age": "Tertua (hari kerja)", "done": "Selesai",
               "done_with_late_step": "Selesai dengan langkah terlambat"}  # fmt: skip
    shown = [c for c in columns if c in frame]
    rows = [[html.escape(str(r[by]))] + [fmt.number(r[c]) for c in shown[1:]]
            for _, r in frame.iterrows()]  # fmt: skip
    return tables.table([columns[c] for c in shown], rows, range(1, len(shown)))


def _monthly_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return '<div class="kr-message-info">Belum ada tahap yang selesai.</div>'
    rates = frame.pivot(index="month", columns="phase", values="on_time_rate")
    head = ["Bulan", *(f"Tahap {p}" for p in rates.columns)]
    rows = [[f"{month:%m-%Y}", *(fmt.percent(v) for v in values)]
            for month, values in zip(rates.index, rates.to_numpy(), strict=True)]  # fmt: skip
    return tables.table(head, rows, range(1, len(head)), "kr-monthly-table")


def _reference() -> str:
    rules = complaints.complaint_rules()
    bases = "".join(
        f"<li>{html.escape(b.topic)}: {html.escape(', '.join(b.references))}</li>"
        for b in rules.legal_bases
    )
    channels = "".join(
        f"<li>{html.escape(c.label)}{': ' + html.escape(c.address) if c.address else ''}</li>"
        for c in rules.channels
    )
    return f"<b>Dasar hukum</b><ul>{bases}</ul><b>Saluran</b><ul>{channels}</ul>"
