"""Layout of the Banding page for agents."""

from __future__ import annotations

import html

import ipywidgets as w

from kringlib import appeals, clock
from kringlib.ui import format as fmt
from kringlib.ui import tables
from kringlib.ui.appeal_agent.model import AppealAgentModel
from kringlib.ui.appeal_process.view import trail_table
from kringlib.ui.base import PageView, panel


def countdown(days_left: int) -> str:
    """The deadline as an agent reads it."""
    if days_left < 0:
        return "lewat batas"
    if days_left == 0:
        return "hari terakhir"
    return f"sisa {days_left} hari kerja"


class AppealAgentView(PageView):
    title = "Banding"
    subtitle = "Ajukan banding atas penilaian kualitas Anda (ND-301/LIP/2019) dan ikuti prosesnya."

    def build_body(self) -> list[w.Widget]:
        model: AppealAgentModel = self.model
        self._assessments = w.Select(rows=8, layout=w.Layout(width="100%")).add_class(
            "kr-appeal-assessments"
        )
        self._assessments.observe(self._picked, "value")
        self._items = w.VBox().add_class("kr-appeal-items")
        file_button = w.Button(description="Ajukan banding").add_class("kr-appeal-file")
        file_button.on_click(lambda _: model.file())
        message = w.HTML().add_class("kr-appeal-message")
        w.dlink((model, "message"), (message, "value"), transform=html.escape)
        self._appeals = w.HTML().add_class("kr-my-appeals")
        self.follow(self._show)
        return [
            panel("Penilaian saya (dinilai 30 hari terakhir)", self._assessments),
            panel("Item yang dibanding", self._items, file_button, message),
            panel("Banding saya", self._appeals),
        ]

    def _picked(self, change) -> None:
        if change["new"] is not None and change["new"] != self.model.assessment_id:
            self.model.assessment_id = change["new"]

    def _show(self, _change=None) -> None:
        model: AppealAgentModel = self.model
        self._assessments.options = [
            (
                f"{r.interaction_at:%d-%m-%Y %H:%M} · {r.interaction_id} · total "
                f"{fmt.number(r.total, 1)} · batas {r.deadline:%d-%m-%Y} "
                f"({countdown(r.days_left)})",
                int(r.id),
            )
            for r in model.mine.itertuples()
        ]
        listed = {value for _, value in self._assessments.options}
        self._assessments.value = model.assessment_id if model.assessment_id in listed else None
        self._items.children = [self._item_row(item, answer) for item, answer in model.items()]
        self._appeals.value = _appeals_table(model.my_appeals) + trail_table(model.latest_trail())

    def _item_row(self, item, answer: str) -> w.Widget:
        label = w.HTML(f"<b>{html.escape(item.title)}</b> · dijawab <b>{html.escape(answer)}</b>")
        if answer == "ya":  # an item answered "ya" cannot be disputed (checked in the store too)
            return w.HBox([label]).add_class("kr-appeal-item")
        model = self.model
        slug = item.id.replace(".", "-")
        tick = w.Checkbox(value=item.id in model.reasons, description="Banding", indent=False)
        tick.add_class(f"kr-dispute-{slug}")
        reason = w.Text(value=model.reasons.get(item.id, ""), placeholder="Alasan banding")
        reason.add_class(f"kr-reason-{slug}")

        def changed(_change=None) -> None:
            model.set_reason(item.id, reason.value if tick.value else None)

        tick.observe(changed, "value")
        reason.observe(changed, "value")
        return w.HBox([label, tick, reason]).add_class("kr-appeal-item")


def _appeals_table(frame) -> str:
    if frame.empty:
        return '<div class="kr-message-info">Belum ada banding.</div>'
    rows = [
        [f"#{r.id}", f"{clock.jakarta_date(r.filed_at):%d-%m-%Y}", fmt.number(r.total, 1),
         html.escape(appeals.state_label(r.state))]
        for r in frame.itertuples()
    ]  # fmt: skip
    attributes = [f'data-appeal="{r.id}"' for r in frame.itertuples()]
    return tables.table(["Banding", "Diajukan", "Total", "Status"], rows, [2], "", attributes)
