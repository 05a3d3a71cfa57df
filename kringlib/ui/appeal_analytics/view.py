"""Layout of the Analitik Banding page."""

from __future__ import annotations

import html

import ipywidgets as w

from kringlib import appeals
from kringlib.ui import format as fmt
from kringlib.ui import tables
from kringlib.ui.appeal_analytics.model import AppealAnalyticsModel
from kringlib.ui.base import PageView, panel, tile

EMPTY = '<div class="kr-message-info">Belum ada banding.</div>'


class AppealAnalyticsView(PageView):
    title = "Analitik Banding"
    subtitle = "Di mana banding menumpuk, item mana yang paling sering dibanding, dan hasilnya."

    def build_body(self) -> list[w.Widget]:
        total_box, self._total = tile("Banding", "kr-tile-appeals")
        open_box, self._open = tile("Masih berjalan", "kr-tile-open")
        rate_box, self._rate = tile("Item diterima", "kr-tile-acceptance")
        self._assessors = w.HTML().add_class("kr-appeals-by-assessor")
        self._items = w.HTML().add_class("kr-appeals-by-item")
        self._steps = w.HTML().add_class("kr-appeal-steps")
        self.follow(self._show)
        return [
            w.HBox([total_box, open_box, rate_box]).add_class("kr-tiles"),
            panel("Waktu di setiap langkah (hari kerja)", self._steps),
            w.HBox([panel("Per asesor", self._assessors), panel("Per item rubrik", self._items)]),
        ]

    def _show(self, _change=None) -> None:
        model: AppealAnalyticsModel = self.model
        frame = model.appeals
        self._total.value = fmt.number(len(frame))
        self._open.value = fmt.number(
            frame["state"].isin(appeals.open_states()).sum() if len(frame) else 0
        )
        self._rate.value = fmt.percent(model.acceptance_rate())
        by_assessor = model.by_assessor()
        self._assessors.value = EMPTY if by_assessor.empty else tables.table(
            ["Asesor", "Banding", "Item", "Diputus", "Diterima", "% diterima"],
            [[html.escape(r.assessor), str(r.banding), str(r.item), str(r.diputus),
              str(r.diterima), fmt.percent(r.tingkat_diterima)] for r in by_assessor.itertuples()],
            numeric=[1, 2, 3, 4, 5],
        )  # fmt: skip
        by_item = model.by_item()
        self._items.value = EMPTY if by_item.empty else tables.table(
            ["Item", "Dibanding", "Diterima", "% diterima"],
            [[html.escape(r.item_id), str(r.dibanding), str(r.diterima),
              fmt.percent(r.tingkat_diterima)] for r in by_item.itertuples()],
            numeric=[1, 2, 3],
        )  # fmt: skip
        steps = model.step_times()
        self._steps.value = EMPTY if steps.empty else tables.table(
            ["Langkah", "Banding", "Median", "Terlama"],
            [[html.escape(r.langkah), str(r.banding), fmt.number(r.median, 1), str(r.maks)]
             for r in steps.itertuples()],
            numeric=[1, 2, 3],
        )  # fmt: skip
