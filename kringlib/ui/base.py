"""What every dashboard page shares: a title, an error line linked to its model, lazy rendering."""

from __future__ import annotations

import html

import ipywidgets as w
import traitlets
from voila.utils import wait_for_request

from kringlib import settings
from kringlib.store import db
from kringlib.store.freshness import data_stamp


class PageModel(traitlets.HasTraits):
    """State and logic of a page; knows no widget. ``error`` holds the last user-facing error."""

    error = traitlets.Unicode("")

    def reload(self) -> None:
        """Read again from the database what the page shows (pages that show data override)."""

    def __init__(self, engine, **kwargs):
        super().__init__(**kwargs)
        self.engine = engine

    @classmethod
    def from_environment(cls, **kwargs):
        """The model on the database that ``kring serve`` (or ``KRING_DB_URL``) names."""
        return cls(engine_from_environment(), **kwargs)


def reload_on_request(view: PageView) -> None:
    """Bring a preheated page up to date once a visitor actually opens it.

    Voilà runs a dashboard in a preheated kernel before anyone asks for it, so the data it
    read may be minutes old; ``wait_for_request`` returns at once outside a preheated kernel.
    The page reloads only when the database changed meanwhile, so a visitor to unchanged
    data does not wait for a reload.
    """
    before = data_stamp(view.model.engine)
    wait_for_request()
    if data_stamp(view.model.engine) != before:
        view.model.reload()


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
        self.children = [heading, error, *self.build_body()]
        self._rendered = True
        return self

    def build_body(self) -> list[w.Widget]:
        raise NotImplementedError


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
