"""The exports the workbench reads, as ``rules/ekspor.yaml`` lays them out: each kind's
captions, required columns and channel; parsing settings; limits; and which canonical
columns exist at all, so a caption mapped to an unknown one is refused when loaded."""

from __future__ import annotations

import functools

from pydantic import BaseModel, PositiveFloat, model_validator

from kringlib import rules
from kringlib.adherence import AUX, OFFLINE, ONLINE
from kringlib.canonical import ACTIVITY_MEASURES, KPI_INPUTS, QUEUE_MEASURES
from kringlib.complaints import step_numbers
from kringlib.ingest import table

AGENT, SPLIT, CHANNEL_TEMPLATE, VDN, LOGIN = "agent", "split", "channel", "vdn", "login"
SCHEDULE, STATES, STATE_INTERVALS, ATTENDANCE = "jadwal", "status_agen", "status_interval", "sikka"
"""The inputs of ATS: the WFM schedule template, the CMS agent trace, the agent report by
interval read as states, and the SIKKA attendance template."""
COMPLAINTS = "pengaduan"
"""The complaint template (SE-11/PJ/2019): complaints and the finish days of their steps."""
FINISHED_COLUMNS = tuple(f"finished_{number}" for number in step_numbers())
"""The complaint template's finish day of each step of ``rules/pengaduan.yaml``."""
MIN_HEADER_MATCHES = 2
WHOLE_DAY = -1
"""The ``hour`` of a queue row from a report without intervals: the figure covers the day."""
TEXT_COLUMNS = ("agent_id", "login_id", "agent_name", "split", "channel", "vdn", "extension",
                "activity", "state", "reason_code", "status", "complaint_number", "category",
                "reported_unit", "summary")  # fmt: skip
TIME_COLUMNS = ("login_time", "logout_time", "start_time", "end_time", "event_time",
                "interval_end", "check_in_time", "check_out_time")  # fmt: skip
DATE_COLUMNS = ("date", "logout_date", *FINISHED_COLUMNS)
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


class AgentStates(BaseModel):
    """Which CMS work modes count as which ATS state (``agent_states`` in ``ekspor.yaml``)."""

    online: frozenset[str]
    aux: frozenset[str]
    offline: frozenset[str]
    aux_online_codes: frozenset[str] = frozenset()

    @model_validator(mode="after")
    def _each_mode_once(self):
        keys = [mode_key(mode) for mode in (*self.online, *self.aux, *self.offline)]
        twice = rules.repeated(keys)
        if twice:
            raise ValueError(f"mode di lebih dari satu daftar: {', '.join(twice)}")
        return self

    @property
    def by_mode(self) -> dict[str, str]:
        """The ATS state of each work mode, by :func:`mode_key`."""
        lists = {ONLINE: self.online, AUX: self.aux, OFFLINE: self.offline}
        return {mode_key(mode): state for state, modes in lists.items() for mode in modes}


def mode_key(mode) -> str:
    """A work mode as compared: case and spacing aside."""
    return " ".join(str(mode).split()).upper()


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
    agent_states: AgentStates
    overnight_max_hours: PositiveFloat

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
            "input_sources": set(self.input_sources) - set(KPI_INPUTS),
        }  # fmt: skip
        for key, columns in unknown.items():
            if columns:
                raise ValueError(f"{key}: kolom tidak dikenal: {', '.join(sorted(columns))}")
        return self


@functools.cache
def export_rules() -> ExportRules:
    """Caption tables and parsing settings from ``rules/ekspor.yaml``."""
    return rules.load("ekspor", ExportRules)


def caption(name: str) -> str:
    """The first caption ``rules/ekspor.yaml`` gives a canonical column, as findings name it."""
    for layout in export_rules().reports.values():
        if name in layout.columns:
            return layout.columns[name][0]
    return name
