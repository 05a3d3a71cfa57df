"""Avaya CMS reports exactly as CMS writes them (issue: durations past 59 minutes, ``-``
for what does not apply, 12-hour interval times, a split report without calls offered,
the VDN report, the agent login/logout report), read and imported."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from page_support import ROLE_USERS

from kringlib import ingest, kpi
from kringlib.ingest import layouts, values
from kringlib.store import activity, imports, users
from kringlib.ui.identity import Session
from kringlib.ui.import_panel.model import KINDS, ImportPanelModel
from kringlib.ui.kpi_team import KpiTeamModel, KpiTeamView

ON_BOTH_ENGINES = True  # the store runs on SQLite and on PostgreSQL
EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def fixture(name: str) -> bytes:
    content = (EXPORTS / name).read_bytes()
    assert b"\r\n" in content  # CMS writes CRLF line ends
    return content


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        ("120:00", 7200),  # mm:ss with minutes past 59: two hours
        ("480:00", 28800),  # a staffed day
        (":40", 40),  # seconds alone, with a leading colon
        ("3:20", 200),
        ("1:02:03", 3723),  # h:mm:ss in other reports
        ("0:00:40", 40),
    ],
)
def test_every_duration_form_cms_writes(written, seconds):
    assert values.parse_duration(written, ".") == seconds


@pytest.mark.parametrize("written", ["1:60:00", "10:61", "abc"])
def test_impossible_durations_are_refused(written):
    with pytest.raises(ValueError):
        values.parse_duration(written, ".")


@pytest.mark.parametrize(
    ("written", "minutes"),
    [("8:00AM", 480), ("8:30 AM", 510), ("12:00 AM", 0), ("12:30 AM", 30), ("12:00 PM", 720),
     ("1:00 PM", 780), ("08:00-08:30", 480), ("14.00", 840)],
)  # fmt: skip
def test_interval_times_with_midnight_and_noon(written, minutes):
    assert values.parse_interval_start(written) == minutes


def test_an_hour_outside_the_12_hour_clock_is_refused():
    with pytest.raises(ValueError, match="AM/PM"):
        values.parse_interval_start("13:00 PM")


def test_a_dash_is_missing_never_zero_and_averages_over_nothing_stay_missing():
    parsed = ingest.parse_export(fixture("cms_agent_interval.csv"), ingest.AGENT)
    assert parsed.findings == []
    ayu = parsed.frame.set_index("login_id").loc["50002"]
    # Ayu's midnight interval: "-" for ACD and ACW time, 480:00 staffed, 120:00 AUX
    assert ayu["acd_time"] == 900 and ayu["staffed_time"] == 1800 + 28800
    assert ayu["aux_time"] == 7200
    dashes = pd.DataFrame({"date": [pd.Timestamp("2026-11-05")], "acd_calls": [0.0],
                           "acd_time": [values.parse_duration("-", ".")], "acw_time": [0.0],
                           "hold_time": [0.0], "ring_time": [0.0]})  # fmt: skip
    assert pd.isna(kpi.productivity(dashes).iloc[0]["AHT"])


def test_interval_rows_take_their_day_from_the_date_line_and_sum_to_days():
    frame = ingest.read_avaya_agent_report(EXPORTS / "cms_agent_interval.csv")
    assert frame["date"].dt.strftime("%Y-%m-%d").unique().tolist() == ["2026-11-05"]
    adi = frame.set_index("login_id").loc["50001"]
    assert adi["acd_calls"] == 6 and adi["acd_time"] == 1200 and adi["acw_time"] == 180 + 40


def test_a_split_report_without_calls_offered_derives_them_and_says_how():
    frame = ingest.read_avaya_split_report(EXPORTS / "cms_split_no_offered.csv")
    row = frame.iloc[0]
    # ACD 110 + 138, abandoned 8 + 10, flowed out 3 + 2, dequeued 1 + 0
    assert (row["hour"], row["answered"], row["abandoned"], row["offered"]) == (8, 248, 18, 272)
    assert row["offered_basis"] == "ACD Calls + Aband Calls + Flow Out + Dequeued Calls"


def test_the_vdn_report_gives_incoming_calls_per_service(monkeypatch):
    frame = ingest.read_avaya_vdn_report(EXPORTS / "cms_vdn.csv")
    assert frame[["hour", "channel", "offered"]].values.tolist() == [
        [8, "telepon", 142],  # every VDN counts for the default service
        [12, "telepon", 90],
    ]
    settings = layouts.export_rules()
    services = settings.vdn_services.model_copy(update={"vdns": {"9999": None}})
    monkeypatch.setattr(layouts, "export_rules", lambda: settings.model_copy(
        update={"vdn_services": services}))  # fmt: skip
    parsed = ingest.parse_export(fixture("cms_vdn.csv"), ingest.VDN, "vdn.csv")
    assert parsed.frame["offered"].tolist() == [135, 90]
    assert [(f.level, f.row, f.column, f.code) for f in parsed.findings] == [
        ("peringatan", 5, "VDN", "vdn_not_a_service")
    ]


def test_the_login_report_reads_log_in_periods_across_midnight_and_still_open():
    frame = ingest.read_avaya_login_report(EXPORTS / "cms_login_logout.csv")
    moments = frame[["login_at", "logout_at"]].apply(lambda c: c.dt.strftime("%d-%m %H:%M"))
    periods = frame[["login_id"]].join(moments).fillna("masih").values.tolist()
    assert periods == [
        ["50001", "05-11 07:58", "05-11 12:01"],
        ["50001", "05-11 12:58", "05-11 16:30"],
        ["50002", "05-11 23:50", "06-11 00:20"],
        ["59999", "05-11 08:05", "masih"],
    ]
    assert frame["extension"].tolist() == ["4101", "4101", "4102", "4199"]


def test_a_logout_before_its_login_is_an_error_naming_the_row():
    content = (
        b"Dept,Agent,Extn,LoginTime,LoginDate,LogoutTime,LogoutDate\r\n"
        b"1,50001,4101,9:00 AM,05/11/2026,8:00 AM,05/11/2026\r\n"
    )
    parsed = ingest.parse_export(content, ingest.LOGIN, "login.csv")
    assert [(f.row, f.column, f.code) for f in parsed.errors] == [
        (2, "LogoutTime", "logout_before_login")
    ]


def spv(engine):
    return users.user(engine, ROLE_USERS["spv"])


def test_imported_queue_rows_keep_where_calls_offered_came_from(demo_engine):
    for name, kind in (("cms_split_no_offered.csv", ingest.SPLIT), ("cms_vdn.csv", ingest.VDN)):
        plan = imports.plan_import(demo_engine, fixture(name), kind, name)
        assert plan.can_commit
        imports.commit_import(demo_engine, plan, spv(demo_engine))
        queue = activity.read_queue(demo_engine, "2026-11-05", "2026-11-05").set_index("hour")
        if kind == ingest.SPLIT:
            assert queue.loc[8, "offered"] == 272 and queue.loc[8, "answered"] == 248
            assert queue.loc[8, "offered_basis"].startswith("ACD Calls + Aband Calls")
    # the VDN report, imported after, gives the public's incoming calls; answered stays
    assert queue.loc[8, "offered"] == 142 and queue.loc[8, "answered"] == 248
    assert queue.loc[8, "offered_basis"] == "Inbound Calls (laporan VDN)"


def test_imported_log_in_periods_find_their_agents_through_the_roster(demo_engine):
    plan = imports.plan_import(demo_engine, fixture("cms_login_logout.csv"), ingest.LOGIN,
                               "login.csv")  # fmt: skip
    assert plan.can_commit and plan.unknown_logins["login_id"].tolist() == ["59999"]
    imports.commit_import(demo_engine, plan, spv(demo_engine))
    again = imports.plan_import(demo_engine, fixture("cms_login_logout.csv"), ingest.LOGIN,
                                "login.csv")  # fmt: skip
    assert again.replaced_rows == 3
    imports.commit_import(demo_engine, again, spv(demo_engine))
    sessions = activity.read_sessions(demo_engine, "2026-11-05", "2026-11-05")
    assert sessions["agent_id"].tolist() == ["AG001", "AG001", "AG002"]
    assert sessions["extension"].tolist() == ["4101", "4101", "4102"]


def test_kpi_tim_says_which_formula_gave_the_pai_telepon_denominator(demo_engine):
    assert {ingest.VDN, ingest.LOGIN} <= set(KINDS)  # the import panel offers the new kinds
    name = "cms_split_no_offered.csv"
    plan = imports.plan_import(demo_engine, fixture(name), ingest.SPLIT, name)
    imports.commit_import(demo_engine, plan, spv(demo_engine))
    session = Session(demo_engine, ROLE_USERS["spv"])
    model = KpiTeamModel(demo_engine, session, today=dt.date(2026, 11, 6))
    model.start = model.end = dt.date(2026, 11, 5)
    model.reload()
    view = KpiTeamView(model, ImportPanelModel(demo_engine, session)).render()
    assert (
        "Penyebut PAI telepon (panggilan masuk antrean) dari: ACD Calls + Aband Calls + Flow Out"
        " + Dequeued Calls (1 baris)" in view._sources.value
    )
