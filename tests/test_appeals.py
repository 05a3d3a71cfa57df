"""Banding/Appeal, ND-301/LIP/2019: deadlines in working days and who may do what."""

import datetime as dt

import pytest

from kringlib import appeals
from kringlib.appeals import AppealFacts, User
from kringlib.calendar import WorkCalendar

D = dt.date
FRIDAY_27_NOV = dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC)  # 10:00 WIB; deadline Wed 2 Dec
AGENT = User("ag001", "agent", team_id="merapi", agent_id="AG001")
OTHER_AGENT = User("ag015", "agent", team_id="rinjani", agent_id="AG015")
TL = User("tl.merapi", "team_leader", team_id="merapi")
OTHER_TL = User("tl.rinjani", "team_leader", team_id="rinjani")
SPV = User("spv.andi", "spv")
ADMIN = User("admin", "admin")
ASSESSOR = User("asesor.andi", "assessor")
OTHER_ASSESSOR = User("asesor.budi", "assessor")


def filing(**changes):
    """An agent's newest assessment of Friday 27 Nov 2026, never appealed, with "a" disputable."""
    facts = dict(agent_id="AG001", answers={"a": "tidak", "b": "ya", "c": "na"},
                 assessed_at=FRIDAY_27_NOV, is_newest=True, earlier_appeals=0)  # fmt: skip
    return appeals.Filing(**(facts | changes))


def facts(state=appeals.FILED):
    return AppealFacts(
        agent_id="AG001", agent_team_id="merapi", assessor="asesor.andi", state=state
    )


def test_three_working_days_after_the_assessment():
    # "3 hari kerja setelah penilaian dilakukan oleh assessor": Wed 25 Nov 2026 → Mon 30 Nov
    assert appeals.appeal_deadline(D(2026, 11, 25)) == D(2026, 11, 30)


def test_deadline_across_a_weekend():
    # Assessed Friday 27 Nov 2026: Mon 30 Nov, Tue 1 Dec, Wed 2 Dec.
    assert appeals.appeal_deadline(D(2026, 11, 27)) == D(2026, 12, 2)


def test_deadline_across_public_holidays():
    # Assessed Thu 13 Aug 2026: Fri 14, (weekend), Mon 17 Aug is Hari Kemerdekaan, Tue 18, Wed 19.
    assert appeals.appeal_deadline(D(2026, 8, 13)) == D(2026, 8, 19)


def test_deadline_across_cuti_bersama_of_idulfitri_2026():
    # Assessed Tue 17 Mar 2026: 18 Mar (cuti bersama Nyepi), 19 (Nyepi), 20 (cuti bersama
    # Idulfitri), 21–22 (weekend, Idulfitri), 23–24 (cuti bersama) are closed.
    assert appeals.appeal_deadline(D(2026, 3, 17)) == D(2026, 3, 27)


def test_compiled_report_after_a_system_failure_gives_two_working_days():
    # "agen melakukan appeal dalam jangka waktu 2 hari kerja sejak menerima kompilasi tersebut"
    deadline = appeals.appeal_deadline(D(2026, 11, 2), compilation_received_on=D(2026, 11, 26))
    assert deadline == D(2026, 11, 30)


def test_extra_closed_days_move_the_deadline():
    closed = WorkCalendar(extra_closed_days=[D(2026, 11, 30)])
    assert appeals.appeal_deadline(D(2026, 11, 25), calendar=closed) == D(2026, 12, 1)


def test_working_days_left_counts_down():
    deadline = D(2026, 12, 2)
    assert appeals.working_days_left(deadline, D(2026, 11, 27)) == 3
    assert appeals.working_days_left(deadline, D(2026, 12, 2)) == 0
    assert appeals.working_days_left(deadline, D(2026, 12, 3)) < 0


def test_the_deadline_counts_from_the_jakarta_date_of_the_assessment():
    # "3 hari kerja setelah penilaian dilakukan oleh assessor" (ND-301/LIP/2019): saved Sunday
    # 29 Nov 2026 23:30 UTC is Monday 30 Nov 06:30 WIB, so the days count from Monday.
    sunday_night_utc = dt.datetime(2026, 11, 29, 23, 30, tzinfo=dt.UTC)
    assert appeals.deadline_of(sunday_night_utc) == D(2026, 12, 3)
    assert appeals.deadline_of(sunday_night_utc.replace(tzinfo=None)) == D(2026, 12, 3)


def test_a_recorded_system_failure_gives_two_working_days_from_the_compilation():
    # "agen melakukan appeal dalam jangka waktu 2 hari kerja sejak menerima kompilasi tersebut"
    failures = (
        appeals.SystemFailure(D(2026, 11, 23), D(2026, 11, 27), D(2026, 12, 7)),
        appeals.SystemFailure(D(2026, 11, 26), D(2026, 11, 27), D(2026, 12, 1)),  # later: wins
        appeals.SystemFailure(D(2026, 11, 30), D(2026, 12, 4), D(2026, 12, 10)),  # other days
    )
    assert appeals.compilation_for(D(2026, 11, 27), failures) == D(2026, 12, 1)
    assert appeals.compilation_for(D(2026, 11, 24), failures) == D(2026, 12, 7)
    assert appeals.compilation_for(D(2026, 11, 20), failures) is None
    assert appeals.deadline_of(FRIDAY_27_NOV, failures) == D(2026, 12, 3)
    assert filing(failures=failures).compilation_received_on == D(2026, 12, 1)


def test_filing_after_the_deadline_is_refused_with_the_deadline():
    assert filing().deadline == D(2026, 12, 2)
    with pytest.raises(appeals.DeadlinePassed, match="02-12-2026"):
        appeals.check_filing(AGENT, filing(), {"a"}, today=D(2026, 12, 3))
    appeals.check_filing(AGENT, filing(), {"a"}, today=D(2026, 12, 2))


def test_an_agent_appeals_only_their_own_assessment():
    with pytest.raises(appeals.PermissionDenied, match="sendiri"):
        appeals.check_filing(OTHER_AGENT, filing(), {"a"}, today=D(2026, 11, 30))
    with pytest.raises(appeals.PermissionDenied, match="Hanya agen"):
        appeals.check_filing(TL, filing(), {"a"}, today=D(2026, 11, 30))


def test_one_appeal_per_interaction_and_no_second_round():
    # ND-301/LIP/2019 describes one appeal ("Input appeal ... Appeal Selesai") and no second
    # round; the limit is the local setting appeals_per_interaction in banding.yaml.
    assert appeals.appeal_rules().appeals_per_interaction == 1
    with pytest.raises(appeals.AppealLimitReached, match="sudah pernah dibanding"):
        appeals.check_filing(AGENT, filing(earlier_appeals=1), {"a"}, today=D(2026, 11, 30))
    with pytest.raises(ValueError, match="versi penilaian terbaru"):
        appeals.check_filing(AGENT, filing(is_newest=False), {"a"}, today=D(2026, 11, 30))


def test_an_item_answered_ya_cannot_be_disputed():
    with pytest.raises(ValueError, match="'ya' tidak dapat dibanding: b"):
        appeals.check_filing(AGENT, filing(), {"a", "b"}, today=D(2026, 11, 30))
    with pytest.raises(ValueError, match="tidak ada pada penilaian ini: z"):
        appeals.check_filing(AGENT, filing(), {"z"}, today=D(2026, 11, 30))
    appeals.check_filing(AGENT, filing(), {"a", "c"}, today=D(2026, 11, 30))


def test_only_spv_or_admin_record_a_system_failure():
    # "administrator membuat kompilasi ... dan menyampaikan kompilasi tersebut kepada Seksi
    #  Operasional I dan II" (ND-301/LIP/2019)
    days = D(2026, 11, 23), D(2026, 11, 27), D(2026, 11, 30)
    for user in (SPV, ADMIN):
        appeals.check_system_failure(user, *days, "aplikasi mati")
    for user in (AGENT, TL, ASSESSOR):
        with pytest.raises(appeals.PermissionDenied, match="SPV PKL atau administrator"):
            appeals.check_system_failure(user, *days, "aplikasi mati")
    with pytest.raises(ValueError, match="terbalik"):
        appeals.check_system_failure(SPV, days[1], days[0], days[2], "aplikasi mati")
    with pytest.raises(ValueError, match="Catatan"):
        appeals.check_system_failure(SPV, *days, " ")


def test_team_leader_decides_only_for_their_team():
    assert appeals.check_decision(TL, facts()) == appeals.FILED
    with pytest.raises(appeals.PermissionDenied, match="timnya"):
        appeals.check_decision(OTHER_TL, facts())
    with pytest.raises(appeals.PermissionDenied, match="Team Leader"):
        appeals.check_decision(SPV, facts())


def test_spv_decides_only_after_the_team_leader_approved():
    # "Persetujuan Team Leader" comes before "Persetujuan SPV PKL".
    assert appeals.check_decision(SPV, facts(appeals.TL_APPROVED)) == appeals.TL_APPROVED
    with pytest.raises(appeals.PermissionDenied, match="SPV"):
        appeals.check_decision(TL, facts(appeals.TL_APPROVED))


def test_only_team_leader_and_spv_decide():
    # "Persetujuan Team Leader; Persetujuan SPV PKL": the admin reads, never decides.
    for user in (ADMIN, ASSESSOR, OTHER_AGENT):
        with pytest.raises(appeals.PermissionDenied, match="oleh Team Leader, lalu SPV PKL"):
            appeals.check_decision(user, facts())


def test_each_role_has_its_queue():
    assert appeals.waiting_for("team_leader") == (appeals.FILED,)
    assert appeals.waiting_for("spv") == (appeals.TL_APPROVED,)
    assert appeals.waiting_for("assessor") == (appeals.SPV_APPROVED,)
    assert appeals.waiting_for("admin") == appeals.waiting_for("agent") == ()
    assert [r for r in ("team_leader", "spv", "assessor") if appeals.reassesses(r)] == ["assessor"]


def test_nobody_decides_their_own_case():
    acting_tl = User("ag001", "team_leader", team_id="merapi", agent_id="AG001")
    with pytest.raises(appeals.PermissionDenied, match="sendiri"):
        appeals.check_decision(acting_tl, facts())


def test_decided_appeals_cannot_be_decided_again():
    with pytest.raises(appeals.AlreadyDecided):
        appeals.check_decision(SPV, facts(appeals.TL_REJECTED))


def test_reassessment_by_another_assessor_after_spv_approval():
    appeals.check_reassessment(OTHER_ASSESSOR, facts(appeals.SPV_APPROVED))
    with pytest.raises(appeals.PermissionDenied, match="asesor lain"):
        appeals.check_reassessment(ASSESSOR, facts(appeals.SPV_APPROVED))
    with pytest.raises(appeals.PermissionDenied, match="menunggu persetujuan SPV PKL"):
        appeals.check_reassessment(OTHER_ASSESSOR, facts(appeals.TL_APPROVED))
    with pytest.raises(appeals.AlreadyDecided, match="Appeal selesai"):
        appeals.check_reassessment(OTHER_ASSESSOR, facts(appeals.DONE))
    with pytest.raises(appeals.PermissionDenied, match="dilakukan oleh Asesor"):
        appeals.check_reassessment(SPV, facts(appeals.SPV_APPROVED))


def test_the_five_steps_as_states():
    # "Input appeal pada aplikasi yang tersedia; Persetujuan Team Leader; Persetujuan SPV PKL;
    #  Penilaian Kembali; Appeal Selesai"
    states = appeals.appeal_rules().states
    walked, state = [], next(name for name, s in states.items() if s.initial)
    while not states[state].final:
        walked.append(states[state].actor)
        state = states[state].next.get("approve") or states[state].next["reassess"]
    assert walked == ["team_leader", "spv", "assessor"]
    assert state == appeals.DONE
    assert appeals.initial_state() == appeals.FILED
    assert appeals.next_state(appeals.FILED, "approve") == appeals.TL_APPROVED
    assert appeals.next_state(appeals.TL_APPROVED, "approve") == appeals.SPV_APPROVED
    assert appeals.next_state(appeals.FILED, "reject") == appeals.TL_REJECTED
    assert appeals.next_state(appeals.SPV_APPROVED, "reassess") == appeals.DONE
    with pytest.raises(appeals.AlreadyDecided):
        appeals.next_state(appeals.TL_REJECTED, "approve")


def test_the_states_the_database_stores_are_those_of_the_rule_file():
    stored = {appeals.FILED, appeals.TL_APPROVED, appeals.SPV_APPROVED, appeals.DONE,
              appeals.TL_REJECTED, appeals.SPV_REJECTED}  # fmt: skip
    assert set(appeals.appeal_rules().states) == stored
    assert appeals.open_states() == (appeals.FILED, appeals.TL_APPROVED, appeals.SPV_APPROVED)
    assert appeals.state_label(appeals.TL_REJECTED) == "Ditolak Team Leader"
    assert appeals.state_label("dibatalkan") == "dibatalkan"  # unknown: shown as stored


def test_partial_acceptance_changes_only_the_accepted_items():
    original = {"a": "tidak", "b": "tidak", "c": "ya"}
    assert appeals.reassessed_answers(original, {"a": True, "b": False}) == {
        "a": "ya", "b": "tidak", "c": "ya"
    }  # fmt: skip
    with pytest.raises(ValueError, match="bukan bagian"):
        appeals.reassessed_answers(original, {"z": True})
