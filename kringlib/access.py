"""Who may open which page and how much of it they see (``rules/akses.yaml``).

Plain facts in, a decision out: no widget and no database here. The store re-reads the
acting user inside its transaction and asks these functions; a page asks them before it
shows anything.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, model_validator

from kringlib import rules

ROLES = ("agent", "team_leader", "spv", "assessor", "analyst", "admin")
ROLE_LABELS = {
    "agent": "Agen",
    "team_leader": "Team Leader",
    "spv": "SPV PKL",
    "assessor": "Asesor",
    "analyst": "Analis",
    "admin": "Admin",
}
Scope = Literal["own", "team", "all", "read"]


def either_of(roles) -> str:
    """Roles as the screen names them, joined by "atau": who may do something."""
    return " atau ".join(ROLE_LABELS[role] for role in roles)


class PermissionDenied(PermissionError):
    """The user may not do this; nothing was changed."""


class AlreadyDecided(PermissionDenied):
    """Someone else moved the request (an appeal, an adjustment) past this step first;
    nothing was changed."""


@dataclass(frozen=True)
class User:
    """Who acts: a username, a role, the team they belong to or lead, the agent they are."""

    username: str
    role: str
    team_id: str | None = None
    agent_id: str | None = None
    name: str = ""


class PageAccess(BaseModel):
    title: str
    scopes: dict[str, Scope]

    @model_validator(mode="after")
    def _known_roles(self):
        unknown = set(self.scopes) - set(ROLES)
        if unknown:
            raise ValueError(f"peran tidak dikenal: {', '.join(sorted(unknown))}")
        return self


class AccessRules(BaseModel):
    source: rules.Citation
    pages: dict[str, PageAccess]


@functools.cache
def access_rules() -> AccessRules:
    """The page × role table (``rules/akses.yaml``)."""
    return rules.load("akses", AccessRules)


def page_scope(user: User | None, page: str) -> Scope | None:
    """How much of ``page`` the user sees; None when they may not open it."""
    pages = access_rules().pages
    if page not in pages:
        raise KeyError(f"halaman tidak dikenal di akses.yaml: {page!r}")
    return None if user is None else pages[page].scopes.get(user.role)


def refusal(user: User | None, page: str) -> str:
    """The one sentence a refused visitor reads."""
    title = access_rules().pages[page].title
    if user is None:
        return f"Halaman {title} hanya untuk pengguna yang sudah masuk."
    allowed = [ROLE_LABELS[r] for r in ROLES if r in access_rules().pages[page].scopes]
    return (
        f"Halaman {title} tidak tersedia untuk peran {ROLE_LABELS.get(user.role, user.role)}; "
        f"halaman ini untuk {', '.join(allowed)}."
    )


def require_page(user: User | None, page: str) -> Scope:
    """The user's scope on ``page``, or :class:`PermissionDenied` with :func:`refusal`."""
    scope = page_scope(user, page)
    if scope is None:
        raise PermissionDenied(refusal(user, page))
    return scope


@dataclass(frozen=True)
class Visible:
    """The agents a scope shows: one agent, one team, or (both None) everyone."""

    agent_id: str | None = None
    team_id: str | None = None

    def admits(self, agent_id: str, team_id: str | None) -> bool:
        """True when this scope shows the agent of ``agent_id`` in ``team_id``."""
        if self.agent_id is not None:
            return agent_id == self.agent_id
        return self.team_id is None or team_id == self.team_id


NOBODY = Visible(agent_id="")  # no agent id is empty: shows nothing


def visible(user: User | None, page: str) -> Visible:
    """Which agents ``user`` sees on ``page``; :data:`NOBODY` when refused or not an agent."""
    scope = page_scope(user, page)
    if scope is None:
        return NOBODY
    if scope == "own":
        return Visible(agent_id=user.agent_id or "")
    if scope == "team":
        return Visible(team_id=user.team_id or "") if user.team_id else NOBODY
    return Visible()
