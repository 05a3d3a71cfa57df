"""Layout of the Rapor Kualitas page: filters, agent table, trend, sections, items, assessors."""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from kringlib import charts, periods
from kringlib.ui import charting, downloads, tables
from kringlib.ui import format as fmt
from kringlib.ui.base import PageView, panel
from kringlib.ui.scorecard.model import ScorecardModel


class ScorecardView(PageView):
    title = "Rapor Kualitas"
    subtitle = "Skor Penilaian Kualitas per agen dan tim; hanya versi terbaru yang dihitung."

    def build_body(self) -> list[w.Widget]:
        model: ScorecardModel = self.model
        preset = w.Dropdown(
            options=[(label, key) for key, label in periods.PRESETS.items()], description="Periode"
        ).add_class("kr-score-preset")
        w.link((model, "preset"), (preset, "value"))
        start = w.DatePicker(description="Dari")
        end = w.DatePicker(description="Sampai")
        w.link((model, "start"), (start, "value"))
        w.link((model, "end"), (end, "value"))
        self._team = w.Dropdown(description="Tim").add_class("kr-score-team")
        self._agent = w.Dropdown(description="Agen").add_class("kr-score-agent")
        self._team.observe(lambda c: setattr(model, "team", c["new"] or ""), "value")
        self._agent.observe(lambda c: setattr(model, "agent_id", c["new"] or ""), "value")
        self._table = w.HTML().add_class("kr-score-table")
        self._trend = charting.StaticChart("kr-score-trend")
        self._sections = charting.StaticChart("kr-score-sections")
        self._items = w.HTML().add_class("kr-score-items")
        self._spread = charting.StaticChart("kr-score-spread")
        self._assessor_table = w.HTML()
        self._assessors = w.VBox([self._spread, self._assessor_table]).add_class(
            "kr-score-assessors"
        )
        self._agent_rows = w.HTML().add_class("kr-score-agent-rows")
        self._download = w.HTML()
        export = w.Button(description="Unduh Excel").add_class("kr-score-export")
        export.on_click(lambda _: self._export())
        self.follow(self._show)
        return [
            w.VBox([w.HBox([preset, start, end]), w.HBox([self._team, self._agent])]).add_class(
                "kr-filters"
            ),
            panel("Agen", self._table, export, self._download, css_class="kr-panel-agents"),
            self._agent_rows,
            w.HBox(
                [
                    panel("Tren skor", self._trend, css_class="kr-panel-score-trend"),
                    panel("Rata-rata per bagian", self._sections),
                ]
            ),
            w.HBox(
                [
                    panel("Item paling sering 'tidak'", self._items),
                    panel("Sebaran skor per asesor", self._assessors),
                ]
            ),
        ]

    def _show(self, _change=None) -> None:
        model: ScorecardModel = self.model
        if not model.allowed:
            return  # the body is hidden and the model holds nothing
        self._team.options = [("Semua tim", "")] + [(t, t) for t in model.teams()]
        self._team.value = model.team if model.team in model.teams() else ""
        agents = model.agents()
        self._agent.options = [("Semua agen", "")] + agents
        self._agent.value = model.agent_id if model.agent_id in {v for _, v in agents} else ""
        self._table.value = _summary_table(model.summary())
        _chart_or_empty(self._trend, model.trend(), charts.score_trend)
        _chart_or_empty(self._sections, model.sections(), charts.section_comparison)
        self._items.value = _items_table(model.weakest_items())
        totals = model.assessor_totals()
        _chart_or_empty(self._spread, totals, charts.assessor_spread)
        summary = "" if totals.empty else _assessor_table(model.assessor_summary())
        self._assessor_table.value = summary
        self._agent_rows.value = _agent_rows(model.agent_assessments())
        self._download.value = ""

    def _export(self) -> None:
        model: ScorecardModel = self.model
        summary = model.summary().rename(
            columns={"agent_id": "ID agen", "agent_name": "Agen", "team": "Tim", "n": "Penilaian",
                     "mean": "Rata-rata", "min": "Terendah", "band": "Kategori"}
        )  # fmt: skip
        self._download.value = downloads.link(
            downloads.xlsx(summary, "Rapor"), "rapor-kualitas.xlsx", "rapor-kualitas.xlsx"
        )


_EMPTY = '<div class="kr-message-info">Belum ada penilaian pada pilihan ini.</div>'


def _chart_or_empty(box: charting.StaticChart, data: pd.DataFrame, build) -> None:
    """``build(data)`` in ``box``, or the empty-selection message when there is no data."""
    if data.empty:
        box.say(_EMPTY)
    else:
        box.show(build(data))


def _summary_table(table: pd.DataFrame) -> str:
    if table.empty:
        return _EMPTY
    rows = [
        [html.escape(r.agent_name), html.escape(r.team), str(r.n), fmt.number(r.mean, 1),
         fmt.number(r.min, 1), html.escape(r.band)]
        for r in table.itertuples()
    ]  # fmt: skip
    head = ["Agen", "Tim", "Penilaian", "Rata-rata", "Terendah", "Kategori"]
    attributes = [f'data-agent="{html.escape(r.agent_id)}"' for r in table.itertuples()]
    return f'<div class="kr-scroll">{tables.table(head, rows, [2, 3, 4], "", attributes)}</div>'


def _agent_rows(rows: pd.DataFrame) -> str:
    if rows.empty:
        return ""
    body = [
        [f"{r.interaction_at:%d-%m-%Y %H:%M}", html.escape(r.interaction_id),
         html.escape(r.channel), html.escape(r.assessor), f"v{r.version}",
         f'<span class="kr-score-total">{fmt.number(r.total, 1)}</span>']
        for r in rows.itertuples()
    ]  # fmt: skip
    head = ["Waktu", "Interaksi", "Saluran", "Asesor", "Versi", "Total"]
    attributes = [f'data-interaction="{html.escape(r.interaction_id)}"' for r in rows.itertuples()]
    return (
        '<div class="kr-panel"><div class="kr-panel-title">Penilaian agen</div>'
        f'<div class="kr-scroll">{tables.table(head, body, [5], "", attributes)}</div></div>'
    )


def _items_table(items: pd.DataFrame) -> str:
    if items.empty:
        return _EMPTY
    rows = [
        [html.escape(r.item), html.escape(str(r.title)), f"{r.tidak} / {r.dinilai}",
         fmt.percent(r.rate)]
        for r in items.itertuples()
    ]  # fmt: skip
    return tables.table(["Item", "", "Tidak", "%"], rows, numeric=[2, 3])


def _assessor_table(summary: pd.DataFrame) -> str:
    rows = [
        [html.escape(r.assessor), str(r.n), fmt.number(r.mean, 1), fmt.number(r.median, 1)]
        for r in summary.itertuples()
    ]
    return tables.table(["Asesor", "Penilaian", "Rata-rata", "Median"], rows, [1, 2, 3],
                        "kr-assessor-table")  # fmt: skip
