"""Complaints in the database (SE-11/PJ/2019, Buku Saku "Tentang Pengaduan"): registered by
an SPV, each step recorded in order by the role of its executor, corrections superseding
earlier records, the chain intact, the status of each complaint on a day, and the
complaint template through the import.

The clock reads Monday 30 November 2026; November 2026 has no holiday."""

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from page_support import MONDAY, ROLE_USERS, set_clock

from kringlib import complaints, ids, ingest
from kringlib.access import PermissionDenied
from kringlib.complaints import AT_RISK, LATE, ON_TIME, ScheduleError
from kringlib.ingest import templates
from kringlib.store import chain, imports, users
from kringlib.store import complaints as store
from kringlib.store.models import complaint, complaint_step, metadata

ON_BOTH_ENGINES = True
D = dt.date
TODAY = D(2026, 11, 30)
NOV_2 = D(2026, 11, 2)


@pytest.fixture
def monday(demo_engine, monkeypatch):
    """The server's clock on Monday 30 November 2026, 09:30 WIB."""
    set_clock(monkeypatch, MONDAY)
    return demo_engine


def who(engine, role="spv"):
    return users.user(engine, ROLE_USERS[role])


def registered(engine, number="PGD-1", received_on=NOV_2, **given) -> int:
    values = dict(number=number, received_on=received_on, channel="telepon",
                  category="Pelayanan KPP", reported_unit="KPP Pratama Contoh",
                  summary="Antrean layanan terlalu lama")  # fmt: skip
    return store.register(engine, who(engine), **{**values, **given})


def completed(engine, complaint_id, *days) -> None:
    """Steps 1, 2, … finished on ``days``, recorded by the SPV."""
    for number, day in enumerate(days, 1):
        store.complete_step(engine, who(engine), complaint_id, number, day)


def counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return tuple(
            conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in (complaint, complaint_step)
        )


def intact(engine) -> bool:
    return all(verdict.intact for verdict in chain.verify(engine))


# --- the tables


def test_the_migration_builds_the_models_and_both_tables_are_append_only(monday):
    with monday.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []
    complaint_id = registered(monday)
    completed(monday, complaint_id, D(2026, 11, 6))
    for table in (complaint, complaint_step):
        with pytest.raises(sa.exc.DBAPIError), monday.begin() as conn:
            conn.execute(table.update().values(id=table.c.id))
        with pytest.raises(sa.exc.DBAPIError), monday.begin() as conn:
            conn.execute(table.delete())
    assert counts(monday) == (1, 1)


# --- registering and recording steps


def test_registered_and_steps_recorded_in_order(monday):
    # "1 | Konfirmasi Kelengkapan | 5 | 7 | KLIP |", "2 | Validasi Kelengkapan KLIP | 2 | ||"
    complaint_id = registered(monday)
    completed(monday, complaint_id, D(2026, 11, 6), D(2026, 11, 10))
    assert store.finished_steps(monday, complaint_id) == {1: D(2026, 11, 6), 2: D(2026, 11, 10)}
    records = store.step_records(monday, complaint_id)
    assert records["step"].tolist() == [1, 2]
    assert records["recorded_by"].tolist() == ["spv.pkl", "spv.pkl"]
    assert records["supersedes_id"].isna().all()
    assert intact(monday)


@pytest.mark.parametrize(
    ("step", "day", "code"),
    [
        (2, D(2026, 11, 6), "not_current_step"),  # step 1 is still open
        (1, D(2026, 10, 30), "before_received"),  # before the complaint was received
        (1, D(2026, 12, 1), "finished_after_today"),
        (13, D(2026, 11, 6), "unknown_step"),
    ],
)
def test_a_step_out_of_order_or_out_of_time_is_refused_with_nothing_written(
    monday, step, day, code
):
    complaint_id = registered(monday)
    with pytest.raises(ScheduleError) as refused:
        store.complete_step(monday, who(monday), complaint_id, step, day)
    assert (refused.value.code, refused.value.step) == (code, step)
    assert counts(monday) == (1, 0)


def test_a_finished_step_is_not_recorded_twice(monday):
    complaint_id = registered(monday)
    completed(monday, complaint_id, D(2026, 11, 6))
    with pytest.raises(ScheduleError, match="sudah tercatat selesai") as refused:
        store.complete_step(monday, who(monday), complaint_id, 1, D(2026, 11, 9))
    assert refused.value.code == "not_current_step"
    assert counts(monday) == (1, 1)


@pytest.mark.parametrize("role", ["team_leader", "analyst", "agent", "admin", "assessor"])
def test_only_the_executors_recorder_records_a_step(monday, role):
    # executor_roles (pengaduan.yaml): KLIP's SPV records every executor's steps
    complaint_id = registered(monday)
    with pytest.raises(PermissionDenied, match="SPV PKL"):
        store.complete_step(monday, who(monday, role), complaint_id, 1, D(2026, 11, 6))
    assert counts(monday) == (1, 0)


@pytest.mark.parametrize("role", ["team_leader", "analyst", "agent", "assessor"])
def test_only_an_spv_or_admin_registers(monday, role):
    with pytest.raises(PermissionDenied):
        store.register(monday, who(monday, role), number="PGD-9", received_on=D(2026, 11, 2),
                       channel="email", category="", reported_unit="", summary="x")  # fmt: skip
    assert counts(monday) == (0, 0)
    store.register(monday, who(monday, "admin"), number="PGD-9", received_on=D(2026, 11, 2),
                   channel="email", category="", reported_unit="", summary="x")  # fmt: skip
    assert counts(monday) == (1, 0)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"summary": "WP NPWP 01.234.567.8-901.000 mengeluh"}, "tanpa identitas wajib pajak"),
        ({"summary": "NIK 3171234567890001 ditolak"}, "tanpa identitas wajib pajak"),
        ({"channel": "fax"}, "Saluran tidak dikenal"),
        ({"received_on": D(2026, 12, 1)}, "setelah hari ini"),
        ({"summary": "  "}, "Ringkasan pengaduan wajib diisi"),
        ({"number": "PGD-1"}, "sudah tercatat"),
    ],
)
def test_a_bad_registration_is_refused(monday, given, message):
    registered(monday)
    with pytest.raises(ValueError, match=message):
        registered(monday, **{"number": "PGD-2", **given})
    assert counts(monday) == (1, 0)


# --- corrections


def test_a_correction_supersedes_the_newest_record_and_the_chain_stays_intact(monday):
    complaint_id = registered(monday)
    completed(monday, complaint_id, D(2026, 11, 6), D(2026, 11, 10))
    first = store.step_records(monday, complaint_id)["id"].iloc[0]
    corrected = store.correct_step(monday, who(monday), complaint_id, 1, D(2026, 11, 5),
                                   "salah ketik tanggal")  # fmt: skip
    again = store.correct_step(monday, who(monday), complaint_id, 1, D(2026, 11, 4),
                               "tanggal sesuai balasan KLIP")  # fmt: skip
    records = store.step_records(monday, complaint_id)
    assert records["step"].tolist() == [1, 2, 1, 1]
    assert records["supersedes_id"].tolist() == [pd.NA, pd.NA, first, corrected]
    assert records["note"].iloc[-1] == "tanggal sesuai balasan KLIP"
    assert records["id"].iloc[-1] == again
    assert store.finished_steps(monday, complaint_id) == {1: D(2026, 11, 4), 2: D(2026, 11, 10)}
    assert intact(monday)


@pytest.mark.parametrize(
    ("step", "day", "reason", "refusal", "named"),
    [
        # step 2 finished 10 Nov: step 1 cannot now finish after it
        (1, D(2026, 11, 11), "koreksi", "before_previous_step", 2),
        (3, D(2026, 11, 11), "koreksi", "step_not_finished", 3),
        (2, D(2026, 12, 1), "koreksi", "finished_after_today", 2),
    ],
)
def test_a_correction_that_breaks_the_plan_is_refused_naming_the_step(
    monday, step, day, reason, refusal, named
):
    complaint_id = registered(monday)
    completed(monday, complaint_id, D(2026, 11, 6), D(2026, 11, 10))
    with pytest.raises(ScheduleError) as refused:
        store.correct_step(monday, who(monday), complaint_id, step, day, reason)
    assert (refused.value.code, refused.value.step) == (refusal, named)
    assert counts(monday) == (1, 2)


def test_a_correction_needs_a_reason_and_the_executors_recorder(monday):
    complaint_id = registered(monday)
    completed(monday, complaint_id, D(2026, 11, 6))
    with pytest.raises(ValueError, match="alasan"):
        store.correct_step(monday, who(monday), complaint_id, 1, D(2026, 11, 5), " ")
    with pytest.raises(PermissionDenied):
        store.correct_step(monday, who(monday, "team_leader"), complaint_id, 1,
                           D(2026, 11, 5), "koreksi")  # fmt: skip
    assert counts(monday) == (1, 1)


def test_records_changed_or_forged_behind_the_applications_back_are_named(monday):
    complaint_id = registered(monday)
    completed(monday, complaint_id, D(2026, 11, 6), D(2026, 11, 10))
    second = int(store.step_records(monday, complaint_id)["id"].iloc[1])
    with monday.begin() as conn:  # the owner's raw SQL: insert a record without the chain
        forged = conn.execute(complaint_step.insert().values(
            complaint_id=complaint_id, step=3, finished_on=D(2026, 11, 11), note="",
            recorded_by="spv.pkl", recorded_at=MONDAY, chain_hash="0" * 64,
        )).inserted_primary_key[0]  # fmt: skip
    broken = {v.table: v.broken_at for v in chain.verify(monday)}
    assert broken["complaint_step"] == forged and broken["complaint"] is None
    with monday.begin() as conn:  # the owner lifts the trigger and edits a date
        if conn.dialect.name == "sqlite":
            conn.execute(sa.text("DROP TRIGGER complaint_step_no_update"))
        else:
            conn.execute(sa.text("ALTER TABLE complaint_step DISABLE TRIGGER USER"))
        conn.execute(complaint_step.update().where(complaint_step.c.id == second)
                     .values(finished_on=D(2026, 11, 9)))  # fmt: skip
    assert {v.table: v.broken_at for v in chain.verify(monday)}["complaint_step"] == second


# --- the status of each complaint


def test_the_frame_shows_each_complaints_status_on_the_day(monday):
    # November 2026 has no holiday. Received Mon 2 Nov: step 1 (5 days) finished Fri 6,
    # step 2 (2 days) Tue 10 Nov; step 3 "Disposisi Pengaduan" (2 days) due Thu 12 Nov is
    # 12 working days late on Mon 30 Nov.
    late = registered(monday, "PGD-LATE")
    completed(monday, late, D(2026, 11, 6), D(2026, 11, 10))
    # Received Mon 23 Nov: step 1 due Mon 30 Nov, today: 0 of 5 days left < a fifth
    registered(monday, "PGD-RISK", D(2026, 11, 23))
    # Received Wed 25 Nov: step 1 due Wed 2 Dec, 2 of 5 days left
    registered(monday, "PGD-NEW", D(2026, 11, 25), channel="twitter")
    # Finished one working day per step, 3 to 18 Nov: well within the 58 days
    done = registered(monday, "PGD-DONE")
    days = [D(2026, 11, d) for d in (3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18)]
    completed(monday, done, *days)
    # Received 4 May, step 1 finished 2 Nov: late, and the whole complaint past 58 days
    slow = registered(monday, "PGD-SLOW", D(2026, 5, 4))
    completed(monday, slow, D(2026, 11, 2), *days[1:])
    frame = store.complaints_frame(monday, TODAY)
    assert list(frame.columns) == store.FRAME_COLUMNS
    frame = frame.set_index("number")
    shown = frame[["current_step", "status", "days_left", "done", "late_steps"]]
    assert shown.astype(object).where(shown.notna(), None).to_dict("index") == {
        "PGD-LATE": {"current_step": 3, "status": LATE, "days_left": -12, "done": False,
                     "late_steps": 1},
        "PGD-RISK": {"current_step": 1, "status": AT_RISK, "days_left": 0, "done": False,
                     "late_steps": 0},
        "PGD-NEW": {"current_step": 1, "status": ON_TIME, "days_left": 2, "done": False,
                    "late_steps": 0},
        "PGD-DONE": {"current_step": None, "status": ON_TIME, "days_left": None, "done": True,
                     "late_steps": 0},
        "PGD-SLOW": {"current_step": None, "status": LATE, "days_left": None, "done": True,
                     "late_steps": 1},
    }  # fmt: skip
    assert frame.loc["PGD-LATE", "current_activity"] == "Disposisi Pengaduan"
    assert frame.loc["PGD-LATE", "executor"] == "P2 Humas"
    assert frame.loc["PGD-DONE", "finished_on"] == pd.Timestamp("2026-11-18")
    assert pd.isna(frame.loc["PGD-NEW", "finished_on"])
    assert frame.loc["PGD-NEW", "channel"] == "twitter"


def test_the_frame_of_no_complaint_is_empty_with_its_columns(monday):
    frame = store.complaints_frame(monday, TODAY)
    assert frame.empty and list(frame.columns) == store.FRAME_COLUMNS


# --- the complaint template through the import

HEADER = "nomor,tanggal_terima,saluran,kategori,unit_terlapor,ringkasan,selesai_1,selesai_2"


def planned(engine, *lines: str) -> imports.ImportPlan:
    text = "\n".join([HEADER, *lines]) + "\n"
    return imports.plan_import(engine, text.encode(), ingest.COMPLAINTS, "pengaduan.csv")


def test_a_good_file_registers_complaints_with_their_steps(monday):
    plan = planned(
        monday,
        "PGD-1,2026-11-02,Telepon,Pelayanan KPP,KPP Pratama Contoh,Antrean lama,2026-11-06,"
        "2026-11-10",
        "PGD-2,25/11/2026,website,Aplikasi,Direktorat TIK,Gagal unggah SPT,,",
    )
    assert plan.can_commit and plan.findings == [], [str(f) for f in plan.findings]
    batch = imports.commit_import(monday, plan, who(monday))
    frame = store.complaints_frame(monday, TODAY).set_index("number")
    assert frame["channel"].to_dict() == {"PGD-1": "telepon", "PGD-2": "website"}
    assert frame["current_step"].tolist() == [3, 1]
    records = store.step_records(monday, int(frame.loc["PGD-1", "id"]))
    assert records["note"].tolist() == ["impor pengaduan.csv"] * 2
    with monday.connect() as conn:
        sources = conn.execute(sa.select(complaint.c.source)).scalars().all()
    assert sources == ["pengaduan.csv"] * 2 and batch
    assert intact(monday)


def test_the_template_imports_cleanly_as_downloaded(monday):
    text = templates.template_frame(ingest.COMPLAINTS).to_csv(index=False)
    plan = imports.plan_import(monday, text.encode(), ingest.COMPLAINTS, "templat.csv")
    assert plan.can_commit and plan.errors == [], [str(f) for f in plan.errors]


def test_a_number_already_stored_is_skipped_with_a_warning(monday):
    registered(monday, "PGD-1")
    plan = planned(monday, "PGD-1,2026-11-02,telepon,,,Antrean lama,,",
                   "PGD-3,2026-11-02,email,,,Balasan lambat,,")  # fmt: skip
    assert [(f.row, f.code) for f in plan.warnings] == [(2, "number_stored")]
    assert plan.skipped_rows == 1 and plan.can_commit
    imports.commit_import(monday, plan, who(monday))
    assert counts(monday) == (2, 0)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("PGD-1,2026-11-02,fax,,,Antrean lama,,", (2, "saluran", "unknown_channel")),
        ("PGD-1,2026-02-30,telepon,,,Antrean lama,,", (2, "tanggal_terima", "impossible_date")),
        ("PGD-1,2026-12-01,telepon,,,Antrean lama,,", (2, "tanggal_terima", "future_date")),
        ("PGD-1,2026-11-02,telepon,,,NPWP 012345678901000,,", (2, "ringkasan",
                                                                "identifier_in_text")),
        # step 2 before step 1: "selesai_2" named
        ("PGD-1,2026-11-02,telepon,,,Antrean lama,2026-11-06,2026-11-05",
         (2, "selesai_2", "steps_out_of_order")),
        # step 2 without step 1
        ("PGD-1,2026-11-02,telepon,,,Antrean lama,,2026-11-05",
         (2, "selesai_2", "steps_out_of_order")),
        ("PGD-1,2026-11-02,telepon,,,Antrean lama,2026-12-02,", (2, "selesai_1", "future_date")),
        ("PGD-1,2026-11-02,telepon,,,,,", (2, "ringkasan", "required_blank")),
    ],
)  # fmt: skip
def test_each_bad_row_is_an_error_and_nothing_is_written(monday, line, expected):
    plan = planned(monday, line)
    assert [(f.row, f.column, f.code) for f in plan.errors] == [expected]
    with pytest.raises(imports.ImportRefused):
        imports.commit_import(monday, plan, who(monday))
    assert counts(monday) == (0, 0)


def test_a_number_twice_in_the_file_is_an_error_naming_the_first(monday):
    plan = planned(monday, "PGD-1,2026-11-02,telepon,,,Antrean lama,,",
                   "PGD-1,2026-11-03,telepon,,,Antrean lama,,")  # fmt: skip
    assert [(f.row, f.code) for f in plan.errors] == [(3, "duplicate_row")]
    assert "baris 2" in plan.errors[0].message


def test_an_import_by_a_role_that_may_not_record_steps_writes_nothing(monday):
    # the admin may import and register, but steps are recorded by the SPV (executor_roles)
    plan = planned(monday, "PGD-1,2026-11-02,telepon,,,Antrean lama,,",
                   "PGD-2,2026-11-02,telepon,,,Antrean lama,2026-11-06,")  # fmt: skip
    with pytest.raises(PermissionDenied):
        imports.commit_import(monday, plan, who(monday, "admin"))
    assert counts(monday) == (0, 0)


def test_the_step_rules_follow_the_local_setting():
    settings = complaints.complaint_rules()
    assert settings.executor_roles == {"klip": ("spv",), "p2_humas": ("spv",),
                                       "unit_terlapor": ("spv",)}  # fmt: skip
    assert settings.registered_by == ("spv", "admin")


def test_an_identifier_typed_in_a_step_note_reads_masked(demo_engine):
    """Shown or exported, a note never shows an NPWP in clear (kringlib.ids)."""
    spv = users.user(demo_engine, "spv.pkl")
    complaint_id = store.register(demo_engine, spv, number="PGD-NPWP", received_on=D(2026, 11, 2),
                                  channel="telepon", category="Layanan", reported_unit="KPP",
                                  summary="Uji catatan")  # fmt: skip
    note = "WP NPWP 01.234.567.8-901.000 lengkap"
    store.complete_step(demo_engine, spv, complaint_id=complaint_id, step=1,
                        finished_on=D(2026, 11, 3), note=note)  # fmt: skip
    (shown,) = store.step_records(demo_engine, complaint_id)["note"]
    assert shown == f"WP NPWP {ids.MASK} lengkap"
