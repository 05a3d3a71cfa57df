"""Numbers and dates on screen in Indonesian conventions; NaN shows as a dash."""

import datetime as dt
import math

import pandas as pd
import pytest

from kringlib.ui import format as fmt


@pytest.mark.parametrize(
    "value, decimals, text",
    [(1234.5, 1, "1.234,5"), (1234567, 0, "1.234.567"), (0.25, 2, "0,25"), (-1500.0, 0, "-1.500")],
)
def test_number(value, decimals, text):
    assert fmt.number(value, decimals) == text


@pytest.mark.parametrize("missing", [None, math.nan, float("nan"), pd.NaT])
def test_missing_values_show_as_a_dash(missing):
    assert fmt.number(missing) == "–"
    assert fmt.percent(missing) == "–"
    assert fmt.date(missing) == "–"


def test_percent_from_a_fraction():
    assert fmt.percent(0.953) == "95,3 %"
    assert fmt.percent(1.0, 0) == "100 %"


def test_dates_in_indonesian():
    assert fmt.date(dt.date(2025, 8, 17)) == "17 Agu 2025"
    assert fmt.date(pd.Timestamp("2026-05-01 10:00")) == "1 Mei 2026"
