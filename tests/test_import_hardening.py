"""Imports survive what users really upload: a file that is not a table, the encodings
and line ends exports come in, a header repeated at page breaks, shifted rows and absurd
values; each a finding naming file and line, never an internal error."""

import base64
import os

import pytest

from kringlib import ingest
from kringlib.ui.identity import Session
from kringlib.ui.import_panel import ImportPanelModel, ImportPanelView

HEADER = "Agent Name,Login ID,Date,ACD Calls,Staffed Time"


def parsed(content: bytes, name: str = "ekspor.csv"):
    return ingest.parse_export(content, ingest.AGENT, name)


def messages(result) -> list[str]:
    return [str(f) for f in result.findings]


@pytest.mark.parametrize(
    "content",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, b"\x00\x01" + os.urandom(512)],
    ids=["png-renamed-csv", "random-bytes"],
)
def test_a_file_that_is_not_a_table_is_one_clear_finding(content):
    result = parsed(content, "foto.csv")
    assert messages(result) == [
        "Galat: foto.csv: foto.csv: bukan berkas teks CSV maupun XLSX (berisi data biner)"
    ]


def test_duplicate_rows_with_an_impossible_date_are_findings_not_a_crash():
    rows = f"{HEADER}\nAdi,50001,2026-11-31,5,3600\nAdi,50001,2026-11-31,5,3600\n".encode()
    assert messages(parsed(rows)) == [
        "Galat: ekspor.csv, baris 2, kolom Date: tanggal mustahil: '2026-11-31'",
        "Galat: ekspor.csv, baris 3, kolom Date: tanggal mustahil: '2026-11-31'",
        "Galat: ekspor.csv, baris 3, kolom Login ID: baris agen-tanggal ganda "
        "(sama dengan baris 2)",
    ]


def test_every_duplicate_names_its_first_row():
    rows = HEADER + "\n" + "\n".join(["Adi,50001,2026-11-05,5,3600"] * 5000)
    found = parsed(rows.encode()).errors
    assert len(found) == 4999 and all("sama dengan baris 2)" in f.message for f in found)


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
    assert messages(result) == [
        "Peringatan: ekspor.csv, baris 3: bukan UTF-8; dibaca sebagai Windows-1252 (cp1252)"
    ]


def test_old_mac_line_ends_and_a_header_repeated_at_a_page_break():
    lines = [HEADER, "Adi,50001,05/11/2026,5,3600", "Page 1 of 2", HEADER,
             "Ayu,50002,05/11/2026,6,3600"]  # fmt: skip
    result = parsed("\r".join(lines).encode())
    assert messages(result) == [
        "Galat: ekspor.csv, baris 3: 1 sel, sedangkan judul kolom 5 kolom; baris bergeser atau "
        "terpotong"
    ]
    clean = parsed("\r".join(lines[:2] + lines[3:]).encode())
    assert clean.findings == [] and clean.frame["login_id"].tolist() == ["50001", "50002"]


def test_a_row_with_more_or_fewer_cells_than_the_header_is_refused_with_its_line():
    rows = f"{HEADER}\nAdi,50001,05/11/2026,5,3600,99\nAyu,50002,05/11/2026\n".encode()
    assert messages(parsed(rows)) == [
        "Galat: ekspor.csv, baris 2: 6 sel, sedangkan judul kolom 5 kolom; baris bergeser atau "
        "terpotong",
        "Galat: ekspor.csv, baris 3: 3 sel, sedangkan judul kolom 5 kolom; baris bergeser atau "
        "terpotong",
    ]


def test_absurd_values_are_refused_with_their_limit():
    rows = f"{HEADER}\nAdi,50001,05/11/2026,1000000000000000,3600\n".encode()
    assert messages(parsed(rows)) == [
        "Galat: ekspor.csv, baris 2, kolom ACD Calls: nilai tidak wajar: 1e+15 "
        "(batas 2000, ekspor.yaml)"
    ]


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
