"""Layout of the KPI Tim page. Widgets are tied to the model; nothing here computes a KPI."""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from kringlib import charts, periods
from kringlib.canonical import CHANNEL_LABELS, CHANNELS
from kringlib.ui import charting, downloads, tables
from kringlib.ui import format as fmt
from kringlib.ui.base import PageView, panel
from kringlib.ui.import_panel import ImportPanelModel, ImportPanelView
from kringlib.ui.kpi_team.model import GRAINS, KpiTeamModel

CHANNEL_CHOICES = [("Semua saluran", "")] + [(CHANNEL_LABELS[c], c) for c in CHANNELS]


class KpiTeamView(PageView):
    title = "KPI Tim"
    subtitle = (
        "Komponen Produktivitas per tim dan agen, dibandingkan dengan target dan periode lalu."
    )

    def __init__(self, model: KpiTeamModel, importer: ImportPanelModel, **kwargs):
        super().__init__(model, **kwargs)
        self.importer = importer

    def build_body(self) -> list[w.Widget]:
        model = self.model
        self._period_note = w.HTML().add_class("kr-period")
        self._tiles = w.HTML().add_class("kr-tiles-row")
        self._trend = charting.StaticChart("kr-chart-trend")
        self._ranking = None
        self._ranking_box = w.Box().add_class("kr-ranking-box")
        self._detail = w.VBox().add_class("kr-agent-detail")
        self._detail_chart = charting.StaticChart("kr-chart-detail")
        self._table = w.HTML().add_class("kr-agent-table")
        self._sources = w.HTML().add_class("kr-sources")
        self._downloads = w.HTML().add_class("kr-downloads")
        prepare = w.Button(description="Siapkan unduhan").add_class("kr-prepare-downloads")
        prepare.on_click(lambda _: self._prepare_downloads())
        rank_by = w.Dropdown(
            options=[(f"{k} – {d.title}", k) for k, d in model.definitions.items()],
            description="Peringkat",
        ).add_class("kr-rank-kpi")
        w.link((model, "rank_kpi"), (rank_by, "value"))
        self.follow(self._show)
        model.observe(lambda _: self._show_detail(), "selected_agent")
        return [
            self._filters(),
            self._period_note,
            self._tiles,
            panel("Tren", self._trend, css_class="kr-panel-trend"),
            panel(
                "Peringkat agen",
                rank_by,
                w.HTML(
                    '<div class="kr-message-info">Klik batang agen untuk melihat rinciannya; '
                    "klik ganda untuk melepas.</div>"
                ),  # fmt: skip
                self._ranking_box,
                css_class="kr-panel-ranking",
            ),
            self._detail,
            panel("Agen × KPI", self._table, prepare, self._downloads, css_class="kr-panel-table"),
            panel("Sumber data", self._sources, css_class="kr-panel-sources"),
            self._import_section(),
        ]

    def _import_section(self) -> w.Box:
        """The import panel, present only while the visitor may import (SPV, admin), and
        built when first opened: most visits never open it, and its widgets were a third
        of the page's for the browser to build."""
        accordion = w.Accordion(children=[w.Box()], titles=("Impor data",))
        accordion.add_class("kr-import-accordion")

        def build(_change) -> None:
            if not isinstance(accordion.children[0], ImportPanelView):
                accordion.children = [ImportPanelView(self.importer)]

        accordion.observe(build, "selected_index")
        section = w.Box().add_class("kr-import-section")

        def show(_change=None) -> None:
            section.children = [accordion] if self.importer.allowed else []

        self.importer.observe(show, "refused")
        show()
        return section

    def _filters(self) -> w.Widget:
        model = self.model
        preset = w.Dropdown(
            options=[(label, key) for key, label in periods.PRESETS.items()], description="Periode"
        ).add_class("kr-filter-preset")
        w.link((model, "preset"), (preset, "value"))
        start = w.DatePicker(description="Dari").add_class("kr-filter-start")
        end = w.DatePicker(description="Sampai").add_class("kr-filter-end")
        w.link((model, "start"), (start, "value"))
        w.link((model, "end"), (end, "value"))
        teams = w.SelectMultiple(description="Tim", rows=4).add_class("kr-filter-teams")
        agents = w.SelectMultiple(description="Agen", rows=4).add_class("kr-filter-agents")
        w.dlink((model, "team_options"), (teams, "options"))
        w.dlink((model, "agent_options"), (agents, "options"))
        w.link((model, "teams"), (teams, "value"), transform=(tuple, list))
        w.link((model, "agents"), (agents, "value"), transform=(tuple, list))
        channel = w.Dropdown(options=CHANNEL_CHOICES, description="Saluran")
        channel.add_class("kr-filter-channel")
        w.link((model, "channel"), (channel, "value"))
        grain = w.ToggleButtons(options=[(v, k) for k, v in GRAINS.items()], description="Tren")
        grain.add_class("kr-filter-grain")
        w.link((model, "grain"), (grain, "value"))
        return w.VBox(
            [w.HBox([preset, start, end, channel]), w.HBox([teams, agents, grain])]
        ).add_class("kr-filters")

    # --- showing the model ------------------------------------------------------------

    def _show(self, _change=None) -> None:
        model = self.model
        if not model.tiles:
            return
        before = model.previous
        self._period_note.value = (
            f"Periode {fmt.date(model.start)} – {fmt.date(model.end)}, dibandingkan dengan "
            f"{fmt.date(before[0])} – {fmt.date(before[1])}."
        )
        self._tiles.value = (
            '<div class="kr-tiles">' + "".join(self._tile(t) for t in model.tiles) + "</div>"
        )
        self._show_trend()
        self._show_ranking()
        self._show_detail()
        self._table.value = _agent_table(model)
        self._sources.value = _sources(model)
        self._downloads.value = ""

    def _tile(self, tile) -> str:
        """One KPI's tile as markup (one widget holds them all: fewer for the browser to build)."""
        unit = self.model.definitions[tile.kpi].unit
        better = self.model.definitions[tile.kpi].better
        status = {True: "kr-good", False: "kr-bad", None: ""}[tile.meets]
        comparison = "≤" if better == "lower" else "≥"
        note = f'<div class="kr-tile-note">{html.escape(tile.note)}</div>' if tile.note else ""
        return (
            f'<div class="kr-tile kr-tile-{tile.kpi}">'
            f'<div class="kr-tile-label" title="{html.escape(tile.title)}">{tile.kpi}</div>'
            f'<div class="kr-tile-value {status}">{fmt.kpi_value(tile.value, unit)}</div>'
            f'<div class="kr-tile-target">target {comparison} '
            f"{fmt.kpi_value(tile.target, unit)}</div>"
            f'<div class="kr-tile-change">{fmt.kpi_change(tile.change, unit)} vs periode lalu</div>'
            f"{note}</div>"
        )

    def _trend_chart(self):
        return charts.kpi_trend(self.model.trend, self.model.definitions, self.model.targets)

    def _show_trend(self) -> None:
        if self.model.trend.empty:
            self._trend.say('<div class="kr-message-info">Tidak ada data pada periode ini.</div>')
            return
        self._trend.show(self._trend_chart())

    def _ranking_chart(self):
        model = self.model
        return charts.agent_ranking(
            model.ranking(), model.definitions[model.rank_kpi], model.targets.get(model.rank_kpi)
        )

    def _show_ranking(self) -> None:
        chart = self._ranking_chart()
        if self._ranking is None:
            self._ranking = charting.InteractiveChart(chart, "kr-chart-ranking")
            self._ranking.on_select(charts.AGENT_SELECTION, self._picked)
            self._ranking_box.children = [self._ranking.widget]
        else:
            self._ranking.replace(chart)

    def _picked(self, points: list[dict]) -> None:
        self.model.selected_agent = points[0]["agent_id"] if points else ""

    def _show_detail(self) -> None:
        detail = self.model.detail
        if detail is None:
            self._detail.children = []
            return
        model = self.model
        definition = model.definitions[model.rank_kpi]
        chart = charts.agent_against_team(
            detail["trend"], definition, model.targets.get(model.rank_kpi)
        )
        self._detail_chart.show(chart)
        close = w.Button(description="Tutup").add_class("kr-detail-close")
        close.on_click(lambda _: setattr(model, "selected_agent", ""))
        name = model.agent_label(detail["agent_id"])
        self._detail.children = [
            panel(
                f"Rincian agen: {name} ({detail['agent_id']}) · {detail['team']}",
                w.HTML(_compare_table(model, detail["compare"])),
                self._detail_chart,
                close,
                css_class="kr-panel-detail",
            )
        ]

    def _prepare_downloads(self) -> None:
        table = _agent_export(self.model)
        trend, ranking = self._trend_chart(), self._ranking_chart()
        self._downloads.value = " · ".join(
            [
                downloads.link(downloads.xlsx(table, "KPI agen"), "kpi-agen.xlsx", "Tabel (Excel)"),
                downloads.link(charting.png(trend), "tren-kpi.png", "Tren (PNG)"),
                downloads.link(charting.svg(trend), "tren-kpi.svg", "Tren (SVG)"),
                downloads.link(charting.png(ranking), "peringkat.png", "Peringkat (PNG)"),
                downloads.link(charting.svg(ranking), "peringkat.svg", "Peringkat (SVG)"),
            ]
        )


def _agent_table(model: KpiTeamModel) -> str:
    if model.per_agent.empty:
        return '<div class="kr-message-info">Tidak ada agen pada pilihan ini.</div>'
    kpis = model.definitions
    rows = [
        [html.escape(row["agent_name"]), html.escape(row["team"])]
        + [fmt.kpi_value(row[k], d.unit) for k, d in kpis.items()]
        for _, row in model.per_agent.iterrows()
    ]
    attributes = [f'data-agent="{html.escape(a)}"' for a in model.per_agent.index]
    numeric = range(2, 2 + len(kpis))
    return tables.table(["Agen", "Tim", *kpis], rows, numeric, "", attributes)


def _agent_export(model: KpiTeamModel) -> pd.DataFrame:
    """The agent table for Excel: ratios as percentages, durations in seconds."""
    table = model.per_agent.reset_index()
    columns = {"agent_id": "ID agen", "agent_name": "Agen", "team": "Tim"}
    for kpi_id, definition in model.definitions.items():
        if definition.unit == "rasio":
            table[kpi_id] = table[kpi_id] * 100
            columns[kpi_id] = f"{kpi_id} (%)"
        else:
            columns[kpi_id] = f"{kpi_id} ({definition.unit})"
    return table[list(columns)].rename(columns=columns)


def _compare_table(model: KpiTeamModel, compare: pd.DataFrame) -> str:
    rows = [
        [k] + [fmt.kpi_value(compare.loc[k, c], d.unit) for c in ("agen", "tim", "target")]
        for k, d in model.definitions.items()
    ]
    return tables.table(["KPI", "Agen", "Tim", "Target"], rows, [1, 2, 3], "kr-compare")


def _sources(model: KpiTeamModel) -> str:
    systems = model.input_sources()
    items = "".join(
        f"<li><b>{k}</b> = {html.escape(d.formula.split('=', 1)[-1].strip())} "
        f"<span class='kr-message-info'>({html.escape(systems[k])})</span></li>"
        for k, d in model.definitions.items()
    )
    files = _counted(model.period_sources)
    bases = _counted(model.offered_bases)
    denominator = (
        f'<p class="kr-offered-basis">Penyebut PAI telepon (panggilan masuk antrean) dari: '
        f"{bases}.</p>" if bases else ""
    )  # fmt: skip
    return (
        f"<ul>{items}</ul><p>Rumus: Buku Saku, Komponen Produktivitas. Target: pengaturan "
        f"lokal (rules/target_kpi.yaml). Berkas pada periode ini: {files or '–'}.</p>" + denominator
    )


def _counted(counts: pd.Series) -> str:
    """``name (n baris), …`` of a value count."""
    return ", ".join(
        f"{html.escape(str(name))} ({fmt.number(count)} baris)" for name, count in counts.items()
    )
