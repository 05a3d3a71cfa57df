"""The organisation over time: date-valid teams in KPIs, scorecards and appeals, imports
matched by log-in id then name, a roster that refuses contradictions whole, and the
roster template's round trip."""

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic import command
from page_support import ROLE_USERS

from kringlib import ingest, kpi, roster
from kringlib.access import PermissionDenied
from kringlib.ingest.roster_file import read_roster_file
from kringlib.roster import Roster, RosterError
from kringlib.store import activity, assessments, chain, db, imports, users
from kringlib.store import roster as roster_store
from kringlib.store.models import agent, roster_change
from kringlib.ui.identity import Session
from kringlib.ui.kpi_team import KpiTeamModel

ON_BOTH_ENGINES = True  # the store runs on SQLite and on PostgreSQL

MOVED_ON = dt.date(2026, 4, 1)
"""AG001 moves from Tim Merapi to Tim Rinjani on 1 April 2026, mid-way through the demo."""


def admin(engine):
    return users.user(engine, ROLE_USERS["admin"])


def move_ag001(engine) -> None:
    roster_store.save(
        engine, admin(engine), lambda r: roster.move(r, "AG001", "rinjani", MOVED_ON), "pindah"
    )


def versions(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(roster_change)).scalar_one()


# --- a move splits the work between the teams -------------------------------------------------


def test_a_move_splits_kpis_between_the_two_teams_by_day(demo_engine):
    """Issue 16: "KPIs ... attribute a day's work to the team the agent belonged to on
    that day (a move in June splits the year)"."""
    move_ag001(demo_engine)
    frame = activity.read_activity(demo_engine)
    mine = frame[frame["agent_id"] == "AG001"]
    assert set(mine.loc[mine["date"] < pd.Timestamp(MOVED_ON), "team"]) == {"Tim Merapi"}
    assert set(mine.loc[mine["date"] >= pd.Timestamp(MOVED_ON), "team"]) == {"Tim Rinjani"}

    by_team = kpi.productivity(frame.assign(month=frame["date"].dt.month), by=["team", "month"])
    rinjani_april = frame[(frame["team"] == "Tim Rinjani") & (frame["date"].dt.month == 4)]
    assert "AG001" in set(rinjani_april["agent_id"])
    expected = kpi.productivity(rinjani_april).iloc[0]
    assert by_team.loc[("Tim Rinjani", 4), "AHT"] == pytest.approx(expected["AHT"])
    merapi_april = frame[(frame["team"] == "Tim Merapi") & (frame["date"].dt.month == 4)]
    assert "AG001" not in set(merapi_april["agent_id"])


def test_a_move_splits_the_scorecards_by_the_interaction_day(demo_engine):
    move_ag001(demo_engine)
    scored = assessments.current(demo_engine, agent_id="AG001")
    before = scored["interaction_at"] < pd.Timestamp(MOVED_ON)
    assert before.any() and (~before).any()
    assert set(scored.loc[before, "team"]) == {"Tim Merapi"}
    assert set(scored.loc[~before, "team"]) == {"Tim Rinjani"}


def test_each_team_leader_sees_the_moved_agent_only_while_in_their_team(demo_engine):
    move_ag001(demo_engine)
    for leader, shown in (("tl.merapi", "2026-03-31"), ("tl.rinjani", "2026-04-01")):
        model = KpiTeamModel(demo_engine, Session(demo_engine, leader), today=dt.date(2026, 5, 1))
        model.start, model.end = dt.date(2026, 3, 1), dt.date(2026, 4, 30)
        model.reload()
        days = model.loaded.loc[model.loaded["agent_id"] == "AG001", "date"]
        assert not days.empty
        if leader == "tl.merapi":
            assert days.max() <= pd.Timestamp(shown)
        else:
            assert days.min() >= pd.Timestamp(shown)


# --- imports: by log-in id valid on the day, then by exact name ----------------------------------


def test_a_reused_log_in_counts_for_whoever_held_it_on_the_rows_day(demo_engine):
    def hand_over(r: Roster) -> Roster:
        r = roster.leave(r, "AG001", dt.date(2026, 5, 15))  # the demo's work ends 30 April
        return roster.add_agent(r, "AG100", "Agen Baru", "merapi", dt.date(2026, 5, 16),
                                logins={"avaya": "50001"})  # fmt: skip

    roster_store.save(demo_engine, admin(demo_engine), hand_over, "login dipakai ulang")
    csv = b"Login ID,Date,ACD Calls\n50001,2026-05-10,7\n50001,2026-05-20,9\n"
    plan = imports.plan_import(demo_engine, csv, ingest.AGENT, "ulang.csv")
    assert plan.rows[["date", "agent_id"]].astype(str).values.tolist() == [
        ["2026-05-10", "AG001"],
        ["2026-05-20", "AG100"],
    ]


def test_a_name_two_agents_share_is_never_guessed(demo_engine):
    roster_store.save(
        demo_engine, admin(demo_engine),
        lambda r: roster.add_agent(r, "AG101", "Sama Nama", "merapi", dt.date(2026, 3, 1)),
        "agen baru",
    )  # fmt: skip
    roster_store.save(
        demo_engine, admin(demo_engine),
        lambda r: roster.add_agent(r, "AG102", "Sama  nama", "bromo", dt.date(2026, 3, 1)),
        "agen baru",
    )  # fmt: skip
    csv = b"Agent Name,Date,ACD Calls\nSama Nama,2026-03-10,7\n"
    plan = imports.plan_import(demo_engine, csv, ingest.AGENT, "nama.csv")
    assert plan.rows.empty and plan.skipped_rows == 1
    assert "nama 'Sama Nama' dipakai 2 agen (AG101, AG102); tidak ditebak" in str(plan.warnings)


def test_unknown_log_ins_added_from_the_preview_make_the_rows_match(demo_engine):
    csv = b"Agent Name,Login ID,Date,ACD Calls\nBudi Baru,61234,2026-03-10,7\n"
    plan = imports.plan_import(demo_engine, csv, ingest.AGENT, "baru.csv")
    assert plan.rows.empty
    unknown = plan.unknown_logins
    roster_store.save(
        demo_engine, admin(demo_engine),
        lambda r: roster.add_for_logins(r, unknown, "lawu"), "dari pratinjau",
    )  # fmt: skip
    again = imports.plan_import(demo_engine, csv, ingest.AGENT, "baru.csv")
    assert again.unknown_logins.empty and again.rows["agent_id"].tolist() == ["61234"]
    added = roster_store.read(demo_engine)
    assert added.agent("61234")["name"] == "Budi Baru"
    assert added.current_team("61234") == "lawu"


# --- contradictions are refused whole ----------------------------------------------------------


def test_a_move_dated_before_the_agent_joined_is_refused_and_nothing_saved(demo_engine):
    before = versions(demo_engine)
    with pytest.raises(RosterError, match="pindah tanggal 01-01-2026 harus sesudah awal"):
        roster_store.save(
            demo_engine, admin(demo_engine),
            lambda r: roster.move(r, "AG001", "rinjani", dt.date(2026, 1, 1)), "pindah",
        )  # fmt: skip
    assert versions(demo_engine) == before
    assert roster_store.read(demo_engine).current_team("AG001") == "merapi"


def test_overlapping_log_ins_in_a_roster_file_name_the_row_and_save_nothing(demo_engine):
    content = (
        b"id_agen,nama,id_tim,mulai,login_avaya\n"
        b"AG200,Satu,merapi,2026-03-01,70000\n"
        b"AG201,Dua,merapi,2026-03-15,70000\n"
    )
    parsed = read_roster_file(content, "roster.csv")
    plan = roster_store.plan_file(demo_engine, parsed)
    assert not plan.can_commit
    assert plan.problems == (
        "baris 3: Login ID Avaya 70000 dipakai dua kali pada waktu yang sama: agen AG200 sejak "
        "01-03-2026 dan agen AG201 sejak 15-03-2026",
    )
    with pytest.raises(RosterError):
        roster_store.import_file(demo_engine, parsed, admin(demo_engine))
    with demo_engine.connect() as conn:
        assert conn.execute(sa.select(agent).where(agent.c.agent_id == "AG200")).first() is None


def test_unknown_teams_and_leaders_who_are_not_staff_are_named_by_row(demo_engine):
    content = b"id_tim,nama_tim,team_leader\nsindoro,Tim Sindoro,ag002\n"
    teams = roster_store.plan_file(demo_engine, read_roster_file(content, "tim.csv"))
    assert teams.problems == ("baris 2: team_leader ag002 bukan staf Team Leader (perannya Agen)",)
    content = b"id_agen,nama,id_tim,mulai\nAG300,Tiga,sumbing,2026-03-01\n"
    agents = roster_store.plan_file(demo_engine, read_roster_file(content, "agen.csv"))
    assert agents.problems == ("baris 2: tim tidak dikenal: sumbing",)


def test_impossible_dates_and_missing_cells_are_findings_with_row_and_column():
    content = b"id_agen,nama,id_tim,mulai,selesai\nAG1,Satu,merapi,2026-02-30,\n,Dua,merapi,,\n"
    parsed = read_roster_file(content, "agen.csv")
    assert [(f.row, f.column, f.code) for f in parsed.errors] == [
        (2, "mulai", "impossible_date"),
        (3, "id_agen", "required_blank"),
        (3, "mulai", "required_blank"),
    ]


def test_only_a_role_of_the_organisation_page_changes_the_roster(demo_engine):
    agent_user = users.user(demo_engine, ROLE_USERS["agent"])
    rename = lambda r: roster.rename_team(r, "lawu", "X")  # noqa: E731
    with pytest.raises(PermissionDenied):
        roster_store.save(demo_engine, agent_user, rename, "x")
    assert roster_store.read(demo_engine).teams.set_index("team_id").loc["lawu", "name"] == (
        "Tim Lawu"
    )


# --- versions and the template's round trip ---------------------------------------------------


def test_every_change_is_a_new_chained_version(demo_engine):
    move_ag001(demo_engine)
    history = roster_store.history(demo_engine, "agen", "AG001")
    assert history["version"].tolist() == [1, 2]
    assert history["reason"].tolist() == ["data demo", "pindah"]
    moved = history["snapshot"].iloc[-1]["memberships"]
    assert [m["team_id"] for m in moved] == ["merapi", "rinjani"]
    assert moved[0]["valid_to"] == "2026-03-31"
    assert all(v.intact for v in chain.verify(demo_engine))
    with demo_engine.begin() as conn:  # a version rewritten behind the application's back
        conn.execute(roster_change.update().where(roster_change.c.id == 1).values(reason="x"))
    verdict = {v.table: v for v in chain.verify(demo_engine)}["roster_change"]
    assert verdict.broken_at == 1


def test_the_roster_template_round_trips(demo_engine):
    def reshape(r: Roster) -> Roster:
        r = roster.move(r, "AG001", "rinjani", MOVED_ON)
        r = roster.set_login(r, "AG002", "avaya", "59002", dt.date(2026, 4, 10))
        return roster.leave(r, "AG003", dt.date(2026, 5, 20))

    roster_store.save(demo_engine, admin(demo_engine), reshape, "perubahan")
    stored = roster_store.read(demo_engine)
    parsed = read_roster_file(roster_store.export_file(demo_engine), "roster.xlsx")
    assert not parsed.findings
    plan = roster_store.plan_file(demo_engine, parsed)
    assert plan.can_commit and not plan.new_agents and not plan.changed_agents
    for part in roster.COLUMNS:
        key = list(roster.COLUMNS[part])
        mine = getattr(stored, part).sort_values(key).reset_index(drop=True)
        theirs = getattr(parsed.roster, part)[key].sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, theirs, check_dtype=False)
    assert roster_store.import_file(demo_engine, parsed, admin(demo_engine)).agents == ()


# --- what a review found ----------------------------------------------------------------------


def test_team_leaders_moved_by_a_roster_file_are_counted_and_versioned(demo_engine):
    content = b"id_tim,nama_tim,team_leader\nlawu,Tim Lawu Baru,tl.merapi\n"
    parsed = read_roster_file(content, "tim.csv")
    plan = roster_store.plan_file(demo_engine, parsed)
    assert str(plan) == "1 tim berganti nama, 1 team leader berpindah tim"
    saved = roster_store.import_file(demo_engine, parsed, admin(demo_engine))
    assert saved.teams == ("lawu", "merapi")  # the team joined and the team left
    assert users.user(demo_engine, "tl.merapi").team_id == "lawu"
    lawu = roster_store.history(demo_engine, "tim", "lawu")["snapshot"].iloc[-1]
    assert lawu == {"team_id": "lawu", "name": "Tim Lawu Baru", "leaders": ["tl.lawu", "tl.merapi"]}
    assert roster_store.history(demo_engine, "tim", "merapi")["snapshot"].iloc[-1]["leaders"] == []


def test_a_team_leader_named_for_two_teams_is_refused(demo_engine):
    content = b"id_tim,nama_tim,team_leader\nlawu,Tim Lawu,tl.merapi\nbromo,Tim Bromo,tl.merapi\n"
    plan = roster_store.plan_file(demo_engine, read_roster_file(content, "tim.csv"))
    assert plan.problems == ("baris 3: team_leader tl.merapi disebut untuk dua tim",)


def test_a_log_in_known_on_other_dates_is_not_offered_as_a_new_agent(demo_engine):
    csv = b"Login ID,Date,ACD Calls\n50001,2026-02-20,7\n61000,2026-02-20,3\n"
    plan = imports.plan_import(demo_engine, csv, ingest.AGENT, "awal.csv")  # before 2 March
    assert plan.unknown_logins["login_id"].tolist() == ["61000"]
    assert "Login ID Avaya 50001 tidak dikenal pada 20-02-2026; dipakai agen AG001 pada " \
        "tanggal lain; 1 baris dilewati" in str(plan.warnings)  # fmt: skip


def test_values_the_store_cannot_hold_are_problems_naming_the_row(demo_engine):
    content = (
        b"id_agen,nama,id_tim,mulai,tier,saluran_utama\n"
        b"AG400,Empat,merapi,2026-03-01,Tier A,faks\n"
        + b"AG401,"
        + b"x" * 121
        + b",merapi,2026-03-01,,\n"
    )
    plan = roster_store.plan_file(demo_engine, read_roster_file(content, "agen.csv"))
    assert plan.problems == (
        "baris 3: nama lebih dari 120 karakter: '" + "x" * 121 + "'",
        "baris 2: agen AG400: tier 'Tier A' tidak dikenal (pilih A, B, C)",
        "baris 2: agen AG400: saluran utama 'faks' tidak dikenal (pilih telepon, chat, email, "
        "twitter)",
    )


def test_a_field_blanked_in_the_latest_row_is_cleared(demo_engine):
    move_ag001(demo_engine)
    periods = roster_store.export_file(demo_engine)
    parsed = read_roster_file(periods, "roster.xlsx")
    agents = parsed.roster.agents
    assert agents.set_index("agent_id").loc["AG001", "air_name"] == "Intan"
    rows = b"id_agen,nama,nama_udara,id_tim,mulai,selesai,login_avaya,id_chat,id_email,id_twitter\n"
    rows += b"AG001,Intan Setiawan,Intan,merapi,2026-03-02,2026-03-31,50001,AG001,AG001,AG001\n"
    rows += b"AG001,Intan Setiawan,,rinjani,2026-04-01,,50001,AG001,AG001,AG001\n"
    plan = roster_store.plan_file(demo_engine, read_roster_file(rows, "agen.csv"))
    assert plan.changed_agents == ("AG001",)
    roster_store.import_file(demo_engine, read_roster_file(rows, "agen.csv"), admin(demo_engine))
    assert pd.isna(roster_store.read(demo_engine).agent("AG001")["air_name"])


def test_a_database_from_before_the_roster_gets_first_versions(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'lama.sqlite'}")
    with engine.begin() as conn:  # a database as revision 0007 left it: agents, no memberships
        command.upgrade(db._alembic_config(conn), "0007")
        for statement in (
            "INSERT INTO team (team_id, name) VALUES ('merapi', 'Tim Merapi')",
            "INSERT INTO agent (agent_id, name, air_name, team_id, tier, primary_channel) "
            "VALUES ('AG001', 'Intan Setiawan', 'Intan', 'merapi', 'A', 'telepon')",
            "INSERT INTO app_user (username, name, role, team_id) "
            "VALUES ('tl.merapi', 'TL Merapi', 'team_leader', 'merapi')",
            "INSERT INTO agent_activity (date, agent_id, channel, acd_calls, source) "
            "VALUES ('2026-03-02', 'AG001', 'telepon', 5, 'cms.csv')",
        ):
            conn.exec_driver_sql(statement)
    db.upgrade(engine)
    stored = roster_store.read(engine)
    assert stored.memberships["valid_from"].tolist() == [pd.Timestamp("2026-03-02")]
    agent_history = roster_store.history(engine, "agen", "AG001")
    assert agent_history["version"].tolist() == [1]
    assert agent_history["snapshot"].iloc[0] == stored.snapshot("AG001")
    team_history = roster_store.history(engine, "tim", "merapi")
    assert team_history["snapshot"].iloc[0]["leaders"] == ["tl.merapi"]
    assert all(v.intact for v in chain.verify(engine))


def test_the_data_page_counts_each_day_of_work_for_the_team_of_that_day(demo_engine):
    from kringlib.ui.data_page import DataPageModel

    move_ag001(demo_engine)
    seen = {
        leader: DataPageModel(demo_engine, Session(demo_engine, f"tl.{leader}")).overview
        for leader in ("merapi", "rinjani", "semeru", "bromo", "kerinci", "lawu")
    }
    assert {o.teams for o in seen.values()} == {1}
    assert (seen["merapi"].agents, seen["rinjani"].agents) == (10, 11)
    for table in ("agent_activity", "assessment", "interaction"):
        whole = activity.overview(demo_engine).row_counts[table]
        assert sum(o.row_counts[table] for o in seen.values()) == whole  # each row once


def test_days_of_any_time_unit_are_compared_as_days():
    """A change may set days as Timestamps, which pandas keeps in microseconds."""
    micro = "datetime64[us]"
    memberships = pd.DataFrame({
        "agent_id": ["AG001"], "team_id": ["merapi"],
        "valid_from": pd.Series([pd.Timestamp("2025-01-01")], dtype=micro),
        "valid_to": pd.Series([pd.NaT], dtype=micro),
    })  # fmt: skip
    work = pd.DataFrame({"agent_id": ["AG001", "AG001"],
                         "date": pd.to_datetime(["2024-12-31", "2025-06-01"])})  # fmt: skip
    assert roster.team_on(work, memberships).tolist()[1] == "merapi"
    assert pd.isna(roster.team_on(work, memberships).tolist()[0])
