"""Izin Tidak Online: who files an ATS adjustment, who decides it, who enters an outage.

An agent files for their own offline period with one of the reasons of ND-12/LIP.2/2019
and an evidence note, by the deadline of :func:`kringlib.adherence.filing_deadline`; SIKKA's
records are filed as proposals; the Team Leader of the agent's team on that day approves or
rejects (``approval`` in ``rules/ats.yaml``). Only an approved adjustment excuses time. An
SPV enters a system outage once for many agents; it excuses at once.

Plain facts in, a decision out: the store calls these checks inside its transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Literal

import pandas as pd
from pydantic import BaseModel, model_validator

from kringlib import adherence, rules
from kringlib.access import ROLE_LABELS, ROLES, AlreadyDecided, PermissionDenied, User, either_of
from kringlib.calendar import WorkCalendar

FILED, APPROVED, REJECTED = "diajukan", "disetujui", "ditolak"
Origin = Literal["agent", "sikka", "outage"]
OUTAGE_REASON = "gangguan_sistem"
MAX_DAYS = 31
"""The longest period one filing covers (a month of leave)."""


class Approval(BaseModel):
    approver: str
    outages_by: tuple[str, ...]
    states: dict[str, str]

    @model_validator(mode="after")
    def _known(self):
        unknown = {self.approver, *self.outages_by} - set(ROLES)
        if unknown:
            raise ValueError(f"peran tidak dikenal: {', '.join(sorted(unknown))}")
        if set(self.states) != {FILED, APPROVED, REJECTED}:
            raise ValueError(f"states: harus tepat {FILED}, {APPROVED}, {REJECTED}")
        return self


class ApprovalRules(BaseModel):
    approval: Approval


@functools.cache
def approval() -> Approval:
    """Who decides and who enters outages, and the states' labels (``rules/ats.yaml``)."""
    return rules.load("ats", ApprovalRules).approval


def state_label(state: str) -> str:
    """What the screen calls ``state``."""
    return approval().states.get(state, state)


@dataclass(frozen=True)
class Request:
    """What an agent files: whose period, why, when, and the evidence."""

    agent_id: str
    reason: str
    start: dt.datetime
    end: dt.datetime
    evidence: str

    @property
    def offline_on(self) -> dt.date:
        """The day the offline period ends (its last moment's day): a leave of several
        days is filed after it, counted from its last day."""
        return (pd.Timestamp(self.end) - pd.Timedelta(microseconds=1)).date()


def check_period(start: dt.datetime, end: dt.datetime) -> None:
    """A period runs forward and lasts at most :data:`MAX_DAYS` days."""
    if end <= start:
        raise ValueError("Akhir periode harus setelah awalnya.")
    if end - start > dt.timedelta(days=MAX_DAYS):
        raise ValueError(f"Satu izin mencakup paling lama {MAX_DAYS} hari; ajukan per periode.")


def check_request(
    user: User, request: Request, today: dt.date, calendar: WorkCalendar | None = None
) -> dt.date:
    """An agent files for their own period, with a known reason and evidence, by the
    deadline; returns the deadline."""
    if user.role != "agent":
        raise PermissionDenied("Izin Tidak Online diajukan oleh agen yang bersangkutan.")
    if user.agent_id != request.agent_id:
        raise PermissionDenied("Agen hanya mengajukan Izin Tidak Online untuk dirinya sendiri.")
    if request.reason not in adherence.reasons():
        raise ValueError(f"Alasan tidak dikenal: {request.reason!r}.")
    check_period(request.start, request.end)
    if not request.evidence.strip():
        raise ValueError(
            "Keterangan bukti (nomor surat, surat dokter, tiket gangguan) wajib diisi."
        )
    adherence.check_filing(request.offline_on, today, calendar)
    return adherence.filing_deadline(request.offline_on, calendar)


@dataclass(frozen=True)
class AdjustmentFacts:
    """What a decision is judged on: whose, their team on the period's day, where it is."""

    agent_id: str
    agent_team_id: str | None
    state: str


def check_decision(user: User, facts: AdjustmentFacts) -> None:
    """The Team Leader of the agent's team on that day decides a filed adjustment, never
    their own."""
    rules_ = approval()
    if user.agent_id is not None and user.agent_id == facts.agent_id:
        raise PermissionDenied("Tidak seorang pun memutus izinnya sendiri.")
    if user.role != rules_.approver:
        raise PermissionDenied(f"Izin Tidak Online diputus oleh {ROLE_LABELS[rules_.approver]}.")
    if facts.state != FILED:
        raise AlreadyDecided(f"Izin ini sudah diputus; kini: {state_label(facts.state)}.")
    if user.role == "team_leader" and user.team_id != facts.agent_team_id:
        raise PermissionDenied("Team Leader hanya memutus izin agen timnya.")


def check_outage(user: User, start: dt.datetime, end: dt.datetime, note: str, agents) -> None:
    """An SPV (or admin) enters a system outage for a period and at least one agent."""
    if user.role not in approval().outages_by:
        raise PermissionDenied(f"Gangguan sistem dicatat oleh {either_of(approval().outages_by)}.")
    check_period(start, end)
    if not note.strip():
        raise ValueError("Catatan gangguan sistem (apa yang terganggu, nomor tiket) wajib diisi.")
    if not len(agents):
        raise ValueError("Tidak ada agen pada periode gangguan itu.")
