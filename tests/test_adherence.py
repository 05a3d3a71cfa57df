"""ATS (Buku Saku, Komponen Produktivitas) on hand-computed days, and the Izin Tidak Online
filing deadline of ND-12/LIP.2/2019."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from kringlib import adherence
from kringlib.calendar import WorkCalendar

DAY = "2026-11-24"
H = 3600


def periods(rows, kind: str) -> pd.DataFrame:
    """Rows of (agent, "08:00", "16:00", value) on DAY (an end of 24:00 is midnight after)."""

    def moment(text):
        return pd.Timestamp(DAY) + pd.Timedelta(hours=int(text[:2]), minutes=int(text[3:]))

    return pd.DataFrame(
        [(a, moment(s), moment(e), v) for a, s, e, v in rows],
        columns=["agent_id", "start", "end", kind],
    )


def one(schedule, states, adjustments=None, by=None) -> pd.Series:
    result = adherence.ats(
        periods(schedule, "activity"), periods(states, "state"),
        None if adjustments is None else periods(adjustments, "reason"), by,
    )  # fmt: skip
    return result.iloc[0]


SHIFT = [("AG001", "08:00", "16:00", "layanan")]


def test_the_rulebook_defines_ats_and_its_eight_reasons():
    rules = adherence.ats_rules()
    assert "tingkat kepatuhan dan ketepatan agen" in rules.source.note
    quotes = [r.quote for r in rules.reasons]
    assert len(quotes) == 8
    assert quotes[0] == ("Tidak masuk bekerja karena sakit/cuti/izin/alpha sesuai dengan yang "
                         "tercatat di SIKKA.")  # fmt: skip
    assert "Melakukan presensi hanya sekali, dengan jam layanan kurang dari 2 (dua) jam." in quotes
    assert "Gangguan sistem" in quotes
    assert quotes[-1].startswith("Keterlambatan memulai jam online karena pegawai yang")


def test_late_arrival_loses_the_minutes_before_going_online():
    day = one(SHIFT, [("AG001", "08:30", "16:00", "online")])
    assert (day["scheduled_s"], day["adherent_s"]) == (8 * H, 7.5 * H)
    assert day["ATS"] == pytest.approx(7.5 / 8)


def test_aux_in_the_middle_is_not_adherent():
    states = [("AG001", "08:00", "12:00", "online"), ("AG001", "12:00", "12:30", "aux"),
              ("AG001", "12:30", "16:00", "online")]  # fmt: skip
    assert one(SHIFT, states)["ATS"] == pytest.approx(7.5 / 8)


def test_online_through_a_break_earns_conformance_not_adherence():
    schedule = [("AG001", "08:00", "12:00", "layanan"), ("AG001", "12:00", "13:00", "istirahat"),
                ("AG001", "13:00", "16:00", "layanan")]  # fmt: skip
    day = one(schedule, [("AG001", "08:00", "16:00", "online")])
    assert (day["scheduled_s"], day["adherent_s"], day["worked_s"]) == (7 * H, 7 * H, 8 * H)
    assert (day["ATS"], day["conformance"]) == (1.0, pytest.approx(8 / 7))


def test_a_late_arrival_excused_by_sikka_is_not_owed():
    day = one(SHIFT, [("AG001", "09:00", "16:00", "online")],
              [("AG001", "08:00", "09:00", "terlambat")])  # fmt: skip
    assert (day["excused_s"], day["ATS"]) == (1 * H, 1.0)


def test_a_whole_day_excused_owes_nothing_and_has_no_ats():
    day = one(SHIFT, [], [("AG001", "00:00", "24:00", "absen")])
    assert (day["scheduled_s"], day["excused_s"]) == (8 * H, 8 * H)
    assert np.isnan(day["ATS"]) and np.isnan(day["conformance"])


def test_two_agents_give_a_ratio_of_sums_not_a_mean_of_ratios():
    schedule = [*SHIFT, ("AG002", "08:00", "10:00", "layanan")]
    states = [("AG001", "08:00", "16:00", "online"), ("AG002", "09:00", "10:00", "online")]
    assert one(schedule, states)["ATS"] == pytest.approx(9 / 10)  # not (1 + 0.5) / 2
    per_agent = adherence.ats(periods(schedule, "activity"), periods(states, "state"),
                              by="agent_id")  # fmt: skip
    assert per_agent["ATS"].to_dict() == {"AG001": 1.0, "AG002": 0.5}


def test_duplicated_and_overlapping_rows_count_once():
    states = [("AG001", "08:30", "16:00", "online")] * 3 + [("AG001", "10:00", "11:00", "online")]
    day = one(SHIFT + SHIFT, states)
    assert (day["scheduled_s"], day["adherent_s"], day["worked_s"]) == (8 * H, 7.5 * H, 7.5 * H)


def test_a_shift_across_midnight_counts_on_each_day():
    schedule = [("AG001", "20:00", "28:00", "layanan")]  # 20:00 to 04:00 the next day
    states = [("AG001", "20:00", "27:00", "online")]
    by_day = adherence.ats(periods(schedule, "activity"), periods(states, "state"), by="day")
    assert by_day["scheduled_s"].tolist() == [4 * H, 4 * H]
    assert by_day["ATS"].tolist() == [1.0, 0.75]


def test_bad_periods_and_states_are_refused_naming_them():
    with pytest.raises(ValueError, match="states: akhir sebelum awal pada baris 0"):
        one(SHIFT, [("AG001", "10:00", "09:00", "online")])
    with pytest.raises(ValueError, match="status tidak dikenal: istirahat"):
        one(SHIFT, [("AG001", "09:00", "10:00", "istirahat")])
    with pytest.raises(KeyError, match="tim"):
        one(SHIFT, [], by="tim")


def test_the_filing_deadline_counts_working_days_across_weekends_and_cuti_bersama():
    # "dalam waktu paling lambat 3 hari setelah keadaan tidak online terjadi"
    calendar = WorkCalendar()
    assert adherence.filing_deadline(dt.date(2026, 11, 27), calendar) == dt.date(2026, 12, 2)
    # 24 Dec 2026 is cuti bersama Natal, 25 Dec Natal, then a weekend
    assert adherence.filing_deadline(dt.date(2026, 12, 23), calendar) == dt.date(2026, 12, 30)
    adherence.check_filing(dt.date(2026, 12, 23), dt.date(2026, 12, 30), calendar)
    with pytest.raises(adherence.LateFiling, match="paling lambat diajukan 30-12-2026"):
        adherence.check_filing(dt.date(2026, 12, 23), dt.date(2026, 12, 31), calendar)


DAY_SHIFT = [("AG001", "08:00", "12:00", "layanan"), ("AG001", "12:00", "13:00", "istirahat"),
             ("AG001", "13:00", "16:00", "layanan")]  # fmt: skip
DAY_STATES = [("AG001", "08:05", "08:20", "aux"), ("AG001", "08:20", "10:00", "online"),
              ("AG001", "10:00", "10:15", "aux"), ("AG001", "10:15", "12:00", "online"),
              ("AG001", "12:40", "14:00", "online"), ("AG001", "14:30", "15:30", "online"),
              ("AG002", "07:00", "17:00", "aux")]  # fmt: skip
OUTAGE = [("AG001", "14:00", "14:20", "gangguan_sistem")]


def timeline(schedule=DAY_SHIFT, states=DAY_STATES, adjustments=None) -> pd.DataFrame:
    return adherence.day_timeline(
        periods(schedule, "activity"), periods(states, "state"),
        None if adjustments is None else periods(adjustments, "reason"),
        agent_id="AG001", day=DAY,
    )  # fmt: skip


def minutes(series: pd.Series) -> dict:
    return (series / 60).to_dict()


def test_a_day_loses_minutes_to_a_late_start_aux_a_logout_and_an_early_leave():
    # 08:00–08:20 before the first online (logged out, then AUX), AUX 10:00–10:15, logged
    # out 14:20–14:30 after the outage, gone at 15:30; online 12:40–13:00 is the break.
    pieces = timeline(adjustments=OUTAGE)
    lost = {"late_start": 20, "aux": 15, "offline": 10, "early_leave": 30}
    assert minutes(adherence.time_lost(pieces)) == lost
    assert minutes(adherence.time_excused(pieces)) == {"gangguan_sistem": 20}


def test_the_day_view_adds_up_to_the_ats_of_the_day():
    day = one(DAY_SHIFT, DAY_STATES, OUTAGE)
    pieces = timeline(adjustments=OUTAGE)
    adherent = pieces.loc[pieces["cause"] == "adherent", "seconds"].sum()
    assert adherent == day["adherent_s"] == (100 + 105 + 60 + 60) * 60
    lost = adherence.time_lost(pieces).sum()
    assert lost == day["scheduled_s"] - day["excused_s"] - day["adherent_s"]
    assert adherence.time_excused(pieces).sum() == day["excused_s"]


def test_the_timeline_cuts_the_day_where_anything_changes():
    pieces = timeline(adjustments=OUTAGE)
    assert pieces["start"].iloc[0] == pd.Timestamp(f"{DAY} 08:00")
    assert pieces["end"].iloc[-1] == pd.Timestamp(f"{DAY} 16:00")
    assert (pieces["start"].iloc[1:].to_numpy() == pieces["end"].iloc[:-1].to_numpy()).all()
    noon = pieces[pieces["activity"] == "istirahat"]
    assert noon[["state", "seconds"]].values.tolist() == [["offline", 2400], ["online", 1200]]
    assert noon["cause"].isna().all() and not noon["service"].any()
    outage = pieces[pieces["excused"]]
    assert outage[["reason", "cause", "state"]].values.tolist() == [
        ["gangguan_sistem", "excused", "offline"]
    ]


def test_overlapping_adjustments_excuse_with_the_first_reason_of_nd12():
    adjustments = [("AG001", "08:15", "08:45", "gangguan_sistem"),
                   ("AG001", "08:00", "08:30", "terlambat")]  # fmt: skip
    pieces = timeline(adjustments=adjustments)
    assert minutes(adherence.time_excused(pieces)) == {"terlambat": 30, "gangguan_sistem": 15}
    assert adherence.time_lost(pieces)["late_start"] == 0


def test_a_day_never_online_is_aux_and_offline_not_a_late_start():
    pieces = timeline(states=[("AG001", "09:00", "10:00", "aux")])
    lost = {"late_start": 0, "aux": 60, "offline": 360, "early_leave": 0}
    assert minutes(adherence.time_lost(pieces)) == lost
    assert adherence.time_excused(pieces).empty


def test_the_day_view_keeps_to_the_agent_and_the_day():
    night = [("AG001", "20:00", "28:00", "layanan"), ("AG002", "08:00", "16:00", "layanan")]
    pieces = timeline(night, [("AG001", "22:00", "27:00", "online")])
    assert (pieces["start"].min(), pieces["end"].max()) == (
        pd.Timestamp(f"{DAY} 20:00"), pd.Timestamp(f"{DAY} 00:00") + pd.Timedelta(days=1)
    )  # fmt: skip
    assert minutes(adherence.time_lost(pieces))["late_start"] == 120
    assert timeline([], []).empty
