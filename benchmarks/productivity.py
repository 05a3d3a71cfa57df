"""kpi.productivity() on 10 million agent-interval rows, against DuckDB and a per-group apply.

    .venv/bin/python benchmarks/productivity.py [--rows 10000000] [--repeat 3]

Builds a frame with the canonical columns (agent_id categorical, 30-minute intervals, a
few missing figures), groups it by agent × month, and prints the median wall time of:
kringlib's productivity(); DuckDB running the same filtered sums in SQL on the same
DataFrame; and a per-group ``groupby().apply`` in Python (on a 1/10 sample, scaled up).
Ratios are taken within this one run. Peak memory is what tracemalloc sees allocated
during productivity(), against the input frame's own size.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import duckdb
import numpy as np
import pandas as pd

from kringlib import kpi

MEASURES = [
    "acd_calls", "acd_time", "hold_time", "acw_time", "talk_time", "ring_time", "staffed_time",
    "incoming_calls", "interactions_total", "interactions_documented", "chats_answered",
    "chats_answered_in_sla", "emails_assigned", "emails_answered",
]  # fmt: skip


def build_frame(rows: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    agents = pd.Categorical.from_codes(
        rng.integers(0, 600, rows), categories=[f"AG{i:04d}" for i in range(600)]
    )
    start = np.datetime64("2025-01-01T08:00")
    slots = rng.integers(0, 365 * 16, rows)  # sixteen half-hour intervals a day
    moments = (
        start + (slots // 16).astype("timedelta64[D]") + (slots % 16 * 30).astype("timedelta64[m]")
    )
    frame = pd.DataFrame({"date": moments.astype("datetime64[ns]"), "agent_id": agents})
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
    frame["month"] = frame["date"].dt.to_period("M")
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


def timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    frame = build_frame(args.rows)
    input_bytes = frame.memory_usage(deep=True).sum()
    ours, result = timed(lambda: kpi.productivity(frame, by=["agent_id", "month"]), args.repeat)

    connection = duckdb.connect()
    connection.register("frame", frame.drop(columns="month"))
    sql = duckdb_sql()
    theirs, reference = timed(lambda: connection.execute(sql).df(), args.repeat)
    np.testing.assert_allclose(
        result.to_numpy(), reference[list(result.columns)].to_numpy(), rtol=1e-6
    )

    sample = frame.iloc[: args.rows // 10]
    apply_seconds, _ = timed(lambda: per_group_apply(sample), 1)
    apply_scaled = apply_seconds * 10

    tracemalloc.start()
    kpi.productivity(frame, by=["agent_id", "month"])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(
        f"rows: {args.rows:,}  groups: {len(result):,}  input frame: {input_bytes / 2**20:,.0f} MiB"
    )
    print(f"productivity()            {ours:8.3f} s")
    lines = [
        (
            "DuckDB, same sums in SQL",
            f"{theirs:8.3f} s",
            f"ours/DuckDB {ours / theirs:5.2f}",
            "≤ 1.5",
        ),
        (
            "per-group apply (scaled)",
            f"{apply_scaled:8.3f} s",
            f"apply/ours {apply_scaled / ours:6.1f}",
            "≥ 10",
        ),
        (
            "peak extra memory",
            f"{peak / 2**20:6.0f} MiB",
            f"peak/input {peak / input_bytes:5.2f}",
            "≤ 2",
        ),
    ]
    for label, figure, ratio, target in lines:
        print(f"{label:26}{figure:>12}   {ratio}  (target {target})")


if __name__ == "__main__":
    main()
