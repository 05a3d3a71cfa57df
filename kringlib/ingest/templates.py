"""The templates the workbench hands out: a layout of ``rules/ekspor.yaml`` each, in its
captions, with example rows that import cleanly into the demo roster."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kringlib.ingest import layouts

EXAMPLES = {
    layouts.CHANNEL_TEMPLATE: {
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
    },
    layouts.SCHEDULE: {
        "date": ["2026-11-02"] * 4,
        "agent_id": ["AG001", "AG001", "AG001", "AG008"],
        "start_time": ["08:00", "12:00", "13:00", "08:00"],
        "end_time": ["12:00", "13:00", "16:00", "16:00"],
        "activity": ["layanan", "istirahat", "layanan", "layanan"],
    },
    layouts.ATTENDANCE: {
        "date": ["2026-11-02"] * 3,
        "agent_id": ["AG001", "AG008", "AG015"],
        "check_in_time": ["07:52", "08:17", None],
        "check_out_time": ["16:05", "16:01", None],
        "status": [None, None, "sakit"],
    },
    layouts.COMPLAINTS: {
        "complaint_number": ["PGD-2026-0001", "PGD-2026-0002"],
        "date": ["2026-11-02", "2026-11-16"],
        "channel": ["telepon", "website"],
        "category": ["Pelayanan KPP", "Aplikasi e-Filing"],
        "reported_unit": ["KPP Pratama Contoh", "Direktorat TIK"],
        "summary": ["Antrean layanan tatap muka terlalu lama", "Gagal unggah SPT"],
        **{column: [None, None] for column in layouts.FINISHED_COLUMNS},
        "finished_1": ["2026-11-06", None],
        "finished_2": ["2026-11-09", None],
    },
}
"""Example rows of each template, by canonical column."""
FILES = {
    layouts.CHANNEL_TEMPLATE: "templat-saluran",
    layouts.SCHEDULE: "templat-jadwal",
    layouts.ATTENDANCE: "templat-sikka",
    layouts.COMPLAINTS: "templat-pengaduan",
}
"""The name each template is downloaded under (without extension)."""


def template_frame(kind: str = layouts.CHANNEL_TEMPLATE) -> pd.DataFrame:
    """Template ``kind``'s columns with its example rows, for download."""
    columns = layouts.export_rules().reports[kind].columns
    example = pd.DataFrame(EXAMPLES[kind])
    return example.rename(columns={k: v[0] for k, v in columns.items()}).replace({np.nan: None})
