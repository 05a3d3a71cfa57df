"""The Izin Tidak Online page in plain Python: who sees which part, filing with its
deadline, deciding, an outage for chosen teams, refusals as messages."""

import datetime as dt

import pandas as pd
import pytest
from page_support import MONDAY, ROLE_USERS, css_classes, find, set_clock

from kringlib.store import adjustments as store
from kringlib.store import schedules
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


def test_the_parts_follow_the_visitor_who_signs_in_later(monday):
    model, view = page(monday, "spv.pkl")
    assert "kr-outage-form" in css_classes(view)
    model.session.username = "ag001"
    shown = css_classes(view)
    assert "kr-permit-form" in shown and "kr-outage-form" not in shown


def test_the_day_of_a_request_shows_the_minutes_lost_and_why(monday):
    at = lambda hours: pd.Timestamp(FRIDAY) + pd.Timedelta(hours=hours)  # noqa: E731
    schedule = pd.DataFrame([("AG001", at(8), at(12), "layanan"),
                             ("AG001", at(13), at(16), "layanan")],
                            columns=["agent_id", "start", "end", "activity"])  # fmt: skip
    states = pd.DataFrame([("AG001", at(8.5), at(11.75), "online"),
                           ("AG001", at(11.75), at(12), "aux"),
                           ("AG001", at(13), at(16), "online")],
                          columns=["agent_id", "start", "end", "state"])  # fmt: skip
    with monday.begin() as conn:
        schedules.write_schedule(conn, schedule, "jadwal.csv")
        schedules.write_states(conn, states, "cms.csv")
    agent, _ = page(monday, "ag001")
    agent.first_day = agent.last_day = FRIDAY
    agent.reason, agent.end_time, agent.evidence = "terlambat", "08:30", "SIKKA: masuk 08:30"
    agent.file()

    leader, view = page(monday, "tl.merapi")
    (waiting,) = leader.waiting().itertuples()
    find(view, "kr-permit-day").click()  # "Lihat harinya" beside the request
    assert (leader.day_agent, leader.day) == ("AG001", FRIDAY)
    assert "kr-chart-agent-day" in css_classes(view)
    lost = view._day_sums.value
    assert 'Terlambat mulai</td><td class="kr-num">30' in lost  # not excused until approved
    assert 'AUX</td><td class="kr-num">15' in lost
    leader.decide(int(waiting.id), True)
    assert 'Dimaafkan: Terlambat masuk (SIKKA)</td><td class="kr-num">30' in view._day_sums.value
    other, _ = page(monday, "tl.rinjani")  # not their team: the agent is not offered
    other.day_agent = "AG001"
    assert other.day_view() is None
