"""The real inputs of ATS through the import panel: the WFM schedule template, agent states
from the CMS agent trace or from interval totals, and SIKKA attendance; each checked with
coded findings, saved whole or not at all, and a re-import replaces the same days."""

import io

import pandas as pd
import pytest
import yaml
from page_support import ROLE_USERS

from kringlib import ingest, rules
from kringlib.ingest import exports, layouts, templates
from kringlib.store import adjustments, imports, schedules, users
from kringlib.store.models import agent_state, attendance, work_schedule
from kringlib.ui.identity import Session
from kringlib.ui.import_panel import ImportPanelModel, ImportPanelView
from kringlib.ui.import_panel.model import KINDS
from kringlib.ui.import_panel.view import template_links

ON_BOTH_ENGINES = True  # the store runs on SQLite and on PostgreSQL


@pytest.fixture
def demo_engine(demo_engine):
    """The demo database without the demo's own schedule, states and attendance: each test
    reads back only what it imported."""
    with demo_engine.begin() as conn:
        for table in (work_schedule, agent_state, attendance):
            conn.execute(table.delete())
    return demo_engine


def spv(engine):
    return users.user(engine, ROLE_USERS["spv"])


def planned(engine, kind: str, text: str, name: str = "berkas.csv") -> imports.ImportPlan:
    return imports.plan_import(engine, text.encode(), kind, name)


def saved(engine, kind: str, text: str, name: str = "berkas.csv") -> imports.ImportPlan:
    plan = planned(engine, kind, text, name)
    assert plan.can_commit, [str(f) for f in plan.errors]
    imports.commit_import(engine, plan, spv(engine))
    return plan


def shown(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    """Rows as (agent, "dd HH:MM", "dd HH:MM", columns…), to compare with hand-made ones."""
    return [
        (r["agent_id"], f"{r['start']:%d %H:%M}", f"{r['end']:%d %H:%M}", *(r[c] for c in columns))
        for _, r in frame.astype(object).where(frame.notna(), None).iterrows()
    ]


def refused(engine, kind: str, text: str) -> list[tuple]:
    """The errors of a bad file as (line, column, code), after checking it cannot be
    committed and nothing of it was written."""
    plan = planned(engine, kind, text)
    assert not plan.can_commit
    with pytest.raises(imports.ImportRefused):
        imports.commit_import(engine, plan, spv(engine))
    assert schedules.read_schedule(engine).empty and schedules.read_states(engine).empty
    assert schedules.read_attendance(engine).empty and adjustments.adjustments_frame(engine).empty
    return [(f.row, f.column, f.code) for f in plan.errors]


def test_every_kind_of_export_has_its_check_its_destination_and_a_place_in_the_panel():
    kinds = set(layouts.export_rules().reports)
    assert {ingest.SCHEDULE, ingest.STATES, ingest.STATE_INTERVALS, ingest.ATTENDANCE} <= kinds
    assert kinds == set(exports.CHECKS) == set(imports.DESTINATIONS) == set(KINDS)


# --- the schedule template (jadwal)

SCHEDULE = """tanggal,id_agen,mulai,selesai,aktivitas
2026-11-02,AG001,08:00,12:00,layanan
2026-11-02,AG001,12:00,13:00,istirahat
2026-11-02,AG001,13:00,16:00,Layanan
2026-11-02,AG002,22:00,02:00,layanan
2026-11-03,AG001,08:00,16:00,layanan
"""


def test_a_schedule_is_saved_and_read_back_with_a_shift_across_midnight(demo_engine):
    plan = saved(demo_engine, ingest.SCHEDULE, SCHEDULE, "jadwal-nov.csv")
    assert [(f.row, f.code) for f in plan.findings] == [(3, "activity_not_service")]
    stored = schedules.read_schedule(demo_engine, "2026-11-02", "2026-11-03")
    assert shown(stored, "activity", "source") == [
        ("AG001", "02 08:00", "02 12:00", "layanan", "jadwal-nov.csv"),
        ("AG001", "02 12:00", "02 13:00", "istirahat", "jadwal-nov.csv"),
        ("AG001", "02 13:00", "02 16:00", "layanan", "jadwal-nov.csv"),
        ("AG001", "03 08:00", "03 16:00", "layanan", "jadwal-nov.csv"),
        ("AG002", "02 22:00", "03 02:00", "layanan", "jadwal-nov.csv"),  # selesai < mulai
    ]


def test_a_schedule_may_name_agents_by_their_avaya_login(demo_engine):
    saved(demo_engine, ingest.SCHEDULE, "tanggal,id_login,mulai,selesai,aktivitas\n"
          "2026-11-02,50005,08:00,16:00,layanan\n")  # fmt: skip
    assert schedules.read_schedule(demo_engine)["agent_id"].tolist() == ["AG005"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2026-11-02,AG001,09:00,09:00,layanan", (2, "selesai", "end_not_after_start")),
        ("2026-11-02,AG001,13:00,12:00,layanan", (2, "selesai", "end_not_after_start")),
        ("2026-11-02,AG001,08:00,,layanan", (2, "selesai", "required_blank")),
        ("2026-11-02,AG001,08:00,16:00,", (2, "aktivitas", "required_blank")),
        ("2026-11-02,,08:00,16:00,layanan", (2, "id_agen", "identity_missing")),
        ("2026-02-30,AG001,08:00,16:00,layanan", (2, "tanggal", "impossible_date")),
        ("2026-11-02,AG001,8 pagi,16:00,layanan", (2, "mulai", "not_a_time")),
    ],
)
def test_a_bad_schedule_line_is_refused_with_its_code(demo_engine, line, expected):
    assert expected in refused(demo_engine, ingest.SCHEDULE,
                               f"tanggal,id_agen,mulai,selesai,aktivitas\n{line}\n")  # fmt: skip


def test_overlapping_periods_of_one_agent_are_refused_naming_the_earlier_line(demo_engine):
    text = (
        "tanggal,id_agen,mulai,selesai,aktivitas\n2026-11-02,AG001,08:00,12:00,layanan\n"
        "2026-11-02,AG002,11:00,12:00,layanan\n2026-11-02,AG001,11:30,13:00,rapat\n"
    )
    assert refused(demo_engine, ingest.SCHEDULE, text) == [(4, "mulai", "period_overlap")]
    plan = planned(demo_engine, ingest.SCHEDULE, text)
    assert "bertumpang tindih dengan baris 2" in plan.errors[0].message


def test_a_schedule_without_an_agent_column_is_refused(demo_engine):
    text = "tanggal,mulai,selesai,aktivitas\n2026-11-02,08:00,16:00,layanan\n"
    assert refused(demo_engine, ingest.SCHEDULE, text) == [(0, "id_agen", "identity_missing")]


def test_unknown_agents_are_skipped_and_said_the_rest_is_saved(demo_engine):
    text = (
        "tanggal,id_agen,mulai,selesai,aktivitas\n2026-11-02,AG999,08:00,16:00,layanan\n"
        "2026-11-02,AG001,08:00,16:00,layanan\n"
    )
    plan = saved(demo_engine, ingest.SCHEDULE, text)
    assert plan.skipped_rows == 1 and [f.code for f in plan.warnings] == ["agent_unknown"]
    assert schedules.read_schedule(demo_engine)["agent_id"].tolist() == ["AG001"]


def test_a_schedule_imported_again_replaces_the_same_agents_days(demo_engine):
    saved(demo_engine, ingest.SCHEDULE, SCHEDULE)
    again = saved(demo_engine, ingest.SCHEDULE, "tanggal,id_agen,mulai,selesai,aktivitas\n"
                  "2026-11-02,AG001,09:00,17:00,layanan\n", "jadwal-revisi.csv")  # fmt: skip
    assert again.replaced_rows == 3  # AG001's three periods of 2 November
    stored = schedules.read_schedule(demo_engine)
    assert shown(stored, "source") == [
        ("AG001", "02 09:00", "02 17:00", "jadwal-revisi.csv"),
        ("AG001", "03 08:00", "03 16:00", "berkas.csv"),
        ("AG002", "02 22:00", "03 02:00", "berkas.csv"),
    ]


def test_a_re_import_larger_than_a_write_batch_keeps_every_agents_day(demo_engine, monkeypatch):
    """Rows are written a batch at a time; an agent's rows never straddle two batches, or
    the second would delete what the first wrote for the same day."""
    monkeypatch.setattr(imports, "WRITE_ROWS", 2)
    saved(demo_engine, ingest.SCHEDULE, SCHEDULE)
    assert len(schedules.read_schedule(demo_engine)) == 5


# --- agent states from the CMS agent trace (status_agen)

TRACE = """Agent Trace
Date: 05/11/2026
Login ID,Time,Work Mode,Reason Code
50001,7:58:00 AM,LOGON,
50001,7:58:30 AM,AUX,0
50001,8:01:00 AM,AVAIL,
50001,8:03:10 AM,ACD,
50001,8:09:00 AM,ACW,
50001,8:10:00 AM,AUX,5
50001,8:25:00 AM,AVAIL,
50001,4:02:00 PM,LOGOUT,
50002,8:00:00 AM,AVAIL,
50002,12:00:00 PM,AUX,2
50002,12:00:00 PM,RING,
50002,12:00:20 PM,ACD,
50002,3:30:00 PM,AVAIL,
"""


def test_each_trace_event_lasts_until_the_agents_next(demo_engine):
    """Hand-computed: AG001 logs on at 07:58 (aux until the first mode), AUX 0 until
    08:01, … AVAIL from 08:25 until the log-out at 16:02. AG002's AUX and RING at 12:00
    share a moment: the later line wins; its AVAIL from 15:30 runs to the latest moment
    of the file, 16:02, and says so."""
    plan = saved(demo_engine, ingest.STATES, TRACE, "trace-0511.csv")
    assert [(f.row, f.code) for f in plan.findings] == [(16, "state_open_at_end")]
    assert "dihitung sampai 05-11-2026 16:02" in plan.warnings[0].message
    stored = schedules.read_states(demo_engine, "2026-11-05", "2026-11-05")
    assert shown(stored, "state", "reason_code", "basis") == [
        ("AG001", "05 07:58", "05 07:58", "aux", None, "events"),
        ("AG001", "05 07:58", "05 08:01", "aux", "0", "events"),
        ("AG001", "05 08:01", "05 08:03", "online", None, "events"),
        ("AG001", "05 08:03", "05 08:09", "online", None, "events"),
        ("AG001", "05 08:09", "05 08:10", "online", None, "events"),
        ("AG001", "05 08:10", "05 08:25", "aux", "5", "events"),
        ("AG001", "05 08:25", "05 16:02", "online", None, "events"),
        ("AG002", "05 08:00", "05 12:00", "online", None, "events"),
        ("AG002", "05 12:00", "05 12:00", "online", None, "events"),
        ("AG002", "05 12:00", "05 15:30", "online", None, "events"),
        ("AG002", "05 15:30", "05 16:02", "online", None, "events"),
    ]
    seconds = (stored["end"] - stored["start"]).dt.total_seconds().tolist()
    assert seconds == [30, 150, 130, 350, 60, 900, 27420, 14400, 20, 12580, 1920]


def test_an_aux_reason_the_site_counts_as_service_is_online(demo_engine, monkeypatch):
    settings = layouts.export_rules()
    states = settings.agent_states.model_copy(update={"aux_online_codes": frozenset({"5"})})
    monkeypatch.setattr(layouts, "export_rules", lambda: settings.model_copy(
        update={"agent_states": states}))  # fmt: skip
    plan = planned(demo_engine, ingest.STATES, TRACE)
    aux_5 = plan.rows[plan.rows["reason_code"] == "5"]
    assert aux_5["state"].tolist() == ["online"]


def test_a_work_mode_the_table_does_not_list_is_refused_once_with_its_lines(demo_engine):
    text = TRACE.replace("50002,12:00:00 PM,AUX,2", "50002,12:00:00 PM,BREAK,") + (
        "50002,3:40:00 PM,break,\n"
    )
    assert refused(demo_engine, ingest.STATES, text) == [(13, "Work Mode", "unknown_state")]
    assert "status BREAK tidak dikenal (2 baris)" in planned(
        demo_engine, ingest.STATES, text).errors[0].message  # fmt: skip


def test_a_trace_without_its_day_is_refused(demo_engine):
    text = TRACE.replace("Date: 05/11/2026\n", "")
    assert (0, "Date", "report_date_missing") in refused(demo_engine, ingest.STATES, text)


def test_a_work_mode_listed_twice_in_the_table_is_refused_when_loaded(tmp_path, monkeypatch):
    data = yaml.safe_load((rules.PACKAGED_DIR / "ekspor.yaml").read_text("utf-8"))
    data["agent_states"]["online"].append("aux")
    (tmp_path / "ekspor.yaml").write_text(yaml.safe_dump(data), "utf-8")
    monkeypatch.setenv("KRING_RULES_DIR", str(tmp_path))
    layouts.export_rules.cache_clear()
    try:
        with pytest.raises(rules.RuleFileError, match=r"^ekspor\.yaml: agent_states: .*mode di "
                           "lebih dari satu daftar: AUX"):  # fmt: skip
            layouts.export_rules()
    finally:
        monkeypatch.delenv("KRING_RULES_DIR")
        layouts.export_rules.cache_clear()


# --- agent states from interval totals (status_interval)

INTERVALS = """Agent Performance
Date: 05/11/2026
Agent Name,Login ID,StartTime,StopTime,ACD Calls,Staffed Time,AUX Time
Adi Pratama,50001,8:00AM,8:30AM,6,30:00,10:00
Adi Pratama,50001,8:30AM,9:00AM,5,20:00,-
Ayu Wijaya,50002,11:30 PM,12:00 AM,0,30:00,30:00
"""


def test_interval_totals_become_online_then_aux_from_the_intervals_start(demo_engine):
    """Hand-computed: 08:00 staffed 30 min, AUX 10 → online 08:00–08:20, AUX 08:20–08:30;
    08:30 staffed 20 min, AUX "-" (none) → online 08:30–08:50; 23:30 all AUX → AUX until
    midnight. The preview says these are estimates."""
    plan = saved(demo_engine, ingest.STATE_INTERVALS, INTERVALS)
    assert any("diperkirakan dari total interval" in note for note in plan.notes)
    stored = schedules.read_states(demo_engine, "2026-11-05", "2026-11-05")
    assert shown(stored, "state", "basis") == [
        ("AG001", "05 08:00", "05 08:20", "online", "interval"),
        ("AG001", "05 08:20", "05 08:30", "aux", "interval"),
        ("AG001", "05 08:30", "05 08:50", "online", "interval"),
        ("AG002", "05 23:30", "06 00:00", "aux", "interval"),
    ]


def test_interval_states_replacing_a_trace_say_so(demo_engine):
    saved(demo_engine, ingest.STATES, TRACE)
    plan = planned(demo_engine, ingest.STATE_INTERVALS, INTERVALS)
    assert "11 periode status dari jejak status CMS (Agent Trace) pada hari yang sama akan " \
        "diganti" in plan.notes  # fmt: skip
    imports.commit_import(demo_engine, plan, spv(demo_engine))
    assert set(schedules.read_states(demo_engine)["basis"]) == {"interval"}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Adi,50001,8:00AM,8:30AM,6,20:00,25:00", (3, "AUX Time", "part_exceeds_whole")),
        ("Adi,50001,8:00AM,8:30AM,6,480:00,0:00", (3, "Staffed Time", "part_exceeds_whole")),
        ("Adi,50001,,8:30AM,6,30:00,0:00", (3, "Time", "required_blank")),
    ],
)
def test_impossible_interval_totals_are_refused(demo_engine, line, expected):
    text = "Date: 05/11/2026\nAgent Name,Login ID,StartTime,StopTime,ACD Calls,Staffed Time,"
    assert expected in refused(demo_engine, ingest.STATE_INTERVALS, f"{text}AUX Time\n{line}\n")


# --- SIKKA attendance (sikka)

SIKKA = """tanggal,id_agen,jam_masuk,jam_pulang,status
2026-11-02,AG001,08:17,16:05,
2026-11-02,AG002,,,Sakit
2026-11-02,AG003,07:55,15:00,
2026-11-02,AG004,13:55,,
"""
DAY_SCHEDULE = """tanggal,id_agen,mulai,selesai,aktivitas
2026-11-02,AG001,08:00,16:00,layanan
2026-11-02,AG002,08:00,16:00,layanan
2026-11-02,AG003,08:00,16:00,layanan
2026-11-02,AG004,14:00,15:30,layanan
"""


def test_attendance_is_saved_read_back_and_proposes_adjustments(demo_engine):
    saved(demo_engine, ingest.SCHEDULE, DAY_SCHEDULE)
    plan = saved(demo_engine, ingest.ATTENDANCE, SIKKA, "sikka-nov.csv")
    stored = schedules.read_attendance(demo_engine, "2026-11-02", "2026-11-02")
    rows = stored.astype(object).where(stored.notna(), None)
    assert [
        (r.agent_id, r.check_in and f"{r.check_in:%H:%M}", r.check_out and f"{r.check_out:%H:%M}",
         r.status, r.source)
        for r in rows.itertuples()
    ] == [
        ("AG001", "08:17", "16:05", None, "sikka-nov.csv"),
        ("AG002", None, None, "sakit", "sikka-nov.csv"),
        ("AG003", "07:55", "15:00", None, "sikka-nov.csv"),
        ("AG004", "13:55", None, None, "sikka-nov.csv"),
    ]  # fmt: skip
    assert shown(plan.proposals, "reason") == [
        ("AG001", "02 08:00", "02 08:17", "terlambat"),
        ("AG002", "02 08:00", "02 16:00", "absen"),
        ("AG003", "02 15:00", "02 16:00", "pulang_awal"),
        ("AG004", "02 14:00", "02 15:30", "presensi_sekali"),
    ]
    assert plan.proposals["evidence"].iloc[0] == (
        "SIKKA sikka-nov.csv, baris 2: jam masuk 08:17, layanan terjadwal mulai 08:00"
    )
    assert any(note.startswith("4 usulan penyesuaian ATS akan diajukan") for note in plan.notes)
    filed = adjustments.adjustments_frame(demo_engine)
    assert filed[["agent_id", "reason", "origin", "state", "filed_by"]].values.tolist() == [
        ["AG001", "terlambat", "sikka", "diajukan", "spv.pkl"],
        ["AG002", "absen", "sikka", "diajukan", "spv.pkl"],
        ["AG004", "presensi_sekali", "sikka", "diajukan", "spv.pkl"],
        ["AG003", "pulang_awal", "sikka", "diajukan", "spv.pkl"],
    ]  # filed for the Team Leader, never approved by the import
    assert adjustments.approved(demo_engine).empty
    saved(demo_engine, ingest.ATTENDANCE, SIKKA, "sikka-nov.csv")
    assert len(adjustments.adjustments_frame(demo_engine)) == 4  # not proposed twice


def test_attendance_imported_again_replaces_the_same_days(demo_engine):
    saved(demo_engine, ingest.ATTENDANCE, SIKKA)
    again = saved(demo_engine, ingest.ATTENDANCE, "tanggal,id_agen,jam_masuk,jam_pulang,status\n"
                  "2026-11-02,AG002,07:58,16:00,\n")  # fmt: skip
    assert again.replaced_rows == 1
    stored = schedules.read_attendance(demo_engine).set_index("agent_id")
    assert len(stored) == 4 and pd.isna(stored.loc["AG002", "status"])
    assert f"{stored.loc['AG002', 'check_in']:%H:%M}" == "07:58"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("2026-11-02,AG001,08:00,08:00,", (2, "jam_pulang", "end_not_after_start")),
        ("2026-11-02,AG001,16:00,08:00,", (2, "jam_pulang", "end_not_after_start")),
        ("2026-11-02,AG001,08:00,16:00,\n2026-11-02,AG001,08:01,16:00,",
         (3, "id_agen", "duplicate_row")),
        (",AG001,08:00,16:00,", (2, "tanggal", "required_blank")),
    ],
)  # fmt: skip
def test_bad_attendance_lines_are_refused_with_their_code(demo_engine, lines, expected):
    text = f"tanggal,id_agen,jam_masuk,jam_pulang,status\n{lines}\n"
    assert expected in refused(demo_engine, ingest.ATTENDANCE, text)


def test_a_status_sikka_may_hold_but_ats_yaml_does_not_list_is_a_warning(demo_engine):
    plan = saved(demo_engine, ingest.ATTENDANCE, "tanggal,id_agen,jam_masuk,jam_pulang,status\n"
                 "2026-11-02,AG001,07:58,16:00,WFH\n")  # fmt: skip
    assert [(f.row, f.column, f.code) for f in plan.warnings] == [(2, "status", "unknown_status")]


# --- the templates, downloadable from the panel


@pytest.mark.parametrize("kind", [ingest.SCHEDULE, ingest.ATTENDANCE, ingest.COMPLAINTS])
def test_each_template_imports_cleanly_as_downloaded(demo_engine, kind):
    buffer = io.BytesIO()
    templates.template_frame(kind).to_csv(buffer, index=False)
    plan = imports.plan_import(demo_engine, buffer.getvalue(), kind, "templat.csv")
    assert plan.can_commit and plan.skipped_rows == 0


def test_the_panel_offers_every_template_as_csv_and_xlsx():
    links = template_links()
    for name in ("templat-saluran", "templat-jadwal", "templat-sikka", "templat-pengaduan"):
        assert f'download="{name}.csv"' in links and f'download="{name}.xlsx"' in links
    assert "Unduh Templat jadwal WFM (ATS)" in links


def test_the_panel_previews_the_proposals_of_a_sikka_file(demo_engine):
    saved(demo_engine, ingest.SCHEDULE, DAY_SCHEDULE)
    model = ImportPanelModel(demo_engine, Session(demo_engine, ROLE_USERS["spv"]))
    view = ImportPanelView(model)
    model.kind = ingest.ATTENDANCE
    model.preview("sikka-nov.csv", SIKKA.encode())
    assert "4 baris siap disimpan" in model.message
    assert "Usulan penyesuaian ATS (menunggu persetujuan Team Leader)" in view.details.value
    assert "Terlambat masuk (SIKKA)" in view.details.value
