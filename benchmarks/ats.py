"""adherence.ats() for 60 agents × a year of one-minute state changes, against a sort.

    .venv/bin/python benchmarks/ats.py [--agents 60] [--days 365]

Each agent is scheduled 08:00–16:00 on weekdays (with a break from 12:00 to 13:00) and
changes state every minute through 07:45–16:15 (mostly online, some aux). Prints the
seconds ats() takes by agent and month, against the reference in the same run: numpy
sorting the same number of int64 keys once (the least any sweep over the periods needs),
and the target (under 2 s).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from kringlib import adherence


def build(agents: int, days: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The schedule and one-minute states of ``agents`` agents over ``days`` days."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2026-01-01", periods=days, freq="D")
    weekdays = dates[dates.day_of_week < 5]
    ids = np.array([f"AG{a:03d}" for a in range(agents)])
    shift = [("08:00", "12:00", "layanan"), ("12:00", "13:00", "istirahat"),
             ("13:00", "16:00", "layanan")]  # fmt: skip
    schedule = pd.DataFrame([
        (agent, day + pd.Timedelta(start + ":00"), day + pd.Timedelta(end + ":00"), activity)
        for agent in ids for day in weekdays for start, end, activity in shift
    ], columns=["agent_id", "start", "end", "activity"])  # fmt: skip
    minutes = np.arange(7 * 60 + 45, 16 * 60 + 15)
    starts = (weekdays.values[:, None] + minutes[None, :].astype("timedelta64[m]")).ravel()
    count = len(starts) * agents
    states = pd.DataFrame({
        "agent_id": np.repeat(ids, len(starts)),
        "start": np.tile(starts, agents),
        "state": np.where(rng.random(count) < 0.9, adherence.ONLINE, adherence.AUX),
    })  # fmt: skip
    states["end"] = states["start"] + pd.Timedelta(minutes=1)
    return schedule, states


def timed(function, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=60)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    schedule, states = build(args.agents, args.days)
    ours = timed(lambda: adherence.ats(schedule, states, by=["agent_id", "month"]))
    keys = np.random.default_rng(2).integers(0, 2**50, 2 * (len(states) + len(schedule)))
    reference = timed(lambda: np.sort(keys))
    print(f"{args.agents} agents × {args.days} days: {len(states):,} state rows, "
          f"{len(schedule):,} schedule rows")  # fmt: skip
    print(f"ats() by agent and month  {ours:6.2f} s   (target < 2 s)")
    print(f"numpy sort of as many keys {reference:6.2f} s   ratio ats/sort {ours / reference:.2f}")


if __name__ == "__main__":
    main()
