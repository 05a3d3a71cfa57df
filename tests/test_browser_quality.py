"""Penilaian in Chromium: fill the form, watch the live score, save, find it in the
database and on the scorecard with the same total."""

import pytest
from browser_support import RequestLog, cell_errors, choose, switch_user, wait_rendered

from kringlib.store import assessments, db

pytestmark = pytest.mark.browser


def test_fill_save_and_find_on_the_scorecard(page, server):
    requests = RequestLog(page)
    page.goto(server.url + "voila/render/Penilaian.ipynb")
    wait_rendered(page)
    # The demo opens as the SPV, who may not assess (only assessors score: ND-550/LIP/2019).
    page.wait_for_selector(".kr-refused :text('tidak tersedia untuk peran SPV PKL')")
    switch_user(page, "asesor.andi")
    choose(page, ".kr-form-agent select", "(AG001)")
    page.wait_for_function(
        "() => document.querySelector('.kr-form-interaction select').options.length > 1"
    )
    labels = page.eval_on_selector(
        ".kr-form-interaction select", "s => Array.from(s.options).map(o => o.text)"
    )
    label = next(t for t in labels[1:] if "inbound" in t and "dinilai" not in t)
    interaction_id = label.split("·")[-1].strip()
    page.select_option(".kr-form-interaction select", label=label)
    page.wait_for_selector(".kr-item-jawaban-ketepatan")

    for button in page.locator(".kr-answer button:text-is('Ya')").all():
        button.click()
    page.wait_for_selector(".kr-live-total:text-is('100,0')")
    page.click(".kr-item-jawaban-ketepatan button:text-is('Tidak')")
    page.wait_for_selector(".kr-live-total:text-is('87,5')")

    page.click(".kr-save")
    page.click(".kr-save-confirm")
    page.wait_for_selector(".kr-form-message :text('Tersimpan: total 87,5')")

    saved = assessments.current(db.make_engine(server.db_url))
    row = saved[saved["interaction_id"] == interaction_id].iloc[0]
    assert row["total"] == 87.5 and row["version"] == 1
    assert row["answers"]["jawaban.ketepatan"] == "tidak" and row["assessor"] == "asesor.andi"
    assert cell_errors(page) == []

    page.goto(server.url + "voila/render/Rapor-Kualitas.ipynb")
    wait_rendered(page)
    choose(page, ".kr-score-agent select", "(AG001)")
    cell = page.locator(f"tr[data-interaction='{interaction_id}'] .kr-score-total")
    cell.wait_for(timeout=30_000)
    assert cell.inner_text() == "87,5"
    assert cell_errors(page) == []
    assert requests.off_loopback() == []
