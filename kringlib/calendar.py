"""Indonesian working days, KLIP service hours and the pagi/siang/sore greeting period.

Public holidays and cuti bersama come from the ``holidays`` package (categories
``public`` and ``government``); weekends, extra closed days, service hours and greeting
boundaries come from ``rules/kalender.yaml``. Deadlines elsewhere (appeals, complaint
SLAs) are counted with :func:`add_working_days`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

import numpy as np
from pydantic import BaseModel, field_validator, model_validator

from kringlib import rules


class ClosedDay(BaseModel):
    date: dt.date
    reason: str = ""


class ServiceHours(BaseModel):
    start: dt.time
    end: dt.time

    @model_validator(mode="after")
    def _start_before_end(self) -> ServiceHours:
        if self.start >= self.end:
            raise ValueError("service_hours.start harus sebelum end")
        return self


class GreetingPeriod(BaseModel):
    id: str
    start: dt.time


class CalendarRules(BaseModel):
    source: rules.Citation
    holiday_categories: tuple[str, ...]
    closed_weekdays: frozenset[int]
    extra_closed_days: tuple[ClosedDay, ...] = ()
    service_hours: ServiceHours
    greeting_periods: tuple[GreetingPeriod, ...]

    @field_validator("closed_weekdays")
    @classmethod
    def _iso_weekdays(cls, days: frozenset[int]) -> frozenset[int]:
        if not days <= set(range(1, 8)):
            raise ValueError("hari ISO 1 (Senin) … 7 (Minggu)")
        return days

    @field_validator("greeting_periods")
    @classmethod
    def _ordered_from_midnight(cls, periods: tuple[GreetingPeriod, ...]):
        starts = [p.start for p in periods]
        if not periods or starts[0] != dt.time(0) or starts != sorted(set(starts)):
            raise ValueError("periode salam harus mulai 00:00 dan berurutan naik")
        return periods


def calendar_rules() -> CalendarRules:
    """The calendar settings from ``rules/kalender.yaml`` (or a local override)."""
    return rules.load("kalender", CalendarRules)


class WorkCalendar:
    """Working days of KLIP: not a closed weekday, not a holiday or cuti bersama, not closed."""

    def __init__(
        self,
        extra_closed_days: Iterable[dt.date] = (),
        settings: CalendarRules | None = None,
    ):
        import holidays  # only once a calendar is built: pages that count no days skip it

        self.settings = settings or calendar_rules()
        self._holidays = holidays.Indonesia(
            categories=self.settings.holiday_categories, language="id"
        )
        self._extra_closed = {c.date for c in self.settings.extra_closed_days}
        self._extra_closed.update(extra_closed_days)

    def holiday_name(self, day: dt.date) -> str | None:
        """The holiday or closure on ``day``, or None when there is none."""
        if day in self._extra_closed:
            reasons = [c.reason for c in self.settings.extra_closed_days if c.date == day]
            return (reasons[0] if reasons else "") or "Hari tutup"
        return self._holidays.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        """True when the service is open on ``day``."""
        day = _as_date(day)
        return (
            day.isoweekday() not in self.settings.closed_weekdays
            and day not in self._holidays
            and day not in self._extra_closed
        )

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The working day that is ``n`` working days after ``day`` (n ≥ 0).

        With n = 0 the result is ``day`` itself when it is a working day, else the next one.
        """
        if n < 0:
            raise ValueError(f"n harus ≥ 0, bukan {n}")
        current = _as_date(day)
        if n == 0:
            while not self.is_working_day(current):
                current += dt.timedelta(days=1)
            return current
        while n:
            current += dt.timedelta(days=1)
            n -= self.is_working_day(current)
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when end < start.

        It inverts :meth:`add_working_days`: ``working_days_between(d, add_working_days(d, n))``
        is ``n`` for every working day ``d``.
        """
        start, end = _as_date(start), _as_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        days = (start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1))
        return sum(map(self.is_working_day, days))

    def working_days_left(self, deadline: dt.date, today: dt.date) -> int:
        """Working days from ``today`` to ``deadline``: 0 on the last day, negative after it
        (at least -1, even when only closed days have passed since)."""
        if _as_date(today) > _as_date(deadline):
            return -self.working_days_between(deadline, today) or -1
        return self.working_days_between(today, deadline)

    def working_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Every working day from ``start`` to ``end``, both inclusive."""
        start, end = _as_date(start), _as_date(end)
        days = (start + dt.timedelta(days=i) for i in range((end - start).days + 1))
        return [d for d in days if self.is_working_day(d)]

    def is_service_time(self, moment: dt.datetime) -> bool:
        """True when ``moment`` falls on a working day within the service hours."""
        hours = self.settings.service_hours
        return self.is_working_day(moment.date()) and hours.start <= moment.time() < hours.end

    def greeting_period(self, moment: dt.time | dt.datetime) -> str:
        """``"pagi"``, ``"siang"`` or ``"sore"``: the greeting due at that time of day."""
        clock = moment.time() if isinstance(moment, dt.datetime) else moment
        return str(self.greeting_periods(np.array([clock.hour * 60 + clock.minute]))[0])

    def greeting_periods(self, minutes_of_day: np.ndarray) -> np.ndarray:
        """The greeting due at each time, given as minutes after midnight (vectorised)."""
        periods = self.settings.greeting_periods
        starts = np.array([p.start.hour * 60 + p.start.minute for p in periods])
        names = np.array([p.id for p in periods], dtype=object)
        return names[np.searchsorted(starts, minutes_of_day, side="right") - 1]


def _as_date(day) -> dt.date:
    if isinstance(day, dt.datetime):
        return day.date()
    if isinstance(day, dt.date):
        return day
    if isinstance(day, np.datetime64):
        return day.astype("datetime64[D]").item()
    raise TypeError(f"bukan tanggal: {day!r}")


@functools.cache
def default_calendar() -> WorkCalendar:
    """The calendar of the packaged (or locally overridden) settings, built once."""
    return WorkCalendar()


def is_working_day(day: dt.date) -> bool:
    """True when KLIP is open on ``day`` (see :class:`WorkCalendar`)."""
    return default_calendar().is_working_day(day)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The working day ``n`` working days after ``day`` (see :class:`WorkCalendar`)."""
    return default_calendar().add_working_days(day, n)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end] (see :class:`WorkCalendar`)."""
    return default_calendar().working_days_between(start, end)


def greeting_period(moment: dt.time | dt.datetime) -> str:
    """The greeting (pagi/siang/sore) due at that time of day."""
    return default_calendar().greeting_period(moment)
