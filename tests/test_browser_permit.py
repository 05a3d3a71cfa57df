"""Izin Tidak Online in Chromium: an agent files a late start, the team leader approves it,
and the agent's ATS tile on KPI Tim rises."""

import pandas as pd
import pytest
from browser_support import cell_errors, choose, switch_user, wait_rendered

from kringlib import clock
from kringlib.store import adjustments, db, schedules

pytestmark = pytest.mark.browser
AGENT = "AG002"


def late_today(engine) -> None:
    """AG002 scheduled 08:00–12:00 and 13:00–16:00 today, online only from 10:00: two of
    seven service hours lost. Today, so the filing is always within its deadline and the
    day always inside KPI Tim's "bulan ini"."""
    today = pd.Timestamp(clock.today())
    at = lambda hours: today + pd.Timedelta(hours=hours)  # noqa: E731
    schedule = pd.DataFrame(
        [(AGENT, at(8), at(12), "layanan"), (AGENT, at(12), at(13), "istirahat"),
         (AGENT, at(13), at(16), "layanan")],
        columns=["agent_id", "start", "end", "activity"],
    )  # fmt: skip
    states = pd.DataFrame([(AGENT, at(10), at(16), "online")],
                          columns=["agent_id", "start", "end", "state"])  # fmt: skip
    with engine.begin() as conn:
        schedules.write_schedule(conn, schedule, "uji-jadwal.csv")
        schedules.write_states(conn, states, "uji-status.csv")


def ats_tile(page, server) -> str:
    """The ATS figure KPI Tim shows the agent (their own, this month)."""
    page.goto(server.url + "voila/render/KPI-Tim.ipynb")
    wait_rendered(page)
    switch_user(page, AGENT.lower())
    page.wait_for_function(  # the agent's own figures, not those of the page's first visitor
        """agent => {
            const rows = document.querySelectorAll('.kr-agent-table tr[data-agent]');
            return rows.length === 1 && rows[0].dataset.agent === agent;
        }""",
        arg=AGENT,
        timeout=60_000,
    )
    return page.inner_text(".kr-tile-ATS .kr-tile-value")


def test_an_approved_late_start_raises_the_agents_ats(page, server):
    engine = db.make_engine(server.db_url)
    late_today(engine)
    before = ats_tile(page, server)

    page.goto(server.url + "voila/render/Izin-Tidak-Online.ipynb")
    wait_rendered(page)
    switch_user(page, AGENT.lower())
    choose(page, ".kr-permit-reason select", "Terlambat masuk")
    page.wait_for_selector(".kr-permit-quote :text('jam keterlambatan')")
    page.wait_for_selector(".kr-permit-deadline :text('Batas pengajuan')")
    for selector, value in ((".kr-permit-start input", "08:00"), (".kr-permit-end input", "10:00"),
                            (".kr-permit-evidence textarea", "SIKKA: masuk 10:00")):  # fmt: skip
        page.fill(selector, value)
        page.locator(selector).dispatch_event("change")
    page.click(".kr-permit-file")
    page.wait_for_selector(".kr-permit-message :text('diajukan')")
    (filed,) = adjustments.adjustments_frame(engine, agents=[AGENT]).query("state == 'diajukan'")[
        "id"
    ]
    assert ats_tile(page, server) == before  # filed, not approved: nothing excused yet

    page.goto(server.url + "voila/render/Izin-Tidak-Online.ipynb")
    wait_rendered(page)
    switch_user(page, "tl.merapi")
    page.click(f".kr-permit-{filed} .kr-approve")
    page.wait_for_selector(f".kr-permit-message :text('Izin #{filed}: Disetujui')")
    assert cell_errors(page) == []

    after = ats_tile(page, server)
    assert _percent(after) > _percent(before), (before, after)


def _percent(text: str) -> float:
    return float(text.replace("%", "").replace(",", ".").strip())
