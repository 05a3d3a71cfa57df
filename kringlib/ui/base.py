"""What every dashboard page shares: the signed-in visitor and what their role may see, a
title, an error line linked to its model, lazy rendering."""

from __future__ import annotations

import datetime as dt
import html
from typing import ClassVar

import ipywidgets as w
import traitlets

from kringlib import access, clock, settings
from kringlib.access import PermissionDenied, User, Visible
from kringlib.store import db
from kringlib.ui.identity import Session, bind_visitor, identity_bar


class PageModel(traitlets.HasTraits):
    """State and logic of a page for its signed-in visitor; knows no widget.

    ``page`` names the page in ``rules/akses.yaml``. ``refused`` holds the one sentence a
    visitor reads when their role may not open the page (or nobody is signed in yet); the
    page then loads nothing. ``error`` holds the last user-facing error; ``version`` moves
    whenever views should redraw. Every write re-checks the role in the store anyway.
    """

    page: ClassVar[str] = ""

    error = traitlets.Unicode("")
    message = traitlets.Unicode("")
    refused = traitlets.Unicode("")
    version = traitlets.Int(0)

    def __init__(
        self, engine, session: Session | None = None, today: dt.date | None = None, **kwargs
    ):
        super().__init__(**kwargs)
        self.engine = engine
        self.session = session if session is not None else Session(engine)
        self.today = today or clock.today()
        self._follows_clock = today is None
        self._check_access()
        self.session.observe(self._on_user, "user")

    def _check_access(self) -> None:
        user = self.session.user
        self.refused = "" if access.page_scope(user, self.page) else (
            self.session.problem if user is None and self.session.username
            else access.refusal(user, self.page)
        )  # fmt: skip

    def _on_user(self, _change) -> None:
        # Views hear of the new access only once the data for it is loaded.
        with self.hold_trait_notifications():
            if self._follows_clock and self.today != clock.today():
                self.today = clock.today()  # a preheated page may have waited overnight
                self.new_day()
            self._check_access()
            self.reload()

    def new_day(self) -> None:
        """Bring date-derived state (e.g. the period of a preset) up to :attr:`today`."""

    def reload(self) -> None:
        """Read again from the database what the page shows (pages that show data override)."""

    @property
    def allowed(self) -> bool:
        """True when the signed-in visitor may open this page."""
        return not self.refused

    @property
    def scope(self) -> access.Scope | None:
        """How much of the page the visitor sees (own, team, all, read), None when refused."""
        return access.page_scope(self.session.user, self.page)

    def visible(self) -> Visible:
        """The agents this visitor may see on this page."""
        return access.visible(self.session.user, self.page)

    def actor(self) -> User:
        """The signed-in user, or a permission error saying why there is none."""
        if self.session.user is None:
            raise PermissionDenied(self.session.problem or "Belum masuk.")
        return self.session.user


def sign_in(view: PageView) -> None:
    """Bind the page to the visitor whose request opened it (see :func:`bind_visitor`)."""
    bind_visitor(view.model.session)


def engine_from_environment():
    """The engine for the database that ``kring serve`` (or ``KRING_DB_URL``) names."""
    return db.make_engine(settings.resolve_db_url())


class PageView(w.VBox):
    """A page: heading, error line, then the body that :meth:`build_body` lays out."""

    title = ""
    subtitle = ""

    def __init__(self, model: PageModel, **kwargs):
        super().__init__(**kwargs)
        self.model = model
        self.add_class("kr-app")
        self._rendered = False
        self._body: list[w.Widget] = []

    def render(self) -> PageView:
        """Build the widgets once and tie them to the model; returns the view for display."""
        if self._rendered:
            return self
        heading = w.HTML(
            f'<div class="kr-title">{html.escape(self.title)}</div>'
            f'<div class="kr-subtitle">{html.escape(self.subtitle)}</div>'
        )
        error = w.HTML().add_class("kr-message-error")
        w.dlink((self.model, "error"), (error, "value"), transform=html.escape)
        refused = w.HTML().add_class("kr-refused")
        w.dlink((self.model, "refused"), (refused, "value"), transform=html.escape)
        top = [heading, identity_bar(self.model.session), error, refused]

        def show(_change=None) -> None:
            # The body is built only for a visitor who may see it, and never shown otherwise.
            if self.model.allowed and not self._body:
                self._body = self.build_body()
            self.children = top + (self._body if self.model.allowed else [])

        self.model.observe(show, "refused")
        show()
        self._rendered = True
        return self

    def build_body(self) -> list[w.Widget]:
        raise NotImplementedError

    def follow(self, draw) -> None:
        """Call ``draw()`` now and whenever the model's ``version`` moves, once per version.

        A visitor's sign-in loads the data and builds the body in one held notification,
        so the body is drawn as it is built and the version's change then arrives late;
        drawing it again would only repeat the work.
        """
        drawn = {"version": None}

        def redraw(_change=None) -> None:
            if drawn["version"] != self.model.version:
                drawn["version"] = self.model.version
                draw()

        self.model.observe(redraw, "version")
        redraw()


def tile(label: str, css_class: str) -> tuple[w.VBox, w.HTML]:
    """A KPI tile; returns the box and the value widget to update."""
    value = w.HTML("–").add_class("kr-tile-value")
    box = w.VBox([w.HTML(html.escape(label)).add_class("kr-tile-label"), value])
    box.add_class("kr-tile").add_class(css_class)
    return box, value


def panel(title: str, *children: w.Widget, css_class: str = "") -> w.VBox:
    """A titled white panel."""
    box = w.VBox([w.HTML(html.escape(title)).add_class("kr-panel-title"), *children])
    box.add_class("kr-panel")
    if css_class:
        box.add_class(css_class)
    return box
