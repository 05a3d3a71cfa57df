"""Saved assessments: never edited, every correction a new version, saved only by an
assessor as the database knows them; the sampling queue."""

import datetime as dt

import pytest
import sqlalchemy as sa

from kringlib import quality
from kringlib.access import PermissionDenied, User
from kringlib.store import assessments, users
from kringlib.store.models import interaction
from kringlib.ui.messages import BUSY_ERROR, user_message

ON_BOTH_ENGINES = True  # the store runs on SQLite and on PostgreSQL


@pytest.fixture
def asesor(demo_engine):
    return users.user(demo_engine, "asesor.citra")


def first_unassessed(engine, channel="inbound"):
    with engine.connect() as conn:
        assessed = sa.select(sa.text("interaction_pk FROM assessment"))
        row = conn.execute(
            sa.select(interaction)
            .where(interaction.c.channel == channel, interaction.c.id.not_in(assessed))
            .order_by(interaction.c.id)
            .limit(1)
        ).one()
    return row


def answers(channel="inbound", **changes):
    given = {i.id: "ya" for i in quality.load_rubric().items(channel)}
    given.update({k.replace("__", "."): v for k, v in changes.items()})
    return given


def test_save_scores_and_keeps_everything(demo_engine, asesor):
    target = first_unassessed(demo_engine)
    context = {"poro_required": True, "poro_done": False, "interaction_time": target.started_at}
    pk = assessments.save_assessment(
        demo_engine, asesor, interaction_pk=target.id, answers=answers(), context=context,
        notes="PORO terlewat",
    )  # fmt: skip
    (saved,) = assessments.history(demo_engine, target.id).itertuples()
    assert saved.id == pk and saved.version == 1 and saved.rubric_version == "ND-550/LIP/2019"
    assert saved.total == pytest.approx(quality.score(answers(), "inbound", context).total)
    assert saved.derived["poro.pembuktian"]["rule"] == "poro_tidak_dilakukan"
    assert saved.context["poro_done"] is False and saved.notes == "PORO terlewat"
    assert saved.agent_id == target.agent_id and saved.assessor == "asesor.citra"


def test_a_correction_is_a_new_version_and_history_stays(demo_engine, asesor):
    target = first_unassessed(demo_engine)
    first = assessments.save_assessment(
        demo_engine, asesor, interaction_pk=target.id,
        answers=answers(jawaban__ketepatan="tidak"), context={}, notes="",
    )  # fmt: skip
    second = assessments.save_assessment(
        demo_engine, asesor, interaction_pk=target.id, answers=answers(), context={},
        notes="dikoreksi", supersedes=first, reason="koreksi",
    )  # fmt: skip
    versions = assessments.history(demo_engine, target.id)
    assert versions["version"].tolist() == [1, 2]
    assert versions["total"].tolist() == [pytest.approx(87.5), 100.0]
    assert versions["supersedes_id"].tolist()[1] == first
    current = assessments.current(demo_engine)
    assert current.set_index("interaction_pk").loc[target.id, "id"] == second


def test_assessing_twice_without_superseding_is_refused(demo_engine, asesor):
    target = first_unassessed(demo_engine)
    kwargs = dict(interaction_pk=target.id, answers=answers(), context={}, notes="")
    assessments.save_assessment(demo_engine, asesor, **kwargs)
    with pytest.raises(assessments.AssessmentConflict, match="sudah dinilai"):
        assessments.save_assessment(demo_engine, asesor, **kwargs)


def test_superseding_an_old_version_is_refused(demo_engine, asesor):
    target = first_unassessed(demo_engine)
    kwargs = dict(interaction_pk=target.id, answers=answers(), context={}, notes="")
    first = assessments.save_assessment(demo_engine, asesor, **kwargs)
    assessments.save_assessment(demo_engine, asesor, **kwargs, supersedes=first)
    with pytest.raises(assessments.AssessmentConflict):
        assessments.save_assessment(demo_engine, asesor, **kwargs, supersedes=first)
    assert len(assessments.history(demo_engine, target.id)) == 2


def test_missing_answers_save_nothing(demo_engine, asesor):
    target = first_unassessed(demo_engine)
    incomplete = answers()
    del incomplete["etika.citra"]
    with pytest.raises(ValueError, match="etika.citra"):
        assessments.save_assessment(
            demo_engine, asesor, interaction_pk=target.id, answers=incomplete, context={},
            notes="",
        )  # fmt: skip
    assert assessments.history(demo_engine, target.id).empty


@pytest.mark.parametrize("username", ["ag001", "tl.merapi", "spv.pkl", "admin"])
def test_only_an_assessor_saves_and_a_refusal_writes_nothing(demo_engine, username, caplog):
    target = first_unassessed(demo_engine)
    with pytest.raises(PermissionDenied, match="Penilaian"):
        assessments.save_assessment(
            demo_engine, users.user(demo_engine, username), interaction_pk=target.id,
            answers=answers(), context={}, notes="",
        )  # fmt: skip
    assert assessments.history(demo_engine, target.id).empty
    assert f"ditolak: {username}" in caplog.text


@pytest.mark.parametrize(
    "forged",
    [User("ag001", "assessor"), User("pengguna.palsu", "assessor")],
    ids=["agent-claiming-assessor", "unknown"],
)
def test_the_role_is_read_from_the_database_not_from_the_caller(demo_engine, forged):
    target = first_unassessed(demo_engine)
    with pytest.raises(PermissionDenied):
        assessments.save_assessment(
            demo_engine, forged, interaction_pk=target.id, answers=answers(), context={},
            notes="",
        )  # fmt: skip
    assert assessments.history(demo_engine, target.id).empty


def test_a_new_version_keeps_the_original_rubric_version(demo_engine, asesor):
    target = first_unassessed(demo_engine)
    kwargs = dict(interaction_pk=target.id, answers=answers(), context={}, notes="")
    first = assessments.save_assessment(demo_engine, asesor, **kwargs)
    assessments.save_assessment(demo_engine, asesor, **kwargs, supersedes=first, reason="koreksi")
    assert set(assessments.history(demo_engine, target.id)["rubric_version"]) == {"ND-550/LIP/2019"}


def test_demo_assessments_are_loaded_as_first_versions(demo_engine, small_demo):
    current = assessments.current(demo_engine)
    assert len(current) == len(small_demo.assessments)
    assert set(current["version"]) == {1}
    assert current["total"].between(0, 100).all()


def test_sampling_is_reproducible_and_skips_assessed(demo_engine):
    candidates = assessments.sample_candidates(demo_engine, "2026-04")
    assessed = set(assessments.current(demo_engine)["interaction_pk"])
    assert not set(candidates["id"]) & assessed
    first = assessments.draw_sample(candidates, per_agent=2, seed=11)
    again = assessments.draw_sample(candidates, per_agent=2, seed=11)
    other = assessments.draw_sample(candidates, per_agent=2, seed=12)
    assert first["interaction_id"].tolist() == again["interaction_id"].tolist()
    assert first["interaction_id"].tolist() != other["interaction_id"].tolist()
    assert first.groupby("agent_id").size().max() == 2
    assert first["started_at"].min() >= dt.datetime(2026, 4, 1)


def hold_write_lock(engine):
    """Another writer in the middle of a long transaction; returns its raw connection."""
    holder = engine.raw_connection()
    cursor = holder.cursor()
    if engine.dialect.name == "sqlite":
        cursor.execute("BEGIN IMMEDIATE")
    else:
        cursor.execute("LOCK TABLE assessment IN ACCESS EXCLUSIVE MODE")
    return holder


def test_a_save_that_meets_a_held_lock_gives_up_and_says_so(demo_engine, asesor):
    """Waiting at most db.BUSY_TIMEOUT_S, then "sedang dipakai", and nothing half-saved."""
    target = first_unassessed(demo_engine)
    holder = hold_write_lock(demo_engine)
    try:
        with pytest.raises(sa.exc.OperationalError) as caught:
            assessments.save_assessment(
                demo_engine, asesor, interaction_pk=target.id, answers=answers(), context={},
                notes="",
            )  # fmt: skip
    finally:
        holder.rollback()
        holder.close()
    assert user_message(caught.value) == BUSY_ERROR
    assert assessments.history(demo_engine, target.id).empty


def test_a_new_sqlite_file_is_readable_by_its_owner_only(tmp_path):
    from kringlib.store import db

    db.make_engine(f"sqlite:///{tmp_path / 'baru' / 'kring.sqlite'}").dispose()
    assert (tmp_path / "baru").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "baru" / "kring.sqlite").stat().st_mode & 0o777 == 0o600
