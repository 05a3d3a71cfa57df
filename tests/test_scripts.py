"""The interaction scripts per channel (Buku Saku, "Panduan Interaksi" and "Alur
Interaksi") and the greeting of the moment."""

import datetime as dt

import pytest

from kringlib import clock, scripts
from kringlib.canonical import CHANNELS


@pytest.mark.parametrize(
    ("wall", "period"),
    [("00:00", "pagi"), ("07:30", "pagi"), ("10:59", "pagi"), ("11:00", "siang"),
     ("14:59", "siang"), ("15:00", "sore"), ("23:59", "sore")],
)  # fmt: skip
def test_the_greeting_changes_at_the_boundaries_of_the_service_hours_guide(wall, period):
    """ "pagi/siang/sore sesuai panduan jam layanan KLIP" (periods in rules/kalender.yaml)."""
    moment = dt.datetime.combine(dt.date(2026, 11, 30), dt.time.fromisoformat(wall))
    assert scripts.greeting(moment) == period
    assert scripts.greeting(moment.time()) == period
    aware = moment.replace(tzinfo=clock.JAKARTA).astimezone(dt.UTC)  # as the clock gives it
    assert scripts.greeting(aware) == period


def test_every_interaction_channel_has_its_script_and_the_outbound_flows_theirs():
    ids = [channel.id for channel in scripts.script_rules().channels]
    assert set(CHANNELS) <= set(ids) and {"outbound", "callback"} <= set(ids)


def test_the_inbound_opening_is_filled_for_the_moment_and_the_agent():
    """ "Kring Pajak, dengan (nama udara agent), selamat pagi/siang/sore." """
    steps = scripts.filled("telepon", dt.time(11, 0), "Rina", "Ibu")
    assert steps[0].step == "Salam Pembuka"
    assert steps[0].lines == ["Kring Pajak, dengan Rina, selamat siang."]
    assert steps[1].lines == ["Dengan Ibu siapa saya berbicara?"]
    assert steps[-1].lines == [
        "Terima kasih telah menghubungi Kring Pajak, selamat siang, Sukses Selalu"
    ]


def test_an_unknown_salutation_stays_as_the_rulebook_writes_it():
    steps = scripts.filled("chat", dt.time(15, 0), "Rina")
    assert steps[0].lines == ["Selamat sore, bisa dibantu?"]
    assert steps[1].lines == ["Dengan Bapak/Ibu siapa saya berbicara?"]


def test_the_twitter_closing_carries_the_agents_initials():
    """ "Tks*(inisial agent)" """
    assert scripts.filled("twitter", dt.time(9, 0), "Rina Sari")[-1].lines == ["Tks*RS"]


def test_the_callback_opening_names_the_agent_and_the_number():
    opening = scripts.filled("callback", dt.time(16, 30), "Bayu", "Bapak")[0].lines
    assert opening[0] == "Selamat sore, saya Bayu dari Kring Pajak 1500200."
    assert opening[1].startswith("Apakah saya dapat berbicara dengan Bapak … ?")


def test_the_bilingual_email_template_is_the_rulebooks():
    template = scripts.script_rules().email_bilingual
    assert template.startswith("Dear, ….\nWith reference to your email on xxxxxxxxxx")
    assert template.endswith("Directorate General of Taxes\n(*Agent)")


def test_an_unknown_channel_is_refused_naming_the_known_ones():
    with pytest.raises(ValueError, match=r"'fax' \(ada: telepon, chat"):
        scripts.script("fax")


@pytest.mark.parametrize(
    ("rubric_channel", "flows"),
    [("inbound", ["telepon"]), ("outbound", ["outbound"]), ("pengaduan", ["telepon"]),
     ("medsos", ["chat", "twitter", "email"])],
)  # fmt: skip
def test_each_rubric_channel_is_checked_against_its_flows(rubric_channel, flows):
    """ND-550/LIP/2019, Atribut Interaksi: "Lihat Panduan Interaksi"."""
    assert [f.id for f in scripts.for_rubric_channel(rubric_channel)] == flows
