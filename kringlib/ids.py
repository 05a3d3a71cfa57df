"""Taxpayer identifiers: the NPWP (15 digits, ``99.999.999.9-999.999``) and the 16-digit
form used since the NIK became the NPWP, checked, and masked wherever people read them.

A code typed or spoken in a conversation may be written down in free text (an assessor's
note, a complaint step, an interaction's topic); :func:`mask_identifiers` hides each one,
and :func:`mask_npwp` shows a single identifier by its last four digits only, enough to
tell two taxpayers apart in a conversation, too few to find either.
"""

from __future__ import annotations

import re

IDENTIFIER = r"(?<![0-9])(?:[0-9][ .-]?){14,15}[0-9](?![0-9])"
"""An NPWP (15 digits) or NIK / 16-digit NPWP, with or without separators; the same
pattern in Python and in PostgreSQL's regular expressions."""
MASK = "[NPWP/NIK disamarkan]"
"""What an identifier in free text reads as once masked."""
SEPARATORS = " .-"
"""Characters written between an identifier's digits."""
SHOWN_DIGITS = 4
"""Digits a masked identifier still shows, at its end."""
NOT_AN_IDENTIFIER = "Bukan NPWP 15 digit atau NPWP/NIK 16 digit."
"""The refusal, which never repeats what was typed: it may be an identifier mistyped."""


def digits_of(text: str) -> str:
    """``text`` without the separators written between an identifier's digits."""
    return "".join(char for char in text.strip() if char not in SEPARATORS)


def is_valid_npwp(text: str) -> bool:
    """True for an NPWP of 15 digits or an NPWP/NIK of 16, with or without separators."""
    digits = digits_of(text)
    return len(digits) in (15, 16) and digits.isascii() and digits.isdigit()


def format_npwp(text: str) -> str:
    """An identifier as it is written: 15 digits as ``99.999.999.9-999.999``, 16 as they
    are; anything else raises ``ValueError``."""
    if not is_valid_npwp(text):
        raise ValueError(NOT_AN_IDENTIFIER)
    digits = digits_of(text)
    if len(digits) == 16:
        return digits
    return f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}.{digits[8]}-{digits[9:12]}.{digits[12:]}"


def mask_npwp(text: str) -> str:
    """One identifier for display: every digit but the last four as ``*``, separators kept
    (``01.234.567.8-901.234`` reads ``**.***.***.*-**1.234``)."""
    if not is_valid_npwp(text):
        raise ValueError(NOT_AN_IDENTIFIER)
    hidden = len(digits_of(text)) - SHOWN_DIGITS
    masked = []
    for char in text.strip():
        if char.isdigit() and hidden > 0:
            masked.append("*")
            hidden -= 1
        else:
            masked.append(char)
    return "".join(masked)


def contains_identifier(text: str | None) -> bool:
    """True when ``text`` holds an NPWP or NIK in clear."""
    return re.search(IDENTIFIER, text or "") is not None


def mask_identifiers(text: str | None) -> str | None:
    """``text`` with every taxpayer identifier replaced by :data:`MASK`."""
    return None if text is None else re.sub(IDENTIFIER, MASK, text)
