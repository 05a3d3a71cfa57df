"""Penilaian Kualitas, ND-550/LIP/2019: weights, N/A semantics and every cross-rule."""

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kringlib import quality

RUBRIC = quality.load_rubric()
CHANNELS = list(RUBRIC.channels)


def all_answers(channel, value="ya", **overrides):
    answers = {item.id: value for item in RUBRIC.items(channel)}
    answers.update({k.replace("__", "."): v for k, v in overrides.items()})
    return answers


def test_sections_and_weights_of_nd550():
    # "10% Gaya Berkomunikasi, 15% Atribut Interaksi, 15% PORO, 15% Nilai-nilai ... Kode Etik,
    #  15% Penggunaan Sistem, 5% Pemberian Layanan sesuai Kewenangan, 25% Jawaban"
    assert [(s.id, s.weight) for s in RUBRIC.sections] == [
        ("komunikasi", 10), ("atribut", 15), ("poro", 15), ("etika", 15),
        ("sistem", 15), ("kewenangan", 5), ("jawaban", 25),
    ]  # fmt: skip
    assert RUBRIC.version == "ND-550/LIP/2019"


@pytest.mark.parametrize("channel", ["inbound", "medsos", "pengaduan"])
def test_jawaban_sub_weights(channel):
    # "Intepretasi yang tepat (30%) ... Kelengkapan jawaban (20%) ... Ketepatan jawaban (50%)"
    weights = {i.id: i.weight for i in RUBRIC.items(channel) if i.section == "jawaban"}
    assert weights == pytest.approx(
        {"jawaban.interpretasi": 0.3, "jawaban.kelengkapan": 0.2, "jawaban.ketepatan": 0.5}
    )


def test_outbound_jawaban_follows_the_outbound_text():
    # Outbound: "Menyampaikan isi campaign ... setelah melakukan PORO" and
    # "Memberikan jawaban yang jelas dan tepat"
    ids = [i.id for i in RUBRIC.items("outbound") if i.section == "jawaban"]
    assert ids == ["jawaban.isi_campaign", "jawaban.jelas_tepat"]


@pytest.mark.parametrize("channel", CHANNELS)
def test_item_shares_sum_to_one_per_section(channel):
    shares = pd.Series({i.id: i.weight for i in RUBRIC.items(channel)})
    by_section = shares.groupby(lambda item_id: item_id.split(".")[0]).sum()
    assert by_section.to_numpy() == pytest.approx([1.0] * len(by_section))


def test_every_item_has_guidance():
    for channel in CHANNELS:
        for item in RUBRIC.items(channel):
            assert item.guidance.strip(), item.id


def test_all_ya_is_100_and_bands():
    result = quality.score(all_answers("inbound"), "inbound")
    assert result.total == 100 and result.band == "Sangat baik" and not result.derived


def test_a_section_earns_its_weight_times_the_share_of_ya():
    result = quality.score(all_answers("inbound", jawaban__ketepatan="tidak"), "inbound")
    assert result.by_section["jawaban"] == pytest.approx(25 * 0.5)
    assert result.total == pytest.approx(87.5)


def test_na_items_drop_out_of_their_section():
    answers = all_answers(
        "inbound", atribut__hold="na", atribut__unhold="na", atribut__nama="tidak"
    )
    result = quality.score(answers, "inbound")
    assert result.by_section["atribut"] == pytest.approx(15 * 4 / 5)


def test_a_section_all_na_drops_out_and_the_total_is_rescaled():
    answers = all_answers("inbound", jawaban__ketepatan="tidak")
    answers["kewenangan.layanan"] = "na"
    result = quality.score(answers, "inbound")
    assert "kewenangan" not in result.by_section
    assert result.total == pytest.approx((100 - 5 - 12.5) * 100 / 95)
    assert result.total == pytest.approx(sum(result.by_section.values()))


def test_all_na_scores_zero_without_dividing_by_zero():
    result = quality.score(all_answers("inbound", "na"), "inbound")
    assert result.total == 0 and result.by_section == {}


def test_missing_answer_is_an_error_not_a_silent_ya():
    answers = all_answers("inbound")
    del answers["poro.pembuktian"]
    with pytest.raises(ValueError, match="item belum dijawab: poro.pembuktian"):
        quality.score(answers, "inbound")


def test_unknown_items_and_answers_are_errors():
    with pytest.raises(ValueError, match="tidak ada di rubrik"):
        quality.score({**all_answers("inbound"), "poro.lain": "ya"}, "inbound")
    with pytest.raises(ValueError, match="ya/tidak/na"):
        quality.score(all_answers("inbound", etika__citra="mungkin"), "inbound")
    with pytest.raises(ValueError, match="saluran tidak dikenal"):
        quality.score(all_answers("inbound"), "faks")


def test_unknown_context_keys_and_wrong_types_are_errors():
    with pytest.raises(ValueError, match="konteks tidak valid: poro_sudah"):
        quality.score(all_answers("inbound"), "inbound", {"poro_sudah": True})
    with pytest.raises(ValueError, match="typo_count"):
        quality.score(all_answers("medsos"), "medsos", {"typo_count": "4"})
    with pytest.raises(ValueError, match="transferred"):
        quality.score(all_answers("inbound"), "inbound", {"transferred": "ya"})


def test_poro_required_but_not_done():
    # "Jika agen tidak melakukan PORO yang seharusnya dilakukan, maka akan mengurangi nilai
    #  PORO dan ketepatan jawaban."
    result = quality.score(
        all_answers("inbound"), "inbound", {"poro_required": True, "poro_done": False}
    )
    assert result.by_section["poro"] == 0
    assert result.answers["jawaban.ketepatan"] == "tidak"
    assert result.derived["jawaban.ketepatan"].rule == "poro_tidak_dilakukan"
    assert "ND-550/LIP/2019" in result.derived["poro.pembuktian"].citation


def test_service_outside_klip_authority():
    # "Jika terdapat layanan yang bukan menjadi wewenang agen KLIP, maka poin PORO tidak
    #  terpengaruh, namun ketepatan jawaban mendapatkan nilai nol."
    result = quality.score(all_answers("inbound"), "inbound", {"outside_klip_authority": True})
    assert result.by_section["poro"] == 15
    assert result.answers["jawaban.ketepatan"] == "tidak"


def test_outbound_without_poro():
    # "jika agen tidak melakukan PORO maka isi campaign seharusnya tidak boleh disampaikan.
    #  ... akan mengurangi nilai agen untuk PORO dan isi campaign."
    result = quality.score(all_answers("outbound"), "outbound", {"poro_done": False})
    assert result.by_section["poro"] == 0
    assert result.answers["jawaban.isi_campaign"] == "tidak"
    assert result.answers["jawaban.jelas_tepat"] == "ya"


@pytest.mark.parametrize(
    "transferred, should, kewenangan, ketepatan",
    [
        # "ditransfer dan memang seharusnya ditransfer ... poin ini Ya, ketepatan jawaban Ya"
        (True, True, "ya", "ya"),
        # "ditransfer tapi seharusnya dijawab ... ketepatan jawaban ... dan untuk kriteria ini"
        (True, False, "tidak", "tidak"),
        # "tidak ditransfer ... padahal seharusnya ditransfer ... (No) dan ketepatan (tergantung)"
        (False, True, "tidak", "as assessed"),
        # "tidak ditransfer ... dan memang seharusnya dijawab ... ketentuan umum"
        (False, False, "as assessed", "as assessed"),
    ],
)
def test_the_four_transfer_cases(transferred, should, kewenangan, ketepatan):
    assessed = all_answers("inbound", kewenangan__layanan="tidak", jawaban__ketepatan="tidak")
    if kewenangan == "as assessed" and ketepatan == "as assessed":
        assessed = all_answers("inbound")
    context = {"transferred": transferred, "should_transfer": should}
    result = quality.score(assessed, "inbound", context)
    expect_kewenangan = (
        assessed["kewenangan.layanan"] if kewenangan == "as assessed" else kewenangan
    )
    expect_ketepatan = assessed["jawaban.ketepatan"] if ketepatan == "as assessed" else ketepatan
    assert result.answers["kewenangan.layanan"] == expect_kewenangan
    assert result.answers["jawaban.ketepatan"] == expect_ketepatan


def test_a_derived_tidak_is_not_overturned_by_a_later_ya():
    # PORO not done takes ketepatan away even when the transfer was right.
    context = {
        "poro_required": True,
        "poro_done": False,
        "transferred": True,
        "should_transfer": True,
    }
    result = quality.score(all_answers("inbound"), "inbound", context)
    assert result.answers["jawaban.ketepatan"] == "tidak"
    assert result.answers["kewenangan.layanan"] == "ya"


def test_imposed_service_limit():
    # "agen menyampaikan ada pembatasan layanan (padahal tidak ada pembatasan layanan ...)
    #  maka akan mengurangi poin ini"
    result = quality.score(all_answers("inbound"), "inbound", {"imposed_service_limit": True})
    assert result.answers["kewenangan.layanan"] == "tidak" and result.by_section["kewenangan"] == 0


@pytest.mark.parametrize("typos, answer", [(3, "ya"), (4, "tidak")])
def test_more_than_three_typos_on_social_media(typos, answer):
    # "Batasan typo maksimal 3 kali"
    result = quality.score(all_answers("medsos"), "medsos", {"typo_count": typos})
    assert result.answers["komunikasi.akurasi_ketik"] == answer


@pytest.mark.parametrize("replies, answer", [(5, "ya"), (6, "tidak")])
def test_more_than_five_public_replies_before_dm(replies, answer):
    # "Penggalian informasi dilakukan maksimal melalui reply/tweet sebanyak 5 kali lalu
    #  ditawarkan untuk melanjutkan via Direct Message (DM)"
    result = quality.score(all_answers("medsos"), "medsos", {"public_replies_before_dm": replies})
    assert result.answers["komunikasi.tidak_berbelit"] == answer


@pytest.mark.parametrize(
    "said, clock, answer",
    [
        ("pagi", dt.time(9, 30), "ya"),
        ("pagi", dt.time(14, 0), "tidak"),
        ("sore", dt.time(15, 5), "ya"),
    ],
)
def test_greeting_must_fit_the_time_of_day(said, clock, answer):
    # "Kalau agent salah mengucapkan pagi/siang/sore sesuai panduan jam layanan KLIP, akan
    #  mengurangi poin diksi."
    moment = dt.datetime.combine(dt.date(2026, 11, 27), clock)
    context = {"greeting_period": said, "interaction_time": moment}
    result = quality.score(all_answers("inbound"), "inbound", context)
    assert result.answers["komunikasi.diksi"] == answer


def test_critical_items_fail_the_whole_assessment():
    base = quality.load_rubric()

    def marked(i):
        critical = i.id == "etika.tidak_kasar"
        return quality.Item(i.id, i.section, i.title, i.guidance, i.weight, critical=critical)

    items = {c: tuple(marked(i) for i in base.items(c)) for c in base.channels}
    strict = quality.Rubric(base.version, base.effective_from, base.channels, base.sections,
                            base.rules, base.bands, items)  # fmt: skip
    assert not any(i.critical for i in base.items("inbound"))  # ND-550 itself has none
    result = quality.score(
        all_answers("inbound", etika__tidak_kasar="tidak"), "inbound", rubric=strict
    )
    assert result.auto_fail and result.total == 0


def test_unknown_rubric_version():
    with pytest.raises(ValueError, match="versi rubrik tidak dikenal"):
        quality.load_rubric("ND-1/2000")


answer = st.sampled_from(quality.ANSWERS)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(CHANNELS), st.data())
def test_total_is_between_0_and_100_and_the_sum_of_sections(channel, data):
    answers = {i.id: data.draw(answer) for i in RUBRIC.items(channel)}
    context = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "poro_required": st.booleans(), "poro_done": st.booleans(),
                "outside_klip_authority": st.booleans(), "transferred": st.booleans(),
                "should_transfer": st.booleans(), "imposed_service_limit": st.booleans(),
                "typo_count": st.integers(0, 10), "public_replies_before_dm": st.integers(0, 10),
            },
        )
    )  # fmt: skip
    result = quality.score(answers, channel, context)
    assert 0 <= result.total <= 100 + 1e-9
    assert result.total == pytest.approx(sum(result.by_section.values()))
    for section in RUBRIC.sections:
        assert result.by_section.get(section.id, 0) <= 100 + 1e-9


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(CHANNELS), st.lists(st.data(), min_size=1, max_size=5))
def test_batch_scores_equal_single_scores(channel, draws):
    rows = [{i.id: d.draw(answer) for i in RUBRIC.items(channel)} for d in draws]
    contexts = [
        {"poro_required": d.draw(st.booleans()), "poro_done": d.draw(st.booleans())} for d in draws
    ]
    batch = quality.score_frame(pd.DataFrame(rows), channel, pd.DataFrame(contexts))
    for k, (row, context) in enumerate(zip(rows, contexts, strict=True)):
        single = quality.score(row, channel, context)
        assert batch["total"].iloc[k] == pytest.approx(single.total)


def test_batch_rejects_a_bad_answer_with_its_row():
    rows = pd.DataFrame([all_answers("inbound"), all_answers("inbound", etika__citra="Y")])
    with pytest.raises(ValueError, match="baris 2, item etika.citra"):
        quality.score_frame(rows, "inbound")
