"""The dashboards listed on Beranda, read from each notebook's ``kring`` metadata."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Dashboard:
    """One entry of the home page."""

    path: str
    title: str
    description: str
    order: int


def dashboards(root: Path) -> list[Dashboard]:
    """Every notebook under ``root`` with ``metadata.kring.title``, in display order.

    A notebook without that metadata (a helper, a draft) is not listed.
    """
    found = []
    for notebook in sorted(root.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in notebook.parts:
            continue
        meta = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {}).get("kring")
        if not meta or "title" not in meta:
            continue
        found.append(
            Dashboard(
                path=notebook.relative_to(root).as_posix(),
                title=meta["title"],
                description=meta.get("description", ""),
                order=int(meta.get("order", 100)),
            )
        )
    return sorted(found, key=lambda d: (d.order, d.title))
