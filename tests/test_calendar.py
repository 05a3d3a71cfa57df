"""Working days of KLIP: weekends, public holidays and cuti bersama (holidays package)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kringlib import calendar
from kringlib.calendar import WorkCalendar
from kringlib.rules import RuleFileError

D = dt.date


def test_weekends_are_closed():
    assert calendar.is_working_day(D(2026, 11, 27))  # Friday
    assert not calendar.is_working_day(D(2026, 11, 28))  # Saturday
    assert not calendar.is_working_day(D(2026, 11, 29))  # Sunday


@pytest.mark.parametrize(
    "day, what",
    [
        (D(2026, 1, 1), "Tahun Baru Masehi"),
        (D(2026, 3, 19), "Hari Suci Nyepi"),
        (D(2026, 3, 18), "cuti bersama Nyepi"),
        (D(2026, 3, 20), "cuti bersama Idulfitri"),
        (D(2026, 3, 23), "cuti bersama Idulfitri"),
        (D(2026, 3, 24), "cuti bersama Idulfitri"),
        (D(2026, 8, 17), "Hari Kemerdekaan"),
        (D(2026, 12, 24), "cuti bersama Natal"),
    ],
)
def test_public_holidays_and_cuti_bersama_are_closed(day, what):
    assert not calendar.is_working_day(day), what
    assert calendar.default_calendar().holiday_name(day)


def test_add_working_days_skips_the_2026_nyepi_and_lebaran_closure():
    # Tue 17 Mar 2026 is open; 18–24 Mar is Nyepi, Idulfitri, their cuti bersama and a weekend.
    assert calendar.add_working_days(D(2026, 3, 17), 1) == D(2026, 3, 25)
    assert calendar.add_working_days(D(2026, 3, 17), 3) == D(2026, 3, 27)
    assert calendar.working_days_between(D(2026, 3, 17), D(2026, 3, 27)) == 3


def test_add_working_days_over_a_weekend():
    # Thursday + 3 working days: Friday, Monday, Tuesday.
    assert calendar.add_working_days(D(2026, 11, 26), 3) == D(2026, 12, 1)


def test_zero_working_days_rolls_a_closed_day_forward():
    assert calendar.add_working_days(D(2026, 11, 27), 0) == D(2026, 11, 27)
    assert calendar.add_working_days(D(2026, 11, 28), 0) == D(2026, 11, 30)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError, match="≥ 0"):
        calendar.add_working_days(D(2026, 11, 27), -1)


def test_working_days_between_is_signed():
    assert calendar.working_days_between(D(2026, 12, 1), D(2026, 11, 26)) == -3
    assert calendar.working_days_between(D(2026, 11, 27), D(2026, 11, 27)) == 0


def test_extra_closed_days_are_closed():
    office_closure = D(2026, 12, 31)
    assert calendar.is_working_day(office_closure)
    closed = WorkCalendar(extra_closed_days=[office_closure])
    assert not closed.is_working_day(office_closure)
    assert closed.add_working_days(D(2026, 12, 30), 1) == D(2027, 1, 4)


@given(
    start=st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 12, 31)),
    n=st.integers(min_value=0, max_value=40),
)
def test_add_and_count_working_days_agree(start, n):
    end = calendar.add_working_days(start, n)
    assert calendar.is_working_day(end)
    assert end >= start
    if calendar.is_working_day(start):
        assert calendar.working_days_between(start, end) == n


@pytest.mark.parametrize(
    "clock, period",
    [
        (dt.time(0, 0), "pagi"),
        (dt.time(8, 0), "pagi"),
        (dt.time(10, 59), "pagi"),
        (dt.time(11, 0), "siang"),
        (dt.time(14, 59), "siang"),
        (dt.time(15, 0), "sore"),
        (dt.time(23, 59), "sore"),
    ],
)
def test_greeting_period_by_time_of_day(clock, period):
    # ND-550/LIP/2019, Diksi: "salah mengucapkan pagi/siang/sore sesuai panduan jam layanan KLIP"
    assert calendar.greeting_period(clock) == period


def test_greeting_period_of_a_datetime():
    assert calendar.greeting_period(dt.datetime(2026, 11, 27, 15, 30)) == "sore"


def test_service_hours():
    cal = calendar.default_calendar()
    assert cal.is_service_time(dt.datetime(2026, 11, 27, 8, 0))
    assert not cal.is_service_time(dt.datetime(2026, 11, 27, 16, 0))
    assert not cal.is_service_time(dt.datetime(2026, 11, 28, 10, 0))  # Saturday


def test_local_settings_override_the_packaged_ones(tmp_path, monkeypatch):
    (tmp_path / "kalender.yaml").write_text(
        """
source: {citation: "Pengaturan lokal uji"}
holiday_categories: [public, government]
closed_weekdays: [7]
extra_closed_days: [{date: 2026-12-31, reason: "Penutupan kantor"}]
service_hours: {start: "07:30", end: "17:00"}
greeting_periods:
  - {id: pagi, start: "00:00"}
  - {id: siang, start: "10:00"}
  - {id: sore, start: "15:00"}
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("KRING_RULES_DIR", str(tmp_path))
    local = WorkCalendar()
    assert local.is_working_day(D(2026, 11, 28))  # Saturday opens
    assert local.holiday_name(D(2026, 12, 31)) == "Penutupan kantor"
    assert local.greeting_period(dt.time(10, 30)) == "siang"


def test_a_broken_settings_file_names_file_and_field(tmp_path, monkeypatch):
    (tmp_path / "kalender.yaml").write_text(
        """
source: {citation: "x"}
holiday_categories: [public]
closed_weekdays: [9]
service_hours: {start: "16:00", end: "08:00"}
greeting_periods: [{id: pagi, start: "00:00"}]
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("KRING_RULES_DIR", str(tmp_path))
    with pytest.raises(RuleFileError) as error:
        WorkCalendar()
    message = str(error.value)
    assert "kalender.yaml" in message
    assert "closed_weekdays" in message
    assert "service_hours" in message
