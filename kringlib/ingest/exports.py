"""Avaya agent and split/skill reports and the channel template, read into canonical frames.

Each reader finds the header under any title and filter lines, maps captions through
``rules/ekspor.yaml``, stops at the totals row, parses numbers, durations and dates, and
checks what can be checked without the database. Problems become :class:`Finding` rows
naming file, line and column; errors stop an import, warnings are shown and allowed.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, islice

import numpy as np
import pandas as pd
from pydantic import BaseModel, model_validator

from kringlib import rules
from kringlib.canonical import ACTIVITY_MEASURES, CHANNELS, QUEUE_MEASURES
from kringlib.ingest import table, values
from kringlib.ingest.columns import DAY, FLOAT, OBJECT, Column
from kringlib.ingest.findings import ERROR, WARNING, ExportError, Finding, HasFindings, Problem

AGENT, SPLIT, CHANNEL_TEMPLATE, VDN, LOGIN = "agent", "split", "channel", "vdn", "login"
MIN_HEADER_MATCHES = 2
WHOLE_DAY = -1
"""The ``hour`` of a queue row from a report without intervals: the figure covers the day."""
TEXT_COLUMNS = ("agent_id", "login_id", "agent_name", "split", "channel", "vdn", "extension")
TIME_COLUMNS = ("login_time", "logout_time")
DATE_COLUMNS = ("date", "logout_date")
NOT_NUMBERS = (*TEXT_COLUMNS, *TIME_COLUMNS, *DATE_COLUMNS, "interval")
IDENTITIES = ("login_id", "agent_id", "agent_name")
"""The columns that may name a row's agent, the surest first (``kringlib.ingest.matching``)."""


class ReportLayout(BaseModel):
    title: str
    channel: str | None = None
    required: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]


class OfferedFromParts(BaseModel):
    parts: tuple[str, ...]
    citation: str


class VdnServices(BaseModel):
    default: str | None
    vdns: dict[str, str | None]


COUNTED_PARTS = ("flow_out", "dequeued", "inbound_calls")
"""Counts read to derive stored figures, not stored themselves."""
KNOWN_COLUMNS = frozenset(
    {*ACTIVITY_MEASURES, *QUEUE_MEASURES, *COUNTED_PARTS, *NOT_NUMBERS, "hour"}
)
"""Every canonical column a caption may map to."""


class ExportRules(BaseModel):
    source: rules.Citation
    date_order: str
    totals_markers: tuple[str, ...]
    date_filter_labels: tuple[str, ...]
    split_filter_labels: tuple[str, ...]
    reports: dict[str, ReportLayout]
    offered_from_parts: OfferedFromParts
    vdn_services: VdnServices
    plausible_max: dict[str, float]
    limits: table.Limits = table.Limits()
    durations: frozenset[str]
    input_sources: dict[str, str]

    @model_validator(mode="after")
    def _names_are_canonical(self):
        """A caption mapped to an unknown column, or a setting naming one, would be read
        and never used: refuse the file, naming the key."""
        unknown = {
            **{f"reports.{k}.columns": set(r.columns) - KNOWN_COLUMNS
               for k, r in self.reports.items()},
            **{f"reports.{k}.required": set(r.required) - set(r.columns)
               for k, r in self.reports.items()},
            "durations": self.durations - KNOWN_COLUMNS,
            "plausible_max": set(self.plausible_max) - KNOWN_COLUMNS,
            "offered_from_parts.parts": set(self.offered_from_parts.parts)
            - set(self.reports["split"].columns),
            "input_sources": set(self.input_sources) - set(ACTIVITY_MEASURES),
        }  # fmt: skip
        for key, columns in unknown.items():
            if columns:
                raise ValueError(f"{key}: kolom tidak dikenal: {', '.join(sorted(columns))}")
        return self


@functools.cache
def export_rules() -> ExportRules:
    """Caption tables and parsing settings from ``rules/ekspor.yaml``."""
    return rules.load("ekspor", ExportRules)


@dataclass
class ParsedExport(HasFindings):
    """A canonical frame and what was found on the way; ``frame`` keeps ``source_row``."""

    kind: str
    file: str
    frame: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)


class _Collector:
    """Findings of one file; past :data:`MAX_FINDINGS` they are counted, not kept."""

    def __init__(self, file: str):
        self.file = file
        self.findings: list[Finding] = []
        self.dropped = 0

    def error(self, row: int, column: str, code: str, message: str) -> None:
        self._add(ERROR, row, column, code, message)

    def warning(self, row: int, column: str, code: str, message: str) -> None:
        self._add(WARNING, row, column, code, message)

    def _add(self, level: str, row: int, column: str, code: str, message: str) -> None:
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(Finding(level, self.file, row, column, code, message))
        else:
            self.dropped += 1

    def every(self) -> list[Finding]:
        """The findings kept, and one saying how many more there were."""
        if not self.dropped:
            return self.findings
        more = Finding(
            ERROR if self.findings[-1].level == ERROR else WARNING,
            self.file,
            0,
            "",
            "findings_capped",
            f"dan {self.dropped} temuan lain tidak dicatat",
        )
        return [*self.findings, more]


MAX_FINDINGS = 50_000
"""Findings kept per file: a file wrong on every line says so without holding millions."""
HEAD_LINES = 50
"""Lines searched for the header (title and filter lines come above it)."""
BATCH_LINES = 50_000
"""Lines gathered before their cells are encoded and the progress is told."""


def parse_export(
    source, kind: str, name: str | None = None, progress: Callable[[float], None] | None = None
) -> ParsedExport:
    """Read ``source`` (path, bytes or buffer; CSV or XLSX) as a ``kind`` export.

    ``kind`` is ``"agent"`` (Avaya agent report), ``"split"`` (Avaya split/skill report),
    ``"vdn"`` (Avaya VDN report), ``"login"`` (Avaya agent login/logout report) or
    ``"channel"`` (the channel template). ``progress`` is told the share of the file read
    (0 to 1) every :data:`BATCH_LINES` lines. Never raises for bad content: look at
    ``errors``, each finding with its ``code``.
    """
    settings = export_rules()
    found = _Collector(name or "ekspor")
    try:
        lines = table.open_export(source, name, settings.limits)
        found.file = lines.name
        frame = _parse_lines(lines, kind, settings, found, progress or (lambda _: None))
    except Problem as problem:
        found.error(0, "", problem.code, str(problem))
        frame = pd.DataFrame()
    return ParsedExport(kind, found.file, frame, found.every())


def _parse_lines(lines: table.Lines, kind: str, settings: ExportRules, found: _Collector, progress):
    layout = settings.reports[kind]
    head = list(islice(lines.rows, HEAD_LINES))
    cleaned = [(n, [table.clean(c) for c in cells]) for n, cells in head]
    cleaned = [(n, cells) for n, cells in cleaned if any(c is not None for c in cells)]
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
    rest = chain(((n, cells) for n, cells in head if n > header_line), lines.rows)
    read = _Body(header, columns, settings, found).read(rest, lambda: progress(lines.done()))
    for number, note in lines.notes:
        found.warning(number, "", "encoding_guessed", note)
    preamble = cleaned[:header_at]
    report_day = _report_day(preamble, settings, found)
    frame = _typed_frame(read, lines.separator, settings, found)
    _check_plausible(frame, settings, found)
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
    return _CHECKS[kind](frame, layout, found)


def _find_header(lines, layout: ReportLayout) -> int | None:
    known = {table.normalise_caption(c) for names in layout.columns.values() for c in names}
    for position, (_, cells) in enumerate(lines):
        if sum(table.normalise_caption(c) in known for c in cells if c) >= MIN_HEADER_MATCHES:
            return position
    return None


def _map_columns(header, layout: ReportLayout, found: _Collector, line: int) -> dict[int, str]:
    lookup = {
        table.normalise_caption(caption): canonical
        for canonical, captions in layout.columns.items()
        for caption in captions
    }
    mapped: dict[int, str] = {}
    for position, caption in enumerate(header):
        canonical = lookup.get(table.normalise_caption(caption))
        if canonical is None:
            continue
        if canonical in mapped.values():
            found.error(line, str(caption), "column_repeated",
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


def _report_day(preamble, settings: ExportRules, found: _Collector) -> dt.date | None:
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


def _typed_frame(read, separator, settings: ExportRules, found: _Collector) -> pd.DataFrame:
    """The gathered columns parsed: numbers by the file's decimal mark, each bad cell an
    error on its line."""
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
            found.error(line, _caption(name, settings), problem.code, str(problem))
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


def _caption(name: str, settings: ExportRules) -> str:
    for layout in settings.reports.values():
        if name in layout.columns:
            return layout.columns[name][0]
    return name


def _check_plausible(frame: pd.DataFrame, settings: ExportRules, found: _Collector) -> None:
    """An error for each value above its column's ``plausible_max``."""
    for column, limit in settings.plausible_max.items():
        if column in frame.columns:
            for row, value in frame.loc[frame[column] > limit, ["source_row", column]].values:
                message = f"nilai tidak wajar: {value:g} (batas {limit:g}, ekspor.yaml)"
                found.error(int(row), _caption(column, settings), "implausible_value", message)


def _check_negative(frame, columns, found, settings) -> None:
    for column in columns:
        if column in frame.columns:
            for row in frame.loc[frame[column] < 0, "source_row"]:
                found.error(int(row), _caption(column, settings), "negative_value", "nilai negatif")


def _check_duplicates(frame, keys, found, what: str) -> None:
    """An error for each row whose ``keys`` repeat an earlier row's, naming that row; in
    one pass (a file of many duplicated rows is checked as fast as any other)."""
    first = frame.groupby(keys, dropna=False, sort=False)["source_row"].transform("first")
    duplicated = frame.duplicated(subset=keys, keep="first")
    column = _caption(keys[0], export_rules())
    for row, earlier in zip(frame.loc[duplicated, "source_row"], first[duplicated], strict=True):
        found.error(
            int(row), column, "duplicate_row", f"{what} ganda (sama dengan baris {int(earlier)})"
        )


def _agent_rows(frame: pd.DataFrame, layout: ReportLayout, found: _Collector) -> pd.DataFrame:
    settings = export_rules()
    key = _identity(frame, IDENTITIES, found)
    if key is None:
        found.error(
            0,
            "Login ID",
            "identity_missing",
            "kolom identitas agen (Login ID atau Agent Name) tidak ada",
        )
        return frame
    _check_negative(frame, [c for c in ACTIVITY_MEASURES if c in frame.columns], found, settings)
    grain = [key, "date", *(["interval"] if "interval" in frame.columns else [])]
    _check_duplicates(
        frame, grain, found, "baris agen-tanggal" + ("-interval" if len(grain) == 3 else "")
    )
    if {"acd_time", "staffed_time"} <= set(frame.columns):
        for row in frame.loc[frame["acd_time"] > frame["staffed_time"], "source_row"]:
            found.warning(
                int(row), "ACD Time", "part_exceeds_whole", "ACD time melebihi staffed time"
            )
    frame["channel"] = layout.channel
    return _to_daily(frame, [key, "date", "channel"])


def _split_rows(frame: pd.DataFrame, layout: ReportLayout, found: _Collector) -> pd.DataFrame:
    settings = export_rules()
    counts = ["offered", "answered", "abandoned", "flow_out", "dequeued"]
    _check_negative(frame, counts, found, settings)
    keys = [
        "date",
        *(["split"] if "split" in frame.columns else []),
        *(["interval"] if "interval" in frame.columns else []),
    ]
    _check_duplicates(frame, keys, found, "baris split-tanggal")
    if {"offered", "answered"} <= set(frame.columns):
        for row in frame.loc[frame["answered"] > frame["offered"], "source_row"]:
            found.warning(
                int(row),
                "ACD Calls",
                "part_exceeds_whole",
                "panggilan dijawab melebihi panggilan masuk",
            )
    if "offered" in frame.columns:
        basis = _caption("offered", settings)
    else:
        frame["offered"], basis = _offered_from_parts(frame, settings)
    frame["channel"] = layout.channel
    return _queue_rows(frame, ["offered", "answered", "abandoned"], basis)


def _offered_from_parts(frame: pd.DataFrame, settings: ExportRules) -> tuple[pd.Series, str]:
    """Calls offered as the sum of the parts of ``offered_from_parts`` the report has (a
    row missing one of them has none), and the formula used, in the report's captions."""
    parts = [p for p in settings.offered_from_parts.parts if p in frame.columns]
    offered = frame[parts].sum(axis=1, min_count=len(parts))
    return offered, " + ".join(_caption(p, settings) for p in parts)


def _queue_rows(frame: pd.DataFrame, measures: list[str], basis: str) -> pd.DataFrame:
    """Rows summed per day, hour (:data:`WHOLE_DAY` without intervals) and channel, each
    saying where its calls offered came from (``offered_basis``)."""
    frame["hour"] = frame["interval"] // 60 if "interval" in frame.columns else WHOLE_DAY
    measures = [c for c in measures if c in frame.columns]
    grouped = frame.groupby(["date", "hour", "channel"], as_index=False).agg(
        source_row=("source_row", "min"), **{m: (m, lambda s: s.sum(min_count=1)) for m in measures}
    )
    return grouped.assign(offered_basis=basis)


def _vdn_rows(frame: pd.DataFrame, layout: ReportLayout, found: _Collector) -> pd.DataFrame:
    """Inbound calls per VDN as the calls offered to the service each VDN belongs to
    (``vdn_services``); VDNs of no service are left out, said once each."""
    settings = export_rules()
    _check_negative(frame, ["inbound_calls"], found, settings)
    keys = ["date", "vdn", *(["interval"] if "interval" in frame.columns else [])]
    _check_duplicates(frame, keys, found, "baris VDN-tanggal")
    services = settings.vdn_services
    frame["channel"] = frame["vdn"].map(lambda v: services.vdns.get(v, services.default))
    for vdn, rows in frame[frame["channel"].isna()].groupby("vdn"):
        found.warning(int(rows["source_row"].min()), "VDN", "vdn_not_a_service",
                      f"VDN {vdn} bukan layanan mana pun (vdn_services); "
                      f"{len(rows)} baris dilewati")  # fmt: skip
    frame = frame[frame["channel"].notna()].rename(columns={"inbound_calls": "offered"})
    return _queue_rows(frame, ["offered"], f"{_caption('inbound_calls', settings)} (laporan VDN)")


def _login_rows(frame: pd.DataFrame, layout: ReportLayout, found: _Collector) -> pd.DataFrame:
    """Log-in periods: ``login_at`` and ``logout_at`` (NaT while still logged in) per
    agent's log-in id, on the channel of the report."""
    settings = export_rules()
    _identity(frame, ("login_id",), found)
    frame["login_at"] = _moments(frame["date"], frame["login_time"])
    logout_day = frame["logout_date"] if "logout_date" in frame else frame["date"]
    logout = frame["logout_time"] if "logout_time" in frame else pd.Series(None, frame.index)
    frame["logout_at"] = _moments(pd.to_datetime(logout_day), logout)
    for row in frame.loc[frame["logout_at"] < frame["login_at"], "source_row"]:
        found.error(
            int(row),
            _caption("logout_time", settings),
            "logout_before_login",
            "logout sebelum login",
        )
    _check_duplicates(frame, ["login_id", "login_at"], found, "baris login agen")
    frame["channel"] = layout.channel
    columns = ["source_row", "login_id", "date", "channel", "login_at", "logout_at",
               *(c for c in ("extension", "split") if c in frame.columns)]  # fmt: skip
    return frame[columns]


def _moments(days: pd.Series, times: pd.Series) -> pd.Series:
    """Each day at its time of day; NaT where either is missing."""
    seconds = times.map(lambda t: t.hour * 3600 + t.minute * 60 + t.second, na_action="ignore")
    return days + pd.to_timedelta(seconds.astype("float64"), unit="s")


def _channel_rows(frame: pd.DataFrame, layout: ReportLayout, found: _Collector) -> pd.DataFrame:
    settings = export_rules()
    for column in ("date", "channel"):
        if column not in frame.columns:
            found.error(0, layout.columns[column][0], "column_missing", "kolom wajib tidak ada")
    key = _identity(frame, ("login_id", "agent_id"), found)
    if key is None:
        wanted = "kolom wajib tidak ada (id_agen, atau id_login dari sistem saluran)"
        found.error(0, layout.columns["agent_id"][0], "identity_missing", wanted)
    if any(f.level == ERROR for f in found.findings):
        return frame
    for _, row in frame[~frame["channel"].isin(CHANNELS)].iterrows():
        found.error(
            int(row["source_row"]),
            "saluran",
            "unknown_channel",
            f"saluran tidak dikenal: {row['channel']!r} (pilih {', '.join(CHANNELS)})",
        )
    _check_negative(frame, [c for c in ACTIVITY_MEASURES if c in frame.columns], found, settings)
    _check_duplicates(frame, [key, "date", "channel"], found, "baris agen-tanggal-saluran")
    pairs = [
        ("interactions_documented", "interactions_total"),
        ("chats_answered_in_sla", "chats_answered"),
        ("emails_answered", "emails_assigned"),
    ]
    for part, whole in pairs:
        if {part, whole} <= set(frame.columns):
            for row in frame.loc[frame[part] > frame[whole], "source_row"]:
                found.warning(
                    int(row),
                    _caption(part, settings),
                    "part_exceeds_whole",
                    f"melebihi {_caption(whole, settings)}",
                )
    return frame


def _identity(frame: pd.DataFrame, allowed, found: _Collector) -> str | None:
    """The surest column of ``allowed`` that ``frame`` has (None: none); a row without
    it is an error."""
    key = next((c for c in allowed if c in frame.columns), None)
    if key is not None:
        for row in frame.loc[frame[key].isna(), "source_row"]:
            found.error(
                int(row), _caption(key, export_rules()), "identity_missing", "identitas agen kosong"
            )
    return key


def _to_daily(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Interval rows summed to one row per agent and day (a measure missing on every row
    stays missing); ``source_row`` keeps the first line."""
    measures = [c for c in ACTIVITY_MEASURES if c in frame.columns]
    names = ["agent_name"] if "agent_name" in frame.columns and "agent_name" not in keys else []
    groups = frame.groupby(keys, dropna=False)
    daily = groups[measures].sum(min_count=1)
    daily.insert(0, "source_row", groups["source_row"].min())
    for name in names:
        daily[name] = groups[name].first()
    return daily.reset_index()


_CHECKS = {
    AGENT: _agent_rows,
    SPLIT: _split_rows,
    CHANNEL_TEMPLATE: _channel_rows,
    VDN: _vdn_rows,
    LOGIN: _login_rows,
}


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


def template_frame() -> pd.DataFrame:
    """The channel template's columns with two example rows, for download."""
    captions = {k: v[0] for k, v in export_rules().reports[CHANNEL_TEMPLATE].columns.items()}
    example = pd.DataFrame(
        {
            "date": ["2026-11-02", "2026-11-02"],
            "agent_id": ["AG001", "AG008"],
            "channel": ["telepon", "chat"],
            "talk_time": ["3:55:10", None],
            "interactions_total": [61, 140],
            "interactions_documented": [60, 138],
            "chats_answered": [None, 140],
            "chats_answered_in_sla": [None, 131],
            "emails_assigned": [None, None],
            "emails_answered": [None, None],
        }
    )
    return example.rename(columns=captions).replace({np.nan: None})
