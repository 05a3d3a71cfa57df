"""Import service: preview against the database, commit atomically, never double count, and
only for a role that may import."""

import logging
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from page_support import ROLE_USERS

from kringlib import ingest
from kringlib.access import PermissionDenied, User
from kringlib.store import activity, imports, users
from kringlib.store.models import import_batch, queue_hourly

ON_BOTH_ENGINES = True  # the store runs on SQLite and on PostgreSQL


EXPORTS = Path(__file__).parent / "fixtures" / "exports"
REPORT = (EXPORTS / "agent_hms_comma.csv").read_bytes()


def stored_day(engine, day):
    frame = activity.read_activity(engine, start=day, end=day)
    return frame[frame["channel"] == "telepon"].set_index("agent_id")


def spv(engine):
    return users.user(engine, ROLE_USERS["spv"])


def batches(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(import_batch)).scalar_one()


def test_preview_writes_nothing_and_commit_writes_once(demo_engine):
    plan = imports.plan_import(demo_engine, REPORT, ingest.AGENT, "agent_hms_comma.csv")
    assert plan.can_commit and len(plan.rows) == 2
    assert stored_day(demo_engine, "2026-11-03").empty
    imports.commit_import(demo_engine, plan, spv(demo_engine))
    day = stored_day(demo_engine, "2026-11-03")
    assert day.loc["AG001", "acd_calls"] == 55
    assert imports.recent_imports(demo_engine)["imported_by"].tolist() == ["spv.pkl"]


def test_importing_the_same_file_twice_does_not_double_count(demo_engine):
    for _ in range(2):
        plan = imports.plan_import(demo_engine, REPORT, ingest.AGENT, "agent_hms_comma.csv")
        imports.commit_import(demo_engine, plan, spv(demo_engine))
    assert plan.replaced_rows == 2
    assert any("sudah diimpor" in note for note in plan.notes)
    day = stored_day(demo_engine, "2026-11-03")
    assert len(day) == 2 and day["acd_calls"].sum() == 103


def test_unknown_log_ins_are_skipped_and_listed_once_each(demo_engine):
    csv = (
        b"Login ID,Date,ACD Calls,Staffed Time\n50001,2026-11-09,10,3600\n"
        b"59999,2026-11-09,4,3600\n59999,2026-11-10,5,3600\n"
    )
    plan = imports.plan_import(demo_engine, csv, ingest.AGENT, "baru.csv")
    assert plan.skipped_rows == 2
    assert [str(w) for w in plan.warnings] == [
        "Peringatan: baru.csv, baris 3, kolom Login ID: Login ID Avaya 59999 tidak dikenal pada "
        "09-11-2026 s.d. 10-11-2026; 2 baris dilewati"
    ]
    assert plan.unknown_logins[["system", "login_id", "rows"]].values.tolist() == [
        ["avaya", "59999", 2]
    ]
    imports.commit_import(demo_engine, plan, spv(demo_engine))
    assert list(stored_day(demo_engine, "2026-11-09").index) == ["AG001"]


def test_agents_named_only_are_matched_by_name_and_the_findings_say_so(demo_engine, small_demo):
    name = small_demo.agents.set_index("agent_id").loc["AG005", "name"]
    csv = f"Agent Name,Date,ACD Calls\n{name.upper()},2026-11-10,7\n".encode()
    plan = imports.plan_import(demo_engine, csv, ingest.AGENT, "nama.csv")
    assert plan.rows["agent_id"].tolist() == ["AG005"]
    assert "agen dicocokkan dengan nama persis" in str(plan.warnings[0])


def test_a_file_with_errors_cannot_be_committed_and_nothing_changes(demo_engine):
    plan = imports.plan_import(
        demo_engine,
        (EXPORTS / "agent_problems.csv").read_bytes(),
        ingest.AGENT,
        "agent_problems.csv",
    )
    assert not plan.can_commit
    before = activity.overview(demo_engine).row_counts
    with pytest.raises(imports.ImportRefused):
        imports.commit_import(demo_engine, plan, spv(demo_engine))
    assert activity.overview(demo_engine).row_counts == before
    assert batches(demo_engine) == 0


def test_daily_split_report_replaces_hourly_rows_of_the_same_day(demo_engine):
    day = "2026-04-01"
    daily = (
        f"Split/Skill,Date,Calls Offered,ACD Calls,Aband Calls\n1,{day},2500,2300,200\n".encode()
    )
    plan = imports.plan_import(demo_engine, daily, ingest.SPLIT, "split-harian.csv")
    assert any("akan diganti" in note for note in plan.notes)
    imports.commit_import(demo_engine, plan, spv(demo_engine))
    with demo_engine.connect() as conn:
        rows = pd.read_sql_query(
            sa.select(queue_hourly).where(
                queue_hourly.c.date == pd.Timestamp(day).date(), queue_hourly.c.channel == "telepon"
            ),
            conn,
        )
    assert rows[["hour", "offered"]].values.tolist() == [[ingest.WHOLE_DAY, 2500.0]]


def test_channel_template_adds_talk_time_without_touching_call_counts(demo_engine, small_demo):
    phone = small_demo.activity[small_demo.activity["channel"] == "telepon"].iloc[0]
    csv = (
        "tanggal,id_agen,saluran,talk_time\n"
        f"{phone['date']:%Y-%m-%d},{phone['agent_id']},telepon,1:00:00\n"
    )
    plan = imports.plan_import(demo_engine, csv.encode(), ingest.CHANNEL_TEMPLATE, "talk.csv")
    assert plan.replaced_rows == 1
    imports.commit_import(demo_engine, plan, spv(demo_engine))
    stored = stored_day(demo_engine, phone["date"]).loc[phone["agent_id"]]
    assert stored["talk_time"] == 3600 and stored["acd_calls"] == phone["acd_calls"]


# --- who may import (rules/akses.yaml, impor: spv and admin), checked in the store


@pytest.mark.parametrize(
    "actor",
    [
        pytest.param(lambda e: users.user(e, ROLE_USERS["agent"]), id="agent"),
        pytest.param(lambda e: users.user(e, ROLE_USERS["assessor"]), id="assessor"),
        pytest.param(lambda e: users.user(e, ROLE_USERS["team_leader"]), id="team_leader"),
        pytest.param(lambda _: User(username="ag001", role="spv"), id="forged-spv"),
        pytest.param(lambda _: User(username="tamu", role="admin"), id="unknown"),
    ],
)
def test_a_role_that_may_not_import_is_refused_and_nothing_is_written(demo_engine, actor, caplog):
    """impor: spv and admin only. The store re-reads the actor in its transaction, so a User
    claiming a role the database does not give is refused too; the refusal is logged."""
    plan = imports.plan_import(demo_engine, REPORT, ingest.AGENT, "agent_hms_comma.csv")
    with caplog.at_level(logging.WARNING, logger="kringlib.access"):
        with pytest.raises(PermissionDenied):
            imports.commit_import(demo_engine, plan, actor(demo_engine))
    assert "ditolak" in caplog.text
    assert stored_day(demo_engine, "2026-11-03").empty and batches(demo_engine) == 0


def test_a_disabled_account_may_not_import(demo_engine):
    before = spv(demo_engine)
    users.set_disabled(demo_engine, before.username)
    plan = imports.plan_import(demo_engine, REPORT, ingest.AGENT, "agent_hms_comma.csv")
    with pytest.raises(PermissionDenied):
        imports.commit_import(demo_engine, plan, before)
    assert batches(demo_engine) == 0


def test_the_record_names_the_importer_as_the_database_knows_them(demo_engine):
    """imported_by is the re-read username, whatever else the passed User claims."""
    plan = imports.plan_import(demo_engine, REPORT, ingest.AGENT, "agent_hms_comma.csv")
    imports.commit_import(demo_engine, plan, User(username="admin", role="agent"))
    assert imports.recent_imports(demo_engine)["imported_by"].tolist() == ["admin"]
