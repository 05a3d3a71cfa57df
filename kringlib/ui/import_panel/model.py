"""State of the import panel: the chosen kind, the current plan, what happened last.

Only SPV and admin may import (``rules/akses.yaml``, page ``impor``); the store checks
the role again inside the transaction that writes.
"""

from __future__ import annotations

from collections.abc import Callable

import traitlets

from kringlib import access, ingest
from kringlib.access import PermissionDenied
from kringlib.ingest.layouts import export_rules
from kringlib.roster import add_for_logins
from kringlib.store import imports, roster
from kringlib.ui.base import PageModel
from kringlib.ui.messages import guarded
from kringlib.ui.progress import HasProgress, Steps

KINDS = {kind: layout.title for kind, layout in export_rules().reports.items()}
"""The export kinds offered, as ``rules/ekspor.yaml`` names them (the store imports each:
``kringlib.store.imports.DESTINATIONS``)."""


class ImportPanelModel(PageModel, HasProgress):
    """Preview then commit one export; ``committed`` callbacks run after a successful save."""

    page = imports.PAGE

    kind = traitlets.Unicode(ingest.AGENT)
    plan = traitlets.Instance(imports.ImportPlan, allow_none=True)

    def __init__(self, engine, session=None, **kwargs):
        super().__init__(engine, session, **kwargs)
        self.committed: list[Callable[[], None]] = []
        self._upload: tuple[str, object] | None = None
        self.observe(lambda _: self.reload(), "kind")

    def reload(self) -> None:
        """Forget the preview: a new kind, or a new visitor, starts afresh."""
        self.plan = None
        self._upload = None
        self.message = ""

    @property
    def may_add_agents(self) -> bool:
        """Whether the visitor may add unknown log-ins to the roster (page ``organisasi``)."""
        return access.page_scope(self.session.user, roster.PAGE) is not None

    def team_options(self) -> list[tuple[str, str]]:
        """(team name, team id) of every team, for the team new agents join."""
        teams = roster.read(self.engine).teams.sort_values("name")
        return list(zip(teams["name"], teams["team_id"], strict=True))

    @guarded
    def preview(self, file_name: str, source) -> None:
        """Read the upload (its bytes, or the path it was received at) and check it;
        nothing is saved."""
        self.plan = None
        if not self.allowed:
            raise PermissionDenied(self.refused)
        self._upload = (file_name, source)
        steps = Steps(self, "Membaca dan memeriksa berkas")
        try:
            plan = imports.plan_import(self.engine, source, self.kind, file_name, steps)
        finally:
            steps.done()
        self.plan = plan
        if plan.errors:
            self.message = f"{len(plan.errors)} galat: perbaiki berkas lalu unggah ulang."
        elif plan.rows.empty:
            self.message = "Tidak ada baris yang dapat disimpan."
        else:
            self.message = f"{len(plan.rows)} baris siap disimpan; periksa lalu tekan Simpan."

    @guarded
    def add_unknown_logins(self, team_id: str) -> None:
        """Add an agent to ``team_id`` for each unknown log-in of the preview, then preview
        the same file again: its rows now find their agents."""
        if self.plan is None or self.plan.unknown_logins.empty or self._upload is None:
            raise ValueError("Tidak ada log-in tak dikenal untuk ditambahkan.")
        if not team_id:
            raise ValueError("Pilih tim untuk agen baru.")
        unknown = self.plan.unknown_logins
        saved = roster.save(
            self.engine, self.actor(),
            lambda r: add_for_logins(r, unknown, team_id),
            f"ditambahkan dari pratinjau impor {self.plan.file}",
        )  # fmt: skip
        self.preview(*self._upload)
        self.message = (f"{len(saved.agents)} agen ditambahkan ke roster; pratinjau diperbarui. "
                        + self.message)  # fmt: skip

    @guarded
    def commit(self) -> None:
        """Save the previewed rows in one transaction (refused while the plan has errors)."""
        if self.plan is None:
            raise ValueError("Belum ada berkas yang dipratinjau.")
        steps = Steps(self, "Menyimpan ke basis data")
        try:
            imports.commit_import(self.engine, self.plan, self.actor(), steps)
        finally:
            steps.done()
        saved = len(self.plan.rows)
        self.plan = None
        self.message = f"Tersimpan: {saved} baris."
        for callback in self.committed:
            callback()
