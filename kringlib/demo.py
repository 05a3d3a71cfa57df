"""Deterministic synthetic contact-centre data with the shape of Kring Pajak's.

About 60 agents in 6 teams answer calls, live chat, e-mail and Twitter on working days.
Arrivals follow the hour of day and the weekday and peak before the annual SPT deadlines
(end of March for individuals, end of April for companies); handle times are lognormal;
a few agents are plainly better or worse than the rest. Nothing arrives on holidays.

Every day's figures depend only on the seed and the date, so the same seed gives the same
data, and two windows that overlap agree on the days they share.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kringlib import demo_schedule, quality
from kringlib.calendar import WorkCalendar, default_calendar
from kringlib.canonical import ACTIVITY_MEASURES, CHANNELS
from kringlib.roster import COLUMNS, Roster

TEAMS = ("Merapi", "Rinjani", "Semeru", "Bromo", "Kerinci", "Lawu")
FIRST_NAMES = (
    "Adi",
    "Ayu",
    "Bagus",
    "Bayu",
    "Citra",
    "Dewi",
    "Dimas",
    "Eka",
    "Fajar",
    "Fitri",
    "Gilang",
    "Hana",
    "Indra",
    "Intan",
    "Joko",
    "Kartika",
    "Lestari",
    "Maya",
    "Nanda",
    "Nur",
    "Putri",
    "Rani",
    "Reza",
    "Rina",
    "Sari",
    "Taufik",
    "Tari",
    "Wahyu",
    "Wulan",
    "Yoga",
)
LAST_NAMES = (
    "Pratama",
    "Saputra",
    "Wijaya",
    "Santoso",
    "Hidayat",
    "Nugroho",
    "Kusuma",
    "Lestari",
    "Permata",
    "Siregar",
    "Nasution",
    "Simanjuntak",
    "Harahap",
    "Gunawan",
    "Setiawan",
)
DEFAULT_SEED = 1500200
AGENTS_PER_TEAM = 10
# Each team: 7 on the phone, one each on live chat, e-mail and Twitter.
TEAM_CHANNELS = ("telepon",) * 7 + ("chat", "email", "twitter")

# Mean arrivals on an ordinary Wednesday, per channel.
BASE_DAILY_ARRIVALS = {"telepon": 2300, "chat": 700, "email": 420, "twitter": 260}
WEEKDAY_FACTOR = {1: 1.18, 2: 1.06, 3: 1.0, 4: 0.95, 5: 0.84, 6: 0.5, 7: 0.4}
# Share of a day's calls arriving in each service hour (08:00 … 15:00 starts).
HOUR_SHARE = {8: 0.10, 9: 0.16, 10: 0.17, 11: 0.14, 12: 0.08, 13: 0.13, 14: 0.12, 15: 0.10}
SPT_PEAKS = ((3, 31, 1.2), (4, 30, 0.7))  # (month, day, extra load at the deadline)
PEAK_DECAY_DAYS = 15.0

SHIFT_SECONDS = 8 * 3600.0
MEAN_TALK, MEAN_ACW, MEAN_HOLD, MEAN_RING = 235.0, 38.0, 70.0, 6.0
HOLD_SHARE = 0.22
ABSENCE_RATE = 0.04


@dataclass(frozen=True)
class DemoData:
    """The demo world: teams, agents, activity, queue arrivals, interactions, assessments,
    users, and what ATS is measured on: the schedule, agent states and SIKKA attendance
    (:mod:`kringlib.demo_schedule`)."""

    teams: pd.DataFrame
    agents: pd.DataFrame
    activity: pd.DataFrame
    queue: pd.DataFrame
    interactions: pd.DataFrame
    assessments: pd.DataFrame
    users: pd.DataFrame
    schedule: pd.DataFrame
    states: pd.DataFrame
    attendance: pd.DataFrame


def window(months: int, end: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """First and last day of ``months`` calendar months, the last one ending on ``end``.

    ``end`` defaults to yesterday; the first day is the 1st of the earliest month, so every
    month but the current one is whole.
    """
    if months < 1:
        raise ValueError(f"months harus ≥ 1, bukan {months}")
    end = end or dt.date.today() - dt.timedelta(days=1)
    first = pd.Timestamp(end.year, end.month, 1) - pd.DateOffset(months=months - 1)
    return first.date(), end


def generate(
    seed: int = DEFAULT_SEED,
    months: int = 12,
    end: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> DemoData:
    """Demo data for ``months`` months up to ``end`` (default: yesterday)."""
    start, end = window(months, end)
    calendar = calendar or default_calendar()
    teams, agents = roster(seed)
    days = calendar.working_days(start, end)
    activity_parts, queue_parts, interaction_parts = [], [], []
    for day in days:
        rng = np.random.default_rng([seed, day.toordinal()])
        activity, queue = _one_day(day, agents, rng)
        activity_parts.append(activity)
        queue_parts.append(queue)
        interaction_parts.append(_interactions(day, activity["agent_id"].unique(), agents, rng))
    activity = pd.concat(activity_parts, ignore_index=True)
    queue = pd.concat(queue_parts, ignore_index=True)
    for frame in (activity, queue):
        frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    interactions = pd.concat(interaction_parts, ignore_index=True)
    schedule, states, attendance = demo_schedule.generate(activity, agents, days, seed)
    return DemoData(
        teams=teams,
        agents=agents,
        activity=activity,
        queue=queue,
        interactions=interactions,
        assessments=demo_assessments(interactions, agents, seed),
        users=demo_users(teams, agents),
        schedule=schedule,
        states=states,
        attendance=attendance,
    )


def demo_roster(data: DemoData) -> Roster:
    """The demo's teams and agents as a roster: everyone in their team from the first day
    of data, with an Avaya Login ID of five digits (5 and the agent's number) and their
    agent id as their id on live chat, e-mail and Twitter."""
    since = data.activity["date"].min()
    agents = data.agents
    memberships = pd.DataFrame({"agent_id": agents["agent_id"], "team_id": agents["team_id"],
                                "valid_from": since, "valid_to": pd.NaT})  # fmt: skip
    logins = pd.concat(
        [
            pd.DataFrame({"agent_id": agents["agent_id"], "system": system,
                          "login_id": login, "valid_from": since, "valid_to": pd.NaT})
            for system, login in (
                ("avaya", avaya_login(agents["agent_id"])),
                *((s, agents["agent_id"]) for s in ("chat", "email", "twitter")),
            )
        ],
        ignore_index=True,
    )  # fmt: skip
    return Roster(
        teams=data.teams[list(COLUMNS["teams"])],
        agents=agents[list(COLUMNS["agents"])],
        memberships=memberships.astype({"valid_to": "datetime64[ns]"}),
        logins=logins.astype({"valid_to": "datetime64[ns]"}),
    )


def avaya_login(agent_ids: pd.Series) -> pd.Series:
    """The demo agents' Avaya Login IDs: AG001 → 50001."""
    return "5" + agent_ids.str[2:].str.zfill(4)


def roster(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Six teams of ten agents, with skills that make a few plainly better or worse."""
    rng = np.random.default_rng([seed, 0])
    teams = pd.DataFrame(
        {"team_id": [t.lower() for t in TEAMS], "name": [f"Tim {t}" for t in TEAMS]}
    )
    count = len(TEAMS) * AGENTS_PER_TEAM
    first = rng.choice(FIRST_NAMES, size=count)
    last = rng.choice(LAST_NAMES, size=count)
    speed = rng.lognormal(0.0, 0.07, size=count)
    care = np.clip(rng.normal(0.965, 0.015, size=count), 0.9, 0.995)
    standouts = rng.choice(count, size=6, replace=False)
    speed[standouts[:3]], care[standouts[:3]] = 0.78, 0.995  # plainly better
    speed[standouts[3:]], care[standouts[3:]] = 1.35, 0.84  # plainly worse
    agents = pd.DataFrame(
        {
            "agent_id": [f"AG{i + 1:03d}" for i in range(count)],
            "name": [f"{f} {ln}" for f, ln in zip(first, last, strict=True)],
            "air_name": first,
            "team_id": np.repeat(teams["team_id"].to_numpy(), AGENTS_PER_TEAM),
            "tier": rng.choice(["A", "B", "C"], size=count, p=[0.5, 0.35, 0.15]),
            "primary_channel": np.tile(TEAM_CHANNELS, len(TEAMS)),
            "handle_factor": speed,
            "care": care,
        }
    )
    return teams, agents


INTERACTIONS_PER_AGENT_DAY = 2
QUALITY_CHANNEL = {"telepon": "inbound", "chat": "medsos", "email": "medsos", "twitter": "medsos"}
ASSESSORS = {"asesor.andi": 1.0, "asesor.budi": 0.5, "asesor.citra": 1.0, "asesor.dewi": 1.7}
"""Demo assessors and how often each marks an item "tidak" (budi lenient, dewi harsh)."""
ASSESSED_PER_AGENT_MONTH = 3


def _interactions(day: dt.date, present, agents: pd.DataFrame, rng) -> pd.DataFrame:
    """A few logged interactions per agent at work: the pool the sampling queue draws from."""
    crew = agents.set_index("agent_id").loc[list(present)]
    agent_ids = np.repeat(crew.index.to_numpy(), INTERACTIONS_PER_AGENT_DAY)
    channels = np.repeat(
        crew["primary_channel"].map(QUALITY_CHANNEL).to_numpy(), INTERACTIONS_PER_AGENT_DAY
    )
    complaints = (channels == "inbound") & (rng.random(len(channels)) < 0.08)
    channels = np.where(complaints, "pengaduan", channels)
    seconds = rng.integers(8 * 3600, 16 * 3600, size=len(agent_ids))
    started = pd.Timestamp(day) + pd.to_timedelta(seconds, unit="s")
    sequence = np.tile(np.arange(1, INTERACTIONS_PER_AGENT_DAY + 1), len(crew))
    return pd.DataFrame(
        {
            "interaction_id": [
                f"{day:%Y%m%d}-{a}-{n}" for a, n in zip(agent_ids, sequence, strict=True)
            ],
            "channel": channels,
            "started_at": started,
            "agent_id": agent_ids,
            "topic": rng.choice(
                ["SPT", "NPWP", "EFIN", "Pembayaran", "PPh 21"], size=len(agent_ids)
            ),
        }
    )


def demo_assessments(interactions: pd.DataFrame, agents: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Three assessed interactions per agent and month, by four assessors of unequal rigour."""
    rng = np.random.default_rng([seed, 1])
    rubric = quality.load_rubric()
    month = interactions["started_at"].dt.to_period("M")
    chosen = (
        interactions.assign(month=month, draw=rng.random(len(interactions)))
        .sort_values("draw")
        .groupby(["agent_id", "month"], sort=False)
        .head(ASSESSED_PER_AGENT_MONTH)
        .sort_values("started_at")
        .reset_index(drop=True)
    )
    care = agents.set_index("agent_id")["care"]
    parts = []
    for channel, rows in chosen.groupby("channel"):
        items = [i.id for i in rubric.items(channel)]
        assessor = rng.choice(list(ASSESSORS), size=len(rows))
        rigour = np.array([ASSESSORS[a] for a in assessor])
        miss = (1 - care.loc[rows["agent_id"]].to_numpy()) * 2.5 * rigour
        draws = rng.random((len(rows), len(items)))
        answers = np.where(draws < miss[:, None], "tidak", "ya").astype(object)
        optional = [k for k, i in enumerate(items) if i in ("atribut.hold", "atribut.unhold")]
        answers[:, optional] = np.where(
            rng.random((len(rows), len(optional))) < 0.5, "na", answers[:, optional]
        )
        scored = quality.score_frame(pd.DataFrame(answers, columns=items), channel, rubric=rubric)
        sections = [s.id for s in rubric.sections]
        parts.append(
            rows.assign(
                assessor=assessor,
                rubric_version=rubric.version,
                answers=[dict(zip(items, a, strict=True)) for a in answers],
                total=scored["total"].to_numpy(),
                by_section=[
                    {k: v for k, v in zip(sections, r, strict=True) if not np.isnan(v)}
                    for r in scored[sections].to_numpy()
                ],
                auto_fail=scored["auto_fail"].to_numpy(),
            )
        )
    return pd.concat(parts, ignore_index=True).sort_values("started_at", ignore_index=True)


def demo_users(teams: pd.DataFrame, agents: pd.DataFrame) -> pd.DataFrame:
    """A user per agent, a team leader per team, one SPV PKL, the assessors, an analyst and
    an admin."""
    rows = [
        {"username": a.agent_id.lower(), "name": a.name, "role": "agent",
         "team_id": a.team_id, "agent_id": a.agent_id}
        for a in agents.itertuples()
    ]  # fmt: skip
    rows += [
        {"username": f"tl.{t.team_id}", "name": f"Team Leader {t.name}", "role": "team_leader",
         "team_id": t.team_id, "agent_id": None}
        for t in teams.itertuples()
    ]  # fmt: skip
    rows.append({"username": "spv.pkl", "name": "SPV PKL", "role": "spv", "team_id": None,
                 "agent_id": None})  # fmt: skip
    rows += [
        {"username": a, "name": a.split(".")[1].title(), "role": "assessor", "team_id": None,
         "agent_id": None}
        for a in ASSESSORS
    ]  # fmt: skip
    rows.append({"username": "analis", "name": "Analis Data", "role": "analyst", "team_id": None,
                 "agent_id": None})  # fmt: skip
    rows.append({"username": "admin", "name": "Administrator", "role": "admin", "team_id": None,
                 "agent_id": None})  # fmt: skip
    return pd.DataFrame(rows)


def seasonal_factor(day: dt.date) -> float:
    """Extra load building up to each SPT deadline and dropping right after it."""
    factor = 1.0
    for month, dom, extra in SPT_PEAKS:
        days_left = (dt.date(day.year, month, dom) - day).days
        if days_left >= 0:
            factor += extra * np.exp(-days_left / PEAK_DECAY_DAYS)
    return factor


def _one_day(day: dt.date, agents: pd.DataFrame, rng: np.random.Generator):
    load = WEEKDAY_FACTOR[day.isoweekday()] * seasonal_factor(day)
    present = agents[rng.random(len(agents)) >= ABSENCE_RATE]
    rows, queue = [], []
    for channel in CHANNELS:
        crew = present[present["primary_channel"] == channel]
        arrivals = rng.poisson(BASE_DAILY_ARRIVALS[channel] * load * rng.lognormal(0, 0.06))
        staffed = SHIFT_SECONDS - rng.uniform(0, 1800, size=len(crew))
        if channel == "telepon":
            frame, hourly = _phone_day(crew, arrivals, staffed, rng)
        else:
            frame, hourly = _digital_day(channel, crew, arrivals, staffed, rng)
        frame["channel"] = channel
        hourly["channel"] = channel
        rows.append(frame)
        queue.append(hourly)
    activity = pd.concat(rows, ignore_index=True)
    activity.insert(0, "date", day)
    queue = pd.concat(queue, ignore_index=True)
    queue.insert(0, "date", day)
    return activity.reindex(columns=["date", "agent_id", "channel", *ACTIVITY_MEASURES]), queue


def _hourly_split(total: int, rng: np.random.Generator) -> np.ndarray:
    return rng.multinomial(total, list(HOUR_SHARE.values()))


def _queue_frame(offered_by_hour: np.ndarray, answered_by_hour: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "hour": list(HOUR_SHARE),
            "offered": offered_by_hour,
            "answered": answered_by_hour,
            "abandoned": offered_by_hour - answered_by_hour,
        }
    )


def _phone_day(crew: pd.DataFrame, offered: int, staffed: np.ndarray, rng):
    factor = crew["handle_factor"].to_numpy()
    aux = staffed * rng.uniform(0.08, 0.14, size=len(crew))
    mean_handle = (MEAN_TALK + MEAN_ACW + MEAN_RING + HOLD_SHARE * MEAN_HOLD) * factor
    capacity = np.floor((staffed - aux) * 0.88 / mean_handle)
    # Calls are lost where an hour's arrivals exceed that hour's answering capacity.
    offered_by_hour = _hourly_split(offered, rng)
    capacity_by_hour = capacity.sum() / len(HOUR_SHARE)
    answered_by_hour = np.minimum(
        rng.binomial(offered_by_hour, 0.97), np.floor(capacity_by_hour)
    ).astype(int)
    weights = capacity / capacity.sum() * rng.uniform(0.92, 1.08, size=len(crew))
    calls = rng.multinomial(answered_by_hour.sum(), weights / weights.sum())
    owner = np.repeat(np.arange(len(crew)), calls)

    def per_agent(mean: float, sigma: float, share: float = 1.0, skill=True) -> np.ndarray:
        """Lognormal seconds for each call (mean ``mean``), summed per agent."""
        values = rng.lognormal(np.log(mean) - sigma**2 / 2, sigma, size=owner.size)
        if skill:
            values *= factor[owner]
        if share < 1.0:
            values *= rng.random(owner.size) < share
        return np.bincount(owner, weights=values, minlength=len(crew))

    acd_time = per_agent(MEAN_TALK, 0.65)
    acw_time = per_agent(MEAN_ACW, 0.5)
    hold_time = per_agent(MEAN_HOLD, 0.7, share=HOLD_SHARE)
    ring_time = per_agent(MEAN_RING, 0.4, skill=False)
    busy = acd_time + acw_time + hold_time + ring_time
    staffed = np.maximum(staffed, busy + aux)
    frame = pd.DataFrame(
        {
            "agent_id": crew["agent_id"].to_numpy(),
            "acd_calls": calls,
            "acd_time": acd_time,
            "hold_time": hold_time,
            "acw_time": acw_time,
            # Talk time comes from the recording system: ACD time less silence on the line.
            "talk_time": acd_time * rng.uniform(0.84, 0.95, size=len(crew)),
            "ring_time": ring_time,
            "staffed_time": staffed,
            "aux_time": aux,
            "avail_time": np.maximum(staffed - busy - aux, 0.0),
            "interactions_total": calls,
            "interactions_documented": rng.binomial(calls, crew["care"].to_numpy()),
        }
    )
    return frame, _queue_frame(offered_by_hour, answered_by_hour)


def _digital_day(channel: str, crew: pd.DataFrame, arrivals: int, staffed: np.ndarray, rng):
    care = crew["care"].to_numpy()
    weights = rng.uniform(0.9, 1.1, size=len(crew)) / crew["handle_factor"].to_numpy()
    assigned = rng.multinomial(arrivals, weights / weights.sum())
    answered = rng.binomial(assigned, np.clip(care - 0.02, 0, 1))
    frame = pd.DataFrame(
        {
            "agent_id": crew["agent_id"].to_numpy(),
            "staffed_time": staffed,
            "interactions_total": answered,
            "interactions_documented": rng.binomial(answered, care),
        }
    )
    if channel == "chat":
        frame["chats_answered"] = answered
        in_sla = np.clip(0.9 - (crew["handle_factor"].to_numpy() - 1.0) * 0.6, 0.5, 0.99)
        frame["chats_answered_in_sla"] = rng.binomial(answered, in_sla)
    elif channel == "email":
        frame["emails_assigned"] = assigned
        frame["emails_answered"] = answered
    offered_by_hour = _hourly_split(arrivals, rng)
    answered_by_hour = rng.multivariate_hypergeometric(offered_by_hour, answered.sum())
    return frame, _queue_frame(offered_by_hour, answered_by_hour)
