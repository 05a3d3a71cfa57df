"""The values in an export's cells: numbers, durations, dates and times of day.

Indonesian (``1.234,5``) or English (``1,234.5``) numbers, durations as ``h:mm:ss``,
``mm:ss`` or seconds, days as ``2025-11-03`` or ``03/11/2025``. A cell that is not what
its column holds raises :class:`~kringlib.ingest.findings.Problem` with its code.
"""

from __future__ import annotations

import datetime as dt
import re

from kringlib.ingest.findings import Problem

NUMBER_ID = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+,\d{1,2}$|^-?\d+,\d{4,}$")
NUMBER_EN = re.compile(r"^-?\d{1,3}(,\d{3})+\.\d+$|^-?\d+\.\d{1,2}$|^-?\d+\.\d{4,}$")


def decimal_mark(values, separator: str | None) -> str:
    """``","`` for Indonesian numbers, ``"."`` for English, judged from every value given.

    Raises :class:`Problem` when the file mixes both. Undecided files follow the
    separator: semicolon-separated exports come from Indonesian-locale spreadsheets.
    """
    texts = [v for v in values if isinstance(v, str)]
    indonesian = any(NUMBER_ID.match(t) for t in texts)
    english = any(NUMBER_EN.match(t) for t in texts)
    if indonesian and english:
        raise Problem(
            "mixed_decimal_marks", "format angka bercampur (1.234,5 dan 1,234.5) dalam satu berkas"
        )
    if indonesian:
        return ","
    if english:
        return "."
    return "," if separator == ";" else "."


NOT_APPLICABLE = "-"
"""What Avaya CMS writes where a value does not apply (an average over zero calls): missing."""


def parse_number(value, decimal: str) -> float:
    """A count or amount: ``1.234,5`` or ``1,234.5`` by ``decimal``; blank or ``-`` → NaN."""
    if value is None or value == NOT_APPLICABLE:
        return float("nan")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).replace(" ", "")
    thousands = "." if decimal == "," else ","
    text = text.replace(thousands, "").replace(decimal, ".")
    try:
        return float(text)
    except ValueError:
        raise Problem("not_a_number", f"bukan angka: {value!r}") from None


DURATION = re.compile(r"^(-)?(?:(\d+):(?=\d{1,2}:))?(\d*):(\d{2})(?:[.,](\d+))?$")


def parse_duration(value, decimal: str) -> float:
    """Seconds from ``h:mm:ss``, ``mm:ss`` (CMS lets minutes pass 59: ``480:00``), ``:ss``,
    plain seconds, or an Excel time; blank or ``-`` → NaN."""
    if value is None or value == NOT_APPLICABLE:
        return float("nan")
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, dt.time):
        return value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    if isinstance(value, dt.datetime):  # Excel shows [h]:mm:ss past 24 h as a date from 1899/1900
        return (value - dt.datetime(1899, 12, 30)).total_seconds()
    if isinstance(value, (int, float)):
        return float(value)
    match = DURATION.match(str(value).strip())
    if match and max(map(len, filter(None, match.groups()[1:4]))) > 9:
        raise Problem("not_a_duration", f"durasi tidak wajar: {str(value)[:40]!r}")
    if match:
        sign, hours, minutes, seconds, fraction = match.groups()
        if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
            raise Problem("not_a_duration", f"durasi tidak valid: {value!r}")
        total = int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds)
        total += float(f"0.{fraction}") if fraction else 0.0
        return -total if sign else float(total)
    try:
        return parse_number(value, decimal)
    except Problem:
        raise Problem(
            "not_a_duration", f"bukan durasi (h:mm:ss, mm:ss atau detik): {value!r}"
        ) from None


DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
DATE_SLASHED = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")


YEARS = range(1900, 2201)
"""Years a day in an export may have: outside them it is a typo (3025), not a date."""


def parse_date(value, order: str) -> dt.date:
    """A day from ``2025-11-03``, ``03/11/2025`` (``order`` DMY or MDY) or a spreadsheet
    date, in :data:`YEARS`."""
    day = _date(value, order)
    if day.year not in YEARS:
        raise Problem("impossible_date", f"tanggal mustahil: {value!r} (tahun di luar "
                      f"{YEARS.start}–{YEARS.stop - 1})")  # fmt: skip
    return day


def _date(value, order: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if match := DATE_ISO.match(text):
            year, month, day = map(int, match.groups())
            return dt.date(year, month, day)
        if match := DATE_SLASHED.match(text):
            first, second, year = map(int, match.groups())
            year += 2000 if year < 100 else 0
            day, month = (first, second) if order == "DMY" else (second, first)
            return dt.date(year, month, day)
    except ValueError:
        raise Problem("impossible_date", f"tanggal mustahil: {value!r}") from None
    raise Problem("not_a_date", f"bukan tanggal: {value!r}")


HOUR = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*(AM|PM)?", re.IGNORECASE)


def parse_interval_start(value) -> int:
    """Minutes after midnight an interval starts (``08:00-08:30``, ``8:30 AM``, ``14.00``).

    On the 12-hour clock CMS writes, ``12:00 AM`` is midnight and ``12:00 PM`` noon."""
    start = parse_time(value)
    return start.hour * 60 + start.minute


def parse_time(value) -> dt.time:
    """A time of day: ``08:00``, ``14.30``, ``8:30AM``, ``8:30 PM`` (the start of a range
    such as ``08:00-08:30``), or a spreadsheet time."""
    if isinstance(value, (dt.time, dt.datetime)):
        return dt.time(value.hour, value.minute, value.second)
    match = HOUR.match(str(value).strip())
    if not match:
        raise Problem("not_a_time", f"bukan jam: {value!r}")
    hour, minute, second, meridiem = match.groups()
    hour, minute, second = int(hour), int(minute), int(second or 0)
    if meridiem:
        if not 1 <= hour <= 12:
            raise Problem("not_a_time", f"jam tidak valid untuk AM/PM: {value!r}")
        hour = hour % 12 + (12 if meridiem.upper() == "PM" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise Problem("not_a_time", f"jam tidak valid: {value!r}")
    return dt.time(hour, minute, second)
