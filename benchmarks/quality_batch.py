"""Scoring 100,000 assessments in one batch with quality.score_frame (target: under 5 s).

    .venv/bin/python benchmarks/quality_batch.py [--rows 100000]

Random answers (80 % ya, 12 % tidak, 8 % na) and context facts for the inbound channel;
the reference, timed in the same run, is quality.score() called row by row on a 1/100
sample, scaled up, so the ratio says what the vectorised core saves.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from kringlib import quality


def build(rows: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    items = [i.id for i in quality.load_rubric().items("inbound")]
    answers = pd.DataFrame(
        rng.choice(list(quality.ANSWERS), size=(rows, len(items)), p=[0.8, 0.12, 0.08]),
        columns=items,
    )
    start = np.datetime64("2026-01-05T08:00")
    context = pd.DataFrame(
        {
            "poro_required": rng.random(rows) < 0.4,
            "poro_done": rng.random(rows) < 0.9,
            "transferred": rng.random(rows) < 0.1,
            "should_transfer": rng.random(rows) < 0.1,
            "greeting_period": rng.choice(["pagi", "siang", "sore"], size=rows),
            "interaction_time": start + rng.integers(0, 8 * 3600, rows).astype("timedelta64[s]"),
        }
    )
    return answers, context


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    answers, context = build(args.rows)

    started = time.perf_counter()
    result = quality.score_frame(answers, "inbound", context)
    batch = time.perf_counter() - started

    sample = max(args.rows // 100, 1)
    records = answers.head(sample).to_dict(orient="records")
    facts = context.head(sample).to_dict(orient="records")
    started = time.perf_counter()
    for row, fact in zip(records, facts, strict=True):
        fact["interaction_time"] = pd.Timestamp(fact["interaction_time"]).to_pydatetime()
        fact = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in fact.items()}
        quality.score(row, "inbound", fact)
    one_by_one = (time.perf_counter() - started) * args.rows / sample

    print(f"assessments: {args.rows:,}   mean total: {result['total'].mean():.1f}")
    print(f"score_frame (batch)        {batch:7.2f} s   target < 5 s, ratio {batch / 5:.2f}")
    print(f"score() one by one, scaled {one_by_one:7.2f} s  batch {one_by_one / batch:.0f}x faster")


if __name__ == "__main__":
    main()
