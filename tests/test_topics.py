"""The IVR/CRM topic tree ("pilihan menu pada IVR dan CRM") and the do-not-reply rules
("Interaksi Tidak Dijawab") as data with stable codes."""

import pytest

from kringlib import no_reply, topics

# "pilihan menu pada IVR dan CRM": the six top-level choices, in the rulebook's order.
RULEBOOK_TOP = [
    "Lupa EFIN, permintaan Kode Verifikasi (token) dan layanan non DLP",
    "Perubahan Data, Penonefektifan NPWP, Pengaktifan Kembali NPWP NE, dan Pemutakhiran Mandiri",
    "Informasi dan Aplikasi Ketentuan Umum dan Tata Cara Perpajakan (KUP)",
    "Informasi dan Aplikasi Pajak Penghasilan (PPh)",
    "Informasi dan Aplikasi Pajak Pertambahan Nilai (PPN) dan Pajak Penjualan Barang Mewah (PPnBM)",
    "Layanan Pengaduan",
]


def test_the_tree_is_the_rulebooks_menu():
    tree = topics.topic_rules().topics
    assert [t.label for t in tree] == RULEBOOK_TOP
    assert [len(t.children) for t in tree] == [3, 4, 14, 22, 22, 0]
    assert [c.label for c in tree[0].children] == [
        "Lupa EFIN", "Permintaan Token", "Layanan non DLP"
    ]  # fmt: skip


def test_a_code_names_its_topic_and_where_it_stands():
    found = topics.entry("PPH-21")
    assert found.topic.label == "PPh Pasal 21"
    assert found.path == "Informasi dan Aplikasi Pajak Penghasilan (PPh) › PPh Pasal 21"
    with pytest.raises(ValueError, match="Kode topik tidak dikenal: 'PPH-99'"):
        topics.entry("PPH-99")


def test_search_finds_a_label_under_every_parent_that_has_it():
    """ "Umum" and "Insentif Covid-19" stand under several choices: each is found with its own."""
    assert [e.topic.code for e in topics.search("covid")] == ["PPH-COVID", "PPN-COVID"]
    assert [e.topic.code for e in topics.search("umum ppn")] == ["PPN-UMUM"]
    assert [e.topic.code for e in topics.search("token")] == ["EFIN", "EFIN-TOKEN"]
    assert len(topics.search("  ")) == len(topics.entries())
    assert topics.search("tidak ada topik begini") == []


# "Interaksi pada twitter yang disarankan untuk tidak direspon" (7 rules) and "Interaksi pada
# e-mail yang disarankan untuk tidak direspon" (6 rules).
RULEBOOK_NO_REPLY = {
    "TW-PERCAKAPAN": "Bagian dari percakapan (twitter) yang tidak membutuhkan informasi "
    "perpajakan.",
    "TW-SARAN": "Saran yang tidak membutuhkan tanggapan.",
    "TW-SPAM": "Iklan atau promosi atau spam.",
    "TW-UNIT-LAIN": "Mention dari media sosial unit kerja lain, yang tidak membutuhkan "
    "informasi perpajakan.",
    "TW-KELUHAN-BERULANG": "Keluhan akun yang dengan pertimbangan tertentu hanya perlu "
    "direspon sebanyak 1 (satu) kali atau tidak direspon sama sekali.",
    "TW-AKUN-LAIN": "Mention yang kewenangan menjawabnya ada pada akun lain yang ikut dimention.",
    "TW-VIRAL": "Mention/reply atas tweet viral yang tidak membutuhkan informasi perpajakan.",
    "EM-APRESIASI": "Apresiasi dari Wajib Pajak (WP).",
    "EM-SARAN": "Saran yang tidak membutuhkan tanggapan.",
    "EM-SPAM": "Iklan atau promosi atau spam.",
    "EM-TIDAK-DITEMUKAN": "E-mail yang tidak ditemukan (setelah diassign).",
    "EM-TERBAGI": "E-mail dari 1 (satu) WP dengan informasi yang terbagi dalam beberapa e-mail.",
    "EM-UNIT-LAIN": "E-mail yang kewenangan untuk meresponnya berada di unit kerja lain.",
}


@pytest.mark.parametrize(("code", "rule"), list(RULEBOOK_NO_REPLY.items()))
def test_each_do_not_reply_rule_has_its_code(code, rule):
    channel = {"TW": "twitter", "EM": "email"}[code[:2]]
    found_channel, found = no_reply.reason(code)
    assert (found_channel, found.rule) == (channel, rule)


def test_do_not_reply_rules_are_given_for_twitter_and_email_only():
    assert [len(no_reply.reasons(c)) for c in ("twitter", "email", "chat", "telepon")] == [
        7,
        6,
        0,
        0,
    ]
    with pytest.raises(ValueError, match="tidak dikenal: 'XX'"):
        no_reply.reason("XX")
