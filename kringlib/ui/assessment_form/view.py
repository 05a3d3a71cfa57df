"""Layout of the Penilaian form: choose, answer by section, see the score live, save."""

from __future__ import annotations

import html

import ipywidgets as w

from kringlib import scripts
from kringlib.ui import format as fmt
from kringlib.ui import tables
from kringlib.ui.assessment_form.model import BOOLEAN_FACTS, COUNT_FACTS
from kringlib.ui.base import PageView, panel

ANSWER_CHOICES = [("Ya", "ya"), ("Tidak", "tidak"), ("N/A", "na")]
FACT_LABELS = {
    "poro_required": "PORO diperlukan",
    "poro_done": "PORO dilakukan",
    "outside_klip_authority": "Layanan di luar wewenang KLIP",
    "transferred": "Ditransfer",
    "should_transfer": "Seharusnya ditransfer",
    "imposed_service_limit": "Membatasi layanan tanpa ketetapan manajemen",
    "typo_count": "Jumlah typo",
    "public_replies_before_dm": "Reply publik sebelum DM",
    "greeting_period": "Salam yang diucapkan",
}
TRI_STATE = [("–", None), ("Ya", True), ("Tidak", False)]


class AssessmentFormView(PageView):
    title = "Penilaian"
    subtitle = "Penilaian Kualitas rekaman dan interaksi menurut ND-550/LIP/2019."

    def build_body(self) -> list[w.Widget]:
        model = self.model
        self._agent = w.Dropdown(options=[("Pilih agen", "")], description="Agen")
        self._agent.add_class("kr-form-agent")
        self._showing_agents = False
        self._agent.observe(self._picked_agent, "value")
        self._interaction = w.Dropdown(description="Interaksi").add_class("kr-form-interaction")
        self._interaction.observe(self._picked_interaction, "value")
        self._items = w.VBox().add_class("kr-form-items")
        self._score = w.HTML().add_class("kr-live-score")
        self._facts = w.VBox().add_class("kr-form-context")
        notes = w.Textarea(description="Catatan", rows=3).add_class("kr-form-notes")
        w.link((model, "notes"), (notes, "value"))
        self._save = w.Button(description="Simpan penilaian").add_class("kr-save")
        self._confirm = w.Button(description="Ya, simpan").add_class("kr-save-confirm")
        self._confirm.layout.display = "none"
        self._save.on_click(lambda _: self._ask_confirmation())
        self._confirm.on_click(lambda _: self._confirmed())
        message = w.HTML().add_class("kr-form-message")
        w.dlink((model, "message"), (message, "value"), transform=html.escape)
        self._recent = w.HTML().add_class("kr-form-recent")
        self._history = w.HTML().add_class("kr-form-history")
        sampling = self._sampling()
        self.follow(self._rebuild)
        model.observe(self._show_score, ["result"])
        model.observe(lambda _: self._refresh_items(), ["answers"])
        return [
            w.HBox([self._agent, self._interaction]).add_class("kr-filters"),
            sampling,
            w.HBox(
                [
                    w.VBox([self._items], layout=w.Layout(width="62%")),
                    w.VBox(
                        [
                            panel("Skor", self._score, css_class="kr-panel-score"),
                            panel("Fakta interaksi", self._facts),
                            panel("Catatan", notes, self._save, self._confirm, message),
                            panel("Penilaian terakhir agen", self._recent),
                            panel("Riwayat interaksi ini", self._history),
                        ],
                        layout=w.Layout(width="38%"),
                    ).add_class("kr-form-side"),
                ]
            ),
        ]

    def _sampling(self) -> w.Widget:
        month = w.Text(
            value=f"{self.model.today:%Y-%m}", description="Bulan", placeholder="YYYY-MM"
        ).add_class("kr-sample-month")
        per_agent = w.BoundedIntText(value=2, min=1, max=50, description="Per agen")
        seed = w.IntText(value=1, description="Seed")
        draw = w.Button(description="Tarik sampel").add_class("kr-sample-draw")
        draw.on_click(lambda _: self.model.draw_sample(month.value, per_agent.value, seed.value))
        self._sample = w.Select(rows=6, layout=w.Layout(width="100%")).add_class("kr-sample-list")
        self._sample.observe(self._picked_sample, "value")
        box = w.VBox([w.HBox([month, per_agent, seed, draw]), self._sample])
        accordion = w.Accordion(children=[box], titles=("Antrean sampel",))
        return accordion.add_class("kr-sample-accordion")

    # --- following the model --------------------------------------------------------------

    def _rebuild(self, _change=None) -> None:
        model = self.model
        self._show_agents()
        options = [("Pilih interaksi", 0)] + [
            (
                f"{r.started_at:%d-%m-%Y %H:%M} · {r.channel} · {r.interaction_id}"
                + (" · dinilai" if r.versions else ""),
                int(r.id),
            )
            for r in model.interactions.itertuples()
        ]
        self._interaction.options = options
        self._interaction.value = (
            model.interaction_pk if model.interaction_pk in dict((v, v) for _, v in options) else 0
        )
        self._sample.options = [("–", 0)] + [
            (
                f"{r.agent_id} · {r.started_at:%d-%m-%Y %H:%M} · {r.channel} · {r.interaction_id}",
                int(r.id),
            )
            for r in model.sample.itertuples()
        ]
        self._build_items()
        self._build_facts()
        self._show_score()
        self._recent.value = _recent_table(model.recent())
        self._history.value = _history_table(model.history())

    def _show_agents(self) -> None:
        """The roster (read after sign-in) as choices, the model's agent chosen."""
        model = self.model
        options = (("Pilih agen", ""),) + tuple(
            (f"{r.name} ({r.agent_id}) · {r.team}", r.agent_id) for r in model.roster.itertuples()
        )
        self._showing_agents = True  # a new option list resets the value: not a user's pick
        try:
            if options != self._agent.options:
                self._agent.options = options
            listed = {value for _, value in options}
            self._agent.value = model.agent_id if model.agent_id in listed else ""
        finally:
            self._showing_agents = False

    def _picked_agent(self, change) -> None:
        if not self._showing_agents and change["new"] != self.model.agent_id:
            self.model.agent_id = change["new"] or ""

    def _picked_interaction(self, change) -> None:
        if change["new"] != self.model.interaction_pk:
            self.model.interaction_pk = change["new"] or 0

    def _picked_sample(self, change) -> None:
        if change["new"]:
            self.model.open_from_sample(change["new"])

    def _build_items(self) -> None:
        model = self.model
        self._toggles, self._markers = {}, {}
        sections = []
        for section in model.rubric.sections:
            items = [i for i in model.items() if i.section == section.id]
            if not items:
                continue
            rows = []
            for item in items:
                toggle = w.ToggleButtons(options=ANSWER_CHOICES, value=model.answers.get(item.id))
                toggle.add_class("kr-answer").add_class(f"kr-item-{item.id.replace('.', '-')}")
                toggle.observe(
                    lambda change, i=item.id: model.set_answer(i, change["new"]), "value"
                )
                self._toggles[item.id] = toggle
                label = w.HTML(
                    f"<b>{html.escape(item.title)}</b> "
                    f'<span class="kr-message-info">({fmt.number(item.weight * 100, 0)} %)</span>'
                    f'<div class="kr-guidance">{html.escape(item.guidance)}</div>'
                )
                derived = w.HTML().add_class("kr-derived")
                self._markers[item.id] = derived
                rows.append(w.VBox([label, toggle, derived]).add_class("kr-item"))
            if section.id == scripts.script_rules().assessment.section:
                rows = [w.HBox([w.VBox(rows), _script_aside(model.channel)])]
            sections.append(
                panel(
                    f"{section.title} · bobot {fmt.number(section.weight)} %",
                    *rows,
                    css_class=f"kr-section-{section.id}",
                )  # fmt: skip
            )
        if not sections:
            sections = [w.HTML('<div class="kr-message-info">Pilih agen dan interaksi.</div>')]
        self._items.children = sections

    def _refresh_items(self) -> None:
        for item_id, toggle in getattr(self, "_toggles", {}).items():
            if toggle.value != self.model.answers.get(item_id):
                toggle.value = self.model.answers.get(item_id)

    def _build_facts(self) -> None:
        model = self.model
        controls = []
        for key in BOOLEAN_FACTS:
            control = w.Dropdown(
                options=TRI_STATE, value=model.context.get(key), description=FACT_LABELS[key]
            )
            control.observe(lambda change, k=key: model.set_fact(k, change["new"]), "value")
            controls.append(control.add_class(f"kr-fact-{key}"))
        if model.channel == "medsos":
            for key in COUNT_FACTS:
                control = w.BoundedIntText(value=model.context.get(key, 0), min=0, max=999,
                                           description=FACT_LABELS[key])  # fmt: skip
                control.observe(lambda change, k=key: model.set_fact(k, change["new"]), "value")
                controls.append(control.add_class(f"kr-fact-{key}"))
        greeting = w.Dropdown(
            options=[("–", None), ("pagi", "pagi"), ("siang", "siang"), ("sore", "sore")],
            value=model.context.get("greeting_period"),
            description=FACT_LABELS["greeting_period"],
        ).add_class("kr-fact-greeting_period")
        greeting.observe(lambda change: model.set_fact("greeting_period", change["new"]), "value")
        controls.append(greeting)
        when = model.context.get("interaction_time")
        if when:
            controls.append(
                w.HTML(f'<div class="kr-message-info">Waktu interaksi: {when:%d-%m-%Y %H:%M}</div>')
            )
        for control in controls:
            control.style.description_width = "200px"
        self._facts.children = controls

    def _show_score(self, _change=None) -> None:
        model, result = self.model, self.model.result
        if result is None:
            self._score.value = '<div class="kr-message-info">Belum ada interaksi.</div>'
            return
        sections = tables.table(
            ["Bagian", "Poin / bobot"],
            [
                [html.escape(s.title),
                 f"{fmt.number(result.by_section.get(s.id), 1)} / {fmt.number(s.weight)}"]
                for s in model.rubric.sections
            ],
            numeric=[1],
        )  # fmt: skip
        derived = "".join(
            f"<li><b>{html.escape(item)}</b> → {d.answer}: {html.escape(d.citation)}</li>"
            for item, d in result.derived.items()
        )
        missing = model.missing()
        pending = (
            f'<div class="kr-message-error">{len(missing)} item belum dijawab (dihitung N/A).</div>'
            if missing else ""
        )  # fmt: skip
        self._score.value = (
            f'<div class="kr-live-total">{fmt.number(result.total, 1)}</div>'
            f'<div class="kr-live-band">{html.escape(result.band)}</div>{pending}'
            f"{sections}"
            + (
                '<div class="kr-derived-list"><b>Jawaban dari aturan silang:</b>'
                f"<ul>{derived}</ul></div>"
                if derived
                else ""
            )
        )
        self._mark_derived(result)

    def _mark_derived(self, result) -> None:
        for item_id, marker in self._markers.items():
            found = result.derived.get(item_id)
            marker.value = (
                f'<span class="kr-derived-note">Ditetapkan aturan: {found.answer} '
                f"({html.escape(found.rule)})</span>"
                if found else ""
            )  # fmt: skip

    # --- saving with a confirmation ---------------------------------------------------------

    def _ask_confirmation(self) -> None:
        missing = self.model.missing()
        if missing or self.model.result is None:
            self.model.save()  # reports what is missing through the model's error
            return
        self.model.message = (
            f"Simpan penilaian dengan total {fmt.number(self.model.result.total, 1)}? "
            "Tekan 'Ya, simpan' untuk menyimpan."
        )
        self._confirm.layout.display = None

    def _confirmed(self) -> None:
        self._confirm.layout.display = "none"
        self.model.save()


def _script_aside(channel: str) -> w.HTML:
    """The rulebook's flows for the interaction's channel, word for word, beside the items
    that check them ("Lihat Panduan Interaksi")."""
    flows = "".join(
        f"<p><b>{html.escape(flow.label)}</b></p>"
        + "".join(
            f"<div><i>{html.escape(step.step)}</i>: {html.escape(' / '.join(step.lines))}</div>"
            for step in flow.steps
        )
        for flow in scripts.for_rubric_channel(channel)
    )
    note = html.escape(scripts.script_rules().assessment.citation)
    aside = w.HTML(f'<div class="kr-panel-title">Panduan Interaksi</div>{flows}'
                   f'<div class="kr-muted">{note}</div>')  # fmt: skip
    return aside.add_class("kr-script-aside")


def _recent_table(frame) -> str:
    if frame.empty:
        return '<div class="kr-message-info">Belum ada penilaian.</div>'
    rows = [
        [f"{r.interaction_at:%d-%m-%Y}", html.escape(r.channel), html.escape(r.assessor),
         fmt.number(r.total, 1)]
        for r in frame.itertuples()
    ]  # fmt: skip
    return tables.table(["Tanggal", "Saluran", "Asesor", "Total"], rows, numeric=[3])


def _history_table(frame) -> str:
    if frame.empty:
        return '<div class="kr-message-info">Belum pernah dinilai.</div>'
    rows = [
        [f"v{r.version}", html.escape(r.reason), html.escape(r.assessor), fmt.number(r.total, 1)]
        for r in frame.itertuples()
    ]
    return tables.table(["Versi", "Alasan", "Asesor", "Total"], rows, numeric=[3])
