"""The demo's WFM schedule, agent states and SIKKA attendance, around its activity.

An agent absent from :mod:`kringlib.demo`'s activity on a day is absent here too, with a
SIKKA status; an agent at work is logged in for exactly the staffed time the activity
reports (to the minute) and, on the phone, in AUX for its AUX time.

The shift is service 08:00–12:00, a break to 13:00 and service to 16:00; each team has a
weekly briefing 15:00–15:30 instead of service. Most days an agent logs in a few minutes
before 08:00 and out just after 16:00, spends the break in AUX or logged out, and takes a
short AUX now and then. Some days start late (a few minutes, or up to 30, more often for
the careless few), some end early as soon as the staffed time is used up, and on some the
agent comes back online before the break ends. SIKKA's check-in comes before the log-in
and its check-out after the log-out.

Every day's rows depend only on the seed and the date, like the rest of the demo.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kringlib.adherence import AUX, ONLINE, join_touching

SERVICE, BREAK, BRIEFING = "layanan", "istirahat", "briefing"
START, BREAK_START, BREAK_END, BRIEFING_START, BRIEFING_END, END = (
    8 * 60, 12 * 60, 13 * 60, 15 * 60, 15 * 60 + 30, 16 * 60,
)  # fmt: skip
"""The shift in minutes after midnight (Jakarta time)."""
MORNING_AUX, AFTERNOON_AUX = (9 * 60, 11 * 60 + 30), (13 * 60 + 10, 14 * 60 + 55)
"""Where a short AUX may fall: well inside each half of the service."""
ABSENCE_STATUS = {"sakit": 0.45, "cuti": 0.3, "izin": 0.2, "alpha": 0.05}
LATE_SHARE, SLIGHTLY_LATE_SHARE, EARLY_LEAVE_SHARE, BACK_EARLY_SHARE = 0.1, 0.1, 0.05, 0.2
"""Shares of days an ordinary agent starts 5–30 minutes late, starts 1–4 minutes late,
leaves when the staffed time is used up, and is back online 10–30 minutes before the
break ends."""
DRAWS = ("late", "late_by", "early_leave", "back_early", "back_by", "after_end",
         "aux_share", "aux_split", "morning_aux", "afternoon_aux", "check_in", "check_out",
         "status")  # fmt: skip
STREAM = 2
"""Keeps these draws apart from the activity's, which use the seed and the date alone."""

SEGMENTS = ((ONLINE, None), (AUX, "pribadi"), (AUX, BREAK), (AUX, BRIEFING))
"""The state and AUX reason code of each kind of segment of a day at work."""
ONLINE_SEGMENT, PERSONAL_AUX, BREAK_AUX, BRIEFING_AUX, OFFLINE_SEGMENT = range(len(SEGMENTS) + 1)
ACTIVITIES = (SERVICE, BREAK, BRIEFING)


def generate(
    activity: pd.DataFrame, agents: pd.DataFrame, days: list[dt.date], seed: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The schedule (``agent_id, start, end, activity``), states (``agent_id, start, end,
    state, reason_code``) and attendance (``agent_id, date, check_in, check_out, status``)
    of ``agents`` on ``days``."""
    count = len(agents)
    draws = np.concatenate([
        np.random.default_rng([seed, day.toordinal(), STREAM]).random((count, len(DRAWS)))
        for day in days
    ])  # fmt: skip
    u = dict(zip(DRAWS, draws.T, strict=True))
    dates = np.array(days, "datetime64[D]").astype("datetime64[ns]")
    grid = pd.MultiIndex.from_product([pd.DatetimeIndex(dates), agents["agent_id"]])
    worked = activity.set_index(["date", "agent_id"]).reindex(grid)
    briefing = _briefing_days(agents, dates)
    day = _Day(
        present=worked["staffed_time"].notna().to_numpy(),
        staffed=np.rint(worked["staffed_time"].fillna(0).to_numpy() / 60).astype(np.int64),
        aux=worked["aux_time"].to_numpy() / 60,
        care=np.tile(agents["care"].to_numpy(), len(dates)),
        briefing=briefing,
        u=u,
    )
    rows = np.arange(len(grid))
    ids = np.tile(agents["agent_id"].to_numpy(), len(dates))

    def moments(row: np.ndarray, minutes: np.ndarray) -> np.ndarray:
        return dates[row // count] + minutes.astype("timedelta64[m]")

    def periods(row, start, end, label) -> tuple[np.ndarray, ...]:
        """Rows of (agent id, start, end) and the label of each period: touching segments
        of an agent-day that agree joined, empty ones dropped."""
        segments = pd.DataFrame({"row": row, "start": start, "end": end, "label": label})
        joined = join_touching(segments[segments["end"] > segments["start"]], ["row", "label"])
        row = joined["row"].to_numpy()
        start, end = (moments(row, joined[c].to_numpy()) for c in ("start", "end"))
        return ids[row], start, end, joined["label"].to_numpy()

    agent_id, start, end, label = periods(*_schedule_slots(rows, briefing))
    schedule = pd.DataFrame({"agent_id": agent_id, "start": start, "end": end,
                             "activity": np.array(ACTIVITIES)[label]})  # fmt: skip
    agent_id, start, end, label = periods(*day.segments(rows))
    state, reason = (np.array(column, object) for column in zip(*SEGMENTS, strict=True))
    states = pd.DataFrame({"agent_id": agent_id, "start": start, "end": end,
                           "state": state[label], "reason_code": reason[label]})  # fmt: skip
    attendance = pd.DataFrame({"agent_id": ids, "date": dates[rows // count],
                               "check_in": moments(rows, day.login) - day.seconds("check_in"),
                               "check_out": moments(rows, day.logout) + day.seconds("check_out"),
                               "status": day.status()})  # fmt: skip
    attendance.loc[~day.present, ["check_in", "check_out"]] = pd.NaT
    return schedule, states, attendance


def _briefing_days(agents: pd.DataFrame, dates: np.ndarray) -> np.ndarray:
    """Whether each agent-day (day-major) holds the team's briefing: the first team on
    Mondays, the next on Tuesdays, and so on round the working week."""
    team = pd.factorize(agents["team_id"])[0]
    weekday = pd.DatetimeIndex(dates).day_of_week.to_numpy()
    return (weekday[:, None] == team[None, :] % 5).ravel()


def _schedule_slots(rows: np.ndarray, briefing: np.ndarray):
    """Every agent-day's five schedule slots (row, start, end, activity code), in order."""
    starts = (START, BREAK_START, BREAK_END, BRIEFING_START, BRIEFING_END)
    ends = (BREAK_START, BREAK_END, BRIEFING_START, BRIEFING_END, END)
    service, pause, meeting = range(len(ACTIVITIES))
    labels = np.array([(service, pause, service, meeting if b else service, service)
                       for b in (False, True)])[briefing.astype(int)]  # fmt: skip
    shape = (len(rows), len(starts))
    return (np.repeat(rows, len(starts)), np.broadcast_to(starts, shape).ravel(),
            np.broadcast_to(ends, shape).ravel(), labels.ravel())  # fmt: skip


class _Day:
    """One timeline per agent-day, in minutes after midnight, from the day's draws."""

    def __init__(self, present, staffed, aux, care, briefing, u):
        self.present, self.u = present, u
        lateness = np.clip(LATE_SHARE * (1 - care) / (1 - np.median(care)), 0, 0.5)
        late = u["late"] < lateness
        slightly = ~late & (u["late"] < lateness + SLIGHTLY_LATE_SHARE)
        by = np.select([late, slightly], [5 + u["late_by"] * 26, 1 + u["late_by"] * 4],
                       -u["late_by"] * 9)  # fmt: skip
        self.login = START + by.astype(np.int64)
        back_early = np.where(u["back_early"] < BACK_EARLY_SHARE, 10 + u["back_by"] * 21, 0)
        back_early = back_early.astype(np.int64)
        wanted_end = END + (u["after_end"] * 6).astype(np.int64)
        room = BREAK_END - BREAK_START - back_early
        offline = np.clip(wanted_end - self.login - staffed, 0, room)
        self.offline = np.where(u["early_leave"] < EARLY_LEAVE_SHARE, 0, offline)
        self.logout = self.login + staffed + self.offline
        total = np.rint(np.where(np.isnan(aux), staffed * (0.08 + 0.06 * u["aux_share"]), aux))
        total = total.astype(np.int64)
        self.break_aux = np.minimum(total, room - self.offline)
        self.briefing_aux = np.where(
            briefing, np.minimum(total - self.break_aux, BRIEFING_END - BRIEFING_START), 0
        )
        rest = total - self.break_aux - self.briefing_aux
        self.morning = np.rint(rest * u["aux_split"]).astype(np.int64)
        self.afternoon = rest - self.morning

    def segments(self, rows: np.ndarray):
        """Each agent-day's state segments at work (row, start, end, label), in order,
        cut to the time logged in; offline ones and absent days left out."""
        morning = _placed(MORNING_AUX, self.morning, self.u["morning_aux"])
        afternoon = _placed(AFTERNOON_AUX, self.afternoon, self.u["afternoon_aux"])
        back = BREAK_START + self.offline
        briefing_end = BRIEFING_START + self.briefing_aux
        bounds = [self.login, morning, morning + self.morning, BREAK_START, back,
                  back + self.break_aux, afternoon, afternoon + self.afternoon,
                  BRIEFING_START, briefing_end, self.logout]  # fmt: skip
        labels = (ONLINE_SEGMENT, PERSONAL_AUX, ONLINE_SEGMENT, OFFLINE_SEGMENT, BREAK_AUX,
                  ONLINE_SEGMENT, PERSONAL_AUX, ONLINE_SEGMENT, BRIEFING_AUX,
                  ONLINE_SEGMENT)  # fmt: skip
        edges = np.clip(np.broadcast_arrays(*bounds), self.login, self.logout).T
        label = np.broadcast_to(labels, (len(rows), len(labels)))
        kept = (label != OFFLINE_SEGMENT) & self.present[:, None]
        row = np.broadcast_to(rows[:, None], label.shape)
        return row[kept], edges[:, :-1][kept], edges[:, 1:][kept], label[kept]

    def seconds(self, draw: str) -> np.ndarray:
        """How long SIKKA's fingerprint is taken before the log-in or after the log-out:
        1 to 15 minutes, to the second."""
        return (60 + self.u[draw] * 14 * 60).astype("timedelta64[s]")

    def status(self) -> np.ndarray:
        """SIKKA's status of an absent day; none on a day at work."""
        names, shares = zip(*ABSENCE_STATUS.items(), strict=True)
        drawn = np.array(names, object)[np.searchsorted(np.cumsum(shares), self.u["status"])]
        return np.where(self.present, None, drawn)


def _placed(window: tuple[int, int], length: np.ndarray, draw: np.ndarray) -> np.ndarray:
    """The start of a period of ``length`` minutes anywhere inside ``window``."""
    room = np.maximum(window[1] - window[0] - length, 0)
    return window[0] + (draw * (room + 1)).astype(np.int64)
