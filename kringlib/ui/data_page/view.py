"""Layout of the Data page: tiles, a table of row counts and one chart."""

from __future__ import annotations

import html

import ipywidgets as w

from kringlib import charts
from kringlib.ui import format as fmt
from kringlib.ui import tables
from kringlib.ui.base import PageView, panel, tile
from kringlib.ui.charting import InteractiveChart

TABLE_LABELS = {
    "team": "Tim",
    "agent": "Agen",
    "agent_activity": "Aktivitas harian agen",
    "queue_hourly": "Antrean per jam",
    "interaction": "Interaksi",
    "assessment": "Penilaian (semua versi)",
    "appeal_audit": "Jejak audit banding",
    "import_batch": "Catatan impor",
    "appeal": "Status banding (sesuai jejak audit)",
}

TEAM_ONLY = (
    '<div class="kr-message-info">Angka untuk tim Anda saja; antrean per jam (angka seluruh '
    "pusat) tidak ditampilkan.</div>"
)


class DataPageView(PageView):
    title = "Data"
    subtitle = "Isi basis data: tim, agen, rentang tanggal, dan jumlah baris."

    def build_body(self) -> list[w.Widget]:
        teams_box, self._teams = tile("Tim", "kr-tile-teams")
        agents_box, self._agents = tile("Agen", "kr-tile-agents")
        range_box, self._range = tile("Rentang data", "kr-tile-range")
        self._scope = w.HTML().add_class("kr-scope-note")
        self._counts = w.HTML().add_class("kr-row-counts")
        self._chains = w.HTML().add_class("kr-chains")
        self._chart_box = w.Box().add_class("kr-chart-volume")
        self._chart = None
        refresh = w.Button(description="Muat ulang", tooltip="Baca ulang basis data")
        refresh.add_class("kr-refresh")
        refresh.on_click(lambda _: self.model.reload())
        self.follow(self._show)
        return [
            self._scope,
            w.HBox([teams_box, agents_box, range_box, refresh]).add_class("kr-tiles"),
            panel("Interaksi per bulan dan saluran", self._chart_box),
            panel("Jumlah baris per tabel", self._counts),
            panel("Integritas riwayat (rantai hash)", self._chains),
        ]

    def _show(self, _change=None) -> None:
        data = self.model.overview
        if data is None:
            return
        self._scope.value = "" if self.model.scope == "all" else TEAM_ONLY
        self._teams.value = fmt.number(data.teams)
        self._agents.value = fmt.number(data.agents)
        self._range.value = f"{fmt.date(data.first_day)} – {fmt.date(data.last_day)}"
        rows = [
            [html.escape(TABLE_LABELS.get(name, name)), fmt.number(count)]
            for name, count in data.row_counts.items()
        ]
        self._counts.value = tables.table(["Tabel", "Baris"], rows, numeric=[1])
        self._chains.value = _chain_verdicts(self.model.chains)
        if data.daily_by_channel.empty:
            self._chart_box.children = [w.HTML("Belum ada data aktivitas.")]
            return
        chart = charts.monthly_volume(data.daily_by_channel)
        if self._chart is None:
            self._chart = InteractiveChart(chart, "kr-chart")
        else:
            self._chart.replace(chart)
        self._chart_box.children = [self._chart.widget]


def _chain_verdicts(verdicts) -> str:
    """Each history chain's verdict (`kring audit verify`); whole-centre, so scope all only."""
    if not verdicts:
        return '<div class="kr-message-info">Diperiksa oleh SPV PKL, asesor dan admin.</div>'
    rows = [
        [html.escape(TABLE_LABELS.get(v.table, v.table)), fmt.number(v.rows),
         "utuh" if v.intact else f'<b class="kr-message-error">putus di id {v.broken_at}</b>']
        for v in verdicts
    ]  # fmt: skip
    return tables.table(["Riwayat", "Baris", "Rantai"], rows, numeric=[1])
