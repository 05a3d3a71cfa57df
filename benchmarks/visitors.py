"""The memory one signed-in visitor costs in ``kring hub``, and how many visitors fit.

    .venv/bin/python benchmarks/visitors.py

Starts ``kring hub`` on a demo year, signs the SPV and an agent in through the login form,
and opens every dashboard each may use as a browser would (each open page runs its
notebook in a kernel of its own). For each page and visitor it prints the proportional set
size (PSS: shared libraries counted once across processes) of the kernel that serves it,
and the ratio to the reference: a
kernel serving an empty notebook through the same hub in the same run, the floor any
Voilà page costs. From these it prints the fixed cost of the hub (hub, proxy, dashboard
service, one preheated kernel per dashboard), the cost of an agent's and an SPV's usual
pages, and how many such visitors one 24 GiB machine holds with 2 GiB left to the system.
"""

from __future__ import annotations

import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import HUB_PASSWORD, Hub  # noqa: E402
from support import kernel_process, pss, stop, wait_until_preheated  # noqa: E402

from kringlib import demo  # noqa: E402
from kringlib.store import db, seed, users  # noqa: E402

MACHINE = 24 * 2**30
SYSTEM_RESERVE = 2 * 2**30
REFERENCE = "Kosong.ipynb"
VISITORS = {"agent": "ag001", "spv": "spv.pkl"}
USUAL_PAGES = {
    "agent": ["KPI-Tim.ipynb", "Rapor-Kualitas.ipynb", "Banding.ipynb"],
    "spv": ["KPI-Tim.ipynb", "Rapor-Kualitas.ipynb", "Proses-Banding.ipynb",
            "Analitik-Banding.ipynb"],
}  # fmt: skip


def tree(root: psutil.Process) -> list[psutil.Process]:
    return [root, *root.children(recursive=True)]


def prepare(scratch: Path) -> tuple[str, Path]:
    url = f"sqlite:///{scratch / 'kring.sqlite'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    seed.load_demo(engine, demo.generate())
    for username in VISITORS.values():
        users.set_password(engine, username, HUB_PASSWORD)
    engine.dispose()
    folder = scratch / "dashboards"
    shutil.copytree(ROOT / "dashboards", folder)
    nbformat.write(nbformat.v4.new_notebook(), folder / REFERENCE)
    return url, folder


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        db_url, folder = prepare(scratch)
        notebooks = sorted(p.name for p in folder.glob("*.ipynb"))
        hub = Hub(scratch, db_url, dashboards=folder)
        try:
            hub.wait_ready()
            root = psutil.Process(hub.process.pid)
            wait_until_preheated(root, len(notebooks))
            fixed = sum(pss(p) for p in tree(root))
            costs = {
                (role, name): []
                for role, pages in {**USUAL_PAGES, "spv": notebooks}.items()
                for name in pages
            }
            visitors = {role: hub.session(username) for role, username in VISITORS.items()}
            for _ in range(2):  # the first visit gets the preheated kernel, the second a new one
                for role, name in costs:
                    page = visitors[role].get(f"{hub.url}services/kring/voila/render/{name}")
                    kernel_id = re.search(r'"kernelId": "([0-9a-f-]+)"', page.text).group(1)
                    costs[role, name].append(pss(kernel_process(root, kernel_id)))
        finally:
            stop(hub)

    report(fixed, {key: statistics.median(values) for key, values in costs.items()})


def report(fixed: int, page: dict[tuple[str, str], float]) -> None:
    reference = page.pop(("spv", REFERENCE))
    mib = 2**20
    print(f"{'page (kernel PSS)':24} {'visitor':8} {'MiB':>6} {'ratio to empty notebook':>24}")
    print(f"{'empty notebook (ref.)':24} {'spv':8} {reference / mib:6.0f} {1:24.2f}")
    for (role, name), value in sorted(page.items()):
        print(f"{name.removesuffix('.ipynb'):24} {role:8} {value / mib:6.0f} "
              f"{value / reference:24.2f}")  # fmt: skip
    print(f"\nfixed cost of the hub (hub, proxy, service, one preheated kernel per page): "
          f"{fixed / mib:.0f} MiB")  # fmt: skip
    room = MACHINE - SYSTEM_RESERVE - fixed
    for role, pages in USUAL_PAGES.items():
        cost = sum(page[role, name] for name in pages)
        print(f"{role:5} with {len(pages)} pages open: {cost / mib:5.0f} MiB per visitor; "
              f"a 24 GiB machine holds {int(room // cost)} such visitors at once")  # fmt: skip


if __name__ == "__main__":
    main()
