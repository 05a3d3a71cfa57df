"""Izin Tidak Online in the database (ND-12/LIP.2/2019): an agent files by the deadline, the
Team Leader decides, SIKKA proposes, an SPV enters an outage; refusals change nothing, and
the trail is chained."""

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa
from page_support import MONDAY, set_clock

from kringlib import adherence, adjustments
from kringlib.access import AlreadyDecided, PermissionDenied, visible
from kringlib.store import adjustments as store
from kringlib.store import chain, users
from kringlib.store.models import ats_adjustment, ats_adjustment_audit

ON_BOTH_ENGINES = True

FRIDAY = dt.datetime(2026, 11, 27)


def who(engine, username):
    return users.user(engine, username)


def late_friday(agent_id="AG001", evidence="SIKKA: terlambat 25 menit"):
    return adjustments.Request(agent_id, "terlambat", FRIDAY.replace(hour=8),
                               FRIDAY.replace(hour=8, minute=25), evidence)  # fmt: skip


@pytest.fixture
def monday(demo_engine, monkeypatch):
    """The server's clock on Monday 30 November 2026, 09:30 WIB."""
    set_clock(monkeypatch, MONDAY)
    return demo_engine


def test_filed_approved_and_excused(monday):
    # "Penyesuaian dilakukan dengan mengisi surat Izin Tidak Online pada aplikasi SIKLIP"
    adjustment_id = store.file(monday, who(monday, "ag001"), late_friday())
    assert store.approved(monday, "2026-11-27", "2026-11-27").empty  # filed: excuses nothing
    assert store.decide(monday, who(monday, "tl.merapi"), adjustment_id, True) == "disetujui"
    excused = store.approved(monday, "2026-11-27", "2026-11-27")
    assert excused.to_dict("records") == [{
        "agent_id": "AG001", "reason": "terlambat",
        "start": pd.Timestamp("2026-11-27 08:00"), "end": pd.Timestamp("2026-11-27 08:25"),
    }]  # fmt: skip
    trail = store.audit_trail(monday, adjustment_id)
    assert list(trail["to_state"]) == ["diajukan", "disetujui"]
    assert list(trail["actor"]) == ["ag001", "tl.merapi"]
    assert all(verdict.intact for verdict in chain.verify(monday))


def test_filing_after_the_deadline_is_refused_with_it(monday):
    # "dalam waktu paling lambat 3 hari setelah keadaan tidak online terjadi": Tuesday 24
    # November plus 3 working days is Friday 27 November; on Monday 30 it is too late.
    old = adjustments.Request("AG001", "absen", dt.datetime(2026, 11, 24, 8),
                              dt.datetime(2026, 11, 24, 16), "SIKKA: sakit")  # fmt: skip
    with pytest.raises(adherence.LateFiling, match="27-11-2026"):
        store.file(monday, who(monday, "ag001"), old)
    assert _rows(monday) == 0


@pytest.mark.parametrize(
    ("username", "request_", "refusal"),
    [
        ("ag002", late_friday(), PermissionDenied),  # someone else's period
        ("tl.merapi", late_friday(), PermissionDenied),  # filed by the agent, not the TL
        ("ag001", late_friday(evidence="  "), ValueError),  # no evidence
    ],
)
def test_refused_filings_write_nothing(monday, username, request_, refusal):
    with pytest.raises(refusal):
        store.file(monday, who(monday, username), request_)
    assert _rows(monday) == 0


def test_only_the_agents_team_leader_decides_and_only_once(monday):
    adjustment_id = store.file(monday, who(monday, "ag001"), late_friday())
    for username in ("tl.rinjani", "spv.pkl", "ag002"):
        with pytest.raises(PermissionDenied):
            store.decide(monday, who(monday, username), adjustment_id, True)
    with pytest.raises(ValueError, match="alasan"):
        store.decide(monday, who(monday, "tl.merapi"), adjustment_id, False)
    store.decide(monday, who(monday, "tl.merapi"), adjustment_id, False, "tidak ada di SIKKA")
    with pytest.raises(AlreadyDecided, match="Ditolak"):
        store.decide(monday, who(monday, "tl.merapi"), adjustment_id, True)
    assert store.approved(monday).empty


def test_an_outage_excuses_every_agent_at_once(monday):
    # "Gangguan sistem" (ND-12/LIP.2/2019), entered once by the SPV for a period
    start, end = dt.datetime(2026, 11, 27, 10), dt.datetime(2026, 11, 27, 11, 30)
    with pytest.raises(PermissionDenied):
        store.record_outage(monday, who(monday, "tl.merapi"), start, end, "Avaya mati")
    ids = store.record_outage(monday, who(monday, "spv.pkl"), start, end, "Avaya mati, tiket 42")
    excused = store.approved(monday, "2026-11-27", "2026-11-27")
    assert len(ids) == len(excused) == 60
    assert set(excused["reason"]) == {"gangguan_sistem"}
    spv = who(monday, "spv.pkl")
    assert len(store.record_outage(monday, spv, start, end, "VPN", ["AG001", "AG002"])) == 2
    assert len(store.record_outage(monday, spv, start, end, "LAN", teams=["merapi"])) == 10


def test_sikka_proposals_wait_for_the_team_leader_and_are_not_filed_twice(monday):
    proposals = pd.DataFrame({
        "agent_id": ["AG001"], "reason": ["terlambat"],
        "start": [pd.Timestamp("2026-11-27 08:00")], "end": [pd.Timestamp("2026-11-27 08:17")],
        "evidence": ["SIKKA presensi.csv baris 2: masuk 08:17"],
    })  # fmt: skip
    with monday.begin() as conn:
        assert store.propose(conn, proposals, "spv.pkl") == 1
    with monday.begin() as conn:
        assert store.propose(conn, proposals, "spv.pkl") == 0
    frame = store.adjustments_frame(monday)
    assert list(frame[["origin", "state", "team"]].itertuples(index=False, name=None)) == [
        ("sikka", "diajukan", "Tim Merapi")
    ]
    assert store.approved(monday).empty


def test_a_team_leader_sees_only_their_teams_adjustments(monday):
    store.file(monday, who(monday, "ag001"), late_friday())
    merapi = users.user(monday, "tl.merapi")
    rinjani = users.user(monday, "tl.rinjani")
    assert len(store.adjustments_frame(monday, visible(merapi, "izin"))) == 1
    assert store.adjustments_frame(monday, visible(rinjani, "izin")).empty


def test_the_trail_cannot_be_rewritten(monday):
    adjustment_id = store.file(monday, who(monday, "ag001"), late_friday())
    with pytest.raises(sa.exc.DBAPIError), monday.begin() as conn:
        conn.execute(ats_adjustment_audit.update().values(reason="diubah"))
    with monday.begin() as conn:  # a state set behind the application's back
        conn.execute(ats_adjustment.update().values(state="disetujui"))
    broken = {v.table: v.broken_at for v in chain.verify(monday)}
    assert broken["ats_adjustment"] == adjustment_id


def _rows(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(ats_adjustment)).scalar_one()
