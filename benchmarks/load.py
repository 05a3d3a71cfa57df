"""The load of a whole office at once, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/load.py [--engine sqlite|postgresql|both]

From separate processes, started together: 20 assessors each saving 50 assessments (and
each racing the others to correct the same 10 interactions), 10 approvers racing to
decide the same 10 appeals, 5 imports of a month of Avaya agent reports, and 60 agents
reading their scorecards. Prints writes per second, p50/p95/p99 latency per operation
and its ratio to the same operation done alone in the same run (the reference), failed
operations, lost or duplicated writes (must be 0), exactly-one-winner counts for every
race, and the verdict of `kring audit verify`. Targets: p95 save < 1 s on SQLite and
< 300 ms on PostgreSQL, zero lost writes.

Each worker is a page that is already open (connected, rules loaded) when the storm
starts, and stays alive until every worker is done: starting or ending a Python process
is not part of an office's load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from kringlib import demo, ingest, quality  # noqa: E402
from kringlib.calendar import default_calendar  # noqa: E402
from kringlib.roster import Roster  # noqa: E402
from kringlib.store import appeals, assessments, chain, db, imports, roster, seed, users  # noqa: E402
from kringlib.store.models import assessment, import_batch, interaction  # noqa: E402

logging.getLogger("kringlib").addHandler(logging.NullHandler())  # refusals are counted below
ASSESSORS, SAVES, APPROVERS, IMPORTS, READERS = 20, 50, 10, 5, 60
RACED = 10  # interactions every assessor tries to correct, and appeals every approver decides
DEMO_END = dt.date(2026, 4, 30)


def _answers(channel: str) -> dict[str, str]:
    return {item.id: "ya" for item in quality.load_rubric().items(channel)}


def _timed(log: list, kind: str, action) -> object:
    """Run ``action``; log (kind, start, seconds, outcome): "ok" or the error's class."""
    at, started = time.time(), time.perf_counter()
    try:
        result, outcome = action(), "ok"
    except Exception as exc:  # a refused or busy operation counts, it does not stop the run
        result, outcome = None, type(exc).__name__
    log.append((kind, at, time.perf_counter() - started, outcome))
    return result


def _page(url: str) -> sa.Engine:
    """An engine warmed up as a page's kernel is when its user acts: connected, and the
    rubric and work calendar loaded (the form scores each answer as it is given)."""
    engine = db.make_engine(url)
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
    quality.load_rubric()
    default_calendar()
    return engine


def _done(log: list, barrier, out) -> None:
    """Hand in the log, then wait for everyone: no process ends (an exit costs a Python
    process ~0.2 s of CPU) while others are still being timed."""
    out.put(log)
    barrier.wait()


def assessor(url, username, mine, raced, barrier, out):
    engine, log = _page(url), []
    actor = users.user(engine, username)
    barrier.wait()
    for index, (pk, channel) in enumerate(mine):
        _timed(
            log,
            "simpan penilaian",
            lambda pk=pk, ch=channel: assessments.save_assessment(
                engine, actor, interaction_pk=pk, answers=_answers(ch), context={}, notes=""
            ),
        )
        if index % 5 == 0 and raced:
            pk, channel, first = raced.pop(0)
            _timed(
                log,
                "koreksi (balapan)",
                lambda pk=pk, ch=channel, v=first: assessments.save_assessment(
                    engine,
                    actor,
                    interaction_pk=pk,
                    answers=_answers(ch),
                    context={},
                    notes="",
                    supersedes=v,
                    reason="koreksi",
                ),
            )
    _done(log, barrier, out)


def approver(url, appeal_ids, leaders, barrier, out):
    engine, log = _page(url), []
    random.shuffle(appeal_ids)
    barrier.wait()
    for appeal_id in appeal_ids:
        actor = users.user(engine, leaders[appeal_id])
        _timed(
            log,
            "putuskan banding (balapan)",
            lambda a=appeal_id, u=actor: appeals.decide(engine, u, a, True),
        )
    _done(log, barrier, out)


def importer(url, content, name, barrier, out):
    engine, log = _page(url), []
    actor = users.user(engine, "spv.pkl")
    barrier.wait()
    _timed(
        log,
        "impor sebulan",
        lambda: imports.commit_import(
            engine, imports.plan_import(engine, content, ingest.AGENT, name), actor
        ),
    )
    _done(log, barrier, out)


def reader(url, agent_id, barrier, out):
    engine, log = _page(url), []
    barrier.wait()
    for _ in range(5):
        _timed(log, "baca rapor agen", lambda: assessments.current(engine, agent_id=agent_id))
    _done(log, barrier, out)


def month_report(month: int, agents) -> bytes:
    """An Avaya agent report of every agent for every day of 2025-``month``."""
    lines = ['"Agent Name","Login ID","Date","ACD Calls","ACD Time","ACW Time","Staffed Time"']
    logins = demo.avaya_login(agents["agent_id"])
    day = dt.date(2025, month, 1)
    while day.month == month:
        for name, login in zip(agents["name"], logins, strict=True):
            lines.append(f'"{name}","{login}","{day:%d/%m/%Y}",40,"3:20:00","0:30:00","7:30:00"')
        day += dt.timedelta(days=1)
    return "\n".join(lines).encode()


def _on_the_roster_since_2025(stored: Roster) -> Roster:
    """Everyone in their team, with their log-ins, since 2025: the imports are of 2025."""
    since = pd.Timestamp("2025-01-01")
    return replace(stored, memberships=stored.memberships.assign(valid_from=since),
                   logins=stored.logins.assign(valid_from=since))  # fmt: skip


def prepare(url: str, data) -> dict:
    """Demo data, the assessors' interactions, raced corrections and filed appeals."""
    engine = db.make_engine(url)
    db.upgrade(engine)
    seed.load_demo(engine, data)
    roster.save(engine, users.user(engine, "admin"), _on_the_roster_since_2025, "riwayat 2025")
    with engine.connect() as conn:
        assessed = sa.select(assessment.c.interaction_pk)
        free = conn.execute(
            sa.select(interaction.c.id, interaction.c.channel)
            .where(interaction.c.id.not_in(assessed), interaction.c.channel != "twitter")
            .order_by(interaction.c.id)
        ).all()
    needed = ASSESSORS * SAVES + 2 * RACED
    if len(free) < needed + 5:
        raise SystemExit(f"only {len(free)} unassessed interactions, need {needed}")
    andi = users.user(engine, "asesor.andi")
    for n in range(ASSESSORS):
        users.add_user(engine, f"asesor.beban{n:02d}", f"Asesor {n}", "assessor")
    raced = []
    for pk, channel in free[ASSESSORS * SAVES : ASSESSORS * SAVES + RACED]:
        first = assessments.save_assessment(
            engine, andi, interaction_pk=pk, answers=_answers(channel), context={}, notes=""
        )
        raced.append((pk, channel, first))
    leaders, team_of = {}, {a.agent_id: a.team_id for a in data.agents.itertuples()}
    for pk, channel in free[ASSESSORS * SAVES + RACED : needed]:
        answers = _answers(channel) | {next(iter(_answers(channel))): "tidak"}
        version = assessments.save_assessment(
            engine, andi, interaction_pk=pk, answers=answers, context={}, notes=""
        )
        row = assessments.current(engine).set_index("id").loc[version]
        agent = users.users(engine).query("agent_id == @row.agent_id").iloc[0]
        appeal_id = appeals.file_appeal(
            engine, users.user(engine, agent.username), version, {next(iter(answers)): "Sesuai TKB"}
        )
        leaders[appeal_id] = f"tl.{team_of[row.agent_id]}"
    # the reference: the same operations alone, before the storm
    reference = []
    for pk, channel in free[needed : needed + 5]:
        _timed(
            reference,
            "simpan penilaian",
            lambda pk=pk, ch=channel: assessments.save_assessment(
                engine, andi, interaction_pk=pk, answers=_answers(ch), context={}, notes=""
            ),
        )
    for agent_id in list(team_of)[:5]:
        _timed(
            reference, "baca rapor agen", lambda a=agent_id: assessments.current(engine, agent_id=a)
        )
    engine.dispose()
    return dict(free=free[: ASSESSORS * SAVES], raced=raced, leaders=leaders, reference=reference)


def storm(url: str, data) -> tuple[list, list, float]:
    """Every worker at once; returns the logs of the storm and of the reference, and the
    storm's wall time."""
    plan = prepare(url, data)
    spawn = mp.get_context("spawn")
    barrier, out = spawn.Barrier(ASSESSORS + APPROVERS + IMPORTS + READERS), spawn.Queue()
    workers = [
        spawn.Process(
            target=assessor,
            args=(
                url,
                f"asesor.beban{n:02d}",
                plan["free"][n * SAVES : (n + 1) * SAVES],
                list(plan["raced"]),
                barrier,
                out,
            ),
        )
        for n in range(ASSESSORS)
    ]
    workers += [
        spawn.Process(
            target=approver, args=(url, list(plan["leaders"]), plan["leaders"], barrier, out)
        )
        for _ in range(APPROVERS)
    ]
    agents = data.agents
    workers += [
        spawn.Process(
            target=importer,
            args=(url, month_report(m + 1, agents), f"agen-2025-{m + 1:02d}.csv", barrier, out),
        )
        for m in range(IMPORTS)
    ]
    workers += [
        spawn.Process(target=reader, args=(url, a, barrier, out)) for a in agents["agent_id"]
    ]
    for worker in workers:
        worker.start()
    logs = [entry for _ in workers for entry in out.get(timeout=900)]
    for worker in workers:
        worker.join(timeout=60)
    wall = max(at + took for _, at, took, _ in logs) - min(at for _, at, _, _ in logs)
    return logs, plan, wall


def checks(url: str, plan: dict, logs: list) -> dict[str, object]:
    """Lost and duplicated writes, the winners of every race, the history's verdict."""
    engine = db.make_engine(url)
    ok = [entry for entry in logs if entry[3] == "ok"]
    saved = sum(kind == "simpan penilaian" for kind, *_ in ok)
    with engine.connect() as conn:
        stored = conn.execute(
            sa.select(
                sa.func.count(), sa.func.count(sa.distinct(assessment.c.interaction_pk))
            ).where(assessment.c.assessor.like("asesor.beban%"), assessment.c.version == 1)
        ).one()
        raced_versions = [
            conn.execute(
                sa.select(sa.func.count()).where(assessment.c.interaction_pk == pk)
            ).scalar_one()
            for pk, _, _ in plan["raced"]
        ]
        batches = conn.execute(sa.select(sa.func.count()).select_from(import_batch)).scalar_one()
    decided = appeals.audit_trail(engine)
    decided = decided[decided["to_state"] == "disetujui_tl"].groupby("appeal_id").size()
    verdicts = chain.verify(engine)
    engine.dispose()
    races = sum(v == 2 for v in raced_versions)
    imported = sum(kind == "impor sebulan" for kind, *_ in ok)
    broken = [str(v) for v in verdicts if not v.intact]
    return {
        "saves reported / stored": f"{saved} / {stored[0]}",
        "lost writes": saved - stored[0],
        "duplicated writes": stored[0] - stored[1],
        "correction races with exactly one winner": f"{races} of {len(raced_versions)}",
        "appeal races with exactly one winner": f"{int((decided == 1).sum())} of {RACED}",
        "imports committed / stored": f"{imported} / {batches}",
        "kring audit verify": "; ".join(broken) or "utuh",
    }


def report(name: str, logs: list, reference: list, wall: float, found: dict) -> None:
    print(
        f"\n== {name}: {len(logs)} operations in {wall:.1f} s "
        f"({sum(k != 'baca rapor agen' and o == 'ok' for k, _, _, o in logs) / wall:.1f} "
        "writes/s)"
    )
    alone = {
        kind: statistics.median(t for k, _, t, _ in reference if k == kind)
        for kind in {k for k, *_ in reference}
    }
    print(
        f"{'operation':28} {'n':>5} {'failed':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" {'p95 / alone':>12}"
    )
    for kind in sorted({k for k, *_ in logs}):
        times = sorted(t for k, _, t, o in logs if k == kind)
        failed = sorted({o for k, _, _, o in logs if k == kind and o != "ok"})
        n_failed = sum(1 for k, _, _, o in logs if k == kind and o != "ok")
        cut = statistics.quantiles(times, n=100) if len(times) > 1 else times * 99
        ratio = f"{cut[94] / alone[kind]:.1f}" if kind in alone else "–"
        print(
            f"{kind:28} {len(times):5} {n_failed:7} {cut[49] * 1e3:8.0f} "
            f"{cut[94] * 1e3:8.0f} {cut[98] * 1e3:8.0f} {ratio:>12}"
            + (f"   ({', '.join(failed)})" if failed else "")
        )
    for label, value in found.items():
        print(f"  {label}: {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    data = demo.generate(months=2, end=DEMO_END)
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    for name in engines:
        with tempfile.TemporaryDirectory() as scratch:
            cluster = None
            if name == "postgresql":
                from postgres_support import Cluster, require_postgres_or_skip

                cluster = Cluster(require_postgres_or_skip())
                url = cluster.new_database()
            else:
                url = f"sqlite:///{Path(scratch) / 'beban.sqlite'}"
            try:
                logs, plan, wall = storm(url, data)
                report(name, logs, plan["reference"], wall, checks(url, plan, logs))
            finally:
                if cluster is not None:
                    cluster.stop()


if __name__ == "__main__":
    main()
