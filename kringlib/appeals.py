"""Banding/Appeal (ND-301/LIP/2019): deadlines in working days, the five steps, who may act.

The steps are the states of ``rules/banding.yaml``: their labels, who acts in each, where
that action leads; the functions below read them, nothing restates them.

Every permission is checked here, on plain facts about the user and the appeal, so no
widget state can grant what the rules refuse. The store calls these checks inside the
transaction that changes the appeal.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    NonNegativeInt,
    PositiveInt,
    field_validator,
    model_validator,
)

from kringlib import clock, rules
from kringlib.access import ROLE_LABELS, ROLES, AlreadyDecided, PermissionDenied, User
from kringlib.calendar import WorkCalendar, default_calendar

# The states as the database stores them, for code to name one; what each means (its label,
# who acts in it, where it leads) is defined once, in rules/banding.yaml.
FILED, TL_APPROVED, SPV_APPROVED, DONE = "diajukan", "disetujui_tl", "disetujui_spv", "selesai"
TL_REJECTED, SPV_REJECTED = "ditolak_tl", "ditolak_spv"

Action = Literal["approve", "reject", "reassess"]
_DECISION, _REASSESSMENT = frozenset({"approve", "reject"}), frozenset({"reassess"})


class AppealState(BaseModel):
    """One state of an appeal (``states`` in ``rules/banding.yaml``)."""

    model_config = ConfigDict(extra="forbid")

    label: str
    progress: NonNegativeInt
    initial: bool = False
    final: bool = False
    actor: str | None = None
    next: dict[Action, str] = {}
    waiting: str = ""

    @field_validator("actor")
    @classmethod
    def _known_role(cls, actor: str | None) -> str | None:
        if actor is not None and actor not in ROLES:
            raise ValueError(f"peran tidak dikenal: {actor}")
        return actor

    @model_validator(mode="after")
    def _open_or_final(self):
        """An open state says who acts, how, and what the others are told while it waits;
        a final one says none of it (and no appeal starts there)."""
        acting = {"actor": self.actor, "next": self.next, "waiting": self.waiting}
        if self.final:
            given = [key for key, value in {"initial": self.initial, **acting}.items() if value]
            if given:
                raise ValueError(f"status akhir (final) tidak memuat {', '.join(given)}")
            return self
        missing = [key for key, value in acting.items() if not value]
        if missing:
            raise ValueError(f"status terbuka memerlukan {', '.join(missing)}")
        if set(self.next) not in (_DECISION, _REASSESSMENT):
            raise ValueError("next: approve dan reject (putusan), atau reassess saja")
        return self

    @property
    def reassessment(self) -> bool:
        """True when the action in this state is the re-assessment, not a decision."""
        return "reassess" in self.next


class AppealRules(BaseModel):
    source: rules.Citation
    working_days_after_assessment: int
    working_days_after_compilation: int
    appeals_per_interaction: PositiveInt
    states: dict[str, AppealState]

    @model_validator(mode="after")
    def _moves_go_forward_to_known_states(self):
        """A move to an unknown state, or back to an earlier one, is refused with its key."""
        for name, state in self.states.items():
            for action, target in state.next.items():
                key = f"states.{name}.next.{action}"
                if target not in self.states:
                    raise ValueError(f"{key}: status tidak dikenal: {target}")
                if self.states[target].progress <= state.progress:
                    raise ValueError(f"{key}: {target} tidak lebih lanjut dari {name} (progress)")
        return self

    @model_validator(mode="after")
    def _one_start_one_state_per_role(self):
        """One initial state from which every state is reached; a role acts in one state."""
        initial = [name for name, state in self.states.items() if state.initial]
        if len(initial) != 1:
            found = ", ".join(initial) or "tidak ada"
            raise ValueError(f"states: harus tepat satu status awal (initial), ada: {found}")
        acting: dict[str, list[str]] = {}
        for name, state in self.states.items():
            if state.actor:
                acting.setdefault(state.actor, []).append(name)
        for role, names in acting.items():
            if len(names) > 1:
                raise ValueError(f"states: peran {role} bertindak di {', '.join(sorted(names))}")
        reached, todo = set(), list(initial)
        while todo:
            name = todo.pop()
            if name not in reached:
                reached.add(name)
                todo.extend(self.states[name].next.values())
        if unreached := sorted(set(self.states) - reached):
            raise ValueError(f"states: tidak tercapai dari {initial[0]}: {', '.join(unreached)}")
        return self


@functools.cache
def appeal_rules() -> AppealRules:
    """ND-301/LIP/2019 as data (``rules/banding.yaml``)."""
    return rules.load("banding", AppealRules)


class DeadlinePassed(ValueError):
    """The appeal came after its last day."""


class AppealLimitReached(PermissionDenied):
    """The interaction has had its appeal; there is no second round."""


@dataclass(frozen=True)
class AppealFacts:
    """What the checks need to know about an appeal and the assessment it disputes."""

    agent_id: str
    agent_team_id: str
    assessor: str
    state: str


@dataclass(frozen=True)
class SystemFailure:
    """A recorded system failure: assessments of these days were sent as a compilation."""

    assessed_from: dt.date
    assessed_to: dt.date
    compilation_received_on: dt.date


SYSTEM_FAILURE_RECORDED_BY = ("spv", "admin")
"""Who records a failure: the administrator compiles the report for Seksi Operasional, whose
SPV PKL receives it ("administrator membuat kompilasi ... kepada Seksi Operasional I dan II")."""


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


def compilation_for(assessed_on: dt.date, failures: Sequence[SystemFailure]) -> dt.date | None:
    """When the compilation covering ``assessed_on`` was received; the latest record wins
    (``failures`` oldest first), None when no failure covers that day."""
    covering = [f for f in failures if f.assessed_from <= assessed_on <= f.assessed_to]
    return covering[-1].compilation_received_on if covering else None


def deadline_of(assessed_at: dt.datetime, failures: Sequence[SystemFailure] = ()) -> dt.date:
    """The deadline of an assessment saved at ``assessed_at``, counted from its Jakarta date."""
    assessed_on = clock.jakarta_date(assessed_at)
    return appeal_deadline(
        assessed_on, compilation_received_on=compilation_for(assessed_on, failures)
    )


@dataclass(frozen=True)
class Filing:
    """What a filing is checked against, read inside the filing's transaction."""

    agent_id: str  # whose assessment it is
    answers: dict[str, str]
    assessed_at: dt.datetime
    is_newest: bool
    earlier_appeals: int  # appeals already filed on the same interaction
    failures: tuple[SystemFailure, ...] = ()

    @property
    def compilation_received_on(self) -> dt.date | None:
        return compilation_for(clock.jakarta_date(self.assessed_at), self.failures)

    @property
    def deadline(self) -> dt.date:
        return deadline_of(self.assessed_at, self.failures)


def working_days_left(
    deadline: dt.date, today: dt.date, calendar: WorkCalendar | None = None
) -> int:
    """Working days from ``today`` to the deadline (0 on the last day, negative after it)."""
    return (calendar or default_calendar()).working_days_left(deadline, today)


def check_filing(user: User, filing: Filing, disputed: Iterable[str], today: dt.date) -> None:
    """An agent appeals their own newest assessment on or before the deadline, once per
    interaction, and disputes only items not answered "ya"."""
    if user.role != "agent":
        raise PermissionDenied("Hanya agen yang dapat mengajukan banding.")
    if user.agent_id != filing.agent_id:
        raise PermissionDenied("Agen hanya dapat mengajukan banding atas penilaiannya sendiri.")
    if today > filing.deadline:
        raise DeadlinePassed(
            f"Batas waktu banding sudah lewat: hari terakhir {filing.deadline:%d-%m-%Y} "
            f"({appeal_rules().source.citation})."
        )
    limit = appeal_rules().appeals_per_interaction
    if filing.earlier_appeals >= limit:
        raise AppealLimitReached(
            f"Penilaian interaksi ini sudah pernah dibanding; banding hanya {limit} kali per "
            "interaksi (ND-301/LIP/2019 tidak mengenal banding kedua)."
        )
    if not filing.is_newest:
        raise ValueError("Banding hanya atas versi penilaian terbaru.")
    check_disputable(filing.answers, disputed)


def check_disputable(answers: dict[str, str], disputed: Iterable[str]) -> None:
    """Every disputed item is on the assessment and was not answered "ya"."""
    disputed = set(disputed)
    unknown = sorted(disputed - set(answers))
    if unknown:
        raise ValueError(f"Item tidak ada pada penilaian ini: {', '.join(unknown)}.")
    agreed = sorted(item for item in disputed if answers[item] == "ya")
    if agreed:
        raise ValueError(f"Item yang dijawab 'ya' tidak dapat dibanding: {', '.join(agreed)}.")


def check_system_failure(
    user: User, assessed_from: dt.date, assessed_to: dt.date, received_on: dt.date, note: str
) -> None:
    """An SPV or admin records which assessment days a compilation covers, and when it came."""
    if user.role not in SYSTEM_FAILURE_RECORDED_BY:
        raise PermissionDenied("Kendala sistem hanya dicatat oleh SPV PKL atau administrator.")
    if assessed_from > assessed_to:
        raise ValueError("Rentang tanggal penilaian terbalik: 'dari' setelah 'sampai'.")
    if received_on < assessed_to:
        raise ValueError("Kompilasi tidak mungkin diterima sebelum hari penilaian yang dicakupnya.")
    if not note.strip():
        raise ValueError("Catatan kendala sistem wajib diisi.")


def _state(name: str) -> AppealState:
    try:
        return appeal_rules().states[name]
    except KeyError:
        raise ValueError(f"status banding tidak dikenal di banding.yaml: {name!r}") from None


def initial_state() -> str:
    """The state a filed appeal starts in."""
    return next(name for name, state in appeal_rules().states.items() if state.initial)


def open_states() -> tuple[str, ...]:
    """The states in which someone still has to act, in the order of the steps."""
    ordered = sorted(appeal_rules().states.items(), key=lambda item: item[1].progress)
    return tuple(name for name, state in ordered if not state.final)


def state_label(state: str) -> str:
    """What the screen calls ``state``; a state banding.yaml does not know shows as itself."""
    known = appeal_rules().states.get(state)
    return known.label if known else state


def waiting_for(role: str) -> tuple[str, ...]:
    """The open states in which ``role`` acts next: that role's queue."""
    return tuple(name for name, state in appeal_rules().states.items() if state.actor == role)


def _turn(role: str, reassessment: bool) -> str | None:
    """The state in which ``role`` re-assesses (or decides); None when it never does."""
    return next((s for s in waiting_for(role) if _state(s).reassessment == reassessment), None)


def reassesses(role: str) -> bool:
    """True when ``role``'s turn is the re-assessment rather than a decision."""
    return _turn(role, reassessment=True) is not None


def _actors(reassessment: bool) -> str:
    """Who re-assesses (or decides), in the order of the steps, as the screen names them."""
    steps = [_state(name) for name in open_states()]
    return ", lalu ".join(ROLE_LABELS[s.actor] for s in steps if s.reassessment == reassessment)


def _check_turn(own_step: str, state: str) -> None:
    """The appeal is at ``own_step``: one already past it was decided by someone else, whether
    the actor read it before or after that decision landed; one not there yet waits."""
    if state == own_step:
        return
    current = _state(state)
    if current.final or current.progress > _state(own_step).progress:
        raise AlreadyDecided(f"Banding sudah diputus; kini: {current.label}.")
    raise PermissionDenied(current.waiting)


def check_decision(user: User, appeal: AppealFacts) -> str:
    """Who may approve or reject now; returns the state the appeal is expected to be in."""
    if user.agent_id is not None and user.agent_id == appeal.agent_id:
        raise PermissionDenied("Tidak seorang pun memutus bandingnya sendiri.")
    own_step = _turn(user.role, reassessment=False)
    if own_step is None:
        raise PermissionDenied(f"Banding diputus oleh {_actors(reassessment=False)}.")
    _check_turn(own_step, appeal.state)
    if user.role == "team_leader" and user.team_id != appeal.agent_team_id:
        raise PermissionDenied("Team Leader hanya memutus banding agen timnya.")
    return appeal.state


def check_reassessment(user: User, appeal: AppealFacts) -> None:
    """An assessor other than the original one re-assesses, when the appeal reached that step."""
    own_step = _turn(user.role, reassessment=True)
    if own_step is None:
        raise PermissionDenied(f"Penilaian kembali dilakukan oleh {_actors(reassessment=True)}.")
    if user.username == appeal.assessor:
        raise PermissionDenied("Penilaian kembali harus oleh asesor lain, bukan penilai awal.")
    if user.agent_id is not None and user.agent_id == appeal.agent_id:
        raise PermissionDenied("Tidak seorang pun memutus bandingnya sendiri.")
    _check_turn(own_step, appeal.state)


def next_state(state: str, action: Action) -> str:
    """Where ``action`` (approve, reject or reassess) moves an appeal in ``state``."""
    target = _state(state).next.get(action)
    if target is None:
        raise AlreadyDecided(f"Langkah ini tidak ada pada tahap: {state_label(state)}.")
    return target


def reassessed_answers(original: dict[str, str], accepted: dict[str, bool]) -> dict[str, str]:
    """The new answers: an accepted disputed item becomes "ya", an upheld one stays."""
    unknown = set(accepted) - set(original)
    if unknown:
        raise ValueError(f"item bukan bagian penilaian: {', '.join(sorted(unknown))}")
    return {item: "ya" if accepted.get(item) else answer for item, answer in original.items()}
