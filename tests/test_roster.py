"""The organisation over time: date-valid teams in KPIs, scorecards and appeals, imports
matched by log-in id then name, a roster that refuses contradictions whole, and the
roster template's round trip."""

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa
from page_support import ROLE_USERS

from kringlib import ingest, kpi, roster
from kringlib.access import PermissionDenied
from kringlib.ingest.roster_file import read_roster_file
from kringlib.roster import Roster, RosterError
from kringlib.store import activity, assessments, chain, imports, users
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
        r = roster.leave(r, "AG001", dt.date(2026, 3, 15))
        return roster.add_agent(r, "AG100", "Agen Baru", "merapi", dt.date(2026, 3, 16),
                                logins={"avaya": "50001"})  # fmt: skip

    roster_store.save(demo_engine, admin(demo_engine), hand_over, "login dipakai ulang")
    csv = b"Login ID,Date,ACD Calls\n50001,2026-03-10,7\n50001,2026-03-20,9\n"
    plan = imports.plan_import(demo_engine, csv, ingest.AGENT, "ulang.csv")
    assert plan.rows[["date", "agent_id"]].astype(str).values.tolist() == [
        ["2026-03-10", "AG001"],
        ["2026-03-20", "AG100"],
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
    assert [str(f) for f in parsed.errors] == [
        "Galat: agen.csv, baris 2, kolom mulai: tanggal mustahil: '2026-02-30'",
        "Galat: agen.csv, baris 3, kolom id_agen: wajib diisi",
        "Galat: agen.csv, baris 3, kolom mulai: wajib diisi",
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
        return roster.leave(r, "AG003", dt.date(2026, 4, 20))

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
