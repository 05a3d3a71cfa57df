"""Banding/Appeal (ND-301/LIP/2019): deadlines in working days, the five steps, who may act.

Every permission is checked here, on plain facts about the user and the appeal, so no
widget state can grant what the rules refuse. The store calls these checks inside the
transaction that changes the appeal.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from pydantic import BaseModel

from kringlib import rules
from kringlib.calendar import WorkCalendar, default_calendar

ROLES = ("agent", "team_leader", "spv", "assessor", "admin")
FILED, TL_APPROVED, SPV_APPROVED, DONE = "diajukan", "disetujui_tl", "disetujui_spv", "selesai"
TL_REJECTED, SPV_REJECTED = "ditolak_tl", "ditolak_spv"
OPEN_STATES = (FILED, TL_APPROVED, SPV_APPROVED)
STATE_LABELS = {
    FILED: "Menunggu persetujuan Team Leader",
    TL_APPROVED: "Menunggu persetujuan SPV PKL",
    SPV_APPROVED: "Menunggu penilaian kembali",
    DONE: "Appeal selesai",
    TL_REJECTED: "Ditolak Team Leader",
    SPV_REJECTED: "Ditolak SPV PKL",
}


class AppealStep(BaseModel):
    state: str
    title: str
    next: str


class AppealRules(BaseModel):
    source: rules.Citation
    working_days_after_assessment: int
    working_days_after_compilation: int
    steps: tuple[AppealStep, ...]


@functools.cache
def appeal_rules() -> AppealRules:
    """ND-301/LIP/2019 as data (``rules/banding.yaml``)."""
    return rules.load("banding", AppealRules)


class PermissionDenied(PermissionError):
    """The user may not do this; nothing was changed."""


class AlreadyDecided(PermissionDenied):
    """Someone else moved the appeal past this step first; nothing was changed."""


class DeadlinePassed(ValueError):
    """The appeal came after its last day."""


@dataclass(frozen=True)
class User:
    """Who acts: a username, a role, the team they belong to or lead, the agent they are."""

    username: str
    role: str
    team_id: str | None = None
    agent_id: str | None = None
    name: str = ""


@dataclass(frozen=True)
class AppealFacts:
    """What the checks need to know about an appeal and the assessment it disputes."""

    agent_id: str
    agent_team_id: str
    assessor: str
    state: str


def appeal_deadline(
    assessed_on: dt.date,
    *,
    compilation_received_on: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> dt.date:
    """The last day (inclusive) an appeal may be filed.

    "3 hari kerja setelah penilaian dilakukan oleh assessor"; when a system failure forced a
    compiled report, "2 hari kerja sejak menerima kompilasi tersebut" (ND-301/LIP/2019).
    """
    calendar = calendar or default_calendar()
    settings = appeal_rules()
    if compilation_received_on is not None:
        return calendar.add_working_days(
            compilation_received_on, settings.working_days_after_compilation
        )
    return calendar.add_working_days(assessed_on, settings.working_days_after_assessment)


def working_days_left(
    deadline: dt.date, today: dt.date, calendar: WorkCalendar | None = None
) -> int:
    """Working days from ``today`` to the deadline (0 on the last day, negative after it)."""
    calendar = calendar or default_calendar()
    if today > deadline:
        return -calendar.working_days_between(deadline, today) or -1
    return calendar.working_days_between(today, deadline)


def check_filing(user: User, assessment_agent_id: str, deadline: dt.date, today: dt.date) -> None:
    """An agent appeals only their own assessment, on or before the deadline."""
    if user.role != "agent":
        raise PermissionDenied("Hanya agen yang dapat mengajukan banding.")
    if user.agent_id != assessment_agent_id:
        raise PermissionDenied("Agen hanya dapat mengajukan banding atas penilaiannya sendiri.")
    if today > deadline:
        raise DeadlinePassed(
            f"Batas waktu banding sudah lewat: hari terakhir {deadline:%d-%m-%Y} "
            f"({appeal_rules().source.citation})."
        )


DECIDED_BY = {FILED: "team_leader", TL_APPROVED: "spv"}
"""The step each approver decides: the team leader the filed appeal, then the SPV."""
WAITING = {
    FILED: "Langkah ini menunggu persetujuan Team Leader.",
    TL_APPROVED: "Langkah ini menunggu persetujuan SPV PKL.",
    SPV_APPROVED: "Banding ini menunggu penilaian kembali oleh asesor.",
}
PROGRESS = {FILED: 0, TL_APPROVED: 1, TL_REJECTED: 1, SPV_APPROVED: 2, SPV_REJECTED: 2, DONE: 3}


def check_decision(user: User, appeal: AppealFacts) -> str:
    """Who may approve or reject now; returns the state the appeal is expected to be in.

    An approver whose step is already behind the appeal is told it was already decided,
    whether they read the appeal before or after the other decision landed.
    """
    if user.agent_id is not None and user.agent_id == appeal.agent_id:
        raise PermissionDenied("Tidak seorang pun memutus bandingnya sendiri.")
    own_step = next((step for step, role in DECIDED_BY.items() if role == user.role), None)
    if appeal.state not in OPEN_STATES or (
        own_step is not None and PROGRESS[appeal.state] > PROGRESS[own_step]
    ):
        raise AlreadyDecided(f"Banding sudah diputus; kini: {STATE_LABELS[appeal.state]}.")
    if appeal.state != own_step:
        raise PermissionDenied(WAITING[appeal.state])
    if user.role == "team_leader" and user.team_id != appeal.agent_team_id:
        raise PermissionDenied("Team Leader hanya memutus banding agen timnya.")
    return appeal.state


def check_reassessment(user: User, appeal: AppealFacts) -> None:
    """An assessor other than the original one re-assesses, after the SPV approved."""
    if user.role != "assessor":
        raise PermissionDenied("Penilaian kembali dilakukan oleh asesor.")
    if user.username == appeal.assessor:
        raise PermissionDenied("Penilaian kembali harus oleh asesor lain, bukan penilai awal.")
    if user.agent_id is not None and user.agent_id == appeal.agent_id:
        raise PermissionDenied("Tidak seorang pun memutus bandingnya sendiri.")
    if appeal.state != SPV_APPROVED:
        if appeal.state in OPEN_STATES:
            raise PermissionDenied("Banding belum disetujui Team Leader dan SPV PKL.")
        raise AlreadyDecided(f"Banding sudah diputus: {STATE_LABELS[appeal.state]}.")


def next_state(state: str, approve: bool) -> str:
    """Where an approval or a rejection moves the appeal."""
    if state == FILED:
        return TL_APPROVED if approve else TL_REJECTED
    if state == TL_APPROVED:
        return SPV_APPROVED if approve else SPV_REJECTED
    raise AlreadyDecided(f"Tidak ada persetujuan pada tahap: {STATE_LABELS.get(state, state)}.")


def reassessed_answers(original: dict[str, str], accepted: dict[str, bool]) -> dict[str, str]:
    """The new answers: an accepted disputed item becomes "ya", an upheld one stays."""
    unknown = set(accepted) - set(original)
    if unknown:
        raise ValueError(f"item bukan bagian penilaian: {', '.join(sorted(unknown))}")
    return {item: "ya" if accepted.get(item) else answer for item, answer in original.items()}
