"""Reporting periods: the presets a supervisor picks and the period each is compared with."""

from __future__ import annotations

import datetime as dt

PRESETS = {
    "bulan_ini": "Bulan ini",
    "bulan_lalu": "Bulan lalu",
    "kuartal_ini": "Kuartal ini",
    "tahun_berjalan": "Tahun berjalan",
    "kustom": "Kustom",
}


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months_back(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def preset_period(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of a preset, up to ``today`` for the running ones."""
    if preset == "bulan_ini":
        return _month_start(today), today
    if preset == "bulan_lalu":
        first = _months_back(today.replace(day=1), 1)
        return first, _month_start(today) - dt.timedelta(days=1)
    if preset == "kuartal_ini":
        return dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1), today
    if preset == "tahun_berjalan":
        return dt.date(today.year, 1, 1), today
    raise ValueError(f"periode tidak dikenal: {preset!r}")


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period to compare with: the same span of months (or days) just before ``start``.

    A period starting on the 1st is compared with the same days of the months before it
    (1–15 Nov with 1–15 Oct, a whole quarter with the quarter before); any other period
    with the equally long run of days that ends the day before it.
    """
    if end < start:
        raise ValueError("akhir periode sebelum awalnya")
    if start.day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        first = _months_back(start, months)
        month = _months_back(_month_start(end), months)
        month_end = _months_back(month, -1) - dt.timedelta(days=1)
        last = min(month + dt.timedelta(days=end.day - 1), month_end)
        return first, last
    length = (end - start).days + 1
    return start - dt.timedelta(days=length), start - dt.timedelta(days=1)
