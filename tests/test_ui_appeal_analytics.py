"""The Analitik Banding page in plain Python: counts, acceptance and step times, of the
appeals the visitor may see (rules/akses.yaml, analitik_banding: team_leader team,
spv/assessor/admin all; agent refused)."""

import pytest
from page_support import MONDAY, ROLE_USERS, fresh_assessment, set_clock
from scope_support import assert_refused

from kringlib import access
from kringlib.store import appeals as store
from kringlib.store import users
from kringlib.ui.appeal_analytics import AppealAnalyticsModel, AppealAnalyticsView
from kringlib.ui.identity import Session


def file(engine, agent_id: str) -> int:
    """The agent's appeal on "jawaban.ketepatan" of a fresh assessment; returns its id."""
    agent = users.user(engine, agent_id.lower())
    return store.file_appeal(
        engine, agent, fresh_assessment(engine, agent_id), {"jawaban.ketepatan": "Sesuai TKB"}
    )


@pytest.fixture
def appealed(demo_engine, monkeypatch):
    """On Monday 30 Nov 2026: AG001's appeal (Tim Merapi) accepted after every step, AG015's
    (Tim Rinjani) waiting for its team leader."""
    set_clock(monkeypatch, MONDAY)
    accepted = file(demo_engine, "AG001")
    for username in ("tl.merapi", "spv.pkl"):
        store.decide(demo_engine, users.user(demo_engine, username), accepted, True)
    store.reassess(demo_engine, users.user(demo_engine, "asesor.budi"), accepted,
                   {"jawaban.ketepatan": True})  # fmt: skip
    return accepted, file(demo_engine, "AG015")


def analytics(engine, role):
    model = AppealAnalyticsModel(engine, Session(engine, ROLE_USERS[role]))
    return model, AppealAnalyticsView(model).render()


def test_analytics_count_appeals_and_acceptance(demo_engine, appealed):
    model, view = analytics(demo_engine, "spv")
    assert model.acceptance_rate() == 1.0  # the open appeal's item is not decided yet
    assert model.by_assessor().set_index("assessor").loc["asesor.andi", "banding"] == 2
    assert set(model.step_times()["langkah"]) == {
        "Menunggu persetujuan Team Leader", "Menunggu persetujuan SPV PKL",
        "Menunggu penilaian kembali",
    }  # fmt: skip
    assert (view._total.value, view._open.value, view._rate.value) == ("2", "1", "100,0 %")


SEES = {"agent": None, "team_leader": {"AG001"}, "spv": {"AG001", "AG015"},
        "assessor": {"AG001", "AG015"}, "analyst": {"AG001", "AG015"},
        "admin": {"AG001", "AG015"}}  # fmt: skip


@pytest.mark.parametrize("role", access.ROLES)
def test_each_role_sees_its_scope_or_is_refused(demo_engine, appealed, role):
    """analitik_banding: a team leader counts their team's appeals only, SPV, assessor and
    admin all; an agent may not open the page and nothing is read."""
    model, view = analytics(demo_engine, role)
    if SEES[role] is None:
        assert_refused(view)
        assert model.appeals.empty and model.items.empty and model.trail.empty
        return
    assert set(model.appeals["agent_id"]) == SEES[role]
    shown = set(model.appeals["id"])
    assert set(model.items["appeal_id"]) == shown == set(model.trail["appeal_id"])
    assert model.by_assessor()["banding"].sum() == len(shown)
    assert model.by_item()["dibanding"].sum() == len(model.items)
