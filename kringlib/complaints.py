"""Complaint SLA (SE-11/PJ/2019): the steps, phases and budgets as validated data.

The twelve steps, their SLAs in working days, executors and phase budgets are
``rules/pengaduan.yaml``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, model_validator

from kringlib import rules


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
    at_risk_below: float = Field(gt=0, lt=1)
    phases: tuple[Phase, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_executors_and_steps_in_order(self):
        for index, phase in enumerate(self.phases):
            if phase.executor not in self.executors:
                raise ValueError(
                    f"phases.{index}.executor: eksekutor tidak dikenal: {phase.executor}"
                )
        numbers = [step.number for phase in self.phases for step in phase.steps]
        if numbers != list(range(1, len(numbers) + 1)):
            found = ", ".join(map(str, numbers))
            raise ValueError(f"phases: langkah harus bernomor urut 1, 2, 3 …; ada: {found}")
        return self


def complaint_rules() -> ComplaintRules:
    """SE-11/PJ/2019 as data (``rules/pengaduan.yaml``)."""
    return rules.load("pengaduan", ComplaintRules)
