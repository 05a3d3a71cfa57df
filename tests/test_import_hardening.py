"""Imports survive what users really upload: a file that is not a table, the encodings
and line ends exports come in, a header repeated at page breaks, shifted rows and absurd
values; each a finding naming file and line, never an internal error."""

import base64
import os

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kringlib import ingest
from kringlib.ingest import exports, findings, layouts, table
from kringlib.ingest.findings import ERROR, WARNING, Finding
from kringlib.ui.identity import Session
from kringlib.ui.import_panel import ImportPanelModel, ImportPanelView
from kringlib.workbooks import workbook

HEADER = "Agent Name,Login ID,Date,ACD Calls,Staffed Time"


def parsed(content: bytes, name: str = "ekspor.csv"):
    return ingest.parse_export(content, ingest.AGENT, name)


def located(result) -> list[tuple[str, int, str, str]]:
    """(level, line, column, code) of every finding: what a test checks, not the wording."""
    return [(f.level, f.row, f.column, f.code) for f in result.findings]


@pytest.mark.parametrize(
    "content",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, b"\x00\x01" + os.urandom(512)],
    ids=["png-renamed-csv", "random-bytes"],
)
def test_a_file_that_is_not_a_table_is_one_clear_finding(content):
    result = parsed(content, "foto.csv")
    assert located(result) == [(ERROR, 0, "", "file_unreadable")]
    assert str(result.findings[0]).startswith("Galat: foto.csv: ")


def test_duplicate_rows_with_an_impossible_date_are_findings_not_a_crash():
    rows = f"{HEADER}\nAdi,50001,2026-11-31,5,3600\nAdi,50001,2026-11-31,5,3600\n".encode()
    assert located(parsed(rows)) == [
        (ERROR, 2, "Date", "impossible_date"),
        (ERROR, 3, "Date", "impossible_date"),
        (ERROR, 3, "Login ID", "duplicate_row"),
    ]


def test_every_duplicate_names_its_first_row():
    rows = HEADER + "\n" + "\n".join(["Adi,50001,2026-11-05,5,3600"] * 5000)
    found = parsed(rows.encode()).errors
    assert len(found) == 4999 and {f.code for f in found} == {"duplicate_row"}
    assert all("sama dengan baris 2)" in f.message for f in found)


def test_excel_unicode_text_utf16_with_tabs_is_read():
    text = HEADER.replace(",", "\t") + "\nJosé Núñez\t50001\t05/11/2026\t12\t28800\n"
    result = parsed(text.encode("utf-16"), "unicode.txt")
    assert result.findings == []
    assert result.frame["agent_name"].tolist() == ["José Núñez"]


def test_a_file_mixing_utf8_and_cp1252_keeps_each_line_right_and_says_so():
    content = (f"{HEADER}\nJosé Núñez,50001,05/11/2026,12,28800\n".encode()
               + "Renée Siregar,50002,05/11/2026,9,28800\n".encode("cp1252"))  # fmt: skip
    result = parsed(content)
    assert sorted(result.frame["agent_name"]) == ["José Núñez", "Renée Siregar"]
    assert located(result) == [(WARNING, 3, "", "encoding_guessed")]


def test_old_mac_line_ends_and_a_header_repeated_at_a_page_break():
    lines = [HEADER, "Adi,50001,05/11/2026,5,3600", "Page 1 of 2", HEADER,
             "Ayu,50002,05/11/2026,6,3600"]  # fmt: skip
    result = parsed("\r".join(lines).encode())
    assert located(result) == [(ERROR, 3, "", "ragged_row")]
    clean = parsed("\r".join(lines[:2] + lines[3:]).encode())
    assert clean.findings == [] and clean.frame["login_id"].tolist() == ["50001", "50002"]


def test_a_row_with_more_or_fewer_cells_than_the_header_is_refused_with_its_line():
    rows = f"{HEADER}\nAdi,50001,05/11/2026,5,3600,99\nAyu,50002,05/11/2026\n".encode()
    result = parsed(rows)
    assert located(result) == [(ERROR, 2, "", "ragged_row"), (ERROR, 3, "", "ragged_row")]
    assert [f.message.split(",")[0] for f in result.findings] == ["6 sel", "3 sel"]


def test_absurd_values_are_refused_with_their_limit():
    rows = f"{HEADER}\nAdi,50001,05/11/2026,1000000000000000,3600\n".encode()
    assert located(parsed(rows)) == [(ERROR, 2, "ACD Calls", "implausible_value")]


def test_a_preview_lists_200_findings_counts_the_rest_and_offers_them_all(demo_engine):
    rows = HEADER + "\n" + "\n".join(["Adi,50001,2026-11-05,5,3600"] * 1001)
    model = ImportPanelModel(demo_engine, Session(demo_engine, "spv.pkl"))
    view = ImportPanelView(model)
    model.preview("ganda.csv", rows.encode())
    assert view.details.value.count('class="kr-finding kr-finding-galat"') == 200
    assert "dan 800 temuan lain" in view.details.value
    assert len(view.details.value) < 60_000  # not a widget of all 1,000
    assert view.every_finding.layout.display is None
    view.every_finding.click()
    every = base64.b64decode(view.every_finding_link.value.split("base64,")[1].split('"')[0])
    assert len(every.decode().splitlines()) == 1 + 1000


MIXED = (f"{HEADER}\nJosé Núñez,50001,05/11/2026,12,28800\n".encode()
         + "Renée Siregar,50002,05/11/2026,9,28800\n".encode("cp1252")
         + b"Totals,,,21,57600\n")  # fmt: skip


@pytest.mark.parametrize(
    "content",
    [MIXED, MIXED.replace(b"\n", b"\r"), MIXED.decode("cp1252").encode("utf-16")],
    ids=["utf8-and-cp1252", "cr-line-ends", "utf16"],
)
def test_a_file_read_in_small_blocks_reads_as_read_whole(content, monkeypatch):
    whole = parsed(content)
    monkeypatch.setattr(table, "BLOCK", 16)  # lines and characters cut across blocks
    blocks = parsed(content)
    assert located(blocks) == located(whole)
    assert blocks.frame.equals(whole.frame) and len(whole.frame) == 2


def test_a_path_is_read_as_its_bytes(tmp_path):
    (tmp_path / "agen.csv").write_bytes(MIXED)
    from_path = ingest.parse_export(tmp_path / "agen.csv", ingest.AGENT)
    assert from_path.file == "agen.csv" and from_path.frame.equals(parsed(MIXED).frame)


def limited(monkeypatch, **limits):
    settings = layouts.export_rules()
    monkeypatch.setattr(layouts, "export_rules", lambda: settings.model_copy(
        update={"limits": table.Limits(**limits)}))  # fmt: skip


def test_a_file_beyond_a_limit_is_refused_naming_the_limit(monkeypatch):
    limited(monkeypatch, max_bytes=100)
    result = parsed(MIXED)
    assert located(result) == [(ERROR, 0, "", "file_too_large")]
    assert "limits.max_bytes" in result.findings[0].message and result.frame.empty


def test_rows_past_the_row_limit_stop_the_reading(monkeypatch):
    limited(monkeypatch, max_rows=2)
    assert located(parsed(MIXED)) == [(ERROR, 0, "", "too_many_rows")]


def test_a_line_wider_than_the_column_limit_is_refused(monkeypatch):
    limited(monkeypatch, max_columns=5)
    assert located(parsed(MIXED + b"Adi,50001,05/11/2026,5,3600,,,\n")) != []  # trailing empties
    wide = MIXED.replace(b"Totals", b"Adi,50003,05/11/2026,5,3600,x\nTotals")
    assert located(parsed(wide)) == [(ERROR, 0, "", "too_many_columns")]


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_before_reading(monkeypatch):
    book = workbook({"agen": pd.DataFrame({"Login ID": ["50001"] * 2000, "ACD Calls": 5})})
    limited(monkeypatch, max_unpacked_bytes=20_000)
    result = parsed(book, "besar.xlsx")
    assert located(result) == [(ERROR, 0, "", "file_too_large")]
    assert "limits.max_unpacked_bytes" in result.findings[0].message


def test_progress_is_told_as_the_file_is_read(monkeypatch):
    monkeypatch.setattr(exports, "BATCH_LINES", 1)
    told = []
    ingest.parse_export(MIXED, ingest.AGENT, "agen.csv", progress=told.append)
    assert len(told) >= 3 and told == sorted(told) and told[-1] == 1.0


def test_findings_past_the_cap_are_counted_in_one_more(monkeypatch):
    monkeypatch.setattr(findings, "MAX_FINDINGS", 10)
    rows = HEADER + "\n" + "\n".join(["Adi,50001,2026-11-05,5,3600"] * 30)
    result = parsed(rows.encode())
    assert len(result.findings) == 11 and result.findings[-1].code == "findings_capped"
    assert "dan 19 temuan lain" in result.findings[-1].message


def test_every_finding_code_is_known():
    with pytest.raises(ValueError, match="kode temuan tidak dikenal"):
        Finding(ERROR, "x.csv", 1, "", "no_such_code", "?")


CELLS = st.sampled_from(["Adi", "50001", "05/11/2026", "2026-02-30", "5", "-", "1.234,5",
                         "1,234.5", "0:30:00", "480:00", ":40", "x", "", '"', "Totals",
                         "ACD Calls", "Login ID", "é", "\t", ";"])  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(st.lists(CELLS, max_size=7), max_size=12),
    separator=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]),
    kind=st.sampled_from(list(layouts.export_rules().reports)),
)
def test_whatever_a_file_holds_reading_it_never_raises(lines, separator, encoding, kind):
    text = "\n".join(separator.join(cells) for cells in [HEADER.split(","), *lines])
    result = ingest.parse_export(text.encode(encoding, errors="replace"), kind, "acak.csv")
    assert all(f.file == "acak.csv" and f.row >= 0 for f in result.findings)


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=600))
def test_whatever_bytes_a_file_holds_reading_it_never_raises(content):
    result = ingest.parse_export(content, ingest.AGENT, "acak.csv")
    assert result.errors or result.frame.empty or "login_id" in result.frame


def test_errors_past_the_cap_keep_the_file_refused(monkeypatch):
    monkeypatch.setattr(findings, "MAX_FINDINGS", 3)
    lines = [f"Ren\xe9 {i},5000{i},05/11/2026,5,3600".encode("cp1252") for i in range(5)]
    content = (HEADER + "\n").encode() + b"\n".join(lines) + b"\nAdi,59999,05/11/2026,abc,3600\n"
    result = parsed(content)  # five cp1252 warnings come first, the error after the cap
    assert result.findings[-1].code == "findings_capped" and result.findings[-1].level == ERROR
    assert result.errors


@pytest.mark.parametrize("day", ["3025-11-03", "1500-01-01", "31/12/9999"])
def test_a_date_outside_any_export_is_impossible_not_wrapped(day):
    result = parsed(f"{HEADER}\nAdi,50001,{day},5,3600\n".encode())
    assert located(result) == [(ERROR, 2, "Date", "impossible_date")]


def test_a_quoted_name_across_a_line_and_a_block_boundary_stays_one_row(monkeypatch):
    content = f'{HEADER}\n"Adi\nPratama",50001,05/11/2026,5,3600\nAyu,50002,05/11/2026,6,3600\n'
    whole = parsed(content.encode())
    monkeypatch.setattr(table, "BLOCK", 40)  # the quoted line end falls between blocks
    blocks = parsed(content.encode())
    assert blocks.findings == whole.findings == []
    assert blocks.frame.equals(whole.frame)
    assert blocks.frame["agent_name"].tolist() == ["Adi\nPratama", "Ayu"]


def test_utf16_with_old_mac_line_ends_is_read_in_blocks(monkeypatch):
    content = MIXED.decode("cp1252").replace("\n", "\r").encode("utf-16")
    whole = parsed(content)
    monkeypatch.setattr(table, "BLOCK", 16)
    assert parsed(content).frame.equals(whole.frame) and len(whole.frame) == 2


def test_an_absurdly_long_duration_is_a_finding_not_a_crash():
    result = parsed(f"{HEADER}\nAdi,50001,05/11/2026,5,{'9' * 5000}:00:00\n".encode())
    assert located(result) == [(ERROR, 2, "Staffed Time", "not_a_duration")]


def test_lines_of_spaces_above_the_header_do_not_hide_it():
    content = "  ,  \n" * 60 + f"{HEADER}\nAdi,50001,05/11/2026,5,3600\n"
    assert parsed(content.encode()).frame["login_id"].tolist() == ["50001"]
