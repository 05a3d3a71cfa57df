"""Who is using a page: ``KRING_USER`` until single sign-on, and in demo mode a switch.

The switch ("masuk sebagai") exists only when ``kring serve --demo`` started the server
(``KRING_DEMO=1``); everything it changes is re-checked in kringlib.appeals anyway.
"""

from __future__ import annotations

import datetime as dt
import html
import os

import ipywidgets as w
import traitlets

from kringlib import settings
from kringlib.appeals import User
from kringlib.store import appeals as store
from kringlib.ui.base import PageModel
from kringlib.ui.messages import user_message

DEMO_ENV = "KRING_DEMO"
ROLE_LABELS = {
    "agent": "Agen",
    "team_leader": "Team Leader",
    "spv": "SPV PKL",
    "assessor": "Asesor",
    "admin": "Admin",
}


def demo_mode() -> bool:
    """True when the server runs on demo data and users may be switched."""
    return os.environ.get(DEMO_ENV) == "1"


class Session(traitlets.HasTraits):
    """The signed-in user of one page; ``user`` is None (with ``problem``) when unknown."""

    username = traitlets.Unicode()
    user = traitlets.Any(None)
    problem = traitlets.Unicode("")

    def __init__(self, engine, username: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.engine = engine
        self.observe(self._resolve, "username")
        self.username = username or settings.current_user()

    def _resolve(self, _change=None) -> None:
        try:
            self.user, self.problem = store.user(self.engine, self.username), ""
        except PermissionError as exc:
            self.user, self.problem = None, user_message(exc)


class SignedInModel(PageModel):
    """A page that acts for the signed-in user: reloads when the user changes."""

    message = traitlets.Unicode("")
    version = traitlets.Int(0)  # views redraw when it moves

    def __init__(self, engine, session: Session, today: dt.date | None = None, **kwargs):
        super().__init__(engine, **kwargs)
        self.session = session
        self.today = today or dt.date.today()
        session.observe(lambda _: self.reload(), "user")

    def actor(self) -> User:
        """The signed-in user, or a permission error saying why there is none."""
        if self.session.user is None:
            raise PermissionError(self.session.problem)
        return self.session.user


def identity_bar(session: Session) -> w.Widget:
    """The user's name and role; in demo mode a dropdown to sign in as someone else."""
    label = w.HTML().add_class("kr-identity")

    def show(_change=None) -> None:
        user = session.user
        label.value = (
            f"Pengguna: <b>{html.escape(user.name or user.username)}</b> "
            f"({ROLE_LABELS.get(user.role, user.role)})"
            if user
            else f'<span class="kr-message-error">{html.escape(session.problem)}</span>'
        )

    session.observe(show, ["user", "problem"])
    show()
    if not demo_mode():
        return label
    people = store.users(session.engine)
    switch = w.Dropdown(
        options=[
            (f"{r.name} · {ROLE_LABELS.get(r.role, r.role)} ({r.username})", r.username)
            for r in people.itertuples()
        ],
        description="Masuk sebagai",
        value=session.username if session.username in set(people["username"]) else None,
    ).add_class("kr-switch-user")
    switch.style.description_width = "110px"
    switch.layout.width = "420px"
    switch.observe(lambda change: setattr(session, "username", change["new"] or ""), "value")
    return w.HBox([switch, label]).add_class("kr-identity-bar")
