"""Period presets of the KPI dashboard and the period each is compared with."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kringlib.periods import preset_period, previous_period

D = dt.date
TODAY = D(2026, 11, 28)


@pytest.mark.parametrize(
    "preset, period",
    [
        ("bulan_ini", (D(2026, 11, 1), TODAY)),
        ("bulan_lalu", (D(2026, 10, 1), D(2026, 10, 31))),
        ("kuartal_ini", (D(2026, 10, 1), TODAY)),
        ("tahun_berjalan", (D(2026, 1, 1), TODAY)),
    ],
)
def test_presets(preset, period):
    assert preset_period(preset, TODAY) == period


def test_last_month_in_january_is_december():
    assert preset_period("bulan_lalu", D(2027, 1, 10)) == (D(2026, 12, 1), D(2026, 12, 31))


def test_unknown_preset():
    with pytest.raises(ValueError, match="tidak dikenal"):
        preset_period("minggu_ini", TODAY)


def test_running_month_compares_with_the_same_days_last_month():
    assert previous_period(D(2026, 11, 1), D(2026, 11, 28)) == (D(2026, 10, 1), D(2026, 10, 28))


def test_whole_month_compares_with_the_whole_month_before():
    assert previous_period(D(2026, 3, 1), D(2026, 3, 31)) == (D(2026, 2, 1), D(2026, 2, 28))


def test_quarter_compares_with_the_quarter_before():
    assert previous_period(D(2026, 10, 1), D(2026, 12, 31)) == (D(2026, 7, 1), D(2026, 9, 30))


def test_custom_days_compare_with_as_many_days_before():
    assert previous_period(D(2026, 11, 10), D(2026, 11, 16)) == (D(2026, 11, 3), D(2026, 11, 9))


def test_backwards_period_is_refused():
    with pytest.raises(ValueError):
        previous_period(D(2026, 11, 10), D(2026, 11, 1))


@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)), st.integers(0, 400))
def test_previous_period_ends_before_the_period_starts(start, length):
    end = start + dt.timedelta(days=length)
    first, last = previous_period(start, end)
    assert first <= last < start
