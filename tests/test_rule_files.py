"""Rule files are checked whole when loaded: a cross-rule, KPI or caption that names
something unknown is a one-line error naming the file and key, never a rule that silently
never fires; a rubric not yet in force is never the one used."""

import datetime as dt

import pytest
import yaml

from kringlib import appeals, cli, clock, complaints, kpi, quality, rules
from kringlib.ingest import layouts


@pytest.fixture
def local_rules(tmp_path, monkeypatch):
    """A site's rules folder (KRING_RULES_DIR), and every cache of loaded rules cleared."""
    monkeypatch.setenv("KRING_RULES_DIR", str(tmp_path))
    caches = (rules._load_path, quality._rubrics, kpi.definitions, layouts.export_rules,
              appeals.appeal_rules)  # fmt: skip
    for cached in caches:
        cached.cache_clear()
    yield tmp_path
    for cached in caches:
        cached.cache_clear()


def edited(folder, name: str, change, base: str | None = None) -> None:
    """The packaged rule file ``base`` (default ``name``), changed by ``change``, written
    to ``folder`` as ``name``."""
    packaged = rules.PACKAGED_DIR / f"{base or name}.yaml"
    data = yaml.safe_load(packaged.read_text(encoding="utf-8"))
    change(data)
    (folder / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


def test_a_cross_rule_naming_an_unknown_fact_or_item_is_refused(local_rules):
    def break_rules(data):
        data["cross_rules"][0]["when"]["poro_sudah"] = True
        data["cross_rules"][1]["set"]["jawaban.tidak_ada"] = "tidak"

    edited(local_rules, "rubrik_nd550_2019", break_rules)
    with pytest.raises(rules.RuleFileError, match=r"^rubrik_nd550_2019\.yaml: .*cross_rules "
                       r"poro_tidak_dilakukan: tidak dikenal: fakta poro_sudah"):  # fmt: skip
        quality.load_rubric()


def test_a_kpi_naming_an_unknown_column_is_refused(local_rules):
    edited(local_rules, "produktivitas", lambda d: d["kpis"][0].update(numerator=["acd_waktu"]))
    with pytest.raises(rules.RuleFileError, match=r"^produktivitas\.yaml: .*kolom tidak dikenal: "
                       "acd_waktu"):  # fmt: skip
        kpi.definitions()


def test_a_caption_mapped_to_an_unknown_column_is_refused(local_rules):
    edited(local_rules, "ekspor", lambda d: d["reports"]["agent"]["columns"].update(
        acd_panggilan=["ACD Calls Baru"]))  # fmt: skip
    with pytest.raises(rules.RuleFileError, match=r"^ekspor\.yaml: .*reports\.agent\.columns: "
                       "kolom tidak dikenal: acd_panggilan"):  # fmt: skip
        layouts.export_rules()


def test_an_appeal_move_to_an_unknown_state_is_refused(local_rules):
    edited(local_rules, "banding", lambda d: d["states"]["diajukan"]["next"].update(
        approve="disetujui_kasi"))  # fmt: skip
    with pytest.raises(rules.RuleFileError, match=r"^banding\.yaml: .*states\.diajukan\.next\."
                       "approve: status tidak dikenal: disetujui_kasi"):  # fmt: skip
        appeals.appeal_rules()


def states(change):
    """A change to ``banding.yaml``'s states."""
    return lambda data: change(data["states"])


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        (states(lambda s: s["disetujui_tl"].update(initial=True)),
         r"states: harus tepat satu status awal \(initial\), ada: diajukan, disetujui_tl"),
        (states(lambda s: s["selesai"].update(actor="assessor")),
         r"states\.selesai: .*status akhir \(final\) tidak memuat actor"),
        (states(lambda s: s["disetujui_spv"].update(actor="spv")),
         r"states: peran spv bertindak di disetujui_spv, disetujui_tl"),
        (states(lambda s: s["disetujui_spv"].update(actor="asesor")),
         r"states\.disetujui_spv\.actor: .*peran tidak dikenal: asesor"),
        (states(lambda s: s["disetujui_spv"].pop("waiting")),
         r"states\.disetujui_spv: .*status terbuka memerlukan waiting"),
        (states(lambda s: s["disetujui_spv"].update(next={"approve": "selesai"})),
         r"states\.disetujui_spv: .*next: approve dan reject"),
        (states(lambda s: s["disetujui_spv"]["next"].update(reassess="diajukan")),
         r"states\.disetujui_spv\.next\.reassess: diajukan tidak lebih lanjut"),
        (states(lambda s: s.update(batal={"label": "Batal", "progress": 4, "final": True})),
         r"states: tidak tercapai dari diajukan: batal"),
    ],
    ids=["two-initial", "final-actor", "role-twice", "unknown-role", "no-waiting",
         "half-decision", "moves-back", "unreachable"],
)  # fmt: skip
def test_a_broken_appeal_state_machine_is_refused_naming_the_key(local_rules, change, refusal):
    edited(local_rules, "banding", change)
    with pytest.raises(rules.RuleFileError, match=rf"^banding\.yaml: .*{refusal}"):
        appeals.appeal_rules()


def test_a_rubric_taking_effect_later_is_not_used_before_its_day(local_rules, monkeypatch):
    def later(data):
        data["version"], data["effective_from"] = "ND-999/LIP/2027", dt.date(2027, 1, 1)

    edited(local_rules, "rubrik_nd999_2027", later, base="rubrik_nd550_2019")
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 12, 31))
    assert quality.load_rubric().version == "ND-550/LIP/2019"
    monkeypatch.setattr(clock, "today", lambda: dt.date(2027, 1, 1))
    assert quality.load_rubric().version == "ND-999/LIP/2027"


def phases(change):
    """A change to ``pengaduan.yaml``'s phases."""
    return lambda data: change(data["phases"])


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        (phases(lambda p: p[2].update(budget_days=31)),
         r"phases\.2: .*budget_days 31 tidak sama dengan jumlah SLA langkah 6, 7 \(30\)"),
        (phases(lambda p: p[1].update(executor="p2humas")),
         r"phases\.1\.executor: eksekutor tidak dikenal: p2humas"),
        (phases(lambda p: p[0]["steps"].reverse()),
         r"phases: langkah harus bernomor urut 1, 2, 3 …; ada: 2, 1, 3,"),
        (phases(lambda p: p[5]["steps"].pop()),
         r"phases\.5: .*budget_days 4 tidak sama dengan jumlah SLA langkah 11 \(3\)"),
        (phases(lambda p: p[0]["steps"][0].update(eksekutor="KLIP")),
         r"phases\.0\.steps\.0\.eksekutor: Extra inputs are not permitted"),
        (lambda data: data.update(at_risk_below=20),
         r"at_risk_below: Input should be less than 1"),
        (lambda data: data["executor_roles"].pop("unit_terlapor"),
         r"executor_roles: harus tepat satu baris per eksekutor"),
        (lambda data: data["executor_roles"].update(klip=["spv_pkl"]),
         r"klip: peran tidak dikenal: spv_pkl"),
        (lambda data: data.update(registered_by=["supervisor"]),
         r"registered_by: peran tidak dikenal: supervisor"),
    ],
    ids=["budget-not-sum", "unknown-executor", "steps-out-of-order", "step-dropped",
         "unknown-key", "risk-as-percent", "executor-without-recorder", "unknown-recorder",
         "unknown-registrar"],
)  # fmt: skip
def test_a_broken_complaint_sla_table_is_refused_naming_the_key(local_rules, change, refusal):
    edited(local_rules, "pengaduan", change)
    with pytest.raises(rules.RuleFileError, match=rf"^pengaduan\.yaml: .*{refusal}"):
        complaints.complaint_rules()


def test_a_broken_complaint_sla_table_stops_the_start(local_rules):
    edited(local_rules, "pengaduan", phases(lambda p: p[2].update(budget_days=31)))
    with pytest.raises(rules.RuleFileError, match=r"^pengaduan\.yaml: phases\.2"):
        cli.check_rules()


def test_an_alphabet_missing_a_letter_stops_the_start(local_rules):
    """Buku Saku, "Alfabet": every letter A–Z has its word."""
    edited(local_rules, "alfabet", lambda data: data["letters"].pop("Q"))
    with pytest.raises(rules.RuleFileError, match=r"^alfabet\.yaml: letters: .*kurang: Q"):
        cli.check_rules()


def test_scripts_missing_a_channel_stop_the_start(local_rules):
    """Every interaction channel has its flow (Panduan Interaksi, Alur Interaksi)."""
    edited(local_rules, "skrip", lambda data: data["channels"].pop(1))  # live chat
    with pytest.raises(rules.RuleFileError, match=r"^skrip\.yaml: .*tanpa skrip: chat"):
        cli.check_rules()


def test_a_topic_code_outside_its_parent_stops_the_start(local_rules):
    """A code names its place in "pilihan menu pada IVR dan CRM": PPh's choices start PPH-."""
    edited(local_rules, "topik", lambda data: data["topics"][3]["children"][0].update(code="X-1"))
    with pytest.raises(rules.RuleFileError, match=r"^topik\.yaml: .*X-1 harus diawali PPH-"):
        cli.check_rules()


def test_a_do_not_reply_code_used_twice_stops_the_start(local_rules):
    def doubled(data):
        data["channels"]["email"]["reasons"][0]["code"] = "TW-SPAM"

    edited(local_rules, "tidak_dibalas", doubled)
    with pytest.raises(rules.RuleFileError, match=r"^tidak_dibalas\.yaml: .*dua kali: TW-SPAM"):
        cli.check_rules()
