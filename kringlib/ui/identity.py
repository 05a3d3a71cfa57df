"""Who is using a page: the visitor the server signed in, bound when their request arrives.

The server (``kring hub`` or ``kring serve``) authenticates each page request and hands
the kernel the visitor's username through Voilà's request info, under a header name that
the server itself writes over whatever a browser sent. Nothing else names the visitor:
not the kernel's environment at start-up, not the query string, not a widget. In demo
mode (granted per request by the server, and only on a database ``kring demo`` made) a
switch lets a first-time visitor look through every role's eyes.
"""

from __future__ import annotations

import html
import json
import logging
import os

import ipywidgets as w
import traitlets

from kringlib.access import ROLE_LABELS
from kringlib.store import flags
from kringlib.store import users as accounts
from kringlib.ui.messages import user_message

VISITOR_HEADER = "X-Kring-Visitor"
DEMO_HEADER = "X-Kring-Demo"
DEMO_FIRST_USER = "spv.pkl"


def header_env(header: str) -> str:
    """The kernel environment variable Voilà fills from ``header`` (RFC 3875 style)."""
    return "HTTP_" + header.upper().replace("-", "_")


def wait_for_request() -> None:
    """In a preheated kernel, wait until Voilà hands the page to a visitor's request, then
    take the request's details (headers included) into the environment.

    This is ``voila.utils.wait_for_request`` over the same socket and environment
    variables, without importing ``voila.utils``, which would load Voilà's server side
    (Jupyter Server, nbconvert, jsonschema: some 50 MB) into every dashboard's kernel.
    """
    env = os.environ
    if env.get("VOILA_PREHEAT", "False") == "False":
        return  # started for its request: the details are in the environment already
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    url = (
        f"{env.get('VOILA_WS_PROTOCOL', 'ws')}://{env.get('VOILA_APP_IP', '127.0.0.1')}:"
        f"{env.get('VOILA_APP_PORT', '8866')}{base}voila/query/{env.get('VOILA_KERNEL_ID')}"
    )
    from websockets.sync.client import connect

    try:
        with connect(url, open_timeout=5) as socket:
            details = socket.recv()
    except (TimeoutError, ConnectionRefusedError):
        logging.getLogger(__name__).warning("tidak dapat terhubung ke %s", url)
        return
    os.environ.update(json.loads(details))


class Session(traitlets.HasTraits):
    """The signed-in user of one page; ``user`` is None (with ``problem``) when nobody is."""

    username = traitlets.Unicode("")
    user = traitlets.Any(None)
    problem = traitlets.Unicode("")
    demo = traitlets.Bool(False)

    def __init__(self, engine, username: str = "", *, demo: bool = False, **kwargs):
        super().__init__(demo=demo, **kwargs)
        self.engine = engine
        self.observe(self._resolve, "username")
        self.username = username
        if not username:
            self._resolve()

    def _resolve(self, _change=None) -> None:
        if not self.username:
            self.user, self.problem = None, "Belum masuk."
            return
        try:
            self.user, self.problem = accounts.user(self.engine, self.username), ""
        except PermissionError as exc:
            self.user, self.problem = None, user_message(exc)


def bind_visitor(session: Session) -> None:
    """Wait for the visitor's request (a preheated kernel starts before anyone asks) and
    sign the page in as the visitor the server names; demo mode needs both the server's
    word and a database that ``kring demo`` made."""
    wait_for_request()
    demo = os.environ.get(header_env(DEMO_HEADER)) == "1" and flags.demo_allowed(session.engine)
    visitor = os.environ.get(header_env(VISITOR_HEADER), "")
    session.demo = demo
    session.username = visitor or (DEMO_FIRST_USER if demo else "")


def identity_bar(session: Session) -> w.Widget:
    """The user's name and role; in demo mode a dropdown to sign in as someone else."""
    label = w.HTML().add_class("kr-identity")
    switch = w.Dropdown(description="Masuk sebagai").add_class("kr-switch-user")
    switch.style.description_width = "110px"
    switch.layout.width = "420px"
    bar = w.HBox([label]).add_class("kr-identity-bar")

    def show(_change=None) -> None:
        user = session.user
        label.value = (
            f"Pengguna: <b>{html.escape(user.name or user.username)}</b> "
            f"({ROLE_LABELS.get(user.role, user.role)})"
            if user
            else f'<span class="kr-message-error">{html.escape(session.problem)}</span>'
        )

    def offer_switch(_change=None) -> None:
        if not session.demo:
            bar.children = [label]
            return
        people = accounts.users(session.engine)
        people = people[~people["disabled"]]
        switch.options = [
            (f"{r.name} · {ROLE_LABELS.get(r.role, r.role)} ({r.username})", r.username)
            for r in people.itertuples()
        ]
        switch.value = session.username if session.username in set(people["username"]) else None
        bar.children = [switch, label]

    def switch_to(change) -> None:
        # Demo mode may have ended since the page opened (a real import): ask again.
        session.demo = session.demo and flags.demo_allowed(session.engine)
        if session.demo:
            session.username = change["new"] or ""

    switch.observe(switch_to, "value")
    session.observe(show, ["user", "problem"])
    session.observe(offer_switch, ["demo", "username"])
    show()
    offer_switch()
    return bar
