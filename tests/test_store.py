"""The database: migrations match the models, loads are atomic, re-imports do not double count."""

import dataclasses

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from kringlib.store import activity, db, seed
from kringlib.store.models import agent_activity, metadata

ON_BOTH_ENGINES = True  # the store runs on SQLite and on PostgreSQL


def test_migrations_build_exactly_the_models(engine):
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []
    assert db.current_revision(engine) == db.head_revision()


def test_upgrade_twice_changes_nothing(engine):
    db.upgrade(engine)
    assert db.current_revision(engine) == db.head_revision()


def test_an_empty_database_is_reported_out_of_date(tmp_path):
    fresh = db.make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    with pytest.raises(db.SchemaOutOfDate, match="kring db upgrade"):
        db.require_current_schema(fresh)


def test_demo_load_and_overview(demo_engine, small_demo):
    overview = activity.overview(demo_engine)
    assert (overview.teams, overview.agents) == (6, 60)
    assert overview.row_counts["agent_activity"] == len(small_demo.activity)
    assert overview.first_day == small_demo.activity["date"].min()
    assert overview.last_day == small_demo.activity["date"].max()
    total = overview.daily_by_channel["interactions"].sum()
    assert total == small_demo.activity["interactions_total"].sum()


def test_demo_refuses_to_mix_with_existing_data(demo_engine, small_demo):
    with pytest.raises(seed.DatabaseNotEmpty):
        seed.load_demo(demo_engine, small_demo)
    seed.load_demo(demo_engine, small_demo, replace=True)
    assert activity.overview(demo_engine).row_counts["agent_activity"] == len(small_demo.activity)


def test_writing_the_same_rows_twice_does_not_double_count(demo_engine, small_demo):
    first_day = small_demo.activity[
        small_demo.activity["date"] == small_demo.activity["date"].min()
    ]
    changed = first_day.assign(acd_calls=first_day["acd_calls"] + 1)
    with demo_engine.begin() as conn:
        activity.write_activity(conn, changed, source="uji.csv")
        activity.write_activity(conn, changed, source="uji.csv")
    with demo_engine.connect() as conn:
        stored = pd.read_sql_query(sa.select(agent_activity), conn)
    assert len(stored) == len(small_demo.activity)
    assert (
        stored["acd_calls"].sum()
        == small_demo.activity["acd_calls"].sum() + first_day["acd_calls"].notna().sum()
    )


def test_a_failed_load_leaves_nothing_behind(engine, small_demo):
    broken = small_demo.activity.copy()
    broken.loc[broken.index[-1], "agent_id"] = "TIDAK-ADA"  # violates the agent foreign key
    bad = dataclasses.replace(small_demo, activity=broken)
    with pytest.raises(sa.exc.IntegrityError):
        seed.load_demo(engine, bad)
    assert not activity.has_activity(engine)
    assert activity.overview(engine).row_counts["agent"] == 0


def test_unreachable_database_gives_one_clear_error(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    with pytest.raises(db.DatabaseUnavailable) as error:
        engine = db.make_engine(f"sqlite:///{blocked / 'sub' / 'kring.sqlite'}")
        db.check_connection(engine)
    assert "kring.sqlite" in str(error.value)


def test_malformed_url_is_reported_without_secrets():
    with pytest.raises(db.DatabaseUnavailable) as error:
        db.make_engine("nosuchdriver://user:rahasia@host/db")
    assert "rahasia" not in str(error.value)
    assert db.safe_url("postgresql://user:rahasia@host/db") == "postgresql://user:***@host/db"


def test_read_activity_returns_the_canonical_frame(demo_engine, small_demo):
    april = activity.read_activity(demo_engine, start="2026-04-01", end="2026-04-30")
    expected = small_demo.activity[small_demo.activity["date"] >= "2026-04-01"]
    assert len(april) == len(expected)
    assert april["date"].dtype == "datetime64[ns]"
    assert {"agent_name", "team"} <= set(april.columns)
    assert april["team"].str.startswith("Tim ").all()
    assert april["acd_calls"].sum() == expected["acd_calls"].sum()


def test_read_activity_holds_each_label_once(demo_engine):
    # The driver makes a string per row: kept so, grouping by agent chases scattered objects.
    frame = activity.read_activity(demo_engine)
    for column in activity.ACTIVITY_LABELS:
        assert len({id(value) for value in frame[column]}) == frame[column].nunique(), column
    assert frame["agent_id"].dtype == "str"


def test_blank_figures_leave_stored_values_alone(demo_engine, small_demo):
    phone = small_demo.activity[small_demo.activity["channel"] == "telepon"].head(2)
    talk_only = phone[["date", "agent_id", "channel"]].assign(talk_time=[100.0, float("nan")])
    with demo_engine.begin() as conn:
        activity.write_activity(conn, talk_only, source="rekaman.csv")
    stored = activity.read_activity(demo_engine, start=phone["date"].min(), end=phone["date"].max())
    stored = stored.set_index(["agent_id", "channel"]).loc[
        list(zip(phone["agent_id"], phone["channel"], strict=True))
    ]
    assert stored["talk_time"].iloc[0] == 100.0
    assert stored["talk_time"].iloc[1] == phone["talk_time"].iloc[1]
    assert stored["acd_calls"].tolist() == phone["acd_calls"].tolist()
