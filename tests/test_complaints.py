"""Complaint SLA (SE-11/PJ/2019, Buku Saku "Tentang Pengaduan"): the twelve steps' due dates
in working days, the phase and total budgets, the status on a day, the finish dates refused.

November 2026 has no holiday: its dates test the counting; August and March test the
calendar."""

import datetime as dt

import pytest

from kringlib import complaints
from kringlib.calendar import WorkCalendar, calendar_rules, default_calendar
from kringlib.complaints import ScheduleError

D = dt.date


def column(frame, name: str) -> list:
    """A column of a plan as plain values, dates as ``datetime.date``."""
    values = frame[name]
    return values.dt.date.tolist() if name in ("start", "due", "finished") else values.tolist()


def step(plan, number: int):
    """The row of step ``number``."""
    return plan.set_index("step").loc[number]


def test_the_rule_file_is_the_rulebook_table():
    # "1 | Konfirmasi Kelengkapan | 5 | 7 | KLIP |" … "12 | Pengaduan Selesai | 1 |"
    plan = complaints.sla_plan(D(2026, 11, 2))
    assert column(plan, "step") == list(range(1, 13))
    assert column(plan, "sla_days") == [5, 2, 2, 3, 2, 5, 25, 3, 3, 4, 3, 1]
    assert step(plan, 7)["activity"] == "Jawaban Pengaduan"
    # the group rows: "| 7 | KLIP |", "| 7 | P2 HUMAS |", "| 30 | UNIT TERLAPOR |",
    # "| 3 | P2 HUMAS |", "| 7 | KLIP |", "| 4 | P2 HUMAS |"
    phases = complaints.phase_plan(plan)
    assert column(phases, "budget_days") == [7, 7, 30, 3, 7, 4]
    assert column(phases, "executor") == [
        "KLIP", "P2 Humas", "Unit Terlapor", "P2 Humas", "KLIP", "P2 Humas",
    ]  # fmt: skip
    assert step(plan, 12)["executor"] == "P2 Humas"  # row 12 lies in the group of row 11
    assert complaints.overall_plan(plan)["budget_days"] == 58


def test_legal_bases_and_channels_are_the_rulebooks():
    settings = complaints.complaint_rules()
    # "Dasar Hukum": "PER-07/PJ/2019 dan SE-11/PJ/2019" / "Pelayanan, Sarana, dan Prasarana
    # Perpajakan"
    assert settings.legal_bases[0].references == ("PER-07/PJ/2019", "SE-11/PJ/2019")
    assert [basis.topic for basis in settings.legal_bases] == [
        "Pelayanan, Sarana, dan Prasarana Perpajakan",
        "Kode Etik dan Disiplin Pegawai",
        "Tindak Pidana Perpajakan",
    ]
    # "Telepon 1500200", "Website pengaduan.pajak.go.id", "Twitter @kring_pajak"; "email ..."
    assert {channel.id: channel.address for channel in settings.channels} == {
        "telepon": "1500200",
        "website": "pengaduan.pajak.go.id",
        "twitter": "@kring_pajak",
        "email": None,
    }


def test_a_complaint_received_on_the_friday_before_independence_day():
    # "*hari kerja": received Friday 14 Aug 2026; Monday 17 Aug and Tuesday 25 Aug are closed.
    calendar = default_calendar()
    assert calendar.holiday_name(D(2026, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"
    assert calendar.holiday_name(D(2026, 8, 25)) == "Maulid Nabi Muhammad"
    plan = complaints.sla_plan(D(2026, 8, 14))
    # "1 | Konfirmasi Kelengkapan | 5": 18, 19, 20, 21, 24 Aug.
    assert step(plan, 1)["due"].date() == D(2026, 8, 24)
    # "2 | Validasi Kelengkapan KLIP | 2": from the due date of step 1, 26 and 27 Aug.
    assert step(plan, 2)["start"].date() == D(2026, 8, 24)
    assert step(plan, 2)["due"].date() == D(2026, 8, 27)


def test_cuti_bersama_around_idul_fitri_2026_are_not_working_days():
    # Received Tuesday 17 Mar 2026; 18 Mar (Nyepi), 20, 23 and 24 Mar (Idul Fitri) are cuti
    # bersama, 19 Mar Nyepi, 21–22 Mar Idul Fitri on a weekend.
    calendar = default_calendar()
    for day in (D(2026, 3, 18), D(2026, 3, 20), D(2026, 3, 23), D(2026, 3, 24)):
        assert calendar.holiday_name(day).startswith("Cuti Bersama")
    plan = complaints.sla_plan(D(2026, 3, 17))
    assert step(plan, 1)["due"].date() == D(2026, 3, 31)  # 25, 26, 27, 30, 31 Mar
    without_cuti = calendar_rules().model_copy(update={"holiday_categories": ("public",)})
    plan = complaints.sla_plan(D(2026, 3, 17), calendar=WorkCalendar(settings=without_cuti))
    assert step(plan, 1)["due"].date() == D(2026, 3, 25)


def test_an_early_step_moves_the_next_forward_and_a_late_one_counts_its_days():
    # Received Monday 2 Nov 2026: "Konfirmasi Kelengkapan | 5" is due Monday 9 Nov.
    plan = complaints.sla_plan(D(2026, 11, 2), {1: D(2026, 11, 4), 2: D(2026, 11, 11)})
    assert column(plan, "due")[:2] == [D(2026, 11, 9), D(2026, 11, 6)]
    # Step 2 started on Wednesday 4 Nov, when step 1 finished early; "Validasi Kelengkapan
    # KLIP | 2" was due Friday 6 Nov and finished 3 working days late (9, 10, 11 Nov).
    assert column(plan, "start")[:3] == [D(2026, 11, 2), D(2026, 11, 4), D(2026, 11, 11)]
    assert column(plan, "late_days")[:3] == [0, 3, 0]


def test_a_step_finished_on_the_day_its_predecessor_finished_starts_that_day():
    plan = complaints.sla_plan(D(2026, 11, 2), {1: D(2026, 11, 2), 2: D(2026, 11, 2)})
    assert column(plan, "start")[:3] == [D(2026, 11, 2)] * 3
    assert column(plan, "due")[:3] == [D(2026, 11, 9), D(2026, 11, 4), D(2026, 11, 4)]
    assert column(plan, "late_days")[:2] == [0, 0]


def test_a_step_finished_late_on_a_closed_day_is_a_day_late():
    # Received Friday 6 Nov 2026, step 1 due Friday 13 Nov, finished Saturday 14 Nov.
    plan = complaints.sla_plan(D(2026, 11, 6), {1: D(2026, 11, 14)})
    assert step(plan, 1)["late_days"] == 1


def test_each_phase_is_checked_against_its_own_budget():
    # Received Monday 2 Nov 2026. Phase "| 7 | KLIP |" (steps 1–2) is due Wednesday 11 Nov:
    # on time although step 2 was late, as step 1 finished early.
    finished = {1: D(2026, 11, 4), 2: D(2026, 11, 11)}
    # Phase "| 7 | P2 HUMAS |" (steps 3–5) starts 11 Nov and is due Friday 20 Nov; its last
    # step finished Tuesday 24 Nov, 2 working days late.
    finished |= {3: D(2026, 11, 16), 4: D(2026, 11, 19), 5: D(2026, 11, 24)}
    phases = complaints.phase_plan(complaints.sla_plan(D(2026, 11, 2), finished))
    assert column(phases, "start")[:3] == [D(2026, 11, 2), D(2026, 11, 11), D(2026, 11, 24)]
    assert column(phases, "due")[:2] == [D(2026, 11, 11), D(2026, 11, 20)]
    assert column(phases, "finished")[:2] == [D(2026, 11, 11), D(2026, 11, 24)]
    assert column(phases, "late_days")[:2] == [0, 2]
    assert phases["finished"].iloc[2:].isna().all()


def test_steps_finished_on_their_due_dates_take_58_working_days():
    calendar = default_calendar()
    received = D(2026, 8, 14)
    planned = complaints.sla_plan(received)
    finished = dict(zip(column(planned, "step"), column(planned, "due"), strict=True))
    plan = complaints.sla_plan(received, finished)
    assert column(plan, "due") == column(planned, "due")
    assert set(column(complaints.phase_plan(plan), "late_days")) == {0}
    overall = complaints.overall_plan(plan)
    assert overall["due"].date() == calendar.add_working_days(received, 58)
    assert overall["finished"].date() == overall["due"].date() == finished[12]
    assert overall["late_days"] == 0


def test_the_complaint_is_late_by_what_its_steps_lost():
    # "7 | Jawaban Pengaduan | 25": 3 working days late, every later step on time.
    received = D(2026, 8, 14)
    planned = complaints.sla_plan(received)
    finished = dict(zip(column(planned, "step")[:6], column(planned, "due")[:6], strict=True))
    finished[7] = default_calendar().add_working_days(step(planned, 7)["due"], 3)
    for number in range(8, 13):
        finished[number] = step(complaints.sla_plan(received, finished), number)["due"].date()
    plan = complaints.sla_plan(received, finished)
    assert step(plan, 7)["late_days"] == 3
    assert column(complaints.phase_plan(plan), "late_days") == [0, 0, 3, 0, 0, 0]
    assert complaints.overall_plan(plan)["late_days"] == 3


@pytest.mark.parametrize(
    ("today", "status", "days_left"),
    [
        (D(2026, 11, 2), "on_time", 5),
        (D(2026, 11, 6), "on_time", 1),  # 1 of 5 days left: not fewer than a fifth
        (D(2026, 11, 9), "at_risk", 0),  # the due day
        (D(2026, 11, 10), "late", -1),
    ],
)
def test_the_step_under_way_counts_down_its_working_days(today, status, days_left):
    # "1 | Konfirmasi Kelengkapan | 5": received Monday 2 Nov 2026, due Monday 9 Nov.
    plan = complaints.step_status(complaints.sla_plan(D(2026, 11, 2)), today)
    assert (step(plan, 1)["status"], step(plan, 1)["days_left"]) == (status, days_left)
    assert set(column(plan, "status")[1:]) == {"waiting"}
    assert plan["days_left"].iloc[1:].isna().all()


@pytest.mark.parametrize(
    ("today", "status", "days_left"),
    [(D(2026, 11, 30), "on_time", 5), (D(2026, 12, 1), "at_risk", 4)],
)
def test_the_long_answer_step_is_at_risk_in_its_last_fifth(today, status, days_left):
    # "7 | Jawaban Pengaduan | 25": steps 1–6 finished on the day of receipt (Monday 2 Nov
    # 2026), so step 7 is due Monday 7 Dec; at risk with fewer than 5 working days left.
    finished = dict.fromkeys(range(1, 7), D(2026, 11, 2))
    plan = complaints.step_status(complaints.sla_plan(D(2026, 11, 2), finished), today)
    assert step(plan, 7)["due"].date() == D(2026, 12, 7)
    assert (step(plan, 7)["status"], step(plan, 7)["days_left"]) == (status, days_left)


def test_finished_steps_are_on_time_or_late_by_their_late_days():
    plan = complaints.sla_plan(D(2026, 11, 2), {1: D(2026, 11, 4), 2: D(2026, 11, 11)})
    status = complaints.step_status(plan, D(2026, 11, 11))
    assert column(status, "status")[:4] == ["on_time", "late", "on_time", "waiting"]
    assert step(status, 3)["days_left"] == 2


@pytest.mark.parametrize(
    ("finished", "code", "number", "message"),
    [
        ({13: D(2026, 11, 3)}, "unknown_step", 13, r"Langkah 13 tidak ada .*langkah 1–12"),
        ({1: D(2026, 11, 1)}, "before_received", 1,
         r"Langkah 1 selesai 01-11-2026, sebelum pengaduan diterima \(02-11-2026\)"),
        ({1: D(2026, 11, 5), 2: D(2026, 11, 5), 3: D(2026, 11, 4)}, "before_previous_step", 3,
         r"Langkah 3 selesai 04-11-2026, sebelum langkah 2 selesai \(05-11-2026\)"),
        ({1: D(2026, 11, 4), 3: D(2026, 11, 5)}, "earlier_step_open", 3,
         r"Langkah 3 tercatat selesai, padahal langkah 2 belum selesai"),
    ],
    ids=["unknown-step", "before-receipt", "before-previous", "earlier-open"],
)  # fmt: skip
def test_finish_dates_that_do_not_fit_are_refused_naming_the_step(finished, code, number, message):
    with pytest.raises(ValueError, match=rf"^{message}") as refused:
        complaints.sla_plan(D(2026, 11, 2), finished)
    assert isinstance(refused.value, ScheduleError)
    assert (refused.value.code, refused.value.step) == (code, number)


def test_a_step_finished_after_today_is_refused():
    plan = complaints.sla_plan(D(2026, 11, 2), {1: D(2026, 11, 5)})
    with pytest.raises(ScheduleError, match="^Langkah 1 tercatat selesai setelah hari ini") as e:
        complaints.step_status(plan, D(2026, 11, 4))
    assert (e.value.code, e.value.step) == ("finished_after_today", 1)
