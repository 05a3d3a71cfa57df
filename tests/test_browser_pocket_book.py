"""Buku Saku in Chromium: an agent types an NTPN in the speller and reads it spelled by the
DJP alphabet, and sees an invalid one named as such."""

import pytest
from browser_support import cell_errors, switch_user, wait_rendered

pytestmark = pytest.mark.browser

# "contoh NTPN:" the rulebook's second example, with O beside 1s and I-like characters.
NTPN = "C485183A1JC1O1J3"
SPELLED = ["Charlie", "empat", "delapan", "lima", "satu", "delapan", "tiga", "Alpha", "satu",
           "Juliet", "Charlie", "satu", "Oscar", "satu", "Juliet", "tiga"]  # fmt: skip


def test_an_agent_spells_an_ntpn(page, server):
    page.goto(server.url + "voila/render/Buku-Saku.ipynb")
    wait_rendered(page)
    switch_user(page, "ag001")
    page.wait_for_selector(".kr-script :text('Kring Pajak, dengan')")
    page.fill(".kr-spell-input input", NTPN)
    page.wait_for_selector(".kr-ntpn-valid")
    words = page.locator(".kr-spelled-list .kr-spelled-word").all_inner_texts()
    assert words == SPELLED
    assert page.locator(".kr-spelled-list .kr-spelled-char").all_inner_texts()[12] == "O"
    page.fill(".kr-spell-input input", NTPN[:-1])
    page.wait_for_selector(".kr-ntpn-invalid:has-text('15 karakter')")
    assert cell_errors(page) == []
