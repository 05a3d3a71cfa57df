"""Complaint SLA (SE-11/PJ/2019): each step's due date, the phase budgets, the status.

The twelve steps, their SLAs in working days, executors and phase budgets are
``rules/pengaduan.yaml``; the functions here read them and count working days with
:mod:`kringlib.calendar`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, PositiveInt, model_validator

from kringlib import rules
from kringlib.access import ROLES, PermissionDenied, User, either_of
from kringlib.calendar import WorkCalendar, default_calendar

ON_TIME, AT_RISK, LATE, WAITING = "on_time", "at_risk", "late", "waiting"
STATUS_LABELS = {ON_TIME: "Tepat waktu", AT_RISK: "Berisiko", LATE: "Terlambat",
                 WAITING: "Menunggu"}  # fmt: skip
"""What the screen calls each status of :func:`step_status`."""
"""The status codes of :func:`step_status`."""


class LegalBasis(BaseModel):
    """The references that govern one kind of complaint ("Dasar Hukum")."""

    model_config = ConfigDict(extra="forbid")

    topic: str
    references: tuple[str, ...] = Field(min_length=1)


class Channel(BaseModel):
    """Where a complaint may be filed ("Saluran"); ``address`` None when not known."""

    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    address: str | None


class Step(BaseModel):
    """One row of the SLA table: number, activity and SLA in working days."""

    model_config = ConfigDict(extra="forbid")

    number: PositiveInt
    activity: str
    sla_days: PositiveInt


class Phase(BaseModel):
    """Consecutive steps of one executor with one budget, the sum of their SLAs."""

    model_config = ConfigDict(extra="forbid")

    budget_days: PositiveInt
    executor: str
    steps: tuple[Step, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _budget_is_the_sum_of_the_steps(self):
        total = sum(step.sla_days for step in self.steps)
        if total != self.budget_days:
            numbers = ", ".join(str(step.number) for step in self.steps)
            raise ValueError(
                f"budget_days {self.budget_days} tidak sama dengan jumlah SLA langkah "
                f"{numbers} ({total})"
            )
        return self


class ComplaintRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: rules.Citation
    legal_bases: tuple[LegalBasis, ...]
    channels: tuple[Channel, ...]
    executors: dict[str, str]
    executor_roles: dict[str, tuple[str, ...]]
    registered_by: tuple[str, ...] = Field(min_length=1)
    at_risk_below: float = Field(gt=0, lt=1)
    phases: tuple[Phase, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_executors_and_steps_in_order(self):
        for index, phase in enumerate(self.phases):
            if phase.executor not in self.executors:
                raise ValueError(
                    f"phases.{index}.executor: eksekutor tidak dikenal: {phase.executor}"
                )
        if set(self.executor_roles) != set(self.executors):
            raise ValueError("executor_roles: harus tepat satu baris per eksekutor "
                             f"({', '.join(self.executors)})")  # fmt: skip
        for key, roles in {**self.executor_roles, "registered_by": self.registered_by}.items():
            if unknown := sorted(set(roles) - set(ROLES)):
                raise ValueError(f"{key}: peran tidak dikenal: {', '.join(unknown)}")
        numbers = [step.number for phase in self.phases for step in phase.steps]
        if numbers != list(range(1, len(numbers) + 1)):
            found = ", ".join(map(str, numbers))
            raise ValueError(f"phases: langkah harus bernomor urut 1, 2, 3 …; ada: {found}")
        return self


def complaint_rules() -> ComplaintRules:
    """SE-11/PJ/2019 as data (``rules/pengaduan.yaml``)."""
    return rules.load("pengaduan", ComplaintRules)


class ScheduleError(ValueError):
    """Finish dates that do not fit the steps; ``code`` for programs, ``step`` the one named."""

    def __init__(self, code: str, step: int, message: str):
        super().__init__(message)
        self.code = code
        self.step = step


def sla_plan(
    received_on: dt.date,
    finished: Mapping[int, dt.date] | None = None,
    *,
    calendar: WorkCalendar | None = None,
) -> pd.DataFrame:
    """One row per step: ``step, activity, executor, phase, sla_days, start, due, finished,
    late_days``.

    Step 1 starts on the day the complaint was received, each later step on the day the
    previous one finished (its due date while it is unfinished). The start is day 0: ``due``
    is ``sla_days`` working days after it, so a step may start and finish on the day its
    predecessor finished, and a complaint received on a closed day has the next working day as
    its day 1. ``late_days`` counts the working days after ``due`` up to
    ``finished`` (at least 1 when finished after ``due``, e.g. on a closed day), else 0.

    ``finished`` maps step numbers to the day each finished; a ScheduleError (a ValueError)
    names the step of an unknown number, of a finish before its start, or of a finish while
    an earlier step is open.
    """
    calendar = calendar or default_calendar()
    settings = complaint_rules()
    done = {number: _day(day) for number, day in (finished or {}).items()}
    known = {step.number for phase in settings.phases for step in phase.steps}
    if unknown := sorted(set(done) - known):
        raise ScheduleError(
            "unknown_step",
            unknown[0],
            f"Langkah {unknown[0]} tidak ada dalam SLA pengaduan (langkah 1–{max(known)}).",
        )
    rows, start, previous, open_step = [], _day(received_on), None, None
    for phase_number, phase in enumerate(settings.phases, 1):
        for step in phase.steps:
            end = done.get(step.number)
            if end is not None:
                _check_finish(step.number, end, start, previous, open_step)
            elif open_step is None:
                open_step = step.number
            due = calendar.add_working_days(start, step.sla_days)
            rows.append({
                "step": step.number, "activity": step.activity,
                "executor": settings.executors[phase.executor], "phase": phase_number,
                "sla_days": step.sla_days, "start": start, "due": due, "finished": end,
                "late_days": _late_days(due, end, calendar),
            })  # fmt: skip
            start, previous = end or due, step.number
    plan = pd.DataFrame(rows)
    return plan.assign(**{c: pd.to_datetime(plan[c]) for c in ("start", "due", "finished")})


def _check_finish(
    number: int, end: dt.date, start: dt.date, previous: int | None, open_step: int | None
) -> None:
    """A step finishes after every earlier one, not before its start."""
    if open_step is not None:
        raise ScheduleError(
            "earlier_step_open",
            number,
            f"Langkah {number} tercatat selesai, padahal langkah {open_step} belum selesai.",
        )
    if end >= start:
        return
    if previous is None:
        raise ScheduleError(
            "before_received",
            number,
            f"Langkah {number} selesai {end:%d-%m-%Y}, sebelum pengaduan diterima "
            f"({start:%d-%m-%Y}).",
        )
    raise ScheduleError(
        "before_previous_step",
        number,
        f"Langkah {number} selesai {end:%d-%m-%Y}, sebelum langkah {previous} selesai "
        f"({start:%d-%m-%Y}).",
    )


def phase_plan(plan: pd.DataFrame, *, calendar: WorkCalendar | None = None) -> pd.DataFrame:
    """Each phase of ``plan`` (from :func:`sla_plan`) against its own budget, counted from
    its first step's start: ``phase, executor, budget_days, start, due, finished,
    late_days``; it finishes when its last step does."""
    calendar = calendar or default_calendar()
    rows = []
    for number, phase in enumerate(complaint_rules().phases, 1):
        steps = plan[plan["phase"] == number]
        rows.append({
            "phase": number, "executor": steps["executor"].iloc[0],
            **_against_budget(steps, phase.budget_days, calendar),
        })  # fmt: skip
    return pd.DataFrame(rows)


def overall_plan(plan: pd.DataFrame, *, calendar: WorkCalendar | None = None) -> pd.Series:
    """The whole complaint against the sum of the phase budgets, counted from its receipt:
    ``budget_days, start, due, finished, late_days``."""
    budget = sum(phase.budget_days for phase in complaint_rules().phases)
    return pd.Series(_against_budget(plan, budget, calendar or default_calendar()))


def _against_budget(steps: pd.DataFrame, budget: int, calendar: WorkCalendar) -> dict:
    """Steps taken together: from the first one's start to the last one's finish."""
    start, finished = steps["start"].iloc[0], steps["finished"].iloc[-1]
    due = calendar.add_working_days(start, budget)
    end = None if pd.isna(finished) else finished.date()
    return {
        "budget_days": budget, "start": start, "due": pd.Timestamp(due), "finished": finished,
        "late_days": _late_days(due, end, calendar),
    }  # fmt: skip


def step_status(
    plan: pd.DataFrame, today: dt.date, *, calendar: WorkCalendar | None = None
) -> pd.DataFrame:
    """``plan`` with each step's ``status`` on ``today`` and ``days_left``.

    A finished step is ``late`` when it has late days, else ``on_time``. The step under way
    (the first unfinished one) has ``days_left``, the working days to its due date (0 on
    it, negative after it), and is ``late`` past its due date, ``at_risk`` while fewer than
    ``at_risk_below`` of its SLA days are left, else ``on_time``. The steps after it are
    ``waiting``. A step finished after ``today`` is a ScheduleError.
    """
    calendar = calendar or default_calendar()
    today = _day(today)
    if not (ahead := plan[plan["finished"] > pd.Timestamp(today)]).empty:
        step = int(ahead["step"].iloc[0])
        raise ScheduleError(
            "finished_after_today",
            step,
            f"Langkah {step} tercatat selesai setelah hari ini ({today:%d-%m-%Y}).",
        )
    status = plan["late_days"].gt(0).map({True: LATE, False: ON_TIME})
    days_left = pd.Series(pd.NA, index=plan.index, dtype="Int64")
    unfinished = plan["finished"].isna()
    if unfinished.any():
        current = unfinished.idxmax()
        left = calendar.working_days_left(plan.at[current, "due"], today)
        status[unfinished] = WAITING
        status[current] = _countdown(left, plan.at[current, "sla_days"])
        days_left[current] = left
    return plan.assign(status=status, days_left=days_left)


def _countdown(days_left: int, sla_days: int) -> str:
    """Late past the due date, at risk in the last ``at_risk_below`` of the SLA, else on time."""
    if days_left < 0:
        return LATE
    return AT_RISK if days_left / sla_days < complaint_rules().at_risk_below else ON_TIME


def _late_days(due: dt.date, end: dt.date | None, calendar: WorkCalendar) -> int:
    """Working days ``end`` is past ``due`` (0 when unfinished or in time)."""
    return 0 if end is None else max(0, -calendar.working_days_left(due, end))


def _day(value) -> dt.date:
    """A date from a date, datetime, Timestamp or ISO string."""
    return pd.Timestamp(value).date()


# --- who records what (the store calls these inside its transaction)


def step_numbers() -> list[int]:
    """The numbers of the SLA's steps, in order."""
    return [step.number for phase in complaint_rules().phases for step in phase.steps]


def channel_ids() -> list[str]:
    """The ids of the channels a complaint may come through."""
    return [channel.id for channel in complaint_rules().channels]


def check_register(user: User, number: str, channel: str, received_on: dt.date,
                   summary: str, today: dt.date) -> None:  # fmt: skip
    """A role of ``registered_by`` registers a complaint with a number, a known channel,
    a summary, received no later than ``today``."""
    settings = complaint_rules()
    if user.role not in settings.registered_by:
        raise PermissionDenied(f"Pengaduan dicatat oleh {either_of(settings.registered_by)}.")
    if not number.strip():
        raise ValueError("Nomor pengaduan wajib diisi.")
    if channel not in channel_ids():
        raise ValueError(f"Saluran tidak dikenal: {channel!r} (pilih {', '.join(channel_ids())}).")
    if _day(received_on) > _day(today):
        raise ValueError(f"Tanggal terima {_day(received_on):%d-%m-%Y} setelah hari ini.")
    if not summary.strip():
        raise ValueError("Ringkasan pengaduan wajib diisi.")


def check_recorder(user: User, step: int) -> None:
    """Only a role of ``executor_roles`` records a step of that executor as done."""
    settings = complaint_rules()
    for phase in settings.phases:
        for each in phase.steps:
            if each.number == step:
                roles = settings.executor_roles[phase.executor]
                if user.role not in roles:
                    raise PermissionDenied(
                        f"Langkah {step} ({each.activity}, eksekutor "
                        f"{settings.executors[phase.executor]}) dicatat oleh {either_of(roles)}."
                    )
                return
    raise ScheduleError("unknown_step", step,
                        f"Langkah {step} tidak ada dalam SLA pengaduan.")  # fmt: skip


def check_completion(
    user: User,
    received_on: dt.date,
    finished: Mapping[int, dt.date],
    step: int,
    finished_on: dt.date,
    today: dt.date,
) -> pd.DataFrame:
    """``step`` finishes on ``finished_on``: the first unfinished step only, not before its
    start nor after ``today``, recorded by a role of its executor. Returns the new plan."""
    check_recorder(user, step)
    current = next((n for n in step_numbers() if n not in finished), None)
    if step != current:
        state = "sudah tercatat selesai" if step in finished else "belum boleh dicatat"
        raise ScheduleError(
            "not_current_step",
            step,
            f"Langkah {step} {state}; langkah yang berjalan: "
            + (f"langkah {current}." if current else "tidak ada (pengaduan selesai)."),
        )
    return _replanned(received_on, finished, step, finished_on, today)


def check_correction(
    user: User,
    received_on: dt.date,
    finished: Mapping[int, dt.date],
    step: int,
    finished_on: dt.date,
    reason: str,
    today: dt.date,
) -> pd.DataFrame:
    """A finished ``step``'s date corrected, with a reason, by a role of its executor; the
    plan after it stays valid (else the step it breaks is named). Returns the new plan."""
    check_recorder(user, step)
    if step not in finished:
        raise ScheduleError("step_not_finished", step,
                            f"Langkah {step} belum tercatat selesai; tidak ada yang "
                            "dikoreksi.")  # fmt: skip
    if not reason.strip():
        raise ValueError("Koreksi memerlukan alasan.")
    return _replanned(received_on, finished, step, finished_on, today)


def _replanned(received_on, finished, step: int, finished_on, today) -> pd.DataFrame:
    plan = sla_plan(received_on, {**finished, step: _day(finished_on)})
    step_status(plan, today)  # a finish after today is refused here
    return plan
