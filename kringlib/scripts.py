"""The interaction scripts per channel (Buku Saku, "Panduan Interaksi" and "Alur
Interaksi"), word for word from ``rules/skrip.yaml``, with their blanks filled for the
moment of the conversation and the agent who holds it."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, model_validator

from kringlib import calendar, clock, rules
from kringlib.canonical import CHANNELS


class Step(BaseModel):
    """One step of a flow and the rulebook's lines for it."""

    step: str
    lines: list[str]


class ChannelScript(BaseModel):
    """A channel's flow: its steps in order, and where the rulebook gives it."""

    id: str
    label: str
    citation: str
    steps: list[Step]


class Placeholders(BaseModel):
    """The rulebook's blanks, as it writes them."""

    greeting: str
    on_air_name: str
    initials: str
    salutation: str


class Assessment(BaseModel):
    """Where the assessment form shows the scripts, and which flows each rubric channel's."""

    citation: str
    section: str
    rubric_channels: dict[str, list[str]]


class ScriptRules(BaseModel):
    """``rules/skrip.yaml``: a script for every interaction channel, and the outbound and
    callback flows."""

    source: rules.Citation
    placeholders: Placeholders
    assessment: Assessment
    channels: list[ChannelScript]
    email_bilingual: str

    @model_validator(mode="after")
    def _every_channel_once(self) -> ScriptRules:
        ids = [channel.id for channel in self.channels]
        doubled = rules.repeated(ids)
        missing = [c for c in CHANNELS if c not in ids]
        unknown = sorted(
            {c for cs in self.assessment.rubric_channels.values() for c in cs} - set(ids)
        )
        if unknown:
            raise ValueError(
                f"assessment.rubric_channels: saluran tanpa skrip: {', '.join(unknown)}"
            )
        if doubled or missing:
            raise ValueError(
                f"channels: setiap saluran tepat sekali (ganda: {', '.join(doubled) or '-'}; "
                f"tanpa skrip: {', '.join(missing) or '-'})"
            )
        return self


def script_rules() -> ScriptRules:
    """The scripts of ``rules/skrip.yaml``."""
    return rules.load("skrip", ScriptRules)


def script(channel: str) -> ChannelScript:
    """The flow of ``channel`` (an interaction channel, ``outbound`` or ``callback``)."""
    for candidate in script_rules().channels:
        if candidate.id == channel:
            return candidate
    known = ", ".join(c.id for c in script_rules().channels)
    raise ValueError(f"Tidak ada skrip untuk saluran {channel!r} (ada: {known}).")


def for_rubric_channel(channel: str) -> list[ChannelScript]:
    """The flows an assessor checks an interaction of rubric channel ``channel`` against."""
    return [script(c) for c in script_rules().assessment.rubric_channels.get(channel, [])]


def greeting(moment: dt.datetime | dt.time) -> str:
    """``pagi``, ``siang`` or ``sore``: the greeting due at ``moment`` by the KLIP
    service-hours guide (``rules/kalender.yaml``). A timezone-aware moment (the clock's)
    is read on Jakarta's clock; a time of day or a naive moment is Jakarta's already."""
    if isinstance(moment, dt.datetime) and moment.tzinfo is not None:
        moment = clock.in_jakarta(moment)
    return calendar.greeting_period(moment)


def initials_of(name: str) -> str:
    """The initials of an on-air name (``Rina Sari`` → ``RS``)."""
    return "".join(word[0].upper() for word in name.split() if word[0].isalpha())


def filled(
    channel: str, moment: dt.datetime | dt.time, on_air_name: str, salutation: str = ""
) -> list[Step]:
    """The flow of ``channel`` with its blanks filled: the greeting of ``moment``, the
    agent's on-air name and initials, and the caller's salutation (``Bapak`` or ``Ibu``;
    left as ``Bapak/Ibu`` until it is known). Everything else stays word for word."""
    blanks = script_rules().placeholders
    fills = {
        blanks.greeting: greeting(moment),
        blanks.on_air_name: on_air_name.strip() or blanks.on_air_name,
        blanks.initials: initials_of(on_air_name) or blanks.initials,
        blanks.salutation: salutation.strip() or blanks.salutation,
    }

    def fill(line: str) -> str:
        for blank, value in fills.items():
            line = line.replace(blank, value)
        return line

    return [
        Step(step=step.step, lines=[fill(line) for line in step.lines])
        for step in script(channel).steps
    ]
