"""Interactions the rulebook advises not to answer ("Interaksi Tidak Dijawab" for Twitter
and e-mail), each rule with a stable reason code (``rules/tidak_dibalas.yaml``)."""

from __future__ import annotations

from pydantic import BaseModel, model_validator

from kringlib import rules
from kringlib.canonical import CHANNELS


class Reason(BaseModel):
    """One rule, word for word, with its code and the rulebook's example if it gives one."""

    code: str
    rule: str
    example: str = ""


class ChannelReasons(BaseModel):
    """A channel's rules and where the rulebook gives them."""

    citation: str
    quote: str
    reasons: list[Reason]


class NoReplyRules(BaseModel):
    """``rules/tidak_dibalas.yaml``: interaction channels only, each code used once."""

    source: rules.Citation
    channels: dict[str, ChannelReasons]

    @model_validator(mode="after")
    def _known_channels_and_codes_once(self) -> NoReplyRules:
        unknown = sorted(set(self.channels) - set(CHANNELS))
        if unknown:
            raise ValueError(f"channels: saluran tidak dikenal: {', '.join(unknown)}")
        doubled = rules.repeated([r.code for c in self.channels.values() for r in c.reasons])
        if doubled:
            raise ValueError(f"channels: kode dipakai dua kali: {', '.join(doubled)}")
        return self


def no_reply_rules() -> NoReplyRules:
    """The rules of ``rules/tidak_dibalas.yaml``."""
    return rules.load("tidak_dibalas", NoReplyRules)


def reasons(channel: str) -> list[Reason]:
    """The rules for ``channel`` (none for a channel the rulebook gives none)."""
    found = no_reply_rules().channels.get(channel)
    return found.reasons if found else []


def reason(code: str) -> tuple[str, Reason]:
    """The channel and rule of reason ``code``; an unknown code raises ``ValueError``."""
    for channel, found in no_reply_rules().channels.items():
        for candidate in found.reasons:
            if candidate.code == code:
                return channel, candidate
    raise ValueError(f"Kode alasan 'tidak perlu dibalas' tidak dikenal: {code!r}.")
