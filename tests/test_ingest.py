"""Real-shaped Avaya exports and the channel template; every problem names file, row, column."""

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kringlib import ingest, kpi
from kringlib.ingest import ExportError, values

EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def located(parsed) -> list[tuple[int, str, str]]:
    """(line, column, code) of every finding: what tests check, not the wording."""
    return [(f.row, f.column, f.code) for f in parsed.findings]


def test_title_lines_bom_hms_durations_and_totals_row():
    frame = ingest.read_avaya_agent_report(EXPORTS / "agent_hms_comma.csv")
    assert len(frame) == 2  # the Totals row is not an agent
    first = frame.set_index("login_id").loc["50001"]
    assert first["date"] == pd.Timestamp("2026-11-03")  # from the "Dates:" filter line, day first
    assert first["acd_time"] == 3 * 3600 + 41 * 60 + 5
    assert first["ring_time"] == 5 * 60 + 30
    assert first["channel"] == "telepon"
    assert frame["date"].dtype == "datetime64[ns]"


def test_semicolons_indonesian_numbers_and_seconds_with_decimals():
    frame = ingest.read_avaya_agent_report(EXPORTS / "agent_seconds_semicolon_id.csv")
    first = frame.set_index("login_id").loc["50001"]
    assert first["acd_calls"] == 1234  # "1.234"
    assert first["acd_time"] == 13265.5  # "13265,5"
    assert first["date"] == pd.Timestamp("2026-11-04")  # "Tanggal: 04/11/2026"


def test_interval_rows_are_summed_to_days():
    frame = ingest.read_avaya_agent_report(EXPORTS / "agent_interval.csv")
    adi = frame.set_index("login_id").loc["50001"]
    assert adi["acd_calls"] == 10
    assert adi["acd_time"] == 12 * 60 + 30 + 20 * 60
    assert adi["staffed_time"] == 3600


def parsed_warnings(parsed) -> list[tuple[int, str, str]]:
    return [(f.row, f.column, f.code) for f in parsed.warnings]


def test_every_problem_is_reported_with_file_row_and_column():
    parsed = ingest.parse_export(EXPORTS / "agent_problems.csv", ingest.AGENT)
    found = located(parsed)
    assert (5, "Date", "impossible_date") in found
    assert (4, "ACD Time", "negative_value") in found
    assert (3, "Login ID", "duplicate_row") in found
    assert (6, "ACD Time", "part_exceeds_whole") in parsed_warnings(parsed)
    assert str(parsed.errors[0]).startswith("Galat: agent_problems.csv, baris ")
    with pytest.raises(ExportError, match="baris 5, kolom Date"):
        ingest.read_avaya_agent_report(EXPORTS / "agent_problems.csv")


def test_missing_required_column_is_an_error():
    csv = b"Agent Name,Login ID,ACD Time\nAdi,AG001,100\n"
    parsed = ingest.parse_export(csv, ingest.AGENT, "tanpa-acd-calls.csv")
    assert (1, "ACD Calls", "column_missing") in located(parsed)


def test_a_file_without_a_recognisable_header():
    parsed = ingest.parse_export(b"apa,ini\n1,2\n", ingest.AGENT, "acak.csv")
    assert located(parsed) == [(0, "", "header_missing")]


def test_no_date_anywhere_is_an_error():
    parsed = ingest.parse_export(
        b"Login ID,ACD Calls\nAG001,5\n", ingest.AGENT, "tanpa-tanggal.csv"
    )
    assert (0, "Date", "report_date_missing") in located(parsed)


def test_mixed_number_formats_are_refused():
    csv = (
        b'Login ID,Date,ACD Calls,ACD Time\nAG001,2026-11-05,5,"1.234,5"\n'
        b"AG002,2026-11-05,5,1234.55\n"
    )
    parsed = ingest.parse_export(csv, ingest.AGENT, "campur.csv")
    assert (0, "", "mixed_decimal_marks") in located(parsed)


def test_us_dates_when_configured(tmp_path, monkeypatch):
    rules = Path(ingest.layouts.__file__).parent.parent / "rules" / "ekspor.yaml"
    (tmp_path / "ekspor.yaml").write_text(
        rules.read_text().replace("date_order: DMY", "date_order: MDY")
    )
    monkeypatch.setenv("KRING_RULES_DIR", str(tmp_path))
    ingest.layouts.export_rules.cache_clear()
    try:
        frame = ingest.read_avaya_agent_report(EXPORTS / "agent_hms_comma.csv")
        assert frame["date"].iloc[0] == pd.Timestamp("2026-03-11")
    finally:
        ingest.layouts.export_rules.cache_clear()


def test_xlsx_with_time_cells_and_a_title():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Agent Summary Report"])
    sheet.append(["Date: 06/11/2026"])
    sheet.append(["Agent Name", "Login ID", "ACD Calls", "ACD Time", "ACW Time", "Staffed Time"])
    sheet.append(
        [
            "Adi Pratama",
            "AG001",
            40,
            dt.time(2, 30, 0),
            dt.timedelta(minutes=20),
            dt.timedelta(hours=9, minutes=30),
        ]
    )
    sheet.append(["Totals", None, 40, None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    frame = ingest.read_avaya_agent_report(buffer)
    row = frame.iloc[0]
    assert row["acd_time"] == 9000 and row["acw_time"] == 1200 and row["staffed_time"] == 34200
    assert row["date"] == pd.Timestamp("2026-11-06")
    # A duration past 24 h reads right too (a day's row may not hold one: plausible_max).
    assert values.parse_duration(dt.timedelta(hours=27), ".") == 27 * 3600


def test_a_damaged_xlsx_is_an_error_not_a_crash():
    parsed = ingest.parse_export(b"PK\x03\x04rusak", ingest.AGENT, "rusak.xlsx")
    assert parsed.errors and "tidak dapat dibaca" in parsed.errors[0].message


def test_split_report_by_interval_gives_hourly_queue_rows():
    frame = ingest.read_avaya_split_report(EXPORTS / "split_interval.csv")
    assert frame[["date", "hour", "offered", "answered", "abandoned"]].values.tolist() == [
        [pd.Timestamp("2026-11-05"), 8, 310.0, 287.0, 23.0]
    ]


def test_split_report_without_intervals_covers_the_whole_day():
    csv = b"Split/Skill,Date,Calls Offered,ACD Calls,Aband Calls\n1,2026-11-05,2500,2300,200\n"
    frame = ingest.read_avaya_split_report(csv)
    assert frame["hour"].tolist() == [ingest.WHOLE_DAY]
    pai = kpi.productivity(
        frame.rename(columns={"answered": "acd_calls", "offered": "incoming_calls"})
    )
    assert pai["PAI_call"].iloc[0] == pytest.approx(0.92)


def test_channel_template_round_trip():
    template = ingest.template_frame()
    buffer = io.BytesIO()
    template.to_csv(buffer, index=False)
    frame = ingest.read_channel_template(buffer.getvalue())
    assert set(frame["channel"]) == {"telepon", "chat"}
    chat = frame.set_index("channel").loc["chat"]
    assert chat["chats_answered_in_sla"] == 131
    assert frame.set_index("channel").loc["telepon", "talk_time"] == 3 * 3600 + 55 * 60 + 10


def test_channel_template_problems():
    csv = (
        b"tanggal,id_agen,saluran,interaksi_total,interaksi_terdokumentasi\n"
        b"2026-11-02,AG001,faks,10,9\n2026-11-02,AG002,chat,10,12\n"
    )
    parsed = ingest.parse_export(csv, ingest.CHANNEL_TEMPLATE, "templat.csv")
    assert (2, "saluran", "unknown_channel") in located(parsed)
    assert (3, "interaksi_terdokumentasi", "part_exceeds_whole") in parsed_warnings(parsed)
