"""JupyterHub sign-in against the workbench's own accounts, and the office directory's groups.

(a) :class:`WorkbenchAuthenticator`: local accounts in ``app_user``, argon2 hashes and
lock-out (:mod:`kringlib.store.users`). (b) A maintained directory authenticator (OpenID
Connect, e.g. oauthenticator's ``generic-oauth`` against Keycloak, or LDAP) signs people
in; :func:`directory_post_auth_hook` maps their directory groups to a workbench role and
team by configuration (:class:`DirectoryRoles`) and keeps ``app_user`` in step.
"""

from __future__ import annotations

import asyncio

from jupyterhub.auth import Authenticator
from traitlets import Dict, Unicode, default
from traitlets.config import Configurable

from kringlib.access import ROLES
from kringlib.store import db
from kringlib.store import users as accounts


class WorkbenchAuthenticator(Authenticator):
    """Sign in with a workbench account (``kring user add``)."""

    db_url = Unicode(help="the workbench database").tag(config=True)

    @default("any_allow_config")
    def _accounts_are_the_allow_list(self) -> bool:
        return True  # an active workbench account is what allows a sign-in

    def _engine(self):
        if not hasattr(self, "_cached_engine"):
            self._cached_engine = db.make_engine(self.db_url)
        return self._cached_engine

    async def authenticate(self, handler, data):
        user = await asyncio.to_thread(
            accounts.authenticate, self._engine(), data.get("username", ""),
            data.get("password", ""),
        )  # fmt: skip
        return None if user is None else {"name": user.username}

    def check_allowed(self, username, authentication=None) -> bool:
        # authenticate() already refused unknown, disabled and locked accounts.
        return authentication is not None


PRECEDENCE = ("admin", "spv", "team_leader", "assessor", "analyst", "agent")
"""Of several roles a directory grants one person, the first here wins."""


class DirectoryRoles(Configurable):
    """How directory groups become workbench roles and teams (a site's configuration)."""

    group_roles = Dict(
        key_trait=Unicode(), value_trait=Unicode(),
        help="directory group → workbench role, e.g. {'kring-spv': 'spv'}",
    ).tag(config=True)  # fmt: skip
    group_teams = Dict(
        key_trait=Unicode(), value_trait=Unicode(),
        help="directory group → workbench team id, e.g. {'kring-tim-merapi': 'T01'}",
    ).tag(config=True)  # fmt: skip
    agent_id_claim = Unicode(
        "agent_id", help="the user-info field (OIDC claim or LDAP attribute) with the agent id"
    ).tag(config=True)
    db_url = Unicode(help="the workbench database").tag(config=True)


def directory_account(
    authentication: dict, group_roles: dict, group_teams: dict, agent_id_claim: str
) -> dict:
    """The workbench account for a directory sign-in: username, name, role, team, agent.

    ``authentication`` is the model a JupyterHub authenticator returns with
    ``manage_groups`` on: ``name``, ``groups`` and ``auth_state`` (OIDC user info under
    ``oauth_user``, LDAP attributes under ``user_attributes``). Of several mapped groups
    the first in :data:`PRECEDENCE` wins. Raises ValueError when no group maps to a role,
    an agent has no agent id, or a team leader no team.
    """
    groups = list(authentication.get("groups") or [])
    mapped = {group_roles[g] for g in groups if g in group_roles}
    unknown = mapped - set(ROLES)
    if unknown:
        raise ValueError(f"peran tidak dikenal di group_roles: {', '.join(sorted(unknown))}")
    if not mapped:
        raise ValueError(f"tidak ada grup direktori yang memberi peran: {groups}")
    role = next(r for r in PRECEDENCE if r in mapped)
    state = authentication.get("auth_state") or {}
    info = state.get("oauth_user") or state.get("user_attributes") or {}
    agent_id = _first(info.get(agent_id_claim)) if role == "agent" else None
    if role == "agent" and not agent_id:
        raise ValueError(f"akun agen tanpa {agent_id_claim!r} dari direktori")
    team_id = next((group_teams[g] for g in groups if g in group_teams), None)
    if role == "team_leader" and not team_id:
        raise ValueError("Team Leader tanpa grup tim (group_teams)")
    name = _first(info.get("name") or info.get("displayName") or info.get("cn"))
    username = authentication["name"]
    return dict(username=username, name=name or username, role=role, team_id=team_id,
                agent_id=agent_id)  # fmt: skip


def _first(value):
    return value[0] if isinstance(value, list | tuple) and value else value or None


async def directory_post_auth_hook(authenticator, handler, authentication):
    """JupyterHub ``post_auth_hook``: map the groups, keep ``app_user`` in step, or refuse."""
    settings = DirectoryRoles(parent=authenticator)
    try:
        account = directory_account(
            authentication, settings.group_roles, settings.group_teams, settings.agent_id_claim
        )
    except ValueError as exc:
        authenticator.log.warning("masuk ditolak untuk %s: %s", authentication.get("name"), exc)
        return None
    engine = db.make_engine(settings.db_url)
    try:
        await asyncio.to_thread(accounts.sync_directory_account, engine, **account)
    except (ValueError, PermissionError) as exc:
        authenticator.log.warning("masuk ditolak untuk %s: %s", account["username"], exc)
        return None
    finally:
        engine.dispose()
    return authentication
