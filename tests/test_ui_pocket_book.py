"""The Buku Saku page in plain Python: the script for the channel and the moment, the
speller and the NTPN check, the topic search, the do-not-reply rules and the reference
(rules/akses.yaml, buku_saku: every role)."""

import datetime as dt
import html

import pytest
from page_support import MONDAY, ROLE_USERS, find, set_clock

from kringlib.store import users
from kringlib.ui.identity import Session
from kringlib.ui.pocket_book import PocketBookModel, PocketBookView

WIB_15 = MONDAY + dt.timedelta(hours=5, minutes=30)  # 15:00 WIB: sore


def pocket_book(engine, role):
    model = PocketBookModel(engine, Session(engine, ROLE_USERS[role]))
    return model, PocketBookView(model).render()


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_every_role_opens_the_pocket_book(demo_engine, role):
    model, view = pocket_book(demo_engine, role)
    assert model.allowed and find(view, "kr-panel-speller")


def test_the_script_is_the_channels_filled_for_the_moment_and_the_agent(demo_engine, monkeypatch):
    """ "Kring Pajak, dengan (nama udara agent), selamat pagi/siang/sore." at 09:30 WIB."""
    set_clock(monkeypatch, MONDAY)
    model, view = pocket_book(demo_engine, "agent")
    script = find(view, "kr-script")
    assert model.on_air_name  # the agent's own first name
    assert f"Kring Pajak, dengan {model.on_air_name}, selamat pagi." in script.value
    model.salutation = "Ibu"
    assert "Dengan Ibu siapa saya berbicara?" in script.value
    set_clock(monkeypatch, WIB_15)
    model.channel = "chat"
    assert "Selamat sore, bisa dibantu?" in script.value
    model.channel = "email"
    assert "E-Mail Bilingual Template" in script.value


def test_the_speller_spells_an_ntpn_and_checks_it(demo_engine):
    model, view = pocket_book(demo_engine, "agent")
    spelled = find(view, "kr-spelled")
    model.spell_text = "889285DU4A32MA5O"  # "contoh NTPN"
    assert "NTPN sah" in spelled.value
    assert spelled.value.count("<li>") == 16
    assert "Oscar" in spelled.value and "Ultra" in spelled.value and "delapan" in spelled.value
    model.spell_text = "889285DU4A32MA5"
    assert "Bukan NTPN" in spelled.value and "15 karakter" in spelled.value
    model.spell_text = "12/3"
    assert "Karakter '/' (posisi 3) tidak dapat dieja." in html.unescape(spelled.value)
    model.spell_text = ""
    assert spelled.value == ""


def test_the_topic_search_narrows_the_tree(demo_engine):
    model, view = pocket_book(demo_engine, "spv")
    found = find(view, "kr-topics")
    assert found.value.count("<tr") > 60  # the whole tree while nothing is typed
    model.topic_query = "pph 21"
    assert "PPH-21" in found.value and "PPN-" not in found.value
    model.topic_query = "tidak ada topik begini"
    assert "Tidak ada topik yang cocok." in found.value


def test_the_do_not_reply_rules_and_the_reference_are_shown(demo_engine):
    _, view = pocket_book(demo_engine, "team_leader")
    rules = find(view, "kr-panel-no-reply").children[1].value
    assert "TW-SPAM" in rules and "EM-TIDAK-DITEMUKAN" in rules
    reference = find(view, "kr-panel-about").children[1].value
    assert "PER-25/PJ/2016" in reference and "Pembentukan KLIP-DJP" in reference


def test_a_new_visitor_gets_their_own_on_air_name(demo_engine):
    """The demo switch signs in someone else: an agent's first name, nobody else's."""
    model, _ = pocket_book(demo_engine, "agent")
    model.on_air_name = "Nama lain"  # typed by the first visitor
    model.session.username = "ag015"
    assert model.on_air_name == users.user(demo_engine, "ag015").name.split()[0]
    model.session.username = ROLE_USERS["spv"]
    assert model.on_air_name == ""
