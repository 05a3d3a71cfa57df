"""An analyst through `kring hub` in Chromium: JupyterLab opens, reading KPIs works, and a
write is refused by the database. Nobody else gets a server of their own."""

import json
from pathlib import Path

import pytest
from conftest import ANALYST, require_analyst_account
from test_browser_hub import signed_in

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"

RUN_CODE = """async ({base, code}) => {
  const xsrf = document.cookie.match(/_xsrf=([^;]+)/)[1];
  const made = await fetch(base + "api/kernels", {method: "POST", body: "{}",
    headers: {"X-XSRFToken": xsrf, "Content-Type": "application/json"}});
  const kernel = await made.json();
  const socket = new WebSocket(base.replace(/^http/, "ws") + "api/kernels/" + kernel.id
    + "/channels");
  await new Promise(resolve => socket.addEventListener("open", resolve));
  const id = crypto.randomUUID();
  const out = [];
  const done = new Promise(resolve => socket.addEventListener("message", event => {
    const msg = JSON.parse(event.data);
    if (msg.parent_header.msg_id !== id) return;
    const type = msg.header.msg_type;
    if (type === "stream") out.push(msg.content.text);
    if (type === "execute_result") out.push(msg.content.data["text/plain"]);
    if (type === "error") out.push("ERROR " + msg.content.ename + ": " + msg.content.evalue);
    if (type === "status" && msg.content.execution_state === "idle") resolve();
  }));
  socket.send(JSON.stringify({channel: "shell", content: {code, silent: false,
    store_history: false, user_expressions: {}, allow_stdin: false, stop_on_error: true},
    header: {msg_id: id, msg_type: "execute_request", username: "", session: id,
    version: "5.3", date: new Date().toISOString()}, parent_header: {}, metadata: {}}));
  await done;
  socket.close();
  return out.join("");
}"""

READ_KPIS = """
from kringlib import kpi, settings
from kringlib.store import activity, db
frame = activity.read_activity(db.make_engine(settings.resolve_db_url()))
print(kpi.productivity(frame, by="team")["AHT"].notna().sum(), "tim")
"""
WRITE = """
import sqlalchemy as sa
from kringlib import settings
from kringlib.store import db
with db.make_engine(settings.resolve_db_url()).begin() as conn:
    conn.execute(sa.text("DELETE FROM workbench_flag"))
print("tertulis")
"""


def test_an_analyst_gets_jupyterlab_reads_kpis_and_cannot_write(browser, hub):
    require_analyst_account()
    page = signed_in(browser, hub, ANALYST)
    page.goto(hub.url + "hub/spawn")
    page.wait_for_selector(".jp-LabShell", timeout=180_000)
    assert f"/user/{ANALYST}/lab" in page.url
    page.wait_for_selector(".jp-DirListing-item[title*='notebooks']")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "analis-jupyterlab.png"))
    base = hub.url + f"user/{ANALYST}/"
    read = page.evaluate(RUN_CODE, {"base": base, "code": READ_KPIS})
    assert read.strip().endswith("tim") and "ERROR" not in read, read
    refused = page.evaluate(RUN_CODE, {"base": base, "code": WRITE})
    assert "tertulis" not in refused
    assert "ERROR OperationalError" in refused and "readonly" in refused, refused
    whoami = page.evaluate(RUN_CODE, {"base": base, "code": "import os; print(os.getuid())"})
    assert int(whoami) != 0  # not the hub's account
    page.context.close()


def test_no_one_else_gets_a_server(hub):
    session = hub.session("spv.pkl")
    started = session.post(
        hub.url + "hub/api/users/spv.pkl/server",
        headers={"X-XSRFToken": session.cookies.get("_xsrf", path="/hub/") or ""},
    )
    assert started.status_code in (403, 400, 500), started.text
    assert "hanya untuk analis" in json.dumps(started.json())


def test_the_dashboards_still_open_for_an_analyst(browser, hub):
    page = signed_in(browser, hub, ANALYST)  # lands on Beranda, the dashboards' list
    offered = " ".join(page.locator(".kr-dashboard").all_inner_texts())
    for title in ("KPI Tim", "Rapor Kualitas", "Analitik Banding"):
        assert title in offered
    page.context.close()
