"""Layout of the Proses Banding page: queue, the appeal beside its assessment, the actions."""

from __future__ import annotations

import html

import ipywidgets as w

from kringlib import appeals, clock
from kringlib.ui import format as fmt
from kringlib.ui import tables
from kringlib.ui.appeal_process.model import AppealProcessModel
from kringlib.ui.base import PageView, panel


class AppealProcessView(PageView):
    title = "Proses Banding"
    subtitle = (
        "Persetujuan Team Leader dan SPV PKL, lalu penilaian kembali oleh asesor lain "
        "(ND-301/LIP/2019)."
    )

    def build_body(self) -> list[w.Widget]:
        model: AppealProcessModel = self.model
        self._queue = w.Select(rows=6, layout=w.Layout(width="100%")).add_class("kr-appeal-queue")
        self._queue.observe(self._picked, "value")
        self._detail = w.VBox().add_class("kr-appeal-detail")
        message = w.HTML().add_class("kr-process-message")
        w.dlink((model, "message"), (message, "value"), transform=html.escape)
        self.follow(self._show)
        title = "Banding yang masih berjalan" if model.read_only else "Banding yang menunggu Anda"
        return [
            panel(title, self._queue, message),
            self._detail,
        ]

    def _picked(self, change) -> None:
        if change["new"] is not None and change["new"] != self.model.appeal_id:
            self.model.appeal_id = change["new"]

    def _show(self, _change=None) -> None:
        model: AppealProcessModel = self.model
        self._queue.options = [
            (
                f"#{r.id} · {r.agent_name} ({r.agent_id}) · {r.team} · diajukan "
                f"{r.filed_on:%d-%m-%Y} ({r.age} hari kerja) · total {fmt.number(r.total, 1)}"
                f" · {appeals.state_label(r.state)}",
                int(r.id),
            )
            for r in model.queue.itertuples()
        ]
        listed = {value for _, value in self._queue.options}
        self._queue.value = model.appeal_id if model.appeal_id in listed else None
        row = model.chosen()
        self._detail.children = [] if row is None else [self._appeal_panel(row)]

    def _appeal_panel(self, row) -> w.Widget:
        model: AppealProcessModel = self.model
        answers = model.answers()
        disputed = model.disputed()
        side_by_side = w.HBox(
            [
                w.HTML(
                    _answers_table(answers, set(disputed["item_id"])), layout=w.Layout(width="45%")
                ),
                w.HTML(_disputed_table(disputed, answers), layout=w.Layout(width="55%")),
            ]
        )
        return panel(
            f"Banding #{row['id']} · {row['agent_name']} · penilaian oleh {row['assessor']}",
            side_by_side,
            self._actions(disputed),
            w.HTML(trail_table(model.trail())).add_class("kr-audit-trail"),
            css_class="kr-panel-appeal",
        )

    def _actions(self, disputed) -> w.Widget:
        """The visitor's actions on the chosen appeal; none for a read-only visitor."""
        model: AppealProcessModel = self.model
        if model.read_only:
            return w.HTML(
                '<div class="kr-message-info">Hanya baca: Anda tidak memutus banding.</div>'
            )
        if appeals.reassesses(model.session.user.role):
            return self._reassessment(disputed)
        return self._decision()

    def _decision(self) -> w.Widget:
        model = self.model
        reason = w.Text(placeholder="Alasan (wajib untuk menolak)").add_class("kr-decision-reason")
        approve = w.Button(description="Setujui").add_class("kr-approve")
        reject = w.Button(description="Tolak").add_class("kr-reject")
        approve.on_click(lambda _: model.decide(True, reason.value))
        reject.on_click(lambda _: model.decide(False, reason.value))
        return w.HBox([reason, approve, reject])

    def _reassessment(self, disputed) -> w.Widget:
        model = self.model
        rows = []
        for item in disputed.itertuples():
            verdict = w.ToggleButtons(
                options=[("Diterima", True), ("Ditolak", False)],
                value=model.verdicts.get(item.item_id),
            ).add_class(f"kr-verdict-{item.item_id.replace('.', '-')}")
            verdict.observe(
                lambda change, i=item.item_id: model.set_verdict(i, change["new"]), "value"
            )
            rows.append(w.HBox([w.HTML(f"<b>{html.escape(item.item_id)}</b>"), verdict]))
        note = w.Text(placeholder="Catatan penilaian kembali").add_class("kr-reassess-note")
        save = w.Button(description="Simpan penilaian kembali").add_class("kr-reassess-save")
        save.layout.width = "auto"
        save.on_click(lambda _: model.reassess(note.value))
        return w.VBox([*rows, w.HBox([note, save])])


def _answers_table(answers: dict[str, str], disputed: set[str]) -> str:
    rows = [
        [f"<b>{html.escape(k)}</b>" if k in disputed else html.escape(k), html.escape(v)]
        for k, v in answers.items()
    ]
    return "<b>Penilaian</b>" + tables.table(["Item", "Jawaban"], rows)


def _disputed_table(disputed, answers: dict[str, str]) -> str:
    verdict = {True: "diterima", False: "ditolak"}
    rows = [
        [html.escape(r.item_id), html.escape(answers.get(r.item_id, "–")), html.escape(r.reason),
         "–" if r.accepted is None or r.accepted != r.accepted else verdict[bool(r.accepted)]]
        for r in disputed.itertuples()
    ]  # fmt: skip
    return "<b>Item yang dibanding</b>" + tables.table(
        ["Item", "Jawaban", "Alasan agen", "Keputusan"], rows, css_class="kr-disputed"
    )


def trail_table(trail, label=appeals.state_label) -> str:
    """An audit trail (an appeal's, an adjustment's): when, who, from which step to which,
    why; ``label`` names a state."""
    if trail.empty:
        return ""
    rows = [
        [f"{clock.in_jakarta(r.at):%d-%m-%Y %H:%M} WIB", html.escape(r.actor),
         html.escape(label(r.from_state) if isinstance(r.from_state, str) else "–"),
         html.escape(label(r.to_state)), html.escape(r.reason)]
        for r in trail.itertuples()
    ]  # fmt: skip
    return (
        '<div class="kr-audit-trail"><b>Jejak audit</b>'
        + tables.table(["Waktu", "Oleh", "Dari", "Ke", "Alasan"], rows)
        + "</div>"
    )
