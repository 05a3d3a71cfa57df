"""The lines of a CSV or XLSX export, read a block at a time, with caps on what is read.

Exports come in many shapes: a UTF-8 BOM, UTF-16 tab-separated text (Excel's "Unicode
text"), lines of Windows-1252 among UTF-8 ones, comma, semicolon or tab separators, old
Mac line ends (CR alone), title and filter lines above the header. A file is read in
blocks of a few MiB, so a large export never exists as a list of every cell; a file
beyond :class:`Limits` is refused with the limit named.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from pydantic import BaseModel, PositiveInt

from kringlib.ingest.findings import Problem

XLSX_MAGIC = b"PK\x03\x04"
SEPARATORS = ",;\t"
BLOCK = 4 << 20
"""Bytes decoded and split into cells at a time."""
SAMPLE = 1 << 16
"""Characters of the first lines the separator is judged on."""
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
MIB = 1 << 20


class Limits(BaseModel):
    """The most an export may hold (``limits`` in ``rules/ekspor.yaml``)."""

    max_bytes: PositiveInt = 300 * MIB
    max_unpacked_bytes: PositiveInt = 400 * MIB
    """What an XLSX's parts may expand to (a small workbook can unzip to gigabytes)."""
    max_rows: PositiveInt = 5_000_000
    max_columns: PositiveInt = 200


@dataclass
class Lines:
    """An export's lines being read: ``rows`` yields ``(line number, cells)`` of each line
    with a filled cell (cells as read: text not yet trimmed); ``notes`` gathers (line,
    message) of what reading had to guess; ``done()`` is the share of the file read."""

    name: str
    separator: str | None  # None for XLSX
    rows: Iterator[tuple[int, list]]
    done: Callable[[], float]
    notes: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class RawTable:
    """Every line of a small export with a filled cell, cells trimmed (empty: None)."""

    name: str
    lines: list[tuple[int, list[object]]]
    separator: str | None
    notes: list[tuple[int, str]] = field(default_factory=list)


def open_export(source, name: str | None = None, limits: Limits | None = None) -> Lines:
    """Start reading a path, bytes or binary buffer holding CSV or XLSX (its first sheet).

    Raises :class:`Problem` for a file beyond ``limits`` or one that is no table at all;
    ``rows`` raises it for a line past ``max_rows`` or wider than ``max_columns``.
    """
    return _open(source, name, limits or Limits())[0]


def load_all(source, name: str | None = None, limits: Limits | None = None) -> list[RawTable]:
    """Every table of a small CSV (one) or XLSX (one per sheet, named "file, lembar sheet"),
    read whole."""
    tables = []
    for lines in _open(source, name, limits or Limits()):
        cleaned = ((number, [clean(c) for c in cells]) for number, cells in lines.rows)
        kept = [(number, cells) for number, cells in cleaned if any(c is not None for c in cells)]
        tables.append(RawTable(lines.name, kept, lines.separator, lines.notes))
    return tables


def _open(source, name: str | None, limits: Limits) -> list[Lines]:
    if isinstance(source, (str, Path)):
        name = name or Path(source).name
        stream, size = open(source, "rb"), Path(source).stat().st_size  # noqa: SIM115
    elif isinstance(source, (bytes, bytearray, memoryview)):
        stream, size = io.BytesIO(source), len(source)
    else:
        name = name or getattr(source, "name", None)
        stream = source if source.seekable() else io.BytesIO(source.read())
        size = stream.seek(0, io.SEEK_END) - stream.seek(0)
    name = name or "ekspor"
    if size > limits.max_bytes:
        stream.close()
        raise Problem(
            "file_too_large",
            f"{name}: berkas {size / MIB:.0f} MiB melebihi batas "
            f"{limits.max_bytes / MIB:.0f} MiB (ekspor.yaml: limits.max_bytes)",
        )
    if stream.read(len(XLSX_MAGIC)) == XLSX_MAGIC:
        return _xlsx_sheets(stream, name, limits)
    stream.seek(0)
    return [_csv_lines(stream, size, name, limits)]


def _capped(rows, name: str, limits: Limits) -> Iterator[tuple[int, list]]:
    for number, cells in rows:
        if number > limits.max_rows:
            raise Problem("too_many_rows", f"{name}: lebih dari {limits.max_rows} baris "
                          "(ekspor.yaml: limits.max_rows); sisa berkas tidak dibaca")  # fmt: skip
        if len(cells) > limits.max_columns and any(
            c not in (None, "") for c in cells[limits.max_columns :]
        ):
            raise Problem(
                "too_many_columns",
                f"{name}, baris {number}: lebih dari "
                f"{limits.max_columns} kolom (ekspor.yaml: limits.max_columns)",
            )
        yield number, cells


# --- XLSX ---------------------------------------------------------------------------------


def _xlsx_sheets(stream, name: str, limits: Limits) -> list[Lines]:
    stream.seek(0)
    data = io.BytesIO(stream.read())  # in memory: nothing is left open once read
    stream.close()
    try:
        unpacked = sum(part.file_size for part in zipfile.ZipFile(data).infolist())
    except zipfile.BadZipFile as exc:
        raise Problem(
            "file_unreadable", f"{name}: berkas XLSX tidak dapat dibaca ({exc})"
        ) from None
    if unpacked > limits.max_unpacked_bytes:  # refused before anything is unpacked
        raise Problem("file_too_large", f"{name}: isi XLSX terurai {unpacked / MIB:,.0f} MiB "
                      f"melebihi batas {limits.max_unpacked_bytes / MIB:,.0f} MiB "
                      "(ekspor.yaml: limits.max_unpacked_bytes)")  # fmt: skip
    try:
        import openpyxl  # 6 MB a dashboard kernel holds only once someone reads a workbook

        book = openpyxl.load_workbook(data, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise Problem(
            "file_unreadable", f"{name}: berkas XLSX tidak dapat dibaca ({exc})"
        ) from None
    return [
        _sheet_lines(sheet, name if position == 0 else f"{name}, lembar {sheet.title}",
                     limits)
        for position, sheet in enumerate(book.worksheets)
    ]  # fmt: skip


def _sheet_lines(sheet, name: str, limits: Limits) -> Lines:
    """A sheet's lines (the workbook is read from memory: no file is left open)."""
    read = [0]
    total = sheet.max_row or 0

    def rows():
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            read[0] = number
            if any(c is not None and c != "" for c in row):
                yield number, list(row)

    return Lines(name, None, _capped(rows(), name, limits), lambda: min(read[0] / total, 1.0)
                 if total else 0.0)  # fmt: skip


# --- CSV ----------------------------------------------------------------------------------


def _csv_lines(stream, size: int, name: str, limits: Limits) -> Lines:
    notes: list[tuple[int, str]] = []
    read = [0]
    blocks = _text_blocks(stream, name, notes, read)
    first: list[str] = []
    for block in blocks:  # the separator is judged on the first lines, whatever the block
        first.append(block)
        if sum(map(len, first)) >= SAMPLE:
            break
    separator = _separator("".join(first)[:SAMPLE])

    def rows():
        texts = (b.replace("\r\n", "\n").replace("\r", "\n") for b in chain(first, blocks))
        lines = (line for text in texts for line in io.StringIO(text))
        number = 0  # one reader for every block: a quoted field may span two
        try:
            for number, cells in enumerate(csv.reader(lines, delimiter=separator), start=1):
                if any(cells):
                    yield number, cells
        except csv.Error as exc:
            raise Problem("file_unreadable", f"{name}, baris {number + 1}: {exc}") from None

    return Lines(name, separator, _capped(rows(), name, limits),
                 lambda: read[0] / size if size else 1.0, notes)  # fmt: skip


def _text_blocks(stream, name: str, notes: list, read: list) -> Iterator[str]:
    """The text of a CSV export in blocks of about :data:`BLOCK` bytes that end at a line
    end; ``read[0]`` follows how many bytes are done, and ``notes`` gets a note for each
    line read as Windows-1252. The stream is closed at the end.

    A BOM says UTF-8 or UTF-16 (Excel's "Unicode text"); UTF-16 without one shows as NUL
    bytes between ASCII letters. Otherwise UTF-8, and a line that is not UTF-8 is read as
    cp1252 (Windows) and said, so a file mixing both keeps its names right. Bytes that
    are neither (a picture renamed .csv) raise :class:`Problem`.
    """
    with stream:
        start = stream.read(BLOCK)
        odd = start[1:200:2]
        if start.startswith(UTF16_BOMS) or odd.count(0) > 0.9 * len(odd) > 0:
            yield from _utf16_blocks(stream, start, name, read)
        elif b"\x00" in start[:4096]:
            raise Problem(
                "file_unreadable", f"{name}: bukan berkas teks CSV maupun XLSX (berisi data biner)"
            )
        else:
            yield from _utf8_blocks(stream, start.removeprefix(b"\xef\xbb\xbf"), notes, read)


def _utf8_blocks(stream, chunk: bytes, notes: list, read: list) -> Iterator[str]:
    line_end, lines_before = None, 0
    while chunk:
        more = stream.read(BLOCK)
        line_end = line_end or _line_end(chunk, more, b"\n", b"\r")
        if line_end is None:
            chunk += more
            continue
        cut = len(chunk) if not more else chunk.rfind(line_end) + 1
        if not cut:  # no line ends yet: read on
            chunk += more
            continue
        block, chunk = chunk[:cut], chunk[cut:] + more
        read[0] = stream.tell() - len(chunk)
        try:
            yield block.decode("utf-8")
        except UnicodeDecodeError:
            yield _mixed(block, line_end, lines_before, notes)
        lines_before += block.count(line_end)


def _utf16_blocks(stream, chunk: bytes, name: str, read: list) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-16" if chunk.startswith(UTF16_BOMS) else
                                           "utf-16-le")()  # fmt: skip
    carry, line_end = "", None
    while chunk:
        more = stream.read(BLOCK)
        try:
            text = carry + decoder.decode(chunk, final=not more)
        except UnicodeDecodeError:
            raise Problem("file_unreadable", f"{name}: berkas UTF-16 rusak") from None
        line_end = line_end or _line_end(text, more, "\n", "\r")
        cut = len(text) if not more else text.rfind(line_end) + 1 if line_end else 0
        carry, chunk = text[cut:], more
        read[0] = stream.tell() - len(more)
        if cut:
            yield text[:cut]


def _line_end(seen, more, newline, carriage):
    """What ends the lines: LF (or CRLF), else CR alone (old Mac); None while neither has
    been seen and more is to come."""
    if newline in seen or (carriage not in seen and not more):
        return newline
    return carriage if carriage in seen else None


def _mixed(block: bytes, line_end: bytes, lines_before: int, notes: list) -> str:
    """A block with lines that are not UTF-8: those read as cp1252, each noted."""
    lines = []
    for number, line in enumerate(block.split(line_end), start=lines_before + 1):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
            notes.append((number, "bukan UTF-8; dibaca sebagai Windows-1252 (cp1252)"))
    return line_end.decode().join(lines)


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


def clean(cell):
    """A cell's value as compared and parsed: text trimmed of spaces and stray quotes,
    empty text as None."""
    if isinstance(cell, str):
        cell = cell.strip().strip('"').strip()
        return cell or None
    return cell


def normalise_caption(text) -> str:
    """Captions compared loosely: case, spaces and trailing punctuation do not matter."""
    return re.sub(r"\s+", " ", str(text or "")).strip(" :.").lower()
