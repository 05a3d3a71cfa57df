"""Layout of the Buku Saku page."""

from __future__ import annotations

import html

import ipywidgets as w

from kringlib import about, complaints, no_reply, scripts
from kringlib.ui import tables
from kringlib.ui.base import PageView, panel
from kringlib.ui.pocket_book.model import SALUTATIONS, PocketBookModel

NO_REPLY_CHANNELS = {"twitter": "Twitter", "email": "E-mail"}


class PocketBookView(PageView):
    title = "Buku Saku"
    subtitle = (
        "Skrip interaksi per saluran, ejaan alfabet fonetik DJP, interaksi yang tidak perlu "
        "dibalas, pohon topik IVR/CRM, dan rujukan Kring Pajak."
    )

    def build_body(self) -> list[w.Widget]:
        model: PocketBookModel = self.model
        channel = w.Dropdown(options=model.channel_options(), description="Saluran")
        salutation = w.ToggleButtons(
            options=[(label, key) for key, label in SALUTATIONS.items()], description="Sapaan"
        )
        name = w.Text(description="Nama udara", placeholder="nama udara agen")
        for control, trait in (
            (channel, "channel"),
            (salutation, "salutation"),
            (name, "on_air_name"),
        ):
            w.link((model, trait), (control, "value"))
            control.style.description_width = "90px"
        channel.add_class("kr-script-channel")
        self._script = w.HTML().add_class("kr-script")
        model.observe(lambda _: self._show_script(), ["channel", "salutation", "on_air_name"])

        code = w.Text(description="Kode", placeholder="NTPN, EFIN, token …", continuous_update=True)
        code.add_class("kr-spell-input")
        w.link((model, "spell_text"), (code, "value"))
        self._spelled = w.HTML().add_class("kr-spelled")
        model.observe(lambda _: self._show_spelled(), "spell_text")

        search = w.Text(description="Cari topik", placeholder="mis. token, PPh 21, faktur")
        search.add_class("kr-topic-search")
        w.link((model, "topic_query"), (search, "value"))
        self._topics = w.HTML().add_class("kr-topics").add_class("kr-scroll")
        model.observe(lambda _: self._show_topics(), "topic_query")

        self.follow(self._show)
        return [
            panel("Eja kode dengan alfabet fonetik DJP", code, self._spelled,
                  css_class="kr-panel-speller"),
            panel("Skrip interaksi", w.HBox([channel, salutation]), name, self._script,
                  css_class="kr-panel-script"),
            panel("Interaksi yang tidak perlu dibalas", w.HTML(_no_reply_rules()),
                  css_class="kr-panel-no-reply"),
            panel("Pohon topik IVR/CRM", search, self._topics, css_class="kr-panel-topics"),
            panel("Tentang Kring Pajak", w.HTML(_reference()), css_class="kr-panel-about"),
        ]  # fmt: skip

    def _show(self) -> None:
        self._show_script()
        self._show_spelled()
        self._show_topics()

    def _show_script(self) -> None:
        model: PocketBookModel = self.model
        chosen = scripts.script(model.channel)
        steps = "".join(
            f'<div class="kr-script-step"><b>{html.escape(step.step)}</b>'
            + "".join(f"<div>{html.escape(line)}</div>" for line in step.lines)
            + "</div>"
            for step in model.script()
        )
        template = ""
        if model.channel == "email":
            template = (
                "<p><b>E-Mail Bilingual Template</b></p>"
                f"<pre>{html.escape(scripts.script_rules().email_bilingual)}</pre>"
            )
        self._script.value = (
            f'<div class="kr-message-info">Salam sekarang: <b>{model.greeting()}</b> '
            f"(panduan jam layanan KLIP). Sumber: Buku Saku, {html.escape(chosen.citation)}."
            f"</div>{steps}{template}"
        )

    def _show_spelled(self) -> None:
        model: PocketBookModel = self.model
        pairs, problem = model.spelled()
        verdict = model.ntpn_verdict()
        lines = "".join(
            f'<li><span class="kr-spelled-char">{html.escape(char)}</span> '
            f'<span class="kr-spelled-word">{html.escape(word)}</span></li>'
            for char, word in pairs
        )
        parts = [f'<div class="kr-message-error">{html.escape(problem)}</div>' if problem else ""]
        if verdict:
            valid, sentence = verdict
            css = "kr-ntpn-valid" if valid else "kr-ntpn-invalid"
            parts.append(f'<div class="kr-ntpn {css}">{html.escape(sentence)}</div>')
        parts.append(f'<ol class="kr-spelled-list">{lines}</ol>' if lines else "")
        self._spelled.value = "".join(parts)

    def _show_topics(self) -> None:
        found = self.model.topics_found()
        self._topics.value = (
            tables.table(
                ["Kode", "Topik"],
                [[f"<code>{e.topic.code}</code>", html.escape(e.path)] for e in found],
            )
            if found
            else '<div class="kr-message-info">Tidak ada topik yang cocok.</div>'
        )


def _no_reply_rules() -> str:
    rules = no_reply.no_reply_rules()
    parts = []
    for channel, label in NO_REPLY_CHANNELS.items():
        given = rules.channels[channel]
        rows = [[f"<code>{r.code}</code>", _rule(r)] for r in given.reasons]
        parts.append(
            f"<p><b>{label}</b>: {html.escape(given.quote)}</p>"
            + tables.table(["Kode alasan", "Aturan"], rows)
        )
    return "".join(parts)


def _rule(reason: no_reply.Reason) -> str:
    example = f'<div class="kr-muted">Contoh: {html.escape(reason.example)}.</div>'
    return html.escape(reason.rule) + (example if reason.example else "")


def _reference() -> str:
    book = about.about()
    complaint_bases = [
        [html.escape(", ".join(b.references)), "Pengaduan: " + html.escape(b.topic)]
        for b in complaints.complaint_rules().legal_bases
    ]
    bases = tables.table(
        ["Dasar hukum", "Tentang"],
        [[html.escape(b.code), html.escape(b.about)] for b in book.legal_bases] + complaint_bases,
    )
    channels = tables.table(
        ["Layanan", "Saluran"],
        [[html.escape(c.service), html.escape(c.reach)] for c in book.channels],
    )
    timeline = "".join(
        f"<li><b>{html.escape(e.title)}</b><div>{html.escape(e.text)}</div></li>"
        for e in book.timeline
    )
    return (
        f"<p><b>Dasar hukum</b></p>{bases}<p><b>Saluran</b></p>{channels}"
        f'<p><b>Linimasa</b> (sumber: Aplikasi SIKLIP)</p><ol class="kr-timeline">{timeline}</ol>'
    )
