"""The Izin Tidak Online page in plain Python: who sees which part, filing with its
deadline, deciding, an outage for chosen teams, refusals as messages."""

import datetime as dt

import pytest
from page_support import MONDAY, ROLE_USERS, css_classes, set_clock

from kringlib.store import adjustments as store
from kringlib.ui.identity import Session
from kringlib.ui.offline_permit import OfflinePermitModel, OfflinePermitView

FRIDAY = dt.date(2026, 11, 27)
PARTS = {"agent": "kr-permit-form", "team_leader": "kr-permit-waiting", "spv": "kr-outage-form"}


@pytest.fixture
def monday(demo_engine, monkeypatch):
    set_clock(monkeypatch, MONDAY)
    return demo_engine


def page(engine, username):
    model = OfflinePermitModel(engine, Session(engine, username), today=MONDAY.date())
    return model, OfflinePermitView(model).render()


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_each_role_sees_its_part(monday, role):
    model, view = page(monday, ROLE_USERS[role])
    shown = css_classes(view)
    if role in ("assessor", "analyst"):
        assert model.refused.startswith("Halaman Izin Tidak Online tidak tersedia")
        assert "kr-permit-list" not in shown
        return
    assert "kr-permit-list" in shown
    for owner, part in PARTS.items():
        assert (part in shown) == (role == owner), (role, part)


def test_an_agent_files_sees_the_deadline_and_the_team_leader_approves(monday):
    model, _ = page(monday, "ag001")
    model.first_day = model.last_day = FRIDAY
    # "paling lambat 3 hari setelah keadaan tidak online terjadi", in working days
    assert model.deadline() == dt.date(2026, 12, 2)
    model.reason, model.start_time, model.end_time = "penugasan", "13:00", "16:00"
    model.evidence = "ND-77/LIP/2026: rapat koordinasi"
    model.file()
    assert not model.error and model.message.startswith("Izin #")
    assert list(model.requests["state"]) == ["diajukan"]

    leader, view = page(monday, "tl.merapi")
    (waiting,) = leader.waiting().itertuples()
    assert waiting.agent_id == "AG001" and f"kr-permit-{waiting.id}" in css_classes(view)
    leader.decide(int(waiting.id), False)
    assert "alasan" in leader.error.lower()
    leader.decide(int(waiting.id), True)
    assert leader.waiting().empty and "Disetujui" in leader.message
    assert not store.approved(monday, FRIDAY, FRIDAY).empty


def test_a_bad_time_or_a_late_filing_is_said_and_nothing_saved(monday):
    model, _ = page(monday, "ag001")
    model.first_day = model.last_day = FRIDAY
    model.start_time, model.evidence = "8.15", "SIKKA"
    model.file()
    assert "Jam tidak valid" in model.error
    model.start_time, model.first_day = "08:00", dt.date(2026, 11, 2)
    model.last_day = dt.date(2026, 11, 2)
    model.file()
    assert "paling lambat diajukan 05-11-2026" in model.error
    assert store.adjustments_frame(monday).empty


def test_the_spv_enters_an_outage_for_one_team(monday):
    model, _ = page(monday, "spv.pkl")
    model.first_day = model.last_day = FRIDAY
    model.start_time, model.end_time = "10:00", "10:45"
    model.outage_teams = ["rinjani"]
    model.evidence = "Avaya CMS tidak dapat diakses, tiket 7781"
    model.record_outage()
    assert "10 agen" in model.message
    assert set(model.requests["team"]) == {"Tim Rinjani"}
    assert set(model.requests["state"]) == {"disetujui"}
