"""Helpers for the appeal and assessment tests: the clock, a fresh assessment, the widget tree."""

from __future__ import annotations

import datetime as dt

import ipywidgets as w
import sqlalchemy as sa

from kringlib import clock, quality
from kringlib.store import assessments, users
from kringlib.store.models import interaction

ROLE_USERS = {
    "agent": "ag001",
    "team_leader": "tl.merapi",
    "spv": "spv.pkl",
    "assessor": "asesor.budi",
    "analyst": "analis",
    "admin": "admin",
}
"""One demo user of each role (kringlib.demo)."""

MONDAY = dt.datetime(2026, 11, 30, 2, 30, tzinfo=dt.UTC)
"""Monday 30 November 2026, 09:30 WIB: a working week with no holiday (deadline Thu 3 Dec)."""
DISPUTED = ("jawaban.ketepatan", "atribut.salam_penutup")


def set_clock(monkeypatch, moment: dt.datetime) -> None:
    """Make the server's clock (kringlib.clock.now) read ``moment`` from now on."""
    monkeypatch.setattr(clock, "now", lambda: moment)


def fresh_assessment(
    engine, agent_id: str = "AG001", assessor: str = "asesor.andi", notes: str = ""
) -> int:
    """A new newest version of the agent's latest inbound assessment, saved by ``assessor``
    at the clock's moment, with the :data:`DISPUTED` items answered "tidak"."""
    with engine.connect() as conn:
        mine = (interaction.c.agent_id == agent_id) & (interaction.c.channel == "inbound")
        target = conn.execute(
            sa.select(interaction).where(mine).order_by(interaction.c.started_at.desc()).limit(1)
        ).one()
    versions = assessments.history(engine, target.id)
    answers = {i.id: "ya" for i in quality.load_rubric().items("inbound")}
    answers.update(dict.fromkeys(DISPUTED, "tidak"))
    return assessments.save_assessment(
        engine, users.user(engine, assessor), interaction_pk=target.id, answers=answers,
        context={}, notes=notes, reason="penilaian uji",
        supersedes=None if versions.empty else int(versions.iloc[-1]["id"]),
    )  # fmt: skip


def css_classes(widget: w.Widget) -> set[str]:
    """Every CSS class in the widget tree under ``widget``: what the page shows."""
    found = set(getattr(widget, "_dom_classes", ()))
    for child in getattr(widget, "children", ()):
        found |= css_classes(child)
    return found


def find(widget: w.Widget, css_class: str) -> w.Widget:
    """The first widget under ``widget`` (itself included) with ``css_class``."""
    if css_class in getattr(widget, "_dom_classes", ()):
        return widget
    for child in getattr(widget, "children", ()):
        try:
            return find(child, css_class)
        except LookupError:
            pass
    raise LookupError(f"tidak ada widget dengan kelas {css_class}")
