"""Importing a 200 MB Avaya agent export, against pandas.read_csv of the same file.

    .venv/bin/python benchmarks/imports.py [--rows 2000000]

Writes an interval agent report (600 agents, 32 half-hours a day, ~100 bytes a line:
2 million lines make ~200 MB) with its title lines and totals row, into a fresh SQLite
workbench whose roster knows the agents' log-ins. Then, each in a process of its own so
that peak memory is its own: the import as the import panel runs it on an upload that
has arrived (preview: read, check, match to the roster; then commit), with its progress
bar; and, as the reference, ``pandas.read_csv`` of the same file with no checks. Prints
the seconds and the peak resident memory of each, the ratios, and the targets (≤ 25 s
and ≤ 1 GiB for the import).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

AGENTS, SLOTS = 600, 32
FIRST_DAY = dt.date(2022, 1, 3)
LOGIN = 70001
HEADER = ("Agent Name,Login ID,Date,Time,ACD Calls,ACD Time,ACW Time,Hold Time,"
          "Agent Ring Time,Staffed Time,AUX Time,Avail Time,Calls Offered")  # fmt: skip


def hms(seconds: np.ndarray) -> np.ndarray:
    """Seconds as CMS writes durations, h:mm:ss."""
    hours, rest = np.divmod(seconds, 3600)
    minutes, rest = np.divmod(rest, 60)
    two = [np.char.zfill(part.astype(str), 2) for part in (minutes, rest)]
    return np.char.add(np.char.add(hours.astype(str), ":"), np.char.add(np.char.add(two[0], ":"),
                                                                        two[1]))  # fmt: skip


def write_export(path: Path, rows: int, seed: int = 1) -> None:
    """An interval agent report of ``rows`` lines, day after day from FIRST_DAY."""
    rng = np.random.default_rng(seed)
    names = np.array([f"Agen Nomor {a:04d}" for a in range(AGENTS)])
    logins = np.array([str(LOGIN + a) for a in range(AGENTS)])
    with path.open("w", newline="") as out:
        out.write('"Agent Performance"\n"Split: 1 Informasi Perpajakan"\n' + HEADER + "\n")
        written, day = 0, 0
        while written < rows:
            count = min(AGENTS * SLOTS, rows - written)
            agent, slot = np.arange(count) % AGENTS, np.arange(count) // AGENTS
            start = 7 * 60 + slot * 30
            times = [f"{s // 60:02d}:{s % 60:02d}-{(s + 30) // 60:02d}:{(s + 30) % 60:02d}"
                     for s in start]  # fmt: skip
            calls = rng.poisson(5, count)
            acd = calls * rng.integers(60, 140, count)
            frame = pd.DataFrame({
                "name": names[agent], "login": logins[agent],
                "date": (FIRST_DAY + dt.timedelta(days=day)).strftime("%d/%m/%Y"),
                "time": times, "calls": calls, "acd": hms(acd), "acw": hms(calls * 30),
                "hold": hms(calls * 3), "ring": hms(calls * 5), "staffed": "0:30:00",
                "aux": hms(agent % 6 * 60), "avail": hms(agent % 5 * 60), "offered": calls + 1,
            })  # fmt: skip
            frame.to_csv(out, header=False, index=False)
            written, day = written + count, day + 1
        out.write("Totals,,,,,,,,,,,,\n")


def prepare(folder: Path) -> str:
    """A workbench database with the demo's accounts and a team of the export's agents."""
    from kringlib import demo, roster
    from kringlib.store import db, seed, users
    from kringlib.store import roster as roster_store

    url = f"sqlite:///{folder / 'kring.sqlite'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    seed.load_demo(engine, demo.generate())
    unknown = pd.DataFrame({
        "system": "avaya", "login_id": [str(LOGIN + a) for a in range(AGENTS)],
        "name": [f"Agen Nomor {a:04d}" for a in range(AGENTS)],
        "first_day": pd.Timestamp(FIRST_DAY), "last_day": pd.NaT, "rows": 0,
    })  # fmt: skip
    actor = users.user(engine, "spv.pkl")
    team = lambda r: roster.add_team(r, "besar", "Tim Besar")  # noqa: E731
    roster_store.save(engine, actor, lambda r: roster.add_for_logins(team(r), unknown, "besar"),
                      "tolok ukur impor")  # fmt: skip
    engine.dispose()
    return url


def run_import(url: str, path: Path) -> dict:
    """The import panel's preview then commit, as on an upload that has arrived."""
    from kringlib.store import db
    from kringlib.ui import progress
    from kringlib.ui.identity import Session
    from kringlib.ui.import_panel import ImportPanelModel

    engine = db.make_engine(url)
    model = ImportPanelModel(engine, Session(engine, "spv.pkl"))
    moves = []
    model.observe(lambda c: moves.append(c.new), "progress")
    started = time.perf_counter()
    model.preview(path.name, path)
    previewed = time.perf_counter()
    assert model.plan is not None and model.plan.can_commit, model.error or model.plan.errors[:3]
    rows = len(model.plan.rows)
    model.commit()
    assert model.message.startswith("Tersimpan"), model.error
    done = time.perf_counter()
    shown = [m for m in moves if m is not None]
    return {"seconds": done - started, "preview": previewed - started, "rows": rows,
            "bar_moves": len(shown), "shown_after": progress.SHOW_AFTER}  # fmt: skip


def run_read_csv(path: Path) -> dict:
    """The reference: the whole file into a DataFrame, no checks."""
    started = time.perf_counter()
    frame = pd.read_csv(path, skiprows=2, skipfooter=0)
    return {"seconds": time.perf_counter() - started, "rows": len(frame)}


def child(argv: list[str]) -> None:
    what, *rest = argv
    result = run_import(rest[0], Path(rest[1])) if what == "import" else run_read_csv(Path(rest[0]))
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def in_child(*argv: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", *argv], check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    return json.loads(out.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        export = folder / "agen-avaya.csv"
        write_export(export, args.rows)
        url = prepare(folder)
        size = export.stat().st_size / 2**20
        reference = in_child("read_csv", str(export))
        ours = in_child("import", url, str(export))
    print(f"export: {args.rows:,} lines, {size:,.0f} MiB; stored {ours['rows']:,} agent-days; "
          f"progress bar moved {ours['bar_moves']} times")  # fmt: skip
    print(f"{'':28}{'seconds':>9}{'peak MiB':>10}")
    print(f"{'pandas.read_csv (ref.)':28}{reference['seconds']:9.1f}{reference['peak_mib']:10.0f}")
    print(f"{'import: preview + commit':28}{ours['seconds']:9.1f}{ours['peak_mib']:10.0f}"
          f"   (preview {ours['preview']:.1f} s)")  # fmt: skip
    print(f"ratio import/read_csv: time {ours['seconds'] / reference['seconds']:.2f}, "
          f"memory {ours['peak_mib'] / reference['peak_mib']:.2f}")  # fmt: skip
    print(f"targets: import ≤ 25 s ({ours['seconds']:.1f}), peak ≤ 1024 MiB "
          f"({ours['peak_mib']:.0f})")  # fmt: skip


if __name__ == "__main__":
    main()
