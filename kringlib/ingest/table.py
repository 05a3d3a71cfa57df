"""Raw cells out of CSV or XLSX exports, and the values in them: numbers, durations, dates.

Exports come in many shapes: a UTF-8 BOM, comma or semicolon separators, title and filter
lines above the header, a totals row at the end, Indonesian (``1.234,5``) or English
(``1,234.5``) numbers, durations as ``h:mm:ss``, ``mm:ss`` or seconds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

XLSX_MAGIC = b"PK\x03\x04"
SEPARATORS = ",;\t"


@dataclass
class RawTable:
    """Every non-empty line of an export: (line number, cells); ``notes`` are (line,
    message) of what reading had to guess, such as a line not in UTF-8."""

    name: str
    lines: list[tuple[int, list[object]]]
    separator: str | None  # None for XLSX
    notes: list[tuple[int, str]] = field(default_factory=list)


def load(source, name: str | None = None) -> RawTable:
    """Read a path, bytes or binary buffer holding CSV or XLSX (its first sheet) into a
    :class:`RawTable`."""
    return load_all(source, name)[0]


def load_all(source, name: str | None = None) -> list[RawTable]:
    """Every table of a CSV (one) or XLSX (one per sheet, named "file, lembar sheet")."""
    if isinstance(source, (str, Path)):
        name = name or Path(source).name
        data = Path(source).read_bytes()
    elif isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        data = source.read()
        name = name or getattr(source, "name", None)
    name = name or "ekspor"
    if data.startswith(XLSX_MAGIC):
        return _load_xlsx(data, name)
    return [_load_csv(data, name)]


def _load_xlsx(data: bytes, name: str) -> list[RawTable]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValueError(f"{name}: berkas XLSX tidak dapat dibaca ({exc})") from None
    tables = []
    for position, sheet in enumerate(book.worksheets):
        lines = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_clean(c) for c in row]
            if any(c not in (None, "") for c in cells):
                lines.append((number, cells))
        tables.append(RawTable(name if position == 0 else f"{name}, lembar {sheet.title}",
                               lines, None))  # fmt: skip
    book.close()
    return tables


def _load_csv(data: bytes, name: str) -> RawTable:
    text, notes = decode(data, name)
    # Old Mac exports end lines with CR alone; csv reads "\n"-separated lines.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    separator = _separator(text)
    lines = []
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=separator), start=1):
        cells = [_clean(c) for c in row]
        if any(c not in (None, "") for c in cells):
            lines.append((number, cells))
    return RawTable(name, lines, separator, notes)


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode(data: bytes, name: str) -> tuple[str, list[tuple[int, str]]]:
    """The text of a CSV export and notes (line, message) on what was guessed.

    A BOM says UTF-8 or UTF-16 (Excel's "Unicode text"); UTF-16 without one shows as NUL
    bytes between ASCII letters. Otherwise UTF-8, line by line: a line that is not UTF-8
    is read as cp1252 (Windows) and said, so a file mixing both keeps its names right.
    Bytes that are neither (a picture renamed .csv) raise ValueError.
    """
    if data.startswith(UTF16_BOMS) or (data[1:200:2].count(0) > 0.9 * len(data[1:200:2]) > 0):
        try:
            return data.decode("utf-16" if data.startswith(UTF16_BOMS) else "utf-16-le"), []
        except UnicodeDecodeError:
            raise ValueError(f"{name}: berkas UTF-16 rusak") from None
    if b"\x00" in data[:4096]:
        raise ValueError(f"{name}: bukan berkas teks CSV maupun XLSX (berisi data biner)")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    lines, notes = [], []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
            notes.append((number, "bukan UTF-8; dibaca sebagai Windows-1252 (cp1252)"))
    return "\n".join(lines), notes


def _separator(text: str) -> str:
    """The separator that splits the most lines into the same, largest number of fields."""
    sample = [line for line in text.splitlines()[:60] if line.strip()]
    best, best_score = ",", -1
    for candidate in SEPARATORS:
        counts = [len(next(csv.reader([line], delimiter=candidate))) for line in sample]
        widest = max(counts, default=1)
        score = sum(1 for c in counts if c == widest) * (widest > 1) * widest
        if score > best_score:
            best, best_score = candidate, score
    return best


def _clean(cell):
    if isinstance(cell, str):
        cell = cell.strip().strip('"').strip()
        return cell or None
    return cell


def normalise_caption(text) -> str:
    """Captions compared loosely: case, spaces and trailing punctuation do not matter."""
    return re.sub(r"\s+", " ", str(text or "")).strip(" :.").lower()


# --- values -------------------------------------------------------------------------------

NUMBER_ID = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+,\d{1,2}$|^-?\d+,\d{4,}$")
NUMBER_EN = re.compile(r"^-?\d{1,3}(,\d{3})+\.\d+$|^-?\d+\.\d{1,2}$|^-?\d+\.\d{4,}$")


def decimal_mark(values: list[object], separator: str | None) -> str:
    """``","`` for Indonesian numbers, ``"."`` for English, judged from the whole file.

    Raises ValueError when the file mixes both. Undecided files follow the separator:
    semicolon-separated exports come from Indonesian-locale spreadsheets.
    """
    texts = [v for v in values if isinstance(v, str)]
    indonesian = any(NUMBER_ID.match(t) for t in texts)
    english = any(NUMBER_EN.match(t) for t in texts)
    if indonesian and english:
        raise ValueError("format angka bercampur (1.234,5 dan 1,234.5) dalam satu berkas")
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
        raise ValueError(f"bukan angka: {value!r}") from None


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
    if match:
        sign, hours, minutes, seconds, fraction = match.groups()
        if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
            raise ValueError(f"durasi tidak valid: {value!r}")
        total = int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds)
        total += float(f"0.{fraction}") if fraction else 0.0
        return -total if sign else float(total)
    try:
        return parse_number(value, decimal)
    except ValueError:
        raise ValueError(f"bukan durasi (h:mm:ss, mm:ss atau detik): {value!r}") from None


DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
DATE_SLASHED = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")


def parse_date(value, order: str) -> dt.date:
    """A day from ``2025-11-03``, ``03/11/2025`` (``order`` DMY or MDY) or a spreadsheet date."""
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
        raise ValueError(f"tanggal mustahil: {value!r}") from None
    raise ValueError(f"bukan tanggal: {value!r}")


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
        raise ValueError(f"bukan jam: {value!r}")
    hour, minute, second, meridiem = match.groups()
    hour, minute, second = int(hour), int(minute), int(second or 0)
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(f"jam tidak valid untuk AM/PM: {value!r}")
        hour = hour % 12 + (12 if meridiem.upper() == "PM" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"jam tidak valid: {value!r}")
    return dt.time(hour, minute, second)
