"""The ATS adjustments that SIKKA attendance proposes (ND-12/LIP.2/2019).

SIKKA records when an agent came and left, or why they did not come. Four of the eight
reasons an ATS adjustment may give rest on those records (``rules/ats.yaml``); this module
turns a schedule and an attendance file into proposals of them. A proposal is never
applied by itself: the Team Leader approves or rejects it like any Izin Tidak Online.
"""

from __future__ import annotations

import pandas as pd

from kringlib.adherence import ats_rules

COLUMNS = ["agent_id", "start", "end", "reason", "evidence"]
ABSENT, LATE, EARLY, ONCE = "absen", "terlambat", "pulang_awal", "presensi_sekali"
DAY_KEYS = ["agent_id", "day"]


def status_key(status) -> str | None:
    """A SIKKA status as compared: trimmed, in lower case; blank is None."""
    return (status.strip().lower() or None) if isinstance(status, str) else None


def status_reasons() -> dict[str, str | None]:
    """Each SIKKA status (:func:`status_key`) and the reason it proposes (None: nothing)."""
    return {status_key(status): reason for status, reason in ats_rules().sikka.statuses.items()}


def proposals(schedule: pd.DataFrame, attendance: pd.DataFrame) -> pd.DataFrame:
    """The adjustments ``attendance`` proposes against ``schedule``: ``agent_id, start,
    end, reason, evidence``, one row per reason and agent's day.

    ``schedule`` holds ``agent_id, start, end, activity`` (only service activities count,
    and a period belongs to the day it starts); ``attendance`` holds ``agent_id, date,
    check_in, check_out, status`` and, for the evidence, ``source`` (the file) and
    ``source_row`` (its line). Only the agents and days ``attendance`` covers are judged,
    and only days with scheduled service, from its first start to its last end:

    - a status of ``sikka.statuses`` proposes its reason over the day: ``absen`` for
      sakit, cuti, izin, alpha ("Tidak masuk bekerja karena sakit/cuti/izin/alpha sesuai
      dengan yang tercatat di SIKKA");
    - no check-in nor check-out, or no row at all for an agent on a day the file covers,
      proposes ``absen`` over the day;
    - ``presensi_sekali``: only one of check-in and check-out is recorded and the day's
      scheduled service (overlaps counted once) is under ``single_presence_under_hours``
      ("Melakukan presensi hanya sekali, dengan jam layanan kurang dari 2 (dua) jam").
      "Jam layanan" is read as the service the schedule gives that day, the time the
      adjustment excuses: proposed over the day. With two hours or more, the one time
      recorded still proposes what it shows (late or early), the missing one nothing;
    - ``terlambat``: a check-in after the first scheduled service start, from that start
      to the check-in;
    - ``pulang_awal``: a check-out before the last scheduled service end, from the
      check-out to that end.
    """
    days = _service_days(schedule)
    present = attendance.assign(
        day=pd.to_datetime(attendance["date"]).dt.normalize(),
        source=attendance.get("source", ""), source_row=attendance.get("source_row"),
    )  # fmt: skip
    covered = days["agent_id"].isin(present["agent_id"]) & days["day"].isin(present["day"])
    cases = days[covered].merge(present, on=DAY_KEYS, how="left")
    if cases.empty:
        return pd.DataFrame(columns=COLUMNS)
    status = cases["status"].map(status_key)
    by_status = status.map(status_reasons())
    came, left, free = cases["check_in"].notna(), cases["check_out"].notna(), by_status.isna()
    under = pd.Timedelta(hours=ats_rules().sikka.single_presence_under_hours).total_seconds()
    once = free & (came != left) & (cases["service_s"] < under)
    late = free & came & ~once & (cases["check_in"] > cases["first"])
    early = free & left & ~once & (cases["check_out"] < cases["last"])
    first, last = cases["first"], cases["last"]
    found = [
        (by_status.notna(), by_status, "status " + status, first, last),
        (free & ~came & ~left, ABSENT, cases["source_row"].notna().map(
            {True: "tanpa jam masuk maupun jam pulang", False: "tidak ada baris presensi"}),
         first, last),
        (once, ONCE, _once(cases, came), first, last),
        (late, LATE, "jam masuk " + _clock(cases["check_in"]) + ", layanan terjadwal mulai "
         + _clock(first), first, cases[["check_in", "last"]].min(axis=1)),
        (early, EARLY, "jam pulang " + _clock(cases["check_out"]) + ", layanan terjadwal sampai "
         + _clock(last), cases[["check_out", "first"]].max(axis=1), last),
    ]  # fmt: skip
    places = _places(cases, present)
    every = pd.concat(
        pd.DataFrame({"agent_id": cases["agent_id"], "start": start, "end": end,
                      "reason": reason, "evidence": places + ": " + why})[chosen]
        for chosen, reason, why, start, end in found
    )  # fmt: skip
    every = every.sort_values(["agent_id", "start", "reason"], kind="stable")
    return every[COLUMNS].reset_index(drop=True)


def _service_days(schedule: pd.DataFrame) -> pd.DataFrame:
    """Per agent and day a service period starts: ``first`` start, ``last`` end and
    ``service_s``, the seconds of service (overlapping periods counted once)."""
    service = schedule[schedule["activity"].isin(ats_rules().service_activities)]
    start, end = pd.to_datetime(service["start"]), pd.to_datetime(service["end"])
    service = service.assign(start=start, end=end, day=start.dt.normalize())
    service = service.sort_values([*DAY_KEYS, "start"])
    keys = [service[k] for k in DAY_KEYS]
    reached = service.groupby(keys)["end"].cummax().groupby(keys).shift()
    begins = service["start"].where(~(reached > service["start"]), reached)
    counted = (service["end"] - begins).clip(lower=pd.Timedelta(0)).dt.total_seconds()
    return (
        service.assign(counted=counted)
        .groupby(DAY_KEYS, as_index=False)
        .agg(first=("start", "min"), last=("end", "max"), service_s=("counted", "sum"))
    )


def _places(cases: pd.DataFrame, present: pd.DataFrame) -> pd.Series:
    """Where each case's evidence is: "SIKKA file, baris n"; for an agent's day the file
    has no row for, the file that covers that day, and the day."""
    files = cases["source"].fillna(cases["day"].map(present.groupby("day")["source"].first()))
    lines = [f", baris {int(line)}" if pd.notna(line) else f", {day:%d-%m-%Y}"
             for line, day in zip(cases["source_row"], cases["day"], strict=True)]  # fmt: skip
    return ("SIKKA " + files.fillna("").astype(str)).str.strip() + lines


def _once(cases: pd.DataFrame, came: pd.Series) -> pd.Series:
    """What a single presence shows, and the day's scheduled service."""
    recorded = ("jam masuk " + _clock(cases["check_in"]) + ", tanpa jam pulang").where(
        came, "jam pulang " + _clock(cases["check_out"]) + ", tanpa jam masuk")  # fmt: skip
    hours, minutes = divmod((cases["service_s"] / 60).round().astype(int), 60)
    return ("presensi hanya sekali (" + recorded + "); layanan terjadwal " + hours.astype(str)
            + " jam " + minutes.astype(str) + " menit")  # fmt: skip


def _clock(moments: pd.Series) -> pd.Series:
    return moments.dt.strftime("%H:%M")
