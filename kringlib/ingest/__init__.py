"""Readers for real exports (Avaya CMS / Analytics, the channel template) → canonical frames."""

from kringlib.ingest.exports import (
    AGENT,
    CHANNEL_TEMPLATE,
    IDENTITIES,
    SPLIT,
    WHOLE_DAY,
    ParsedExport,
    parse_export,
    read_avaya_agent_report,
    read_avaya_split_report,
    read_channel_template,
    template_frame,
)
from kringlib.ingest.findings import ExportError, Finding

__all__ = [
    "AGENT",
    "CHANNEL_TEMPLATE",
    "SPLIT",
    "WHOLE_DAY",
    "ExportError",
    "IDENTITIES",
    "Finding",
    "ParsedExport",
    "parse_export",
    "read_avaya_agent_report",
    "read_avaya_split_report",
    "read_channel_template",
    "template_frame",
]
