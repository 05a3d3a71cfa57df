"""Komponen Produktivitas: each formula as the rulebook gives it, as a ratio of sums."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import pandas as hpd

from kringlib import kpi

KPIS = ["ART", "AHT", "CE", "CPH", "CRM", "PAI_call", "PAI_chat", "PAI_email", "ATS"]


def one(**columns) -> pd.Series:
    return kpi.productivity(pd.DataFrame({k: [v] for k, v in columns.items()})).iloc[0]


def test_columns_in_the_rulebook_order():
    assert list(kpi.productivity(pd.DataFrame({"acd_calls": [1.0]})).columns) == KPIS


def test_art():
    # "ART = Total ringtime : ACD calls"
    assert one(ring_time=120.0, acd_calls=20.0)["ART"] == 6.0


def test_aht():
    # "AHT = (ACD time+hold time + ACW time) : (ACD calls)"
    assert one(acd_time=5000.0, hold_time=400.0, acw_time=600.0, acd_calls=20.0)["AHT"] == 300.0


def test_ce():
    # "CE = Talk Time: ACD time"
    assert one(talk_time=4500.0, acd_time=5000.0)["CE"] == 0.9


def test_cph_counts_calls_per_staffed_hour():
    # "CPH = Total ACD calls : Staffed Time", staffed time held in seconds
    assert one(acd_calls=54.0, staffed_time=6 * 3600.0)["CPH"] == 9.0


def test_crm():
    # "CRM = (Total Interaksi yang didokumentasikan pada aplikasi)/(Total Interaksi)"
    assert one(interactions_documented=95.0, interactions_total=100.0)["CRM"] == 0.95


def test_pai_per_channel():
    # "Percentage Answered Calls = Total ACD calls : Total Incoming Calls"
    assert one(acd_calls=90.0, incoming_calls=100.0)["PAI_call"] == 0.9
    # "Percentage Answered Chats = Total Answered Chat in SLA : Total Answered Chat"
    assert one(chats_answered_in_sla=45.0, chats_answered=50.0)["PAI_chat"] == 0.9
    # "Percentage Answered E-Mail = Total Answered Email : Total Assigned Email"
    assert one(emails_answered=30.0, emails_assigned=40.0)["PAI_email"] == 0.75


def test_absent_inputs_give_nan_not_zero():
    row = one(acd_calls=20.0, acd_time=5000.0)
    assert math.isnan(row["AHT"])  # hold and ACW time absent
    assert math.isnan(row["CRM"])
    assert math.isnan(row["CE"])


def test_zero_denominator_gives_nan_never_inf_or_zero():
    row = one(ring_time=0.0, acd_calls=0.0, acd_time=0.0, hold_time=0.0, acw_time=0.0,
              talk_time=0.0, staffed_time=0.0)  # fmt: skip
    for name in ["ART", "AHT", "CE", "CPH"]:
        assert math.isnan(row[name]), name


def test_group_kpi_is_a_ratio_of_sums_not_a_mean_of_ratios():
    frame = pd.DataFrame(
        {"team": ["A", "A"], "acd_time": [100.0, 9000.0], "hold_time": [0.0, 0.0],
         "acw_time": [0.0, 0.0], "acd_calls": [1.0, 30.0]}
    )  # fmt: skip
    aht = kpi.productivity(frame, by=["team"]).loc["A", "AHT"]
    assert aht == pytest.approx(9100 / 31)
    assert aht != pytest.approx((100 / 1 + 9000 / 30) / 2)


def test_handle_time_of_a_group_without_calls_still_counts_in_the_whole():
    # Found by the property test below: group "a" has ACW time but no ACD calls.
    frame = pd.DataFrame(
        {"group": ["a", "b"], "acd_calls": [0.0, 1.0], "acd_time": [0.0, 0.0],
         "hold_time": [0.0, 0.0], "acw_time": [1.0, 1.0]}
    )  # fmt: skip
    assert math.isnan(kpi.productivity(frame, by=["group"]).loc["a", "AHT"])
    assert kpi.productivity(frame).iloc[0]["AHT"] == 2.0


def test_rows_missing_an_input_drop_out_of_that_kpi_only():
    frame = pd.DataFrame(
        {"ring_time": [60.0, np.nan], "acd_calls": [10.0, 30.0],
         "staffed_time": [3600.0, 3600.0]}
    )  # fmt: skip
    result = kpi.productivity(frame).iloc[0]
    assert result["ART"] == 6.0  # the row without ring time does not dilute ART
    assert result["CPH"] == 20.0  # but its calls count for CPH


def test_nullable_integer_columns_are_read_as_missing_not_zero():
    frame = pd.DataFrame(
        {
            "ring_time": pd.array([60, None], dtype="Int64"),
            "acd_calls": pd.array([10, 30], dtype="Int64"),
        }
    )
    assert kpi.productivity(frame).iloc[0]["ART"] == 6.0


def test_grouping_by_period_names_and_several_keys():
    frame = pd.DataFrame(
        {"date": pd.to_datetime(["2026-03-02", "2026-03-30", "2026-04-01"]),
         "agent_id": ["AG1", "AG1", "AG2"], "acd_calls": [1.0, 3.0, 2.0],
         "ring_time": [10.0, 20.0, 4.0]}
    )  # fmt: skip
    by_month = kpi.productivity(frame, by="month")
    assert list(by_month.index.astype(str)) == ["2026-03", "2026-04"]
    assert by_month["ART"].tolist() == [7.5, 2.0]
    both = kpi.productivity(frame, by=["agent_id", "month"])
    assert both.index.names == ["agent_id", "month"]
    assert len(both) == 2
    assert kpi.productivity(frame, by="week").shape[0] == 2  # Mon 30 Mar and Wed 1 Apr: one week


@pytest.mark.parametrize("rows_at_once", [2, kpi.ROWS_AT_ONCE])
@pytest.mark.parametrize("dtype", [object, "str", "category"])
def test_keys_group_alike_whatever_their_dtype_missing_ones_last(dtype, rows_at_once, monkeypatch):
    # Readers give str keys, an analyst may hold object or categorical ones; None and NaN
    # are both a missing key, and rows without one still count, in a group of their own.
    monkeypatch.setattr(kpi, "ROWS_AT_ONCE", rows_at_once)
    frame = pd.DataFrame(
        {"agent_id": pd.Series(["AG2", "AG1", None, "AG2", np.nan, "AG1"], dtype=dtype),
         "date": pd.to_datetime(["2026-03-02", "2026-04-01", "2026-03-05", "2026-03-30",
                                 "2026-04-02", "2026-03-31"]),
         "acd_calls": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
         "ring_time": [10.0, 30.0, 60.0, 40.0, 125.0, np.nan]}
    )  # fmt: skip
    original = frame.copy()
    result = kpi.productivity(frame, by=["agent_id", "month"])
    pd.testing.assert_frame_equal(frame, original)
    assert [(str(agent), str(month)) for agent, month in result.index] == [
        ("AG1", "2026-03"), ("AG1", "2026-04"), ("AG2", "2026-03"),
        ("nan", "2026-03"), ("nan", "2026-04"),
    ]  # fmt: skip
    np.testing.assert_array_equal(result["ART"], [np.nan, 15.0, 10.0, 20.0, 25.0])
    assert result.index.get_level_values("agent_id").dtype == frame["agent_id"].dtype


def test_number_and_boolean_keys_group_in_order():
    frame = pd.DataFrame(
        {"hour": [9, 8, 9, 10], "transfer": [True, False, True, False],
         "acd_calls": [1.0, 2.0, 3.0, 4.0], "ring_time": [2.0, 4.0, 10.0, 40.0]}
    )  # fmt: skip
    assert kpi.productivity(frame, by="hour")["ART"].to_dict() == {8: 2.0, 9: 3.0, 10: 10.0}
    by_transfer = kpi.productivity(frame, by="transfer")["ART"]
    assert by_transfer.to_dict() == {False: 44 / 6, True: 3.0}


def test_periods_of_date_skip_empty_ones_and_keep_missing_dates_last():
    frame = pd.DataFrame(
        {"date": pd.to_datetime(["2026-03-02", None, "2026-01-31", "2026-03-30"]),
         "acd_calls": [1.0, 2.0, 4.0, 3.0], "ring_time": [10.0, 4.0, 8.0, 30.0]}
    )  # fmt: skip
    by_date = kpi.productivity(frame, by="month")
    assert [str(month) for month in by_date.index] == ["2026-01", "2026-03", "NaT"]
    assert by_date["ART"].tolist() == [2.0, 10.0, 2.0]
    with_column = frame.assign(month=frame["date"].dt.to_period("M"))
    pd.testing.assert_frame_equal(kpi.productivity(with_column, by="month"), by_date)


def test_sums_taken_block_by_block_equal_those_taken_at_once(monkeypatch):
    rng = np.random.default_rng(7)
    frame = pd.DataFrame(
        {"group": rng.choice(["a", "b", "c"], 200), "acd_calls": rng.poisson(4, 200) * 1.0,
         "acd_time": rng.random(200) * 900, "talk_time": rng.random(200) * 800}
    )  # fmt: skip
    frame.loc[rng.random(200) < 0.05, "talk_time"] = np.nan
    at_once = kpi.productivity(frame, by="group")
    monkeypatch.setattr(kpi, "ROWS_AT_ONCE", 16)
    pd.testing.assert_frame_equal(kpi.productivity(frame, by="group"), at_once, rtol=1e-12)


def test_unknown_group_column_is_a_clear_error():
    with pytest.raises(KeyError, match="tidak ada"):
        kpi.productivity(pd.DataFrame({"acd_calls": [1.0]}), by=["tim"])


def test_empty_frame_gives_nan_row():
    result = kpi.productivity(pd.DataFrame({"acd_calls": pd.Series([], dtype=float)}))
    assert result.isna().all().all()


def test_every_kpi_cites_the_rulebook():
    for definition in kpi.definitions().values():
        assert ":" in definition.formula or "/" in definition.formula
        assert definition.numerator and definition.denominator


OCCUPANCY = {
    "title": "Occupancy",
    "formula": "Occupancy = (Talk time + ACW time) : Staffed Time",
    "numerator": ["talk_time", "acw_time"],
    "denominator": ["staffed_time"],
    "unit": "rasio",
    "better": "higher",
}


def agent_days() -> pd.DataFrame:
    return pd.DataFrame(
        {"agent_id": ["AG1", "AG1", "AG2", "AG3"], "acd_calls": [10.0, 30.0, 20.0, 0.0],
         "talk_time": [1800.0, 5400.0, 3000.0, 0.0], "acw_time": [600.0, 900.0, 300.0, 0.0],
         "staffed_time": [3600.0, 14400.0, 7200.0, 0.0]}
    )  # fmt: skip


@pytest.mark.parametrize(
    "definition",
    [OCCUPANCY, kpi.KpiDefinition(id="occupancy", **OCCUPANCY)],
    ids=["dict", "model"],
)
def test_extra_kpi_per_agent_is_a_ratio_of_sums(definition):
    frame = agent_days()
    result = kpi.productivity(frame, by="agent_id", extra={"occupancy": definition})
    assert list(result.columns) == [*KPIS, "occupancy"]
    occupancy = result["occupancy"]
    assert occupancy["AG1"] == pytest.approx((1800 + 600 + 5400 + 900) / (3600 + 14400))
    assert occupancy["AG1"] != pytest.approx((2400 / 3600 + 6300 / 14400) / 2)
    assert occupancy["AG2"] == pytest.approx(3300 / 7200)
    assert math.isnan(occupancy["AG3"])  # zero staffed time: NaN, as for a built-in
    built_in = kpi.productivity(frame, by="agent_id")
    pd.testing.assert_frame_equal(result[KPIS], built_in)


def test_extra_kpi_cannot_take_a_built_in_id():
    with pytest.raises(ValueError, match="KPI tambahan AHT: id sudah dipakai KPI bawaan"):
        kpi.productivity(agent_days(), extra={"AHT": OCCUPANCY})


def test_extra_kpi_naming_absent_columns_names_them():
    frame = agent_days().drop(columns=["acw_time", "staffed_time"])
    message = "KPI tambahan occupancy: kolom tidak ada: acw_time, staffed_time"
    with pytest.raises(ValueError, match=message):
        kpi.productivity(frame, extra={"occupancy": OCCUPANCY})


def test_extra_kpi_of_the_wrong_shape_names_its_id():
    incomplete = {k: v for k, v in OCCUPANCY.items() if k != "denominator"}
    with pytest.raises(ValueError, match="KPI tambahan occupancy: denominator"):
        kpi.productivity(agent_days(), extra={"occupancy": incomplete})
    with pytest.raises(ValueError, match="KPI tambahan occupancy: id di definisi berbeda"):
        kpi.productivity(agent_days(), extra={"occupancy": {**OCCUPANCY, "id": "occ"}})


measures = st.floats(min_value=0, max_value=1e6, allow_nan=False)
rows = hpd.data_frames(
    [
        hpd.column("group", elements=st.sampled_from(["a", "b", "c"])),
        hpd.column("acd_calls", elements=st.integers(0, 200).map(float)),
        hpd.column("acd_time", elements=measures),
        hpd.column("hold_time", elements=measures),
        hpd.column("acw_time", elements=measures),
        hpd.column("ring_time", elements=measures),
    ],
    index=hpd.range_indexes(min_size=1, max_size=30),
)


@settings(max_examples=60, deadline=None)
@given(rows)
def test_grouped_equals_each_group_alone(frame):
    grouped = kpi.productivity(frame, by=["group"])
    for name, part in frame.groupby("group"):
        alone = kpi.productivity(part).iloc[0]
        pd.testing.assert_series_equal(grouped.loc[name], alone, check_names=False, rtol=1e-9)


@settings(max_examples=60, deadline=None)
@given(rows)
@example(
    pd.DataFrame(
        {"group": ["a", "b"], "acd_calls": [0.0, 1.0], "acd_time": [0.0, 0.0],
         "hold_time": [0.0, 0.0], "acw_time": [1.0, 1.0], "ring_time": [0.0, 0.0]}
    )
)  # fmt: skip
def test_whole_is_between_its_parts(frame):
    # A ratio of sums (mediant) lies between the smallest and largest group ratio, when
    # every group has calls: a group with handle time but no calls has no AHT of its own
    # yet still adds to the whole.
    assume((frame.groupby("group")["acd_calls"].sum() > 0).all())
    parts = kpi.productivity(frame, by=["group"])["AHT"].dropna()
    whole = kpi.productivity(frame).iloc[0]["AHT"]
    if parts.empty:
        assert math.isnan(whole)
    else:
        assert parts.min() * (1 - 1e-9) <= whole <= parts.max() * (1 + 1e-9)


def test_pai_telepon_falls_back_to_the_whole_queue_as_kpi_tim_shows_it():
    """Buku Saku, PAI telepon = panggilan dijawab / total panggilan masuk: when the agents'
    rows carry no incoming calls, the telephone queue's answered over offered."""
    agents = pd.DataFrame({"acd_calls": [40.0, 50.0], "staffed_time": [3600.0, 3600.0]})
    queue = pd.DataFrame({"channel": ["telepon", "telepon", "chat"], "answered": [90.0, 80.0, 5.0],
                          "offered": [100.0, 100.0, 5.0]})  # fmt: skip
    values, from_queue = kpi.overall(agents, queue)
    assert from_queue and values["PAI_call"] == pytest.approx(170 / 200)
    assert values["CPH"] == pytest.approx(45)
    assert np.isnan(kpi.overall(agents)[0]["PAI_call"])  # no queue: nothing to fall back on
    counted = agents.assign(incoming_calls=[45.0, 55.0])
    values, from_queue = kpi.overall(counted, queue)
    assert not from_queue and values["PAI_call"] == pytest.approx(90 / 100)


def test_weeks_run_from_monday_to_sunday():
    days = pd.to_datetime(["2026-11-23", "2026-11-29", "2026-11-30"])  # Mon, Sun, next Mon
    frame = pd.DataFrame({"date": days, "acd_calls": [1.0, 2.0, 4.0], "staffed_time": 3600.0})
    weeks = kpi.productivity(frame, by="week")
    assert [str(w) for w in weeks.index] == ["2026-11-23/2026-11-29", "2026-11-30/2026-12-06"]
    assert weeks["CPH"].tolist() == [1.5, 4.0]
