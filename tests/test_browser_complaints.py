"""Pengaduan in Chromium: the SPV records a complaint's first step and sees its status and
its Gantt chart change."""

import datetime as dt

import pytest
from browser_support import cell_errors, choose, wait_rendered

from kringlib import clock
from kringlib.store import complaints, db, users

pytestmark = pytest.mark.browser


def test_recording_a_step_moves_the_complaint_on(page, server):
    engine = db.make_engine(server.db_url)
    received = clock.today() - dt.timedelta(days=21)  # step 1 (5 working days) is overdue
    number = f"PGD-UJI-{received:%Y%m%d}"
    complaints.register(engine, users.user(engine, "spv.pkl"), number=number,
                        received_on=received, channel="website", category="Layanan KPP",
                        reported_unit="KPP Pratama Uji", summary="Uji peramban")  # fmt: skip

    page.goto(server.url + "voila/render/Pengaduan.ipynb")
    wait_rendered(page)
    choose(page, ".kr-complaints select", number)
    step_1 = '.kr-complaint-steps tr[data-step="1"]'
    page.wait_for_selector(f'{step_1}[data-status="late"]')
    page.wait_for_selector(".kr-chart-gantt svg")
    gantt_before = page.inner_html(".kr-chart-gantt")

    finished = received + dt.timedelta(days=7)
    page.fill(".kr-complaint-record input[type=date]", f"{finished:%Y-%m-%d}")
    page.locator(".kr-complaint-record input[type=date]").dispatch_event("change")
    page.click(".kr-complaint-complete")
    page.wait_for_selector(".kr-complaint-message :text('Langkah 1 dicatat selesai')")
    page.wait_for_selector(f"{step_1} :text('{finished:%d-%m-%Y}')")
    page.wait_for_selector('.kr-complaint-steps tr[data-step="2"]:not([data-status="waiting"])')
    page.wait_for_function(
        "before => document.querySelector('.kr-chart-gantt').innerHTML !== before",
        arg=gantt_before,
    )
    assert complaints.finished_steps(engine, int(_id(engine, number))) == {1: finished}
    assert cell_errors(page) == []


def _id(engine, number: str) -> int:
    frame = complaints.complaints_frame(engine, clock.today())
    return frame.loc[frame["number"] == number, "id"].iloc[0]
