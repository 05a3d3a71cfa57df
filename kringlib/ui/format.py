"""Numbers and dates as Indonesian readers expect: ``1.234,5``, ``95,3 %``, ``3 Nov 2025``."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

MISSING = "–"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def number(value, decimals: int = 0) -> str:
    """``1234.5`` → ``"1.234,5"`` (with ``decimals=1``); missing or NaN → ``"–"``."""
    if _is_missing(value):
        return MISSING
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def percent(fraction, decimals: int = 1) -> str:
    """A fraction 0–1 on screen: ``0.953`` → ``"95,3 %"``; NaN → ``"–"``."""
    if _is_missing(fraction):
        return MISSING
    return f"{number(fraction * 100, decimals)} %"


def date(value) -> str:
    """``2025-11-03`` → ``"3 Nov 2025"``; missing → ``"–"``."""
    if _is_missing(value):
        return MISSING
    day = value.date() if isinstance(value, dt.datetime) else value
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def kpi_value(value, unit: str) -> str:
    """A KPI as shown on a tile or in a table, by its unit (rasio, detik, panggilan/jam)."""
    if _is_missing(value):
        return MISSING
    if unit == "rasio":
        return percent(value)
    if unit == "detik":
        return f"{number(value, 1 if abs(value) < 100 else 0)} dtk"
    return number(value, 2)


def kpi_change(change, unit: str) -> str:
    """A signed difference: ``+1,2 %`` (percentage points for ratios), ``-3 dtk``."""
    if _is_missing(change):
        return MISSING
    sign = "+" if change > 0 else "-" if change < 0 else "±"
    if unit == "rasio":
        return f"{sign}{number(abs(change) * 100, 1)} poin"
    return sign + kpi_value(abs(change), unit)
