"""State of the Pengaduan page: complaints against the SLA of SE-11/PJ/2019, one complaint's
steps planned against actual, ageing and lateness, the monthly on-time rate per phase.

Who may open the page and who records steps is ``rules/akses.yaml`` (page ``pengaduan``)
and ``executor_roles`` in ``rules/pengaduan.yaml``; the store checks every write again.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import traitlets

from kringlib import complaint_reports, complaints
from kringlib.store import complaints as store
from kringlib.ui.base import PageModel
from kringlib.ui.messages import guarded

SHOWN = {
    "": "Semua yang berjalan",
    complaints.LATE: "Terlambat",
    complaints.AT_RISK: "Berisiko",
    complaints.ON_TIME: "Tepat waktu",
    "done": "Selesai",
}
"""The status filter's choices, as the screen names them."""


class ComplaintTrackerModel(PageModel):
    """Complaints, the one chosen, and the figures by executor, unit and month."""

    page = "pengaduan"

    shown = traitlets.Unicode("")
    complaint_id = traitlets.Int(0)
    group_by = traitlets.Unicode("executor")
    finished_on = traitlets.Instance(dt.date)
    note = traitlets.Unicode("")
    corrected_step = traitlets.Int(0)

    def __init__(self, engine, session=None, today: dt.date | None = None, **kwargs):
        super().__init__(engine, session, today, **kwargs)
        self.finished_on = self.today
        self.complaints, self.phases, self.finished = pd.DataFrame(), pd.DataFrame(), {}
        self.observe(lambda _: self._bump(), ["shown", "complaint_id", "group_by"])
        self.reload()

    def _bump(self) -> None:
        self.version += 1

    @guarded
    def reload(self) -> None:
        """Read every complaint with the state of its SLA today, and their phases."""
        self.complaints, self.phases, self.finished = pd.DataFrame(), pd.DataFrame(), {}
        if self.allowed:
            self.complaints = store.complaints_frame(self.engine, self.today)
            self.finished = store.every_finished_step(self.engine)
            self.phases = complaint_reports.phases_of({
                int(row.id): (row.received_on, self.finished.get(int(row.id), {}))
                for row in self.complaints.itertuples()
            })  # fmt: skip
        if self.complaint_id not in set(self.complaints.get("id", [])):
            self.complaint_id = 0
        self.version += 1

    @property
    def records(self) -> bool:
        """True when the visitor may record steps (not a read-only scope)."""
        return self.scope not in (None, "read")

    def listed(self) -> pd.DataFrame:
        """The complaints the status filter keeps, the most urgent first."""
        frame = self.complaints
        if frame.empty:
            return frame
        if self.shown == "done":
            return frame[frame["done"]].sort_values("finished_on", ascending=False)
        frame = frame[~frame["done"]]
        if self.shown:
            frame = frame[frame["status"] == self.shown]
        return frame.sort_values(["days_left", "received_on"], na_position="last")

    def chosen_steps(self) -> pd.DataFrame | None:
        """The chosen complaint's steps with their status today, None when none is chosen."""
        if not self.complaint_id:
            return None
        row = self.complaints.set_index("id").loc[self.complaint_id]
        plan = complaints.sla_plan(row["received_on"], self.finished.get(self.complaint_id, {}))
        return complaints.step_status(plan, self.today)

    def by_group(self) -> pd.DataFrame:
        """Open complaints' ageing and lateness by :attr:`group_by`."""
        if self.complaints.empty:
            return pd.DataFrame()
        return complaint_reports.ageing_and_lateness(self.complaints, self.group_by, self.today)

    def monthly(self) -> pd.DataFrame:
        """The monthly on-time rate per phase."""
        return complaint_reports.monthly_on_time(self.phases)

    @guarded
    def complete(self) -> None:
        """Record the chosen complaint's step under way as finished on :attr:`finished_on`."""
        steps = self.chosen_steps()
        if steps is None:
            raise ValueError("Pilih pengaduan terlebih dahulu.")
        under_way = steps[steps["finished"].isna()]
        if under_way.empty:
            raise ValueError("Semua langkah pengaduan ini sudah selesai.")
        step = int(under_way["step"].iloc[0])
        store.complete_step(self.engine, self.actor(), self.complaint_id, step,
                            self.finished_on, self.note)  # fmt: skip
        self.note = ""
        self.reload()
        self.message = f"Langkah {step} dicatat selesai {self.finished_on:%d-%m-%Y}."

    @guarded
    def correct(self) -> None:
        """Correct a finished step's date to :attr:`finished_on`, :attr:`note` saying why:
        a new record superseding the old one, which stays in the history."""
        if not self.complaint_id or not self.corrected_step:
            raise ValueError("Pilih pengaduan dan langkah yang dikoreksi.")
        step = self.corrected_step
        store.correct_step(self.engine, self.actor(), self.complaint_id, step,
                           self.finished_on, self.note)  # fmt: skip
        self.note, self.corrected_step = "", 0
        self.reload()
        self.message = f"Langkah {step} dikoreksi: selesai {self.finished_on:%d-%m-%Y}."
