"""Layout of the Izin Tidak Online page: the form (agents), the decisions (team leaders),
the outage entry (SPV), and the list of requests everyone may see."""

from __future__ import annotations

import html

import ipywidgets as w

from kringlib import adherence, adjustments, charts
from kringlib.ui import charting, tables
from kringlib.ui import format as fmt
from kringlib.ui.base import PageView, panel
from kringlib.ui.offline_permit.model import OfflinePermitModel

ORIGINS = {"agent": "agen", "sikka": "usulan SIKKA", "outage": "gangguan sistem (SPV)"}


class OfflinePermitView(PageView):
    title = "Izin Tidak Online"
    subtitle = (
        "Penyesuaian ATS (ND-12/LIP.2/2019): ajukan paling lambat 3 hari kerja setelah "
        "keadaan tidak online; Team Leader menyetujui; hanya izin yang disetujui "
        "mengecualikan waktu dari ATS."
    )

    def build_body(self) -> list[w.Widget]:
        model: OfflinePermitModel = self.model
        self._message = w.HTML().add_class("kr-permit-message")
        w.dlink((model, "message"), (self._message, "value"), transform=html.escape)
        self._waiting = w.VBox().add_class("kr-permit-waiting")
        self._list = w.HTML().add_class("kr-permit-list")
        self._deadline = w.HTML().add_class("kr-permit-deadline")
        self._parts = w.VBox()
        self._built: dict[str, w.Widget] = {}
        day = panel("Hari kerja agen: jadwal, status, dan waktu yang hilang", *self._day(),
                    css_class="kr-agent-day")  # fmt: skip
        self.follow(self._show)
        return [self._parts, day, panel("Daftar izin (dua bulan terakhir)", self._list)]

    def _day(self) -> list[w.Widget]:
        model: OfflinePermitModel = self.model
        self._day_agent = w.Dropdown(description="Agen", layout=w.Layout(width="420px"))
        self._day_agent.add_class("kr-day-agent")
        self._day_agent.observe(self._day_agent_picked, "value")
        picker = w.DatePicker(description="Tanggal").add_class("kr-day-date")
        w.link((model, "day"), (picker, "value"))
        self._day_chart = charting.StaticChart("kr-chart-agent-day")
        self._day_sums = w.HTML().add_class("kr-day-sums")
        return [w.HBox([self._day_agent, picker]), self._day_chart, self._day_sums]

    def _day_agent_picked(self, change) -> None:
        if change["new"] is not None:
            self.model.day_agent = change["new"]

    def _part(self, name: str) -> w.Widget:
        """The panel of one role's part, built the first time a visitor needs it."""
        if name not in self._built:
            self._built[name] = {
                "form": lambda: panel("Ajukan izin", *self._form(), self._message,
                                      css_class="kr-permit-form"),
                "outage": lambda: panel("Catat gangguan sistem", *self._outage(), self._message,
                                        css_class="kr-outage-form"),
                "decide": lambda: panel("Izin yang menunggu keputusan Anda", self._waiting,
                                        self._message),
            }[name]()  # fmt: skip
        return self._built[name]

    def _period(self) -> list[w.Widget]:
        """Days and times of the period, tied to the model."""
        model = self.model
        widgets = [
            w.DatePicker(description="Mulai").add_class("kr-permit-first-day"),
            w.Text(description="Jam", layout=w.Layout(width="160px")).add_class("kr-permit-start"),
            w.DatePicker(description="Sampai").add_class("kr-permit-last-day"),
            w.Text(description="Jam", layout=w.Layout(width="160px")).add_class("kr-permit-end"),
        ]
        for widget, trait in zip(widgets, ("first_day", "start_time", "last_day", "end_time"),
                                 strict=True):  # fmt: skip
            w.link((model, trait), (widget, "value"))
        return [w.HBox(widgets[:2]), w.HBox(widgets[2:])]

    def _evidence(self, placeholder: str) -> w.Textarea:
        evidence = w.Textarea(description="Bukti", placeholder=placeholder, rows=2)
        w.link((self.model, "evidence"), (evidence, "value"))
        return evidence.add_class("kr-permit-evidence")

    def _form(self) -> list[w.Widget]:
        model: OfflinePermitModel = self.model
        reason = w.Dropdown(options=model.reasons(), description="Alasan",
                            layout=w.Layout(width="560px"))  # fmt: skip
        reason.add_class("kr-permit-reason")
        w.link((model, "reason"), (reason, "value"))
        quote = w.HTML().add_class("kr-permit-quote")
        w.dlink((model, "reason"), (quote, "value"),
                transform=lambda _: f"<i>“{html.escape(model.quote())}”</i>")  # fmt: skip
        send = w.Button(description="Ajukan izin").add_class("kr-permit-file")
        send.on_click(lambda _: model.file())
        evidence = self._evidence("Nomor surat tugas, surat dokter, catatan SIKKA …")
        return [reason, quote, *self._period(), evidence, self._deadline, send]

    def _outage(self) -> list[w.Widget]:
        model: OfflinePermitModel = self.model
        teams = w.SelectMultiple(options=model.team_options(), rows=4, description="Tim")
        teams.add_class("kr-outage-teams")
        w.link((model, "outage_teams"), (teams, "value"), transform=(tuple, list))
        note = w.HTML('<div class="kr-message-info">Tanpa tim dipilih: semua agen.</div>')
        send = w.Button(description="Catat gangguan").add_class("kr-outage-record")
        send.on_click(lambda _: model.record_outage())
        evidence = self._evidence("Apa yang terganggu, nomor tiket …")
        return [*self._period(), teams, note, evidence, send]

    def _show(self, _change=None) -> None:
        model: OfflinePermitModel = self.model
        wanted = {"form": model.files, "outage": model.enters_outages, "decide": model.decides}
        self._parts.children = [self._part(name) for name, shown in wanted.items() if shown]
        if model.files:
            self._deadline.value = (
                f"Batas pengajuan untuk periode ini: <b>{model.deadline():%d-%m-%Y}</b>"
            )
        self._waiting.children = [self._decision(r) for r in model.waiting().itertuples()] or [
            w.HTML('<div class="kr-message-info">Tidak ada izin yang menunggu.</div>')
        ]
        self._list.value = _requests_table(model.requests)
        self._show_day()

    def _show_day(self) -> None:
        model: OfflinePermitModel = self.model
        self._day_agent.options = [("Pilih agen", ""), *model.agents]
        listed = {agent_id for _, agent_id in model.agents}
        self._day_agent.value = model.day_agent if model.day_agent in listed else ""
        timeline = model.day_view()
        if timeline is None:
            self._day_chart.say('<div class="kr-message-info">Pilih agen dan tanggal.</div>')
            self._day_sums.value = ""
        elif not timeline["cause"].notna().any():
            self._day_chart.say('<div class="kr-message-info">Tidak ada jadwal layanan '
                                f"pada {model.day:%d-%m-%Y}.</div>")  # fmt: skip
            self._day_sums.value = ""
        else:
            self._day_chart.show(charts.agent_day(timeline))
            self._day_sums.value = _day_sums(timeline)

    def _decision(self, row) -> w.Widget:
        model: OfflinePermitModel = self.model
        reason = w.Text(placeholder="Alasan (wajib untuk menolak)")
        approve = w.Button(description="Setujui").add_class("kr-approve")
        reject = w.Button(description="Tolak").add_class("kr-reject")
        look = w.Button(description="Lihat harinya").add_class("kr-permit-day")
        approve.on_click(lambda _: model.decide(int(row.id), True, reason.value))
        reject.on_click(lambda _: model.decide(int(row.id), False, reason.value))
        look.on_click(lambda _: model.show_day(int(row.id)))
        summary = w.HTML(
            f"<b>#{row.id}</b> · {html.escape(row.agent_name)} ({html.escape(row.agent_id)}) · "
            f"{html.escape(_reason(row.reason))} · {_period(row)} · "
            f"{html.escape(ORIGINS.get(row.origin, row.origin))}<br>"
            f"<span class='kr-permit-evidence-text'>{html.escape(row.evidence)}</span>"
        )
        return (
            w.VBox([summary, w.HBox([reason, approve, reject, look])])
            .add_class("kr-permit-decision")
            .add_class(f"kr-permit-{row.id}")
        )


def _day_sums(timeline) -> str:
    """Minutes of owed service lost by cause, and excused by reason."""
    lost = adherence.time_lost(timeline)
    rows = [[html.escape(adherence.CAUSE_LABELS[cause]), fmt.number(seconds / 60)]
            for cause, seconds in lost.items() if seconds]  # fmt: skip
    rows += [[f"Dimaafkan: {html.escape(_reason(reason) if reason else 'penyesuaian')}",
              fmt.number(seconds / 60)]
             for reason, seconds in adherence.time_excused(timeline).items()]  # fmt: skip
    if not rows:
        return '<div class="kr-message-info">Seluruh layanan terjadwal dijalani online.</div>'
    return tables.table(["Waktu layanan terjadwal", "Menit"], rows, [1], "kr-day-lost")


def _reason(reason_id: str) -> str:
    known = adherence.reasons().get(reason_id)
    return known.label if known else reason_id


def _period(row) -> str:
    if row.start.date() == row.end.date():
        return f"{row.start:%d-%m-%Y %H:%M}–{row.end:%H:%M}"
    return f"{row.start:%d-%m-%Y %H:%M} – {row.end:%d-%m-%Y %H:%M}"


def _requests_table(frame) -> str:
    if frame.empty:
        return '<div class="kr-message-info">Belum ada izin.</div>'
    rows = [
        [f"#{r.id}", html.escape(f"{r.agent_name} ({r.agent_id})"), html.escape(str(r.team)),
         html.escape(_reason(r.reason)), _period(r), html.escape(ORIGINS.get(r.origin, r.origin)),
         html.escape(adjustments.state_label(r.state)),
         "–" if r.deadline is None or r.deadline != r.deadline else f"{r.deadline:%d-%m-%Y}"]
        for r in frame.itertuples()
    ]  # fmt: skip
    attributes = [f'data-permit="{r.id}" data-state="{r.state}"' for r in frame.itertuples()]
    head = ["Izin", "Agen", "Tim", "Alasan", "Periode", "Asal", "Status", "Batas"]
    return tables.table(head, rows, (), "kr-permits", attributes)
