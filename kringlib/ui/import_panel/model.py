"""State of the import panel: the chosen kind, the current plan, what happened last.

Only SPV and admin may import (``rules/akses.yaml``, page ``impor``); the store checks
the role again inside the transaction that writes.
"""

from __future__ import annotations

from collections.abc import Callable

import traitlets

from kringlib import ingest
from kringlib.access import PermissionDenied
from kringlib.store import imports
from kringlib.ui.base import PageModel
from kringlib.ui.messages import guarded

KINDS = {
    ingest.AGENT: "Laporan agen Avaya (CSV/XLSX)",
    ingest.SPLIT: "Laporan split/skill Avaya (CSV/XLSX)",
    ingest.CHANNEL_TEMPLATE: "Templat saluran: chat, e-mail, CRM, talk time",
}


class ImportPanelModel(PageModel):
    """Preview then commit one export; ``committed`` callbacks run after a successful save."""

    page = imports.PAGE

    kind = traitlets.Unicode(ingest.AGENT)
    plan = traitlets.Instance(imports.ImportPlan, allow_none=True)

    def __init__(self, engine, session=None, **kwargs):
        super().__init__(engine, session, **kwargs)
        self.committed: list[Callable[[], None]] = []
        self.observe(lambda _: self.reload(), "kind")

    def reload(self) -> None:
        """Forget the preview: a new kind, or a new visitor, starts afresh."""
        self.plan = None
        self.message = ""

    @guarded
    def preview(self, file_name: str, content: bytes) -> None:
        """Read the upload and check it; nothing is saved."""
        self.plan = None
        if not self.allowed:
            raise PermissionDenied(self.refused)
        self.plan = imports.plan_import(self.engine, bytes(content), self.kind, file_name)
        plan = self.plan
        if plan.errors:
            self.message = f"{len(plan.errors)} galat: perbaiki berkas lalu unggah ulang."
        elif plan.rows.empty:
            self.message = "Tidak ada baris yang dapat disimpan."
        else:
            self.message = f"{len(plan.rows)} baris siap disimpan; periksa lalu tekan Simpan."

    @guarded
    def commit(self) -> None:
        """Save the previewed rows in one transaction (refused while the plan has errors)."""
        if self.plan is None:
            raise ValueError("Belum ada berkas yang dipratinjau.")
        imports.commit_import(self.engine, self.plan, self.actor())
        saved = len(self.plan.rows)
        self.plan = None
        self.message = f"Tersimpan: {saved} baris."
        for callback in self.committed:
            callback()
