"""One appeal through all five steps in Chromium, switching users with "masuk sebagai"."""

import pytest
import sqlalchemy as sa
from browser_support import RequestLog, cell_errors, choose, switch_user, wait_rendered

from kringlib import quality
from kringlib.store import appeals, assessments, db, users
from kringlib.store.models import interaction

pytestmark = pytest.mark.browser


def fresh_assessment(engine) -> tuple[int, str]:
    """AG002's latest inbound interaction, assessed today by asesor.andi with ketepatan 'tidak'."""
    with engine.connect() as conn:
        mine = (interaction.c.agent_id == "AG002") & (interaction.c.channel == "inbound")
        target = conn.execute(
            sa.select(interaction).where(mine).order_by(interaction.c.started_at.desc()).limit(1)
        ).one()
    versions = assessments.history(engine, target.id)
    answers = {i.id: "ya" for i in quality.load_rubric().items("inbound")}
    answers["jawaban.ketepatan"] = "tidak"
    assessment_id = assessments.save_assessment(
        engine, users.user(engine, "asesor.andi"), interaction_pk=target.id, answers=answers,
        context={}, notes="", reason="penilaian uji banding",
        supersedes=None if versions.empty else int(versions.iloc[-1]["id"]),
    )  # fmt: skip
    return assessment_id, target.interaction_id


def test_an_appeal_through_all_five_steps(page, server):
    engine = db.make_engine(server.db_url)
    assessment_id, interaction_id = fresh_assessment(engine)
    requests = RequestLog(page)

    # 1. Input appeal: the agent disputes ketepatan with a reason.
    page.goto(server.url + "voila/render/Banding.ipynb")
    wait_rendered(page)
    switch_user(page, "ag002")
    choose(page, ".kr-appeal-assessments select", interaction_id)
    page.check(".kr-dispute-jawaban-ketepatan input")
    page.fill(".kr-reason-jawaban-ketepatan input", "Jawaban sesuai resume TKB")
    page.locator(".kr-reason-jawaban-ketepatan input").dispatch_event("change")
    page.click(".kr-appeal-file")
    page.wait_for_selector(".kr-appeal-message :text('diajukan')")
    appeal_id = int(appeals.appeals_frame(engine).iloc[-1]["id"])

    # 2–4. Team leader, SPV, then another assessor, each signed in in turn.
    page.goto(server.url + "voila/render/Proses-Banding.ipynb")
    wait_rendered(page)
    for username in ("tl.merapi", "spv.pkl"):
        switch_user(page, username)
        choose(page, ".kr-appeal-queue select", f"#{appeal_id} ")
        page.click(".kr-approve")
        page.wait_for_selector(f".kr-process-message :text('Banding #{appeal_id}')")
    switch_user(page, "asesor.budi")
    choose(page, ".kr-appeal-queue select", f"#{appeal_id} ")
    page.click(".kr-verdict-jawaban-ketepatan button:text-is('Diterima')")
    page.click(".kr-reassess-save")
    page.wait_for_selector(".kr-process-message :text('selesai')")
    assert cell_errors(page) == []

    # 5. Appeal done: the audit trail on the agent's page, the new score on the scorecard.
    trail = appeals.audit_trail(engine, appeal_id)
    assert trail["actor"].tolist() == ["ag002", "tl.merapi", "spv.pkl", "asesor.budi"]
    page.goto(server.url + "voila/render/Banding.ipynb")
    wait_rendered(page)
    switch_user(page, "ag002")
    page.wait_for_selector(".kr-my-appeals :text('Appeal selesai')")
    shown = page.inner_text(".kr-my-appeals .kr-audit-trail")
    for actor in ("ag002", "tl.merapi", "spv.pkl", "asesor.budi"):
        assert actor in shown

    final = assessments.current(engine)
    final = final[final["interaction_id"] == interaction_id].iloc[0]
    assert final["id"] != assessment_id and final["total"] == 100.0
    page.goto(server.url + "voila/render/Rapor-Kualitas.ipynb")
    wait_rendered(page)
    choose(page, ".kr-score-agent select", "(AG002)")
    cell = page.locator(f"tr[data-interaction='{interaction_id}'] .kr-score-total")
    cell.wait_for(timeout=30_000)
    assert cell.inner_text() == "100,0"
    assert requests.off_loopback() == []
