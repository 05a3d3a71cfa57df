"""Spelling codes over the telephone with the DJP phonetic alphabet (Buku Saku, "Alfabet").

An NTPN, an EFIN or a token mixes letters and digits that sound or look alike (O and 0,
I and 1): agents spell them a word per character, letters by the rulebook's alphabet and
digits as Indonesian words, so the caller writes down what was meant.
"""

from __future__ import annotations

import re
import string

from pydantic import BaseModel, field_validator

from kringlib import rules


class Ntpn(BaseModel):
    """The NTPN's length and the rulebook's examples."""

    length: int
    examples: list[str]


class Alphabet(BaseModel):
    """``rules/alfabet.yaml``: a word for every letter A–Z and digit 0–9."""

    source: rules.Citation
    letters: dict[str, str]
    digits: dict[str, str]
    skipped: str
    ntpn: Ntpn

    @field_validator("letters")
    @classmethod
    def _every_letter(cls, letters: dict[str, str]) -> dict[str, str]:
        missing = sorted(set(string.ascii_uppercase) - set(letters))
        if missing or set(letters) - set(string.ascii_uppercase):
            raise ValueError(f"harus tepat huruf A–Z (kurang: {', '.join(missing) or '-'})")
        return letters

    @field_validator("digits")
    @classmethod
    def _every_digit(cls, digits: dict[str, str]) -> dict[str, str]:
        if set(digits) != set(string.digits):
            raise ValueError("harus tepat angka 0–9")
        return digits


def alphabet() -> Alphabet:
    """The alphabet of ``rules/alfabet.yaml``."""
    return rules.load("alfabet", Alphabet)


def spelled(text: str) -> list[tuple[str, str]]:
    """Each character of ``text`` that is spoken (upper case) with its word: letters
    (either case) by the DJP alphabet, digits as Indonesian words; spaces, dots and dashes
    are skipped. Any other character raises ``ValueError`` naming it and its position."""
    book = alphabet()
    words = {**book.letters, **book.digits}
    pairs = []
    for position, char in enumerate(text, start=1):
        if char in book.skipped:
            continue
        word = words.get(char.upper()) if char.isascii() else None
        if word is None:
            raise ValueError(f"Karakter {char!r} (posisi {position}) tidak dapat dieja.")
        pairs.append((char.upper(), word))
    return pairs


def spell(text: str) -> list[str]:
    """One word per spoken character of ``text`` (see :func:`spelled`)."""
    return [word for _, word in spelled(text)]


def is_valid_ntpn(text: str) -> bool:
    """True when ``text`` is an NTPN: exactly 16 characters of 0–9 and A–Z, as the
    rulebook's examples (surrounding spaces aside; lower case is read as upper)."""
    length = alphabet().ntpn.length
    return re.fullmatch(f"[0-9A-Z]{{{length}}}", text.strip().upper()) is not None
