"""The inputs of ATS, checked once their cells are read and shaped into the periods the
store keeps: the WFM schedule template, agent states from the CMS agent trace or, as an
approximation, from the agent report's interval totals, and SIKKA attendance."""

from __future__ import annotations

import pandas as pd

from kringlib import attendance
from kringlib.adherence import AUX, ONLINE, ats_rules
from kringlib.ingest import layouts
from kringlib.ingest.checks import (
    check_duplicates,
    check_filled,
    identity,
    moments,
    template_identity,
)
from kringlib.ingest.findings import Collector
from kringlib.ingest.layouts import ReportLayout, caption, mode_key

EVENTS, INTERVAL = "events", "interval"
BASES = {EVENTS: "jejak status CMS (Agent Trace)", INTERVAL: "total interval (Staffed/AUX Time)"}
"""Where stored states come from (``agent_state.basis``): the trace's events, or interval totals."""
STATE_COLUMNS = ["source_row", "login_id", "date", "channel", "start", "end", "state",
                 "reason_code", "basis"]  # fmt: skip


def _schedule_rows(frame: pd.DataFrame, layout: ReportLayout, found: Collector) -> pd.DataFrame:
    """Schedule periods (``start``, ``end``, ``activity``) of each agent, none overlapping
    another of the same agent; an activity that is not service is said once."""
    key = template_identity(frame, layout, found)
    if key is None:
        return frame
    check_filled(frame, layout, ["date", "start_time", "end_time", "activity"], found)
    frame["start"], frame["end"] = _bounds(frame, layout, ("start_time", "end_time"), found)
    _check_overlaps(frame, key, layout, found)
    frame["activity"] = frame["activity"].str.lower()
    service = ats_rules().service_activities
    for activity, rows in frame[~frame["activity"].isin(service)].groupby("activity"):
        found.warning(int(rows["source_row"].min()), layout.columns["activity"][0],
                      "activity_not_service", f"aktivitas {activity!r} bukan layanan "
                      f"(ats.yaml: service_activities): tidak dihitung dalam ATS; "
                      f"{len(rows)} baris")  # fmt: skip
    frame["channel"] = layout.channel
    return frame[["source_row", key, "date", "channel", "start", "end", "activity"]]


def _bounds(frame: pd.DataFrame, layout: ReportLayout, times, found: Collector):
    """The moments of a row's two times on its day. An end earlier than the start is on
    the next day when the period then lasts at most ``overnight_max_hours``; longer, or
    an end equal to its start, is an error."""
    begins, ends = (moments(frame["date"], frame[t]) for t in times)
    overnight = ends < begins
    ends = ends.mask(overnight, ends + pd.Timedelta(days=1))
    longest = layouts.export_rules().overnight_max_hours
    too_long = overnight & (ends - begins > pd.Timedelta(hours=longest))
    start_caption, end_caption = (layout.columns[t][0] for t in times)
    wrong = too_long | (ends == begins)
    for row, begin, end in zip(frame["source_row"][wrong], begins[wrong], ends[wrong], strict=True):
        if end == begin:
            message = f"{end_caption} sama dengan {start_caption} ({begin:%H:%M})"
        else:
            message = (
                f"{end_caption} {end:%H:%M} sebelum {start_caption} {begin:%H:%M}: dibaca "
                f"hari berikutnya menjadi {(end - begin) / pd.Timedelta(hours=1):g} jam, "
                f"lebih dari batas {longest:g} jam (ekspor.yaml: overnight_max_hours)"
            )
        found.error(int(row), end_caption, "end_not_after_start", message)
    return begins, ends


def _check_overlaps(frame: pd.DataFrame, key: str, layout: ReportLayout, found) -> None:
    """An error for each period that begins before an earlier one of its agent ended."""
    column = layout.columns["start_time"][0]
    periods = frame.dropna(subset=[key, "start", "end"]).sort_values([key, "start", "source_row"])
    for _, rows in periods.groupby(key, sort=False):
        reach, reach_row = None, None
        for row, start, end in rows[["source_row", "start", "end"]].itertuples(index=False):
            if reach is not None and start < reach:
                found.error(int(row), column, "period_overlap",
                            f"bertumpang tindih dengan baris {reach_row} (sampai "
                            f"{reach:%d-%m %H:%M})")  # fmt: skip
            if reach is None or end > reach:
                reach, reach_row = end, int(row)


def _state_rows(frame: pd.DataFrame, layout: ReportLayout, found: Collector) -> pd.DataFrame:
    """The trace's events as state periods: each lasts until the agent's next event, the
    agent's last one until the latest moment the file records (a warning unless it is a
    log-out); events at the same moment leave only the last."""
    identity(frame, ("login_id",), found)
    check_filled(frame, layout, ["event_time", "state"], found)
    frame["start"] = moments(frame["date"], frame["event_time"])
    frame["mode"], frame["state"] = frame["state"], _states(frame, layout, found)
    if "reason_code" not in frame:
        frame["reason_code"] = None
    events = frame.dropna(subset=["login_id", "start"]).sort_values(
        ["login_id", "start", "source_row"], kind="stable")  # fmt: skip
    events["end"] = events.groupby("login_id")["start"].shift(-1)
    last_moment = events["start"].max()
    still = events[events["end"].isna() & events["state"].isin([ONLINE, AUX])]
    for row, login, mode in still[["source_row", "login_id", "mode"]].itertuples(index=False):
        found.warning(int(row), layout.columns["state"][0], "state_open_at_end",
                      f"Login ID {login}: status terakhir ({mode}) tanpa logout; dihitung "
                      f"sampai {last_moment:%d-%m-%Y %H:%M}, akhir berkas")  # fmt: skip
    events["end"] = events["end"].fillna(last_moment)
    events = events[events["end"] > events["start"]]
    return events.assign(channel=layout.channel, basis=EVENTS)[STATE_COLUMNS]


def _states(frame: pd.DataFrame, layout: ReportLayout, found: Collector) -> pd.Series:
    """The ATS state of each event's work mode (``agent_states``); an AUX whose reason
    code the site counts as service is online. A mode listed nowhere is an error, said
    once with its lines."""
    table = layouts.export_rules().agent_states
    modes = frame["state"].map({m: mode_key(m) for m in frame["state"].dropna().unique()})
    states = modes.map(table.by_mode)
    codes = frame["reason_code"] if "reason_code" in frame else pd.Series(None, frame.index)
    states = states.mask((states == AUX) & codes.isin(table.aux_online_codes), ONLINE)
    for mode, rows in frame[states.isna() & modes.notna()].groupby(modes, sort=True):
        found.error(int(rows["source_row"].min()), layout.columns["state"][0], "unknown_state",
                    f"status {mode} tidak dikenal ({len(rows)} baris); tambahkan ke "
                    "agent_states di ekspor.yaml")  # fmt: skip
    return states


def _interval_state_rows(frame: pd.DataFrame, layout: ReportLayout, found: Collector):
    """Per interval, online for Staffed Time − AUX Time from its start, then AUX for AUX
    Time: an approximation (basis "interval"). AUX above staffed time, or staffed time
    above the interval's length, is an error."""
    identity(frame, ("login_id",), found)
    check_filled(frame, layout, ["interval"], found)
    check_duplicates(frame, ["login_id", "date", "interval"], found, "baris agen-tanggal-interval")
    staffed, aux = frame["staffed_time"], frame["aux_time"].fillna(0)  # "-": no AUX
    _exceeds(frame, aux > staffed, "aux_time", "AUX time melebihi staffed time", found)
    start = frame["date"] + pd.to_timedelta(frame["interval"], unit="min")
    if "interval_end" in frame:
        length = (moments(frame["date"], frame["interval_end"]) - start) % pd.Timedelta(days=1)
        _exceeds(frame, staffed > length.dt.total_seconds(), "staffed_time",
                 "staffed time melebihi panjang interval", found)  # fmt: skip
    online_end = start + pd.to_timedelta(staffed - aux, unit="s")
    periods = pd.concat([
        frame.assign(start=start, end=online_end, state=ONLINE),
        frame.assign(start=online_end, end=online_end + pd.to_timedelta(aux, unit="s"), state=AUX),
    ]).sort_values(["login_id", "start"], kind="stable")  # fmt: skip
    periods = periods[periods["end"] > periods["start"]]
    return periods.assign(channel=layout.channel, reason_code=None, basis=INTERVAL)[STATE_COLUMNS]


def _exceeds(frame: pd.DataFrame, wrong: pd.Series, column: str, message: str, found) -> None:
    for row in frame.loc[wrong, "source_row"]:
        found.error(int(row), caption(column), "part_exceeds_whole", message)


def _attendance_rows(frame: pd.DataFrame, layout: ReportLayout, found: Collector):
    """One row per agent and day: ``check_in``, ``check_out`` (blank: not recorded) and
    the status; a status ``ats.yaml`` does not know is said once."""
    identity(frame, ("agent_id",), found)
    check_filled(frame, layout, ["date"], found)
    check_duplicates(frame, ["agent_id", "date"], found, "baris agen-tanggal")
    times = ("check_in_time", "check_out_time")
    frame["check_in"], frame["check_out"] = _bounds(frame, layout, times, found)
    frame["status"] = frame["status"].map(attendance.status_key) if "status" in frame else None
    known = attendance.status_reasons()
    unknown = frame[frame["status"].notna() & ~frame["status"].isin(known)]
    for status, rows in unknown.groupby("status"):
        found.warning(int(rows["source_row"].min()), layout.columns["status"][0],
                      "unknown_status", f"status {status!r} tidak dikenal (ats.yaml: sikka."
                      f"statuses): tidak diusulkan penyesuaian; {len(rows)} baris")  # fmt: skip
    return frame[["source_row", "agent_id", "date", "check_in", "check_out", "status"]]


CHECKS = {
    layouts.SCHEDULE: _schedule_rows,
    layouts.STATES: _state_rows,
    layouts.STATE_INTERVALS: _interval_state_rows,
    layouts.ATTENDANCE: _attendance_rows,
}
"""What each ATS input is checked for, by export kind."""
