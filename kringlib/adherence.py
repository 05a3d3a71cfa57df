"""Adherence to Schedule (ATS) and its excused adjustments (ND-12/LIP.2/2019).

ATS measures how closely an agent keeps the service schedule WFM prepared ("tingkat
kepatuhan dan ketepatan agen dalam memenuhi keseluruhan jadwal pemberian layanan"):
the scheduled service time spent online, over the scheduled service time not excused by
an approved "Izin Tidak Online". The rulebook, its eight reasons and the filing deadline
are data in ``rules/ats.yaml``.

Times are naive timestamps in Jakarta time, as every canonical frame holds them.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, PositiveFloat, PositiveInt, model_validator

from kringlib import rules
from kringlib.calendar import WorkCalendar, default_calendar
from kringlib.kpi import PERIODS

ONLINE, AUX, OFFLINE = "online", "aux", "offline"
STATES = (ONLINE, AUX, OFFLINE)
"""An agent's states: online (staffed and serving or ready: available, on an ACD contact,
ringing, after-call work), aux (staffed, not ready) and offline."""
MEASURES = ["scheduled_s", "excused_s", "adherent_s", "worked_s"]
LOST = ("late_start", "aux", "offline", "early_leave")
"""Why owed service was not adherent: before the day's first online moment, in AUX,
offline (logged out), after the day's last online moment."""
CAUSE_LABELS = {"adherent": "Patuh", "late_start": "Terlambat mulai", "aux": "AUX",
                "offline": "Offline", "early_leave": "Pulang awal",
                "excused": "Dimaafkan"}  # fmt: skip
STATE_LABELS = {ONLINE: "Online", AUX: "AUX", OFFLINE: "Offline"}
TIMELINE = ["start", "end", "seconds", "activity", "service", "state", "excused", "reason",
            "cause"]  # fmt: skip
DAY_S = 86_400
SHIFT = 40
"""Bits of a sort key that hold seconds (35,000 years); the agent's number sits above."""


class Reason(BaseModel):
    id: str
    label: str
    quote: str


class Filing(BaseModel):
    days: PositiveInt
    unit: Literal["working", "calendar"]


class Sikka(BaseModel):
    statuses: dict[str, str | None]
    single_presence_under_hours: PositiveFloat


class AtsRules(BaseModel):
    source: rules.Citation
    service_activities: frozenset[str]
    filing: Filing
    sikka: Sikka
    reasons: tuple[Reason, ...]

    @model_validator(mode="after")
    def _statuses_name_reasons(self):
        """A SIKKA status proposing an unknown reason would never be approved as one."""
        known = {reason.id for reason in self.reasons}
        unknown = {r for r in self.sikka.statuses.values() if r is not None} - known
        if unknown:
            raise ValueError(f"sikka.statuses: alasan tidak dikenal: {', '.join(sorted(unknown))}")
        return self


@functools.cache
def ats_rules() -> AtsRules:
    """ATS and ND-12/LIP.2/2019 as data (``rules/ats.yaml``)."""
    return rules.load("ats", AtsRules)


def reasons() -> dict[str, Reason]:
    """The eight reasons an adjustment may give, by id."""
    return {reason.id: reason for reason in ats_rules().reasons}


class LateFiling(ValueError):
    """An Izin Tidak Online filed after its deadline."""


def filing_deadline(offline_on: dt.date, calendar: WorkCalendar | None = None) -> dt.date:
    """The last day an Izin Tidak Online for ``offline_on`` may be filed: "paling lambat 3
    hari setelah keadaan tidak online terjadi", in working days unless set otherwise."""
    filing = ats_rules().filing
    if filing.unit == "calendar":
        return offline_on + dt.timedelta(days=filing.days)
    return (calendar or default_calendar()).add_working_days(offline_on, filing.days)


def check_filing(
    offline_on: dt.date, filed_on: dt.date, calendar: WorkCalendar | None = None
) -> None:
    """Refuse a filing after :func:`filing_deadline`, naming the deadline."""
    deadline = filing_deadline(offline_on, calendar)
    if filed_on > deadline:
        filing = ats_rules().filing
        unit = "hari kerja" if filing.unit == "working" else "hari"
        raise LateFiling(
            f"Izin Tidak Online untuk {offline_on:%d-%m-%Y} paling lambat diajukan "
            f"{deadline:%d-%m-%Y} ({filing.days} {unit} setelahnya; ND-12/LIP.2/2019)."
        )


def ats(
    schedule: pd.DataFrame,
    states: pd.DataFrame,
    adjustments: pd.DataFrame | None = None,
    by: Sequence[str] | str | None = None,
) -> pd.DataFrame:
    """ATS per group of ``by``: scheduled, excused, adherent and worked seconds, ATS and
    conformance.

    ``schedule`` holds ``agent_id, start, end, activity`` (only the service activities of
    ``rules/ats.yaml`` count); ``states`` holds ``agent_id, start, end, state`` (one of
    :data:`STATES`); ``adjustments`` the approved excused periods, ``agent_id, start,
    end`` (and ``reason``). Rows that overlap or repeat count once. ``by`` is ``agent_id``
    and/or ``day``, ``week``, ``month``, ``quarter``, ``year`` (``None``: one row); a
    period spanning midnight counts on each day for its part.

    ``scheduled_s`` is scheduled service time; ``excused_s`` the part of it an adjustment
    covers; ``adherent_s`` the rest of it spent online; ``worked_s`` all time online,
    scheduled or not. ``ATS`` is adherent / (scheduled − excused) and ``conformance``
    worked / (scheduled − excused): ratios of sums, NaN over nothing.
    """
    keys = [by] if isinstance(by, str) else list(by or [])
    unknown = [k for k in keys if k != "agent_id" and k not in PERIODS]
    if unknown:
        raise KeyError(f"kolom pengelompokan tidak dikenal: {', '.join(unknown)} "
                       f"(pilih agent_id, {', '.join(PERIODS)})")  # fmt: skip
    days = agent_days(schedule, states, adjustments)
    for key in keys:
        if key in PERIODS:
            days[key] = days["date"].dt.to_period(PERIODS[key])
    totals = (
        days.groupby(keys, sort=True, observed=True)[MEASURES].sum()
        if keys
        else days[MEASURES].sum().to_frame().T
    )
    owed = (totals["scheduled_s"] - totals["excused_s"]).where(lambda s: s > 0)
    return totals.assign(ATS=totals["adherent_s"] / owed, conformance=totals["worked_s"] / owed)


def agent_days(
    schedule: pd.DataFrame, states: pd.DataFrame, adjustments: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Scheduled, excused, adherent and worked seconds per agent and day (``agent_id``,
    ``date``): the grain :func:`ats` sums."""
    excused = adjustments if adjustments is not None else schedule.head(0)
    periods = {"schedule": schedule, "adjustments": excused, "states": states}
    for name, frame in periods.items():
        _check_periods(name, frame)
    counted = {
        "schedule": schedule["activity"].isin(ats_rules().service_activities).to_numpy(),
        "adjustments": np.ones(len(excused), bool),
        "states": _online(states),
    }
    factorized = {name: _factorize(frame["agent_id"]) for name, frame in periods.items()}
    agents = pd.Index(pd.unique(np.concatenate([u for _, u in factorized.values()])))
    if agents.empty:
        return pd.DataFrame(columns=["agent_id", "date", *MEASURES])
    origin = min(frame["start"].min() for frame in periods.values() if len(frame)).normalize()
    runs = [
        _union(*(column[counted[name]] for column in (
            agents.get_indexer(uniques)[codes], *_seconds(periods[name], origin))))
        for name, (codes, uniques) in factorized.items()
    ]  # fmt: skip
    days = max(int(run[2].max()) for run in runs if len(run[2])) // DAY_S + 1
    coverage = _coverage(len(agents), runs, days)
    return coverage.assign(agent_id=agents[coverage.pop("agent")],
                           date=origin + pd.to_timedelta(coverage.pop("day"), unit="D"))[
        ["agent_id", "date", *MEASURES]
    ]  # fmt: skip


def day_timeline(
    schedule: pd.DataFrame,
    states: pd.DataFrame,
    adjustments: pd.DataFrame | None = None,
    *,
    agent_id: str,
    day,
) -> pd.DataFrame:
    """One agent's day cut where anything changes (frames as for :func:`ats`).

    Each piece has ``start``, ``end``, ``seconds``; the schedule's ``activity`` (None
    outside it, a service activity where rows overlap) and whether it is ``service``; the
    ``state`` (online over aux over offline; offline where nothing is logged); whether an
    adjustment ``excused`` it and the ``reason`` (the first in ND-12's order where they
    overlap); and the ``cause`` of scheduled service: ``excused``, ``adherent`` or one of
    :data:`LOST` (a late start before the day's first online moment and an early leave
    after its last; AUX or offline between them, or all day when never online). Outside
    scheduled service the cause is None. Touching pieces that agree are one.
    """
    excused = adjustments if adjustments is not None else schedule.head(0)
    for name, frame in (("schedule", schedule), ("adjustments", excused), ("states", states)):
        _check_periods(name, frame)
    _online(states)
    midnight = pd.Timestamp(day).normalize()
    window = (midnight, midnight + pd.Timedelta(days=1))
    schedule = _service_first(_within(schedule, agent_id, window))
    excused = _by_rule(_within(excused, agent_id, window))
    states = _within(states, agent_id, window)
    moments = [frame[c] for frame in (schedule, states, excused) for c in ("start", "end")]
    edges = np.unique(pd.concat(moments).to_numpy("datetime64[ns]"))
    start, end = edges[:-1], edges[1:]
    middle = start + (end - start) / 2
    online, aux = (_covers(states[states["state"] == s], middle).any(axis=0) for s in (ONLINE, AUX))
    in_schedule, in_excused = _covers(schedule, middle), _covers(excused, middle)
    pieces = pd.DataFrame({
        "start": start, "end": end,
        "activity": _first(schedule["activity"], in_schedule),
        "service": _first(schedule["service"], in_schedule).fillna(False).astype(bool),
        "state": np.select([online, aux], [ONLINE, AUX], OFFLINE),
        "excused": in_excused.any(axis=0), "reason": _first(excused["reason"], in_excused),
    })  # fmt: skip
    pieces["cause"] = _causes(pieces, online)
    pieces = join_touching(pieces, TIMELINE[3:]).reset_index(drop=True)
    return pieces.assign(seconds=(pieces["end"] - pieces["start"]).dt.total_seconds())[TIMELINE]


def time_lost(timeline: pd.DataFrame) -> pd.Series:
    """Seconds of owed service of a :func:`day_timeline` not adherent, by each cause of
    :data:`LOST`."""
    return timeline.groupby("cause")["seconds"].sum().reindex(list(LOST), fill_value=0.0)


def time_excused(timeline: pd.DataFrame) -> pd.Series:
    """Seconds of scheduled service of a :func:`day_timeline` excused, by the reason of
    the adjustment (ND-12's order; None where the adjustment gives none)."""
    excused = timeline[timeline["cause"] == "excused"]
    seconds = excused.groupby("reason", dropna=False, sort=False)["seconds"].sum()
    return seconds.iloc[_in_rule_order(seconds.index)]


def join_touching(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Rows in order of ``start`` joined where one ends as the next starts and their ``by``
    values agree (missing agrees with missing); other columns come from the first row."""
    keys, before = frame[list(by)], frame[list(by)].shift()
    same = (keys.eq(before) | (keys.isna() & before.isna())).all(axis=1)
    joined = same & frame["start"].eq(frame["end"].shift())
    run = (~joined).cumsum().to_numpy()
    return frame[~joined.to_numpy()].assign(end=frame["end"].groupby(run).last().to_numpy())


def _within(frame: pd.DataFrame, agent_id: str, window) -> pd.DataFrame:
    """``agent_id``'s rows that overlap ``window``, cut to it."""
    start, end = pd.to_datetime(frame["start"]), pd.to_datetime(frame["end"])
    rows = (frame["agent_id"] == agent_id) & (start < window[1]) & (end > window[0])
    return frame[rows].assign(start=start[rows].clip(lower=window[0]),
                              end=end[rows].clip(upper=window[1]))  # fmt: skip


def _service_first(schedule: pd.DataFrame) -> pd.DataFrame:
    """Schedule rows marked ``service`` or not, service first: where rows overlap, the
    moment is service."""
    service = schedule["activity"].isin(ats_rules().service_activities)
    return schedule.assign(service=service).sort_values("service", ascending=False, kind="stable")


def _by_rule(adjustments: pd.DataFrame) -> pd.DataFrame:
    """Adjustments with a ``reason`` (None when not given) in the order of ND-12's reasons:
    where two overlap, the first excuses."""
    reason = adjustments.get("reason", pd.Series(None, adjustments.index, object))
    return adjustments.assign(reason=reason).iloc[_in_rule_order(reason)]


def _in_rule_order(reason: pd.Series | pd.Index) -> np.ndarray:
    """Positions that put ``reason`` in the order of ND-12's reasons (unknown ones last)."""
    rank = reason.map({r: k for k, r in enumerate(reasons())}).fillna(len(reasons()))
    return np.argsort(rank.to_numpy(), kind="stable")


def _covers(frame: pd.DataFrame, moments: np.ndarray) -> np.ndarray:
    """Whether each row (axis 0) covers each moment (axis 1)."""
    start = frame["start"].to_numpy("datetime64[ns]")[:, None]
    end = frame["end"].to_numpy("datetime64[ns]")[:, None]
    return (start <= moments) & (moments < end)


def _first(values: pd.Series, covers: np.ndarray) -> pd.Series:
    """For each moment, the value of the first row covering it (None where none does)."""
    found = covers.any(axis=0)
    if not found.any():
        return pd.Series([None] * len(found), dtype=object)
    picked = values.to_numpy(object)[covers.argmax(axis=0)]
    return pd.Series(np.where(found, picked, None), dtype=object)


def _causes(pieces: pd.DataFrame, online: np.ndarray) -> np.ndarray:
    """What each piece of scheduled service counts as (see :func:`day_timeline`)."""
    start, end = pieces["start"].to_numpy(), pieces["end"].to_numpy()
    late = early = np.zeros(len(pieces), bool)
    if online.any():
        late, early = start < start[online].min(), end > end[online].max()
    cause = np.select(
        [pieces["excused"], online, late, early, pieces["state"] == AUX],
        ["excused", "adherent", "late_start", "early_leave", "aux"],
        "offline",
    )
    return np.where(pieces["service"], cause, None)


def _online(states: pd.DataFrame) -> np.ndarray:
    """Which state rows are online; a state not in :data:`STATES` is refused."""
    values = states["state"].to_numpy()
    online = values == ONLINE
    unknown = {str(v) for v in set(values[~online]) if pd.notna(v)} - set(STATES)
    if unknown:
        raise ValueError(f"states: status tidak dikenal: {', '.join(sorted(unknown))} "
                         f"(pilih {', '.join(STATES)})")  # fmt: skip
    return online


def _factorize(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize`` hashing only the first value of each run of equal neighbours: a
    log ordered by agent repeats the same id row after row."""
    values = column.to_numpy()
    if values.dtype != object or not len(values):
        return pd.factorize(column)
    heads = np.flatnonzero(np.concatenate([[True], values[1:] != values[:-1]]))
    codes, uniques = pd.factorize(values[heads])
    return np.repeat(codes, np.diff(heads, append=len(values))), pd.Index(uniques)


def _check_periods(name: str, frame: pd.DataFrame) -> None:
    missing = {"agent_id", "start", "end"} - set(frame.columns)
    if missing:
        raise KeyError(f"{name}: kolom tidak ada: {', '.join(sorted(missing))}")
    backwards = frame.index[frame["end"] < frame["start"]]
    if len(backwards):
        raise ValueError(
            f"{name}: akhir sebelum awal pada baris {', '.join(map(str, backwards[:5]))}"
        )


def _seconds(frame: pd.DataFrame, origin: pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of each row in whole seconds after ``origin``."""
    base = np.datetime64(origin, "s").astype(np.int64)
    return tuple(
        np.asarray(pd.to_datetime(frame[c]), "datetime64[s]").astype(np.int64) - base
        for c in ("start", "end")
    )


def _union(agent: np.ndarray, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, ...]:
    """The periods of each agent merged where they overlap or touch: (agent, start, end) of
    disjoint runs, in order. A minute-by-minute state log becomes a few runs a day."""
    first, last = (agent.astype(np.int64) << SHIFT) | start, (agent.astype(np.int64) << SHIFT) | end
    if len(first) and not np.all(first[1:] >= first[:-1]):
        order = np.argsort(first)
        first, last = first[order], last[order]
    reach = np.maximum.accumulate(last)  # the agent's bits lead: no reach crosses agents
    begins = np.ones(len(first), bool)
    begins[1:] = first[1:] > reach[:-1]
    heads = np.flatnonzero(begins)
    ends = np.maximum.reduceat(last, heads) if len(heads) else last[:0]
    mask = (1 << SHIFT) - 1
    return first[heads] >> SHIFT, first[heads] & mask, ends & mask


def _coverage(agents: int, runs: list[tuple[np.ndarray, ...]], days: int) -> pd.DataFrame:
    """Seconds per agent and day in which each kind of run (schedule, adjustments,
    online) covers the moment, by a sweep over every start and end, and every midnight so
    that no piece spans two days."""
    midnights = np.arange(days + 1, dtype=np.int64) * DAY_S
    agent = [np.repeat(np.arange(agents, dtype=np.int64), days + 1)]
    time = [np.tile(midnights, agents)]
    change = [np.zeros((len(time[0]), 3), np.int8)]
    for kind, (who, start, end) in enumerate(runs):
        for moment, step in ((start, 1), (end, -1)):
            agent.append(who)
            time.append(moment)
            delta = np.zeros((len(who), 3), np.int8)
            delta[:, kind] = step
            change.append(delta)
    agent, time, change = np.concatenate(agent), np.concatenate(time), np.concatenate(change)
    # Each stream (midnights, each kind's starts, its ends) is in order already: a stable
    # sort (timsort) only merges them, an order of magnitude faster than quicksort.
    order = np.argsort((agent << SHIFT) | time, kind="stable")
    agent, time = agent[order], time[order]
    scheduled, excused, online = (np.cumsum(change[order], axis=0, dtype=np.int32) > 0).T
    length = np.zeros(len(time), np.int64)
    length[:-1] = np.where(agent[1:] == agent[:-1], time[1:] - time[:-1], 0)
    cell = agent * (days + 1) + time // DAY_S
    sums = {
        "scheduled_s": length * scheduled,
        "excused_s": length * (scheduled & excused),
        "adherent_s": length * (scheduled & ~excused & online),
        "worked_s": length * online,
    }
    size = agents * (days + 1)
    table = pd.DataFrame({k: np.bincount(cell, v, minlength=size) for k, v in sums.items()})
    table["agent"], table["day"] = np.divmod(np.arange(size), days + 1)
    return table[table[MEASURES].any(axis=1)].reset_index(drop=True)
