"""SIKKA attendance against the WFM schedule: the ATS adjustments it proposes
(ND-12/LIP.2/2019), on hand-computed days."""

import pandas as pd
import pytest
import yaml

from kringlib import adherence, attendance, rules

DAY = "2026-11-02"
FILE = "sikka-november.csv"


def at(text: str, day: str = DAY) -> pd.Timestamp:
    return pd.Timestamp(f"{day} {text}") if text else pd.NaT


def schedule(*rows) -> pd.DataFrame:
    """Rows of (agent, "08:00", "12:00", activity) on DAY."""
    return pd.DataFrame(
        [(a, at(s), at(e), activity) for a, s, e, activity in rows],
        columns=["agent_id", "start", "end", "activity"],
    )


def presence(*rows, day: str = DAY) -> pd.DataFrame:
    """Rows of (agent, check-in, check-out, status) on ``day``, from line 2 of FILE."""
    return pd.DataFrame(
        [(a, pd.Timestamp(day), at(i, day), at(o, day), s) for a, i, o, s in rows],
        columns=["agent_id", "date", "check_in", "check_out", "status"],
    ).assign(source=FILE, source_row=lambda f: f.index + 2)


DAY_SHIFT = [("AG001", "08:00", "12:00", "layanan"), ("AG001", "12:00", "13:00", "istirahat"),
             ("AG001", "13:00", "16:00", "layanan")]  # fmt: skip


def proposed(shift, present) -> list[tuple]:
    found = attendance.proposals(schedule(*shift), presence(*present))
    assert list(found.columns) == attendance.COLUMNS
    return [
        (r.agent_id, f"{r.start:%H:%M}", f"{r.end:%H:%M}", r.reason, r.evidence)
        for r in found.itertuples()
    ]


def test_a_late_check_in_proposes_the_minutes_late():
    """ "Terlambat masuk bekerja, sesuai jam keterlambatan yang tercatat di SIKKA." In at
    08:17 against service from 08:00: the 17 minutes between."""
    assert proposed(DAY_SHIFT, [("AG001", "08:17", "16:05", None)]) == [
        ("AG001", "08:00", "08:17", "terlambat",
         "SIKKA sikka-november.csv, baris 2: jam masuk 08:17, layanan terjadwal mulai 08:00"),
    ]  # fmt: skip


def test_the_proposal_excuses_exactly_the_minutes_late_in_ats():
    found = attendance.proposals(schedule(*DAY_SHIFT), presence(("AG001", "08:17", "16:05", None)))
    states = schedule(("AG001", "08:17", "16:05", None)).rename(columns={"activity": "state"})
    day = adherence.ats(schedule(*DAY_SHIFT), states.assign(state="online"), found).iloc[0]
    assert day["excused_s"] == 17 * 60
    assert day["ATS"] == 1.0


@pytest.mark.parametrize("status", ["sakit", "Cuti", " izin ", "ALPHA"])
def test_a_day_off_recorded_in_sikka_proposes_absen_over_the_scheduled_service(status):
    """ "Tidak masuk bekerja karena sakit/cuti/izin/alpha sesuai dengan yang tercatat di
    SIKKA." From the first service start to the last service end."""
    assert proposed(DAY_SHIFT, [("AG001", None, None, status)]) == [
        ("AG001", "08:00", "16:00", "absen",
         f"SIKKA sikka-november.csv, baris 2: status {status.strip().lower()}"),
    ]  # fmt: skip


def test_no_presence_at_all_on_a_scheduled_day_proposes_absen():
    """A row without check-in nor check-out, or no row for an agent of the file on a day
    the file covers: not at work, as far as SIKKA knows."""
    assert proposed(DAY_SHIFT, [("AG001", None, None, None)]) == [
        ("AG001", "08:00", "16:00", "absen",
         "SIKKA sikka-november.csv, baris 2: tanpa jam masuk maupun jam pulang"),
    ]  # fmt: skip
    shift = schedule(*DAY_SHIFT, ("AG002", "08:00", "16:00", "layanan"),
                     ("AG003", "08:00", "16:00", "layanan"))  # fmt: skip
    other_day = presence(("AG001", "07:58", "16:02", None), day="2026-11-03")
    present = pd.concat([presence(("AG002", "07:55", "16:01", None)), other_day])
    found = attendance.proposals(shift, present)
    assert found[["agent_id", "reason", "evidence"]].values.tolist() == [
        ["AG001", "absen", "SIKKA sikka-november.csv, 02-11-2026: tidak ada baris presensi"]
    ]  # AG003 is in no row of the file: not judged


def test_an_early_check_out_proposes_the_rest_of_the_service():
    """ "Pulang sebelum waktunya, sesuai jam kepulangan yang tercatat di SIKKA." Out at
    15:00 against service until 16:00: the hour after."""
    assert proposed(DAY_SHIFT, [("AG001", "07:58", "15:00", None)]) == [
        ("AG001", "15:00", "16:00", "pulang_awal",
         "SIKKA sikka-november.csv, baris 2: jam pulang 15:00, layanan terjadwal sampai 16:00"),
    ]  # fmt: skip


def test_late_and_early_on_one_day_are_two_proposals():
    assert [p[:4] for p in proposed(DAY_SHIFT, [("AG001", "09:10", "14:30", None)])] == [
        ("AG001", "08:00", "09:10", "terlambat"),
        ("AG001", "14:30", "16:00", "pulang_awal"),
    ]


def test_one_presence_with_under_two_hours_of_service_proposes_the_day():
    """ "Melakukan presensi hanya sekali, dengan jam layanan kurang dari 2 (dua) jam." One
    check-in, no check-out, and 1 h 30 min of service scheduled (14:00–15:30)."""
    short = [("AG001", "13:00", "14:00", "pelatihan"), ("AG001", "14:00", "15:30", "layanan")]
    assert proposed(short, [("AG001", "12:55", None, None)]) == [
        ("AG001", "14:00", "15:30", "presensi_sekali",
         "SIKKA sikka-november.csv, baris 2: presensi hanya sekali (jam masuk 12:55, tanpa "
         "jam pulang); layanan terjadwal 1 jam 30 menit"),
    ]  # fmt: skip


def test_one_presence_with_two_hours_of_service_or_more_proposes_only_what_it_shows():
    """ "… dengan jam layanan kurang dari 2 (dua) jam": exactly two hours is not less. The
    one time recorded still shows lateness; the missing check-out proposes nothing."""
    two_hours = [("AG001", "08:00", "10:00", "layanan")]
    assert proposed(two_hours, [("AG001", "07:50", None, None)]) == []
    assert [p[:4] for p in proposed(DAY_SHIFT, [("AG001", None, "15:30", None)])] == [
        ("AG001", "15:30", "16:00", "pulang_awal")
    ]


def test_an_official_assignment_proposes_penugasan():
    """ "Penugasan lainnya (Surat Tugas/Nota Dinas)": SIKKA's dinas, proposed for the Team
    Leader to check against the letter (a local setting in ats.yaml)."""
    assert [p[3] for p in proposed(DAY_SHIFT, [("AG001", None, None, "dinas")])] == ["penugasan"]


def test_days_without_scheduled_service_and_unknown_statuses_propose_nothing():
    off_duty = [("AG001", "08:00", "16:00", "pelatihan")]
    assert proposed(off_duty, [("AG001", None, None, "sakit")]) == []
    assert proposed(DAY_SHIFT, [("AG001", "07:58", "16:02", "wfh")]) == []
    assert attendance.proposals(schedule(), presence()).empty


@pytest.fixture
def local_rules(tmp_path, monkeypatch):
    """A site's rules folder, with the loaded ATS rules forgotten before and after."""
    monkeypatch.setenv("KRING_RULES_DIR", str(tmp_path))
    for cached in (rules._load_path, adherence.ats_rules):
        cached.cache_clear()
    yield tmp_path
    for cached in (rules._load_path, adherence.ats_rules):
        cached.cache_clear()


def test_a_status_proposing_an_unknown_reason_is_refused_when_loaded(local_rules):
    data = yaml.safe_load((rules.PACKAGED_DIR / "ats.yaml").read_text(encoding="utf-8"))
    data["sikka"]["statuses"]["wfh"] = "bekerja_di_rumah"
    (local_rules / "ats.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(rules.RuleFileError, match=r"^ats\.yaml: .*sikka\.statuses: alasan "
                       "tidak dikenal: bekerja_di_rumah"):  # fmt: skip
        adherence.ats_rules()
