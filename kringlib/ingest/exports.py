"""Avaya reports and the workbench's templates, read into canonical frames.

Each reader finds the header under any title and filter lines, maps captions through
``rules/ekspor.yaml``, stops at the totals row, parses numbers, durations and dates, and
checks what can be checked without the database. Problems become :class:`Finding` rows
naming file, line and column; errors stop an import, warnings are shown and allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, islice

import numpy as np
import pandas as pd

from kringlib.ingest import ats_inputs, checks, complaint_rows, layouts, table, values
from kringlib.ingest.checks import check_plausible
from kringlib.ingest.columns import DAY, FLOAT, OBJECT, Column
from kringlib.ingest.findings import Collector, ExportError, Finding, HasFindings, Problem
from kringlib.ingest.layouts import (
    AGENT,
    CHANNEL_TEMPLATE,
    DATE_COLUMNS,
    LOGIN,
    MIN_HEADER_MATCHES,
    NOT_NUMBERS,
    SPLIT,
    TEXT_COLUMNS,
    TIME_COLUMNS,
    VDN,
    ExportRules,
    ReportLayout,
)


@dataclass
class ParsedExport(HasFindings):
    """A canonical frame and what was found on the way; ``frame`` keeps ``source_row``."""

    kind: str
    file: str
    frame: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)


CHECKS = {**checks.CHECKS, **ats_inputs.CHECKS, **complaint_rows.CHECKS}
"""What each kind of export is checked for once read, and shaped into (``rules/ekspor.yaml``
lays out every kind: a test holds the two to each other)."""
HEAD_LINES = 50
"""Lines searched for the header (title and filter lines come above it)."""
BATCH_LINES = 50_000
"""Lines gathered before their cells are encoded and the progress is told."""


def parse_export(
    source, kind: str, name: str | None = None, progress: Callable[[float], None] | None = None
) -> ParsedExport:
    """Read ``source`` (path, bytes or buffer; CSV or XLSX) as a ``kind`` export.

    ``kind`` is ``"agent"`` (Avaya agent report), ``"split"`` (Avaya split/skill report),
    ``"vdn"`` (Avaya VDN report), ``"login"`` (Avaya agent login/logout report),
    ``"channel"`` (the channel template), or an input of ATS: ``"jadwal"`` (the schedule
    template), ``"status_agen"`` (the CMS agent trace), ``"status_interval"`` (the agent
    report by interval, read as states) or ``"sikka"`` (the attendance template); or
    ``"pengaduan"`` (the complaint template).
    ``progress`` is told the share of the file read (0 to 1) every :data:`BATCH_LINES`
    lines. Never raises for bad content: look at ``errors``, each finding with its ``code``.
    """
    settings = layouts.export_rules()
    found = Collector(name or "ekspor")
    try:
        lines = table.open_export(source, name, settings.limits)
        found.file = lines.name
        frame = _parse_lines(lines, kind, settings, found, progress or (lambda _: None))
    except Problem as problem:
        found.error(0, "", problem.code, str(problem))
        frame = pd.DataFrame()
    return ParsedExport(kind, found.file, frame, found.every())


def _parse_lines(lines: table.Lines, kind: str, settings: ExportRules, found: Collector, progress):
    layout = settings.reports[kind]
    every = ((n, [table.clean(c) for c in cells]) for n, cells in lines.rows)
    filled = ((n, cells) for n, cells in every if any(c is not None for c in cells))
    cleaned = list(islice(filled, HEAD_LINES))  # lines of spaces do not count
    header_at = _find_header(cleaned, layout)
    if header_at is None:
        expected = ", ".join(names[0] for names in layout.columns.values())
        found.error(
            0,
            "",
            "header_missing",
            f"baris judul kolom tidak ditemukan; diharapkan kolom seperti: {expected}",
        )
        return pd.DataFrame()
    header_line, header = cleaned[header_at]
    columns = _map_columns(header, layout, found, header_line)
    missing = [c for c in layout.required if c not in columns.values()]
    for column in missing:
        found.error(
            header_line, layout.columns[column][0], "column_missing", "kolom wajib tidak ada"
        )
    rest = chain(((n, cells) for n, cells in cleaned if n > header_line), lines.rows)
    read = _Body(header, columns, settings, found).read(rest, lambda: progress(lines.done()))
    for number, note in lines.notes:
        found.warning(number, "", "encoding_guessed", note)
    preamble = cleaned[:header_at]
    report_day = _report_day(preamble, settings, found)
    frame = _typed_frame(read, lines.separator, settings, layout, found)
    check_plausible(frame, found)
    split = _preamble_value(preamble, settings.split_filter_labels)
    if "split" in layout.columns and "split" not in frame.columns and split is not None:
        frame["split"] = split[2]
    if "date" not in frame.columns:
        if report_day is None:
            found.error(
                0,
                "Date",
                "report_date_missing",
                "tanggal laporan tidak ada: tidak ada kolom tanggal maupun baris 'Date:'",
            )
        frame["date"] = pd.Series(
            pd.Timestamp(report_day) if report_day else pd.NaT, index=frame.index
        ).astype("datetime64[ns]")
    if missing:
        return frame
    return CHECKS[kind](frame, layout, found)


def _find_header(lines, layout: ReportLayout) -> int | None:
    known = {table.normalise_caption(c) for names in layout.columns.values() for c in names}
    for position, (_, cells) in enumerate(lines):
        if sum(table.normalise_caption(c) in known for c in cells if c) >= MIN_HEADER_MATCHES:
            return position
    return None


def _map_columns(header, layout: ReportLayout, found: Collector, line: int) -> dict[int, str]:
    lookup = {
        table.normalise_caption(written): canonical
        for canonical, captions in layout.columns.items()
        for written in captions
    }
    mapped: dict[int, str] = {}
    for position, written in enumerate(header):
        canonical = lookup.get(table.normalise_caption(written))
        if canonical is None:
            continue
        if canonical in mapped.values():
            found.error(line, str(written), "column_repeated",
                        f"kolom {canonical} muncul lebih dari sekali")  # fmt: skip
            continue
        mapped[position] = canonical
    return mapped


DATA, TOTALS = "data", "totals"


class _Body:
    """The data lines under the header, up to a totals row, gathered into columns: the
    header repeated at a page break is skipped, and a line with more or fewer cells than
    the header is an error. Lines whose first cell was seen before take a fast path."""

    def __init__(self, header, columns: dict[int, str], settings: ExportRules, found):
        self.captions = [table.normalise_caption(c) for c in _filled(header)]
        self.markers = {table.normalise_caption(m) for m in settings.totals_markers}
        self.columns = columns
        self.found = found
        self.first_cells: dict[object, str] = {}

    def read(self, rows, told) -> tuple[np.ndarray, dict[str, Column]]:
        """(line numbers, column by name) of every data line of ``rows``."""
        width, first_cells = len(self.captions), self.first_cells
        gathered = {name: Column() for name in self.columns.values()}
        numbers: list[np.ndarray] = []
        batch: list = []
        batch_numbers: list[int] = []
        for number, cells in rows:
            if len(cells) != width or first_cells.get(cells[0]) != DATA:
                role, cells = self._judge(number, cells)
                if role == TOTALS:
                    break
                if cells is None:
                    continue
            batch_numbers.append(number)
            batch.append(cells)
            if len(batch) == BATCH_LINES:
                numbers.append(self._encode(batch, batch_numbers, gathered))
                batch, batch_numbers = [], []
                told()
        numbers.append(self._encode(batch, batch_numbers, gathered))
        told()
        return np.concatenate(numbers), gathered

    def _judge(self, number: int, cells: list) -> tuple[str | None, list | None]:
        """The slow path: what a line is, and its cells when it is data."""
        width = len(self.captions)
        filled = _filled([table.clean(c) for c in cells])
        if not filled:
            return None, None
        first = next(c for c in filled if c is not None)
        cacheable = len(cells) == width and filled[0] is not None
        if table.normalise_caption(first) in self.markers:
            return TOTALS, None
        if [table.normalise_caption(c) for c in filled] == self.captions:
            return None, None
        if len(filled) > width or len(cells) < width:
            shown = len(filled) if len(filled) > width else len(cells)
            self.found.error(number, "", "ragged_row", f"{shown} sel, sedangkan judul kolom "
                             f"{width} kolom; baris bergeser atau terpotong")  # fmt: skip
            return None, None
        if cacheable and table.normalise_caption(first) != self.captions[0]:
            self.first_cells[cells[0]] = DATA
        return DATA, cells[:width]

    def _encode(self, batch: list, numbers: list[int], gathered: dict[str, Column]) -> np.ndarray:
        """Add a batch of lines to the columns; their line numbers as an array."""
        if batch:
            cells = np.array(batch, dtype=object)
            for position, name in self.columns.items():
                gathered[name].extend(cells[:, position])
        return np.array(numbers, dtype=np.int64)


def _filled(cells: list) -> list:
    """``cells`` without the empty ones at the end."""
    end = len(cells)
    while end and cells[end - 1] in (None, ""):
        end -= 1
    return cells[:end]


def _report_day(preamble, settings: ExportRules, found: Collector) -> dt.date | None:
    """The day a ``Date: …`` line above the header names, if any."""
    given = _preamble_value(preamble, settings.date_filter_labels)
    if given is None:
        return None
    number, label, value = given
    try:
        return values.parse_date(value, settings.date_order)
    except Problem as problem:
        found.error(number, label, problem.code, str(problem))
        return None


def _preamble_value(preamble, labels) -> tuple[int, str, str] | None:
    """(line, label, value) of the first ``Label: value`` cell above the header whose
    label is one of ``labels``."""
    wanted = {table.normalise_caption(label) for label in labels}
    for number, cells in preamble:
        for cell in cells:
            if not isinstance(cell, str) or ":" not in cell:
                continue
            label, _, value = cell.partition(":")
            if table.normalise_caption(label) in wanted and value.strip():
                return number, label.strip(), value.strip()
    return None


def _typed_frame(read, separator, settings: ExportRules, layout: ReportLayout, found: Collector):
    """The gathered columns parsed: numbers by the file's decimal mark, each bad cell an
    error on its line, named by the caption the layout gives its column."""
    lines, gathered = read
    numeric = [name for name in gathered if name not in NOT_NUMBERS]
    try:
        decimal = values.decimal_mark(
            (text for name in numeric for text in gathered[name].texts()), separator
        )
    except Problem as problem:
        found.error(0, "", problem.code, str(problem))
        decimal = "."
    data = {"source_row": lines}
    for name, column in gathered.items():
        parse, kind = _parser(name, settings, decimal)
        data[name], problems = column.parse(parse, kind, lines)
        for line, problem in problems:
            found.error(line, layout.columns[name][0], problem.code, str(problem))
    frame = pd.DataFrame(data, copy=False)
    if "interval" in frame and frame["interval"].notna().all():
        frame["interval"] = frame["interval"].astype("int64")
    return frame


def _parser(name: str, settings: ExportRules, decimal: str) -> tuple[Callable, str]:
    """How a column's texts are parsed, and what the parsed column becomes."""
    if name in DATE_COLUMNS:
        return _unless_blank(lambda v: values.parse_date(v, settings.date_order)), DAY
    if name == "interval":
        return _unless_blank(values.parse_interval_start), FLOAT
    if name in TIME_COLUMNS:
        return _unless_blank(values.parse_time), OBJECT
    if name in TEXT_COLUMNS:
        return _unless_blank(lambda v: str(v).strip()), OBJECT
    if name in settings.durations:
        return (lambda v: values.parse_duration(v, decimal)), FLOAT
    return (lambda v: values.parse_number(v, decimal)), FLOAT


def _unless_blank(parse: Callable) -> Callable:
    return lambda value: None if value is None else parse(value)


def _read(kind: str, source) -> pd.DataFrame:
    parsed = parse_export(source, kind)
    if parsed.errors:
        raise ExportError(parsed.findings)
    frame = parsed.frame.drop(columns="source_row")
    frame.attrs["findings"] = parsed.warnings
    return frame


def read_avaya_agent_report(path_or_buffer) -> pd.DataFrame:
    """An Avaya CMS / Analytics agent report (CSV or XLSX) as activity rows.

    One row per agent and day on channel ``telepon``; interval reports are summed to days.
    Agents are named as the export names them: ``login_id`` (or only ``agent_name``);
    :func:`kringlib.ingest.matching.match_agents` finds them on the roster.
    Raises :class:`ExportError` naming file, row and column; warnings are in
    ``frame.attrs["findings"]``.
    """
    return _read(AGENT, path_or_buffer)


def read_avaya_split_report(path_or_buffer) -> pd.DataFrame:
    """An Avaya split/skill report as queue rows: date, hour, channel, offered, answered, abandoned.

    ``hour`` is -1 for a report without intervals (the figures cover the whole day). A
    report without calls offered gets them from their parts (``offered_from_parts`` in
    ``ekspor.yaml``); ``offered_basis`` says which.
    """
    return _read(SPLIT, path_or_buffer)


def read_avaya_vdn_report(path_or_buffer) -> pd.DataFrame:
    """An Avaya VDN report as queue rows whose ``offered`` is the Inbound Calls of the VDNs
    of each service (``vdn_services`` in ``ekspor.yaml``)."""
    return _read(VDN, path_or_buffer)


def read_avaya_login_report(path_or_buffer) -> pd.DataFrame:
    """An Avaya agent login/logout report as log-in periods: login_id, date, login_at,
    logout_at (NaT while still logged in), extension and split when given."""
    return _read(LOGIN, path_or_buffer)


def read_channel_template(path_or_buffer) -> pd.DataFrame:
    """The channel template (chat, e-mail, CRM documentation, talk time) as canonical rows."""
    return _read(CHANNEL_TEMPLATE, path_or_buffer)
