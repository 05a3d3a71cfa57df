""" "Tentang Kring Pajak": legal bases, channels and timeline as the rulebook writes them
(``rules/tentang.yaml``), for the pocket book's reference pages."""

from __future__ import annotations

from pydantic import BaseModel

from kringlib import rules


class LegalBasis(BaseModel):
    code: str
    about: str


class Channel(BaseModel):
    service: str
    reach: str


class Event(BaseModel):
    title: str
    text: str


class About(BaseModel):
    """``rules/tentang.yaml``."""

    source: rules.Citation
    legal_bases: list[LegalBasis]
    channels: list[Channel]
    timeline: list[Event]


def about() -> About:
    """The reference of ``rules/tentang.yaml``."""
    return rules.load("tentang", About)
