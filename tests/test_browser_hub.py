"""Two people at once through `kring hub` in Chromium: an agent and their team leader.

Each signs in on the hub's login page in their own browser context; each sees their own
name and only what their role may see; the agent's appeal lands in the leader's queue.
"""

import pytest
from browser_support import RequestLog, cell_errors, choose, wait_rendered
from conftest import HUB_PASSWORD, new_context
from page_support import fresh_assessment

from kringlib.store import appeals, db
from kringlib.ui.identity import VISITOR_HEADER

pytestmark = pytest.mark.browser
DASHBOARDS = "services/kring/voila/render/"
DEMO_MONTH = ("2026-03-01", "2026-03-31")  # inside the hub's two demo months


def signed_in(browser, hub, username, **context_options):
    """A page in a fresh browser context, signed in through the hub's login form."""
    context = new_context(browser, **context_options)
    page = context.new_page()
    page.goto(hub.url)
    page.fill("#username_input", username)
    page.fill("#password_input", HUB_PASSWORD)
    page.click("#login_submit")
    page.wait_for_selector(".kr-dashboard")  # Beranda, the hub's default page
    return page


def open_page(page, hub, notebook):
    page.goto(hub.url + DASHBOARDS + notebook)
    wait_rendered(page)


def set_period(page, start, end):
    for css, day in ((".kr-filter-start input", start), (".kr-filter-end input", end)):
        page.fill(css, day)
        page.locator(css).dispatch_event("change")


def shown_agents(page) -> set[str]:
    """The agents in KPI Tim's agents × KPIs table."""
    rows = ".kr-agent-table tr[data-agent]"
    page.wait_for_selector(rows)
    return set(page.eval_on_selector_all(rows, "rows => rows.map(r => r.dataset.agent)"))


@pytest.fixture
def agent_and_leader(browser, hub):
    # The agent's browser also claims to be the SPV in a header: the hub ignores it.
    agent = signed_in(browser, hub, "ag001", extra_http_headers={VISITOR_HEADER: "spv.pkl"})
    leader = signed_in(browser, hub, "tl.merapi")
    yield agent, leader
    agent.context.close()
    leader.context.close()


def test_two_people_at_once_each_see_their_own(agent_and_leader, hub):
    agent, leader = agent_and_leader
    requests = RequestLog(agent)
    open_page(agent, hub, "KPI-Tim.ipynb")
    open_page(leader, hub, "KPI-Tim.ipynb")
    agent.wait_for_selector(".kr-identity :text('Intan Setiawan')")
    leader.wait_for_selector(".kr-identity :text('Team Leader Tim Merapi')")

    set_period(agent, *DEMO_MONTH)
    assert shown_agents(agent) == {"AG001"}
    assert agent.query_selector(".kr-import-accordion") is None  # imports: SPV and admin only
    set_period(leader, *DEMO_MONTH)
    team = shown_agents(leader)
    assert {"AG001", "AG002"} <= team and len(team) == 10  # Tim Merapi, and no other team

    open_page(agent, hub, "Rapor-Kualitas.ipynb")
    choose(agent, ".kr-score-agent select", "(AG001)")
    labels = agent.eval_on_selector(
        ".kr-score-agent select", "s => Array.from(s.options).map(o => o.text)"
    )
    assert [label for label in labels if "(AG" in label] == ["Intan\u00a0Setiawan\u00a0(AG001)"]

    open_page(agent, hub, "Penilaian.ipynb")
    agent.wait_for_selector(".kr-refused :text('tidak tersedia untuk peran Agen')")
    assert agent.query_selector(".kr-form-agent") is None
    assert cell_errors(agent) == [] and cell_errors(leader) == []
    assert requests.off_loopback() == []


def test_an_agents_appeal_reaches_their_team_leader(agent_and_leader, hub):
    agent, leader = agent_and_leader
    engine = db.make_engine(hub.db_url)
    assessment_id = fresh_assessment(engine, "AG001", "asesor.andi")

    open_page(agent, hub, "Banding.ipynb")
    choose(agent, ".kr-appeal-assessments select", "sisa")
    agent.check(".kr-dispute-jawaban-ketepatan input")
    agent.fill(".kr-reason-jawaban-ketepatan input", "Jawaban sesuai resume TKB")
    agent.locator(".kr-reason-jawaban-ketepatan input").dispatch_event("change")
    agent.click(".kr-appeal-file")
    agent.wait_for_selector(".kr-appeal-message :text('diajukan')")
    filed = appeals.appeals_frame(engine)
    filed = filed[filed["assessment_id"] == assessment_id].iloc[0]
    assert filed["filed_by"] == "ag001"  # the signed-in agent, not the header's SPV

    open_page(leader, hub, "Proses-Banding.ipynb")
    choose(leader, ".kr-appeal-queue select", f"#{filed['id']} ")
    leader.click(".kr-approve")
    leader.wait_for_selector(f".kr-process-message :text('Banding #{filed['id']}')")
    trail = appeals.audit_trail(engine, int(filed["id"]))
    assert trail["actor"].tolist() == ["ag001", "tl.merapi"]
