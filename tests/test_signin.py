"""Signing in: workbench accounts and their passwords, the office directory's groups, the
visitor a page is bound to, and demo mode sealed to databases `kring demo` made."""

import asyncio
import concurrent.futures
import datetime as dt
import os
import re

import pytest
from traitlets.config import Config

from kringlib import access
from kringlib.server.accounts import (
    DirectoryRoles,
    WorkbenchAuthenticator,
    directory_account,
    directory_post_auth_hook,
)
from kringlib.store import flags, users
from kringlib.store.models import app_user
from kringlib.ui.identity import DEMO_HEADER, VISITOR_HEADER, Session, bind_visitor, header_env

PASSWORD = "kata-sandi-yang-panjang"


def run(coroutine):
    """Run a coroutine to its end (in a thread: the browser tests keep a loop running here)."""
    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        return worker.submit(asyncio.run, coroutine).result()


@pytest.fixture
def with_password(demo_engine):
    users.set_password(demo_engine, "ag001", PASSWORD)
    return demo_engine


def test_passwords_are_stored_as_argon2_hashes(with_password):
    with with_password.connect() as conn:
        stored = (
            conn.execute(app_user.select().where(app_user.c.username == "ag001"))
            .one()
            .password_hash
        )
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_the_right_password_signs_in_and_a_wrong_one_does_not(with_password):
    assert users.authenticate(with_password, "ag001", PASSWORD).agent_id == "AG001"
    assert users.authenticate(with_password, "ag001", "salah-sekali-1") is None
    assert users.authenticate(with_password, "tidak.ada", PASSWORD) is None


def test_repeated_failures_lock_the_account_for_a_while(with_password):
    start = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)
    for _ in range(users.MAX_FAILED_LOGINS):
        assert users.authenticate(with_password, "ag001", "tebakan-salah", now=start) is None
    # locked: even the right password is refused until the lock-out has passed
    assert users.authenticate(with_password, "ag001", PASSWORD, now=start) is None
    later = start + users.LOCKOUT + dt.timedelta(seconds=1)
    assert users.authenticate(with_password, "ag001", PASSWORD, now=later) is not None


def test_a_disabled_account_cannot_sign_in_or_act(with_password):
    users.set_disabled(with_password, "ag001")
    assert users.authenticate(with_password, "ag001", PASSWORD) is None
    with pytest.raises(access.PermissionDenied, match="nonaktif"):
        users.user(with_password, "ag001")


@pytest.mark.parametrize("username", ["Budi.S", "budi s", "", ".budi"])
def test_usernames_are_what_the_hub_signs_in_as(demo_engine, username):
    """JupyterHub lowercases names at sign-in; an account it could never match is refused."""
    with pytest.raises(ValueError, match="tidak valid"):
        users.add_user(demo_engine, username, "Budi", "spv", "kata-sandi-panjang")


def test_short_passwords_and_unknown_roles_are_refused(demo_engine):
    with pytest.raises(ValueError, match="minimal"):
        users.set_password(demo_engine, "ag001", "pendek")
    with pytest.raises(ValueError, match="Peran tidak dikenal"):
        users.add_user(demo_engine, "baru", "Baru", "direktur", "kata-sandi-panjang")
    with pytest.raises(ValueError, match="ID agen"):
        users.add_user(demo_engine, "baru", "Baru", "agent", "kata-sandi-panjang")


def test_the_hub_authenticator_uses_the_accounts(with_password):
    authenticator = WorkbenchAuthenticator(db_url=str(with_password.url))
    signed = run(authenticator.authenticate(None, {"username": "ag001", "password": PASSWORD}))
    assert signed == {"name": "ag001"}
    wrong = run(authenticator.authenticate(None, {"username": "ag001", "password": "x"}))
    assert wrong is None


# What oauthenticator's generic-oauth (Keycloak) returns with manage_groups on.
KEYCLOAK_AGENT = {
    "name": "ag001",
    "groups": ["kring-agen", "kring-tim-merapi", "pegawai"],
    "auth_state": {"oauth_user": {"name": "Intan Setiawan", "agent_id": "AG001"}},
}
MAPPING = dict(
    group_roles={"kring-agen": "agent", "kring-tl": "team_leader", "kring-spv": "spv"},
    group_teams={"kring-tim-merapi": "merapi"},
    agent_id_claim="agent_id",
)


def test_directory_groups_map_to_a_role_and_team():
    account = directory_account(KEYCLOAK_AGENT, **MAPPING)
    assert account == dict(username="ag001", name="Intan Setiawan", role="agent",
                           team_id="merapi", agent_id="AG001")  # fmt: skip


@pytest.mark.parametrize(
    ("groups", "role"),
    [(["kring-tl", "kring-spv"], "spv"), (["kring-asesor", "kring-spv"], "spv"),
     (["kring-asesor", "kring-agen"], "assessor"), (["kring-admin", "kring-spv"], "admin"),
     (["kring-analis"], "analyst"), (["kring-analis", "kring-agen"], "analyst")],
)  # fmt: skip
def test_of_several_directory_roles_the_most_powerful_wins(groups, role):
    ldap = {"name": "budi", "groups": groups,
            "auth_state": {"user_attributes": {"cn": ["Budi"], "agent_id": ["AG009"]}}}  # fmt: skip
    more = {"kring-asesor": "assessor", "kring-admin": "admin", "kring-analis": "analyst"}
    mapping = dict(MAPPING, group_roles={**MAPPING["group_roles"], **more})
    account = directory_account(ldap, **mapping)
    assert account["role"] == role and account["name"] == "Budi"


@pytest.mark.parametrize(
    "authentication",
    [
        {"name": "tamu", "groups": ["pegawai"]},  # no group gives a workbench role
        {"name": "ag009", "groups": ["kring-agen"], "auth_state": {"oauth_user": {}}},  # no id
        {"name": "tl.baru", "groups": ["kring-tl"]},  # a team leader of no team
    ],
)
def test_directory_sign_ins_without_a_role_are_refused(authentication):
    with pytest.raises(ValueError):
        directory_account(authentication, **MAPPING)


def test_the_directory_hook_keeps_the_accounts_in_step(demo_engine):
    settings = Config({"DirectoryRoles": dict(MAPPING, db_url=str(demo_engine.url))})
    authenticator = WorkbenchAuthenticator(config=settings)
    assert DirectoryRoles(parent=authenticator).group_roles == MAPPING["group_roles"]
    promoted = dict(KEYCLOAK_AGENT, name="ag002", groups=["kring-tl", "kring-tim-merapi"])
    assert run(directory_post_auth_hook(authenticator, None, promoted)) is promoted
    assert users.user(demo_engine, "ag002").role == "team_leader"
    refused = {"name": "tamu", "groups": ["pegawai"]}
    assert run(directory_post_auth_hook(authenticator, None, refused)) is None
    users.set_disabled(demo_engine, "ag002")  # the workbench's own "no" outlasts the directory
    assert run(directory_post_auth_hook(authenticator, None, promoted)) is None
    unknown_agent = dict(KEYCLOAK_AGENT, name="ag099",
                         auth_state={"oauth_user": {"agent_id": "AG999"}})  # fmt: skip
    assert run(directory_post_auth_hook(authenticator, None, unknown_agent)) is None


def _visit(monkeypatch, **headers):
    for header in (VISITOR_HEADER, DEMO_HEADER):
        monkeypatch.delenv(header_env(header), raising=False)
    for header, value in headers.items():
        monkeypatch.setenv(header_env(header), value)


def test_a_preheated_kernel_takes_its_visitor_from_the_request_voila_hands_it(monkeypatch):
    import json
    import threading

    from websockets.sync.server import serve

    from kringlib.ui.identity import wait_for_request

    def voila(socket):  # Voilà's request-info socket, as the page handler fills it
        assert socket.request.path == "/voila/query/k1"
        socket.send(json.dumps({header_env(VISITOR_HEADER): "ag001"}))

    with serve(voila, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        for name, value in {
            "VOILA_PREHEAT": "True",
            "VOILA_KERNEL_ID": "k1",
            "VOILA_APP_PORT": str(server.socket.getsockname()[1]),
        }.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv(header_env(VISITOR_HEADER), raising=False)
        wait_for_request()
        server.shutdown()
    assert os.environ.pop(header_env(VISITOR_HEADER)) == "ag001"


def test_the_request_wait_reads_voilas_own_variables():
    import inspect

    from voila.utils import ENV_VARIABLE

    from kringlib.ui.identity import wait_for_request

    names = set(re.findall(r"VOILA_[A-Z_]+", inspect.getsource(wait_for_request)))
    assert names and names <= {variable.value for variable in ENV_VARIABLE}


def test_a_page_is_bound_to_the_visitor_the_server_names(demo_engine, monkeypatch):
    session = Session(demo_engine)
    assert session.user is None and "Belum masuk" in session.problem
    _visit(monkeypatch, **{VISITOR_HEADER: "tl.merapi"})
    bind_visitor(session)
    assert session.user.role == "team_leader" and not session.demo


def test_an_unknown_visitor_gets_a_sentence_not_a_user(demo_engine, monkeypatch):
    _visit(monkeypatch, **{VISITOR_HEADER: "penyusup"})
    session = Session(demo_engine)
    bind_visitor(session)
    assert session.user is None and "tidak dikenal" in session.problem


def test_demo_mode_signs_in_as_the_spv_on_a_demo_database(demo_engine, monkeypatch):
    _visit(monkeypatch, **{DEMO_HEADER: "1"})
    session = Session(demo_engine)
    bind_visitor(session)
    assert session.demo and session.user.role == "spv"


def test_demo_mode_is_refused_on_a_database_kring_demo_did_not_make(engine, monkeypatch):
    _visit(monkeypatch, **{DEMO_HEADER: "1", VISITOR_HEADER: "admin"})
    session = Session(engine)
    bind_visitor(session)
    assert not session.demo


def test_demo_mode_ends_with_the_first_real_import(demo_engine):
    from kringlib.store.models import import_batch

    assert flags.demo_allowed(demo_engine)
    with demo_engine.begin() as conn:
        conn.execute(import_batch.insert().values(
            kind="agen", file_name="cms.csv", sha256="0" * 64, row_count=1, warning_count=0,
            imported_at=dt.datetime.now(dt.UTC), imported_by="spv.pkl",
        ))  # fmt: skip
    assert not flags.demo_allowed(demo_engine)


def test_data_labelled_demo_does_not_make_a_demo_database(engine, small_demo):
    from kringlib.demo import demo_roster
    from kringlib.roster import Roster
    from kringlib.store import roster
    from kringlib.store.activity import write_activity

    with engine.begin() as conn:  # an import could name its source "demo"; only the flag counts
        roster.write(conn, Roster.empty(), demo_roster(small_demo), "admin", "roster")
        write_activity(conn, small_demo.activity.head(50), "demo")
    assert not flags.demo_allowed(engine)


def test_a_kernel_serves_the_visitor_it_was_handed_to_and_pages_are_counted():
    from kringlib.server.guard import KernelOwners

    owners = KernelOwners()
    assert not owners.owns("k1", "ag001")  # a pool kernel nobody was given yet
    owners.assign("k1", "ag001")
    owners.assign("k2", "ag001")
    assert owners.owns("k1", "ag001") and not owners.owns("k1", "tl.merapi")
    assert not owners.owns("k1", "")
    assert owners.pages_of("ag001", alive={"k1", "k2"}) == 2
    assert owners.pages_of("ag001", alive={"k2"}) == 1  # a closed or culled page frees its place
    assert not owners.owns("k1", "ag001")


def test_jupyterlab_is_for_analysts_and_admins_who_opt_in(demo_engine):
    assert users.may_use_lab(demo_engine, "analis")
    for username in ("ag001", "tl.merapi", "spv.pkl", "asesor.andi", "admin", "nobody"):
        assert not users.may_use_lab(demo_engine, username)
    users.set_lab(demo_engine, "admin")
    assert users.may_use_lab(demo_engine, "admin")
    users.set_lab(demo_engine, "admin", False)
    assert not users.may_use_lab(demo_engine, "admin")
    with pytest.raises(ValueError, match="hanya untuk admin"):
        users.set_lab(demo_engine, "spv.pkl")
    users.set_disabled(demo_engine, "analis")
    assert not users.may_use_lab(demo_engine, "analis")
