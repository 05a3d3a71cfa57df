"""The Organisasi page: the roster's teams, agents, memberships and log-ins over time, every
change a new version (rules/akses.yaml, organisasi: spv and admin), driven without a browser."""

import datetime as dt

import ipywidgets as w
import pandas as pd
import pytest
from page_support import ROLE_USERS, css_classes
from scope_support import assert_refused

from kringlib.ingest.roster_file import GUIDE, read_roster_file
from kringlib.store import roster as store
from kringlib.store import users
from kringlib.ui.identity import Session
from kringlib.ui.organisation import OrganisationModel, OrganisationView
from kringlib.ui.organisation.model import example_template

TODAY = dt.date(2026, 4, 20)  # the demo's memberships start on Monday 2 March 2026
NEW_AGENT = (
    b"id_agen,nama,nama_udara,id_tim,mulai,selesai,login_avaya,id_chat\n"
    b"AG061,Sari Wulandari,Sari,merapi,01-04-2026,,50061,AG061\n"
)


def page(engine, role="admin") -> OrganisationModel:
    return OrganisationModel(engine, Session(engine, ROLE_USERS[role]), today=TODAY)


def find(widget: w.Widget, css: str) -> w.Widget:
    """The one widget under ``widget`` with the CSS class ``css``."""
    found = [widget] if css in getattr(widget, "_dom_classes", ()) else []
    for child in getattr(widget, "children", ()):
        try:
            found.append(find(child, css))
        except LookupError:
            pass
    if len(found) != 1:
        raise LookupError(f"{len(found)} widgets with class {css}")
    return found[0]


def periods(engine, part: str, agent_id: str = "AG001") -> list[tuple]:
    """The agent's stored memberships or log-ins as (what, first day, last day or None)."""
    frame = getattr(store.read(engine), part)
    frame = frame[frame["agent_id"] == agent_id].sort_values(["valid_from"])
    what = "team_id" if part == "memberships" else "login_id"
    return [
        (row[what], day(row["valid_from"]), day(row["valid_to"])) for _, row in frame.iterrows()
    ]


def day(value) -> dt.date | None:
    return None if pd.isna(value) else value.date()


# --- what the page shows ----------------------------------------------------------------------


def test_teams_show_their_leaders_and_active_agents(demo_engine):
    model = page(demo_engine)
    merapi = model.teams().set_index("team_id").loc["merapi"]
    assert (merapi["name"], merapi["leaders"], merapi["agents"]) == ("Tim Merapi", "tl.merapi", 10)
    view = OrganisationView(model).render()
    assert '<tr data-team="merapi"><td>merapi</td><td>Tim Merapi</td><td>tl.merapi</td>' in (
        find(view, "kr-org-teams").value
    )


def test_search_matches_id_name_air_name_and_any_login_id(demo_engine):
    model = page(demo_engine)
    view = OrganisationView(model).render()
    model.search = "intan"  # Intan Setiawan (AG001) and Intan Lestari (AG053)
    assert list(model.agents()["agent_id"]) == ["AG001", "AG053"]
    assert model.agent_id == ""  # two matches: nobody is chosen for the visitor
    assert find(view, "kr-org-count").value.count("2 dari 60 agen") == 1
    find(view, "kr-org-search").value = "50001"  # AG001's Login ID Avaya
    assert model.agent_id == "AG001"
    assert '<tr data-agent="AG001" class="kr-org-chosen">' in find(view, "kr-org-agents").value
    row = model.agents().iloc[0]
    assert (row["team"], row["status"]) == ("Tim Merapi", "aktif")
    assert row["logins"] == "avaya 50001 · chat AG001 · email AG001 · twitter AG001"


def test_choosing_an_agent_shows_their_periods_and_versions(demo_engine):
    model = page(demo_engine)
    view = OrganisationView(model).render()
    find(view, "kr-org-agent").value = "AG002"
    info = find(view, "kr-org-info").value
    assert "<b>Fajar Hidayat</b> (AG002) · nama udara Fajar" in info
    assert "<td>Tim Merapi</td><td>2 Mar 2026</td><td>masih</td>" in info
    assert "<td>Login ID Avaya</td><td>50002</td><td>2 Mar 2026</td><td>masih</td>" in info
    assert (
        "<td>kring demo</td><td>data demo</td><td>dibuat</td>"
        in find(view, "kr-org-versions").value
    )
    assert "akun: ag002" in info
    assert find(view, "kr-org-edit-name").value == "Fajar Hidayat"


# --- changes --------------------------------------------------------------------------------


def test_an_agent_is_added_with_their_log_ins_and_chosen(demo_engine):
    model = page(demo_engine, "spv")
    model.add_agent("AG061", "Sari Wulandari", "merapi", dt.date(2026, 4, 21), air_name="Sari",
                    logins={"avaya": " ", "chat": "AG061"})  # fmt: skip
    assert model.error == "Login ID Avaya wajib diisi."
    assert len(store.read(demo_engine).agents) == 60
    model.add_agent("AG061", "Sari Wulandari", "merapi", dt.date(2026, 4, 21), air_name="Sari",
                    logins={"avaya": "50061", "chat": "AG061", "email": ""})  # fmt: skip
    assert model.error == ""
    assert model.message == (
        "Agen baru AG061 di Tim Merapi mulai 21 Apr 2026. Tersimpan: 0 tim dan 1 agen versi baru."
    )
    assert model.agent_id == "AG061" and model.chosen()["status"] == "mulai 21 Apr 2026"
    assert periods(demo_engine, "memberships", "AG061") == [("merapi", dt.date(2026, 4, 21), None)]
    assert sorted(periods(demo_engine, "logins", "AG061")) == [
        ("50061", dt.date(2026, 4, 21), None), ("AG061", dt.date(2026, 4, 21), None)
    ]  # fmt: skip
    assert list(model.history()["changes"]) == [["dibuat"]]
    model.add_agent("AG001", "Lagi", "merapi", TODAY, logins={"avaya": "50062"})
    assert model.error == "id agen sudah dipakai: AG001"


def test_a_move_ends_the_old_membership_the_day_before(demo_engine):
    model = page(demo_engine)
    view = OrganisationView(model).render()
    assert "kr-org-feedback" not in css_classes(view)  # nothing to say yet
    find(view, "kr-org-search").value = "AG001"
    assert find(view, "kr-org-move-team").label == "– pilih tim –"  # no move by accident
    find(view, "kr-org-move-save").click()
    assert model.error == "Pilih tim tujuan."
    find(view, "kr-org-move-team").value = "rinjani"
    find(view, "kr-org-move-date").value = dt.date(2026, 4, 15)
    find(view, "kr-org-move-save").click()
    assert model.error == ""
    assert find(view, "kr-org-message").value == (
        "Agen AG001 pindah ke Tim Rinjani mulai 15 Apr 2026. "
        "Tersimpan: 0 tim dan 1 agen versi baru."
    )
    assert "kr-org-feedback" in css_classes(find(view, "kr-org-agent-panel"))  # by the form
    assert periods(demo_engine, "memberships") == [
        ("merapi", dt.date(2026, 3, 2), dt.date(2026, 4, 14)),
        ("rinjani", dt.date(2026, 4, 15), None),
    ]
    counts = model.teams().set_index("team_id")["agents"]
    assert (counts["merapi"], counts["rinjani"]) == (9, 11)
    assert "Tim Merapi berakhir 14 Apr 2026<br>Tim Rinjani mulai 15 Apr 2026" in (
        find(view, "kr-org-versions").value
    )


def test_a_move_dated_before_the_agent_joined_is_refused_and_nothing_saved(demo_engine):
    model = page(demo_engine)
    model.agent_id = "AG001"
    before = store.read(demo_engine)
    model.move("rinjani", dt.date(2026, 2, 1))
    assert model.error == (
        "agen AG001: pindah tanggal 01-02-2026 harus sesudah awal keanggotaan sekarang "
        "(tim merapi sejak 02-03-2026)"
    )
    assert model.message == ""
    pd.testing.assert_frame_equal(store.read(demo_engine).memberships, before.memberships)
    assert len(store.history(demo_engine, "agen", "AG001")) == 1
    model.move("rinjani", None)
    assert model.error == "Isi tanggal pindah."


def test_leaving_before_work_already_stored_is_refused_and_nothing_saved(demo_engine):
    model = page(demo_engine)
    model.agent_id = "AG001"
    model.leave(dt.date(2026, 4, 10))  # AG001's calls are stored until 30 April
    assert model.error.startswith("agen AG001: 14 hari aktivitas (13-04-2026 s.d. 30-04-2026) "
                                  "tersimpan di luar masa agen di tim")  # fmt: skip
    assert model.message == ""
    assert len(store.history(demo_engine, "agen", "AG001")) == 1


def test_an_agent_who_left_keeps_their_history(demo_engine):
    model = OrganisationModel(demo_engine, Session(demo_engine, "admin"), today=dt.date(2026, 5, 4))
    model.agent_id = "AG001"
    model.leave(dt.date(2026, 4, 30))
    assert model.message.startswith("Agen AG001 keluar, hari terakhir 30 Apr 2026.")
    assert model.chosen()["status"] == "keluar sejak 1 Mei 2026"
    assert model.chosen()["logins"] == ""  # none valid on 4 May
    assert model.chosen()["team"] == "Tim Merapi"  # the team they left
    assert model.teams().set_index("team_id").loc["merapi", "agents"] == 9
    assert ("50001", dt.date(2026, 3, 2), dt.date(2026, 4, 30)) in periods(demo_engine, "logins")
    model.move("rinjani", dt.date(2026, 5, 4))
    assert model.error == "agen AG001 sudah keluar; tidak ada keanggotaan yang berjalan"


def test_a_new_log_in_id_ends_the_old_one_and_both_still_find_the_agent(demo_engine):
    model = page(demo_engine)
    model.agent_id = "AG001"
    model.set_login("avaya", "59999", dt.date(2026, 4, 18))
    assert model.error == ""
    avaya = [p for p in periods(demo_engine, "logins") if p[0] in ("50001", "59999")]
    assert avaya == [
        ("50001", dt.date(2026, 3, 2), dt.date(2026, 4, 17)),
        ("59999", dt.date(2026, 4, 18), None),
    ]
    assert model.chosen()["logins"].startswith("avaya 59999 ·")
    model.search = "50001"
    assert list(model.agents()["agent_id"]) == ["AG001"]
    model.agent_id = "AG002"
    model.set_login("avaya", "59999", dt.date(2026, 4, 19))  # AG001 uses it
    assert "Login ID Avaya 59999 dipakai dua kali" in model.error


def test_history_shows_each_version_with_who_why_and_what_changed(demo_engine):
    model = page(demo_engine, "spv")
    view = OrganisationView(model).render()
    model.agent_id = "AG001"
    model.note = "ND-17/2026"
    model.edit_agent("Intan Setiawan", "Tan", "B", "chat")
    assert model.note == ""  # the note went with that change only
    model.move("rinjani", dt.date(2026, 4, 15))
    history = model.history()
    assert list(history["version"]) == [3, 2, 1]
    assert list(history["changed_by"]) == ["spv.pkl", "spv.pkl", "kring demo"]
    assert history["reason"].iloc[1] == "ubah data agen AG001 (ND-17/2026)"
    assert history["changes"].iloc[1] == ["nama udara: Intan → Tan", "tier: A → B",
                                          "saluran: telepon → chat"]  # fmt: skip
    versions = find(view, "kr-org-versions").value
    assert "<td>ubah data agen AG001 (ND-17/2026)</td><td>nama udara: Intan → Tan<br>" in versions
    assert "Tier B · saluran utama Live chat" in find(view, "kr-org-info").value


def test_teams_are_added_and_renamed_as_versions(demo_engine):
    model = page(demo_engine)
    model.add_team("krakatau", "Tim Krakatau")
    model.rename_team("krakatau", "Tim Anak Krakatau")
    assert model.message == (
        "Nama tim krakatau menjadi Tim Anak Krakatau. Tersimpan: 1 tim dan 0 agen versi baru."
    )
    assert ("Tim Anak Krakatau", "krakatau") in model.team_choices()
    versions = store.history(demo_engine, "tim", "krakatau")
    assert [s["name"] for s in versions["snapshot"]] == ["Tim Krakatau", "Tim Anak Krakatau"]
    model.add_team("merapi", "Tim Merapi Baru")
    assert model.error == "id tim sudah dipakai: merapi"


def test_accounts_are_linked_to_an_agent_or_a_team(demo_engine):
    model = page(demo_engine)
    view = OrganisationView(model).render()
    account = find(view, "kr-org-leader-user")
    assert account.options[:2] == (("– pilih akun –", ""), ("tl.bromo", "tl.bromo"))
    account.value = "tl.merapi"
    find(view, "kr-org-leader-team").value = "rinjani"
    find(view, "kr-org-leader-save").click()
    assert find(view, "kr-org-message").value == "Akun tl.merapi kini Team Leader Tim Rinjani."
    assert model.teams().set_index("team_id").loc["rinjani", "leaders"] == "tl.merapi, tl.rinjani"
    model.agent_id = "AG003"
    model.link_agent_account("ag002")
    assert users.user(demo_engine, "ag002").agent_id == "AG003"
    assert model.linked_accounts() == ["ag002", "ag003"]
    model.link_agent_account("tl.merapi")
    assert model.error == "Akun tl.merapi berperan Team Leader, bukan Agen."
    model.link_leader("ag001", "rinjani")
    assert model.error == "Akun ag001 berperan Agen, bukan Team Leader."


# --- the roster template ------------------------------------------------------------------


def test_a_template_is_previewed_then_saved(demo_engine):
    model = page(demo_engine)
    view = OrganisationView(model).render()
    model.preview("roster.csv", NEW_AGENT)
    assert model.plan.new_agents == ("AG061",) and model.plan.can_commit
    assert model.message == "1 agen baru: periksa lalu tekan Simpan."
    assert not find(view, "kr-org-import-save").disabled
    assert "<li>Agen baru: AG061</li>" in find(view, "kr-org-import-details").value
    assert "AG061" not in set(store.read(demo_engine).agents["agent_id"])
    find(view, "kr-org-import-save").click()
    assert model.message == "Impor roster.csv: Tersimpan: 0 tim dan 1 agen versi baru."
    assert periods(demo_engine, "memberships", "AG061") == [("merapi", dt.date(2026, 4, 1), None)]
    reasons = store.history(demo_engine, "agen", "AG061")["reason"].tolist()
    assert reasons == ["impor roster roster.csv"]
    assert model.plan is None and find(view, "kr-org-import-save").disabled


def test_a_template_with_problems_cannot_be_saved(demo_engine):
    model = page(demo_engine)
    view = OrganisationView(model).render()
    clash = NEW_AGENT + b"AG062,Budi Santoso,,krakatau,01-04-2026,,50001,\n"
    model.preview("roster.csv", clash)
    assert model.message == "2 masalah: perbaiki berkas lalu unggah ulang."
    details = find(view, "kr-org-import-details").value
    assert "baris 3: tim tidak dikenal: krakatau" in details
    assert "baris 3: Login ID Avaya 50001 dipakai dua kali pada waktu yang sama" in details
    assert find(view, "kr-org-import-save").disabled
    model.commit()  # the browser can press a disabled button; the store refuses anyway
    assert "tim tidak dikenal: krakatau" in model.error
    assert len(store.read(demo_engine).agents) == 60


def test_the_roster_and_an_example_template_are_offered(demo_engine):
    model = page(demo_engine)
    view = OrganisationView(model).render()
    find(view, "kr-org-export").click()
    assert 'download="roster-2026-04-20.xlsx"' in find(view, "kr-org-export-link").value
    exported = read_roster_file(model.export(), "roster.xlsx")
    assert (len(exported.roster.agents), len(exported.leaders), exported.errors) == (60, 6, [])
    assert GUIDE in find(view, "kr-org-file-panel").children[1].value
    find(view, "kr-org-template").click()  # made when asked for
    assert 'download="templat-roster.xlsx"' in find(view, "kr-org-template-links").value
    example = read_roster_file(example_template(), "templat-roster.xlsx")
    assert len(example.roster.memberships) == 2  # an agent who moved: one row per period
    plan = store.plan_file(demo_engine, example)
    assert not plan.can_commit and "tl.contoh: akun tidak dikenal" in plan.problems[0]


# --- who may use it ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agent", "team_leader", "assessor", "analyst"])
def test_other_roles_read_the_refusal_and_change_nothing(demo_engine, role):
    model = page(demo_engine, role)
    view = OrganisationView(model).render()
    assert_refused(view)
    assert model.roster.agents.empty
    model.add_team("krakatau", "Tim Krakatau")
    assert model.error == model.refused
    model.link_leader("tl.merapi", "rinjani")
    assert model.error == model.refused
    assert "krakatau" not in set(store.read(demo_engine).teams["team_id"])
    assert users.user(demo_engine, "tl.merapi").team_id == "merapi"
