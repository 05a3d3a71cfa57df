"""State of the Buku Saku page: the script for a channel and moment, the speller and the
NTPN check, the topic search, all from the rulebook's data (kringlib.scripts, phonetic,
topics); nothing is read from or written to the database."""

from __future__ import annotations

import traitlets

from kringlib import clock, phonetic, scripts, topics
from kringlib.scripts import Step
from kringlib.ui.base import PageModel

SALUTATIONS = {"": "Bapak/Ibu", "Bapak": "Bapak", "Ibu": "Ibu"}
"""How the caller is addressed: unknown until asked, then as they answer."""


class PocketBookModel(PageModel):
    """The pocket book at the agent's elbow."""

    page = "buku_saku"

    channel = traitlets.Unicode("telepon")
    salutation = traitlets.Unicode("")
    on_air_name = traitlets.Unicode("")
    spell_text = traitlets.Unicode("")
    topic_query = traitlets.Unicode("")

    def __init__(self, engine, session=None, **kwargs):
        super().__init__(engine, session, **kwargs)
        self.reload()

    def reload(self) -> None:
        """A new visitor: an agent's first name fills the script's on-air name (they may
        change it); anyone else starts from the rulebook's blank."""
        user = self.session.user
        agent = user is not None and user.role == "agent" and user.name
        self.on_air_name = user.name.split()[0] if agent else ""
        self.version += 1

    def channel_options(self) -> list[tuple[str, str]]:
        """Every flow of the rulebook, as (label, id)."""
        return [(channel.label, channel.id) for channel in scripts.script_rules().channels]

    def script(self) -> list[Step]:
        """The chosen channel's flow, filled for this moment, the agent and the caller."""
        return scripts.filled(self.channel, clock.now(), self.on_air_name, self.salutation)

    def greeting(self) -> str:
        """The greeting due now (pagi, siang or sore)."""
        return scripts.greeting(clock.now())

    def spelled(self) -> tuple[list[tuple[str, str]], str]:
        """The typed code as (character, word) pairs, or the reason it cannot be spelled."""
        try:
            return phonetic.spelled(self.spell_text), ""
        except ValueError as exc:
            return [], str(exc)

    def ntpn_verdict(self) -> tuple[bool, str] | None:
        """Whether the typed code is an NTPN, and the sentence that says so; None while
        nothing is typed."""
        text = self.spell_text.strip()
        if not text:
            return None
        length = phonetic.alphabet().ntpn.length
        if phonetic.is_valid_ntpn(text):
            return True, f"NTPN sah: {length} karakter angka dan huruf."
        others = sorted({c for c in text.upper() if not (c.isascii() and c.isalnum())})
        typed = f"{len(text)} karakter" + (
            f", termasuk {' '.join(map(repr, others))}" if others else ""
        )
        return False, (
            f"Bukan NTPN: NTPN terdiri atas {length} karakter angka 0–9 dan huruf A–Z "
            f"(diketik: {typed})."
        )

    def topics_found(self) -> list[topics.Entry]:
        """The topics matching the search (all while the search is blank)."""
        return topics.search(self.topic_query)
