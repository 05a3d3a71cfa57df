"""kpi.productivity() on 10 million agent-interval rows, against DuckDB and a per-group apply.

    .venv/bin/python benchmarks/productivity.py [--rows 10000000] [--store-rows 1000000]
                                                [--repeat 3]

Builds a frame with the canonical columns (30-minute intervals, a few missing figures)
and groups it by agent × month, with ``agent_id`` as each kind of key a frame may carry:
categorical; pandas' ``str`` (what the readers produce); Python strings in an object
column. A fourth frame is the store's own: ``--store-rows`` agent-day-channel rows written
to a temporary SQLite database and read back with ``read_activity`` (str keys, a team,
``date`` as datetime64), grouped by agent × the month of ``date``. For each it prints the
median wall time of kringlib's productivity() and of DuckDB running the same filtered sums
in SQL on the same DataFrame (timed in turn, so both meet the same load), and the peak
memory tracemalloc sees allocated during productivity() against the frame's own size.
Last, a per-group ``groupby().apply`` in Python (on a 1/10 sample of the categorical frame,
scaled up). Ratios are taken within this one run.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc

import duckdb
import numpy as np
import pandas as pd

from kringlib import kpi
from kringlib.canonical import CHANNELS
from kringlib.roster import Roster
from kringlib.store import db, roster
from kringlib.store.activity import read_activity, write_activity

MEASURES = [
    "acd_calls", "acd_time", "hold_time", "acw_time", "talk_time", "ring_time", "staffed_time",
    "incoming_calls", "interactions_total", "interactions_documented", "chats_answered",
    "chats_answered_in_sla", "emails_assigned", "emails_answered",
]  # fmt: skip


def build_frame(rows: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    agents = pd.Categorical.from_codes(rng.integers(0, AGENTS, rows), categories=agent_ids())
    start = np.datetime64("2025-01-01T08:00")
    slots = rng.integers(0, 365 * 16, rows)  # sixteen half-hour intervals a day
    moments = (
        start + (slots // 16).astype("timedelta64[D]") + (slots % 16 * 30).astype("timedelta64[m]")
    )
    frame = pd.DataFrame({"date": moments.astype("datetime64[ns]"), "agent_id": agents})
    add_measures(frame, rng)
    frame["month"] = frame["date"].dt.to_period("M")
    return frame


AGENTS = 600
TEAMS = 6


def agent_ids() -> list[str]:
    return [f"AG{i:04d}" for i in range(AGENTS)]


def add_measures(frame: pd.DataFrame, rng: np.random.Generator) -> None:
    """The canonical measures of ``frame``'s rows, a few talk times missing."""
    rows = len(frame)
    calls = rng.poisson(4, rows).astype(float)
    frame["acd_calls"] = calls
    frame["acd_time"] = calls * rng.lognormal(5.4, 0.3, rows)
    frame["hold_time"] = calls * rng.exponential(15, rows)
    frame["acw_time"] = calls * rng.exponential(35, rows)
    frame["talk_time"] = frame["acd_time"] * 0.9
    frame["ring_time"] = calls * 6.0
    frame["staffed_time"] = 1800.0
    frame["incoming_calls"] = calls + rng.poisson(0.3, rows)
    frame["interactions_total"] = calls
    frame["interactions_documented"] = np.minimum(calls, rng.poisson(3.9, rows))
    frame["chats_answered"] = rng.poisson(2, rows).astype(float)
    frame["chats_answered_in_sla"] = np.minimum(frame["chats_answered"], rng.poisson(1.8, rows))
    frame["emails_assigned"] = rng.poisson(1, rows).astype(float)
    frame["emails_answered"] = np.minimum(frame["emails_assigned"], rng.poisson(0.9, rows))
    missing = rng.random(rows) < 0.01  # talk time from another system, not every interval
    frame.loc[missing, "talk_time"] = np.nan


def store_frame(rows: int, seed: int = 2) -> pd.DataFrame:
    """``rows`` agent-day-channel rows as ``read_activity`` returns them from SQLite."""
    days = -(-rows // (AGENTS * len(CHANNELS)))
    keys = pd.MultiIndex.from_product(
        [pd.date_range("2025-01-01", periods=days), agent_ids(), CHANNELS],
        names=["date", "agent_id", "channel"],
    )
    activity = keys[:rows].to_frame(index=False)
    add_measures(activity, np.random.default_rng(seed))
    teams = pd.DataFrame({"team_id": [f"t{i}" for i in range(TEAMS)],
                          "name": [f"Tim {i}" for i in range(TEAMS)]})  # fmt: skip
    agents = pd.DataFrame({"agent_id": agent_ids(), "name": agent_ids(), "air_name": None,
                           "tier": "A", "primary_channel": "telepon"})  # fmt: skip
    memberships = pd.DataFrame(
        {"agent_id": agent_ids(), "team_id": np.repeat(teams["team_id"], AGENTS // TEAMS).array,
         "valid_from": pd.Timestamp("2025-01-01"), "valid_to": pd.NaT}
    ).astype({"valid_to": "datetime64[ns]"})  # fmt: skip
    organisation = Roster(teams, agents, memberships, Roster.empty().logins)
    with tempfile.TemporaryDirectory() as folder:
        engine = db.make_engine(f"sqlite:///{folder}/kring.sqlite")
        db.upgrade(engine)
        with engine.begin() as conn:
            roster.write(conn, Roster.empty(), organisation, "benchmark", "benchmark")
            write_activity(conn, activity, "benchmark")
        frame = read_activity(engine)
        engine.dispose()
    return frame


def duckdb_sql() -> str:
    parts = []
    for definition in kpi.definitions().values():
        numerator = " + ".join(definition.numerator)
        denominator = " + ".join(definition.denominator)
        usable = " AND ".join(f"{c} IS NOT NULL" for c in definition.inputs)
        parts.append(
            f"sum({numerator}) FILTER (WHERE {usable}) * {definition.scale} / "
            f"nullif(sum({denominator}) FILTER (WHERE {usable}), 0) AS {definition.id}"
        )
    return (
        f"SELECT agent_id, date_trunc('month', date) AS month, {', '.join(parts)} "
        "FROM frame GROUP BY ALL ORDER BY ALL"
    )


def per_group_apply(frame: pd.DataFrame) -> pd.DataFrame:
    def one_group(group: pd.DataFrame) -> pd.Series:
        return kpi.productivity(group).iloc[0]

    return frame.groupby(["agent_id", "month"], observed=True).apply(one_group)


def timed_in_turn(functions, repeat: int) -> list[tuple[float, object]]:
    """Median wall time and last result of each function, run in turn ``repeat`` times so
    that each meets the same load of a shared machine."""
    times = [[] for _ in functions]
    results = [None] * len(functions)
    for _ in range(repeat):
        for i, function in enumerate(functions):
            started = time.perf_counter()
            results[i] = function()
            times[i].append(time.perf_counter() - started)
    return [(statistics.median(t), result) for t, result in zip(times, results, strict=True)]


def peak_memory(function) -> int:
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def line(label: str, figure: str, ratio: str = "", target: str = "") -> str:
    return f"  {label:26}{figure:>12}" + (f"   {ratio}  (target {target})" if ratio else "")


def against_duckdb(title: str, frame: pd.DataFrame, repeat: int) -> tuple[float, list[str]]:
    """productivity() by agent × month against DuckDB on ``frame``: our time, and the lines
    to print."""
    by = ["agent_id", "month"]
    connection = duckdb.connect()
    connection.register("frame", frame.drop(columns="month", errors="ignore"))
    sql = duckdb_sql()
    (ours, result), (theirs, reference) = timed_in_turn(
        [lambda: kpi.productivity(frame, by=by), lambda: connection.execute(sql).df()], repeat
    )
    keys = result.index.to_frame(index=False)
    assert keys["agent_id"].astype(str).tolist() == reference["agent_id"].tolist()
    assert (keys["month"].dt.to_timestamp().to_numpy() == reference["month"].to_numpy()).all()
    np.testing.assert_allclose(
        result.to_numpy(), reference[list(result.columns)].to_numpy(), rtol=1e-6
    )
    input_bytes = frame.memory_usage(deep=True).sum()
    peak = peak_memory(lambda: kpi.productivity(frame, by=by))
    return ours, [
        f"{title}: {len(frame):,} rows, {len(result):,} groups, {input_bytes / 2**20:,.0f} MiB",
        line("productivity()", f"{ours:8.3f} s"),
        line("DuckDB, same sums in SQL", f"{theirs:8.3f} s", f"ours/DuckDB {ours / theirs:5.2f}",
             "≤ 1.0"),
        line("peak extra memory", f"{peak / 2**20:6.0f} MiB",
             f"peak/input {peak / input_bytes:5.2f}", "≤ 2"),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--store-rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    frame = build_frame(args.rows)
    ours, lines = against_duckdb("agent_id categorical, month column", frame, args.repeat)
    sample = frame.iloc[: args.rows // 10]
    [(apply_seconds, _)] = timed_in_turn([lambda: per_group_apply(sample)], 1)
    apply_scaled = apply_seconds * 10
    lines.append(line("per-group apply (scaled)", f"{apply_scaled:8.3f} s",
                      f"apply/ours {apply_scaled / ours:6.1f}", "≥ 10"))  # fmt: skip
    print("\n".join(lines))
    keys = frame["agent_id"]
    for kind, title in (("str", "str"), (object, "object (Python strings)")):
        with_strings = frame.assign(agent_id=keys.astype(kind))
        print(
            "\n".join(
                against_duckdb(f"agent_id {title}, month column", with_strings, args.repeat)[1]
            )
        )
        del with_strings
    stored = store_frame(args.store_rows)
    print(
        "\n".join(
            against_duckdb("as read_activity returns it, month of date", stored, args.repeat)[1]
        )
    )


if __name__ == "__main__":
    main()
