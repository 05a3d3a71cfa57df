"""Readers for real exports (Avaya CMS / Analytics) and the templates → canonical frames."""

from kringlib.ingest.exports import (
    ParsedExport,
    parse_export,
    read_avaya_agent_report,
    read_avaya_login_report,
    read_avaya_split_report,
    read_avaya_vdn_report,
    read_channel_template,
)
from kringlib.ingest.findings import ExportError, Finding
from kringlib.ingest.layouts import (
    AGENT,
    ATTENDANCE,
    CHANNEL_TEMPLATE,
    COMPLAINTS,
    IDENTITIES,
    LOGIN,
    SCHEDULE,
    SPLIT,
    STATE_INTERVALS,
    STATES,
    VDN,
    WHOLE_DAY,
)
from kringlib.ingest.templates import template_frame

__all__ = [
    "AGENT",
    "ATTENDANCE",
    "SCHEDULE",
    "STATES",
    "STATE_INTERVALS",
    "CHANNEL_TEMPLATE",
    "COMPLAINTS",
    "SPLIT",
    "VDN",
    "WHOLE_DAY",
    "ExportError",
    "IDENTITIES",
    "LOGIN",
    "Finding",
    "ParsedExport",
    "parse_export",
    "read_avaya_agent_report",
    "read_avaya_login_report",
    "read_avaya_split_report",
    "read_avaya_vdn_report",
    "read_channel_template",
    "template_frame",
]
