"""Altair charts on screen and on disk, with nothing fetched from outside the server.

On screen every chart is a chart widget (``alt.JupyterChart``) that the browser draws
with Vega, loaded from the dashboard server once (:mod:`kringlib.ui.chart_bundle`):
interactive charts keep their selection callbacks (:class:`InteractiveChart`), the others
show no menu (:class:`StaticChart`). vl-convert, which renders charts in the kernel with
a JavaScript engine of its own (50–90 MB of the kernel's memory), is loaded only when a
chart is exported as SVG or PNG.
"""

from __future__ import annotations

import altair as alt
import ipywidgets as w

from kringlib.charts import ID_FORMAT_LOCALE, ID_TIME_LOCALE, localised
from kringlib.ui import chart_bundle

VL_VERSION = "v" + "_".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
STATIC = {"actions": False, "renderer": "svg"}
"""vega-embed options of a chart without interaction: drawn as SVG, no export menu."""


class ChartWidget(alt.JupyterChart):
    """Altair's chart widget, importing its JavaScript from the server instead of carrying it."""

    _esm = chart_bundle.loader()


def chart_widget(chart: alt.TopLevelMixin, css_class: str) -> ChartWidget:
    """An interactive chart widget carrying ``css_class`` for tests and styling."""
    widget = ChartWidget(localised(chart))
    widget.add_class(css_class)
    return widget


class StaticChart(w.Box):
    """A chart without interaction, or a short message where there is nothing to draw.

    The chart widget stays for the page's life: a new chart replaces only its spec.
    """

    def __init__(self, css_class: str):
        super().__init__()
        self.add_class(css_class)
        self._chart: ChartWidget | None = None
        self._message = w.HTML()

    def show(self, chart: alt.TopLevelMixin) -> None:
        """Draw ``chart``."""
        if self._chart is None:
            self._chart = ChartWidget(localised(chart), embed_options=STATIC)
        else:
            self._chart.chart = localised(chart)
        self.children = [self._chart]

    def say(self, html_text: str) -> None:
        """Show ``html_text`` (markup) instead of a chart."""
        self._message.value = html_text
        self.children = [self._message]


class InteractiveChart:
    """A chart widget whose spec can be replaced while selection callbacks stay attached.

    ``alt.JupyterChart`` builds a new ``selections`` object whenever its chart changes, so
    observers registered on the old one would go quiet; this keeps them attached.
    """

    def __init__(self, chart: alt.TopLevelMixin, css_class: str):
        self.widget = chart_widget(chart, css_class)
        self._callbacks: list[tuple[str, object]] = []

    def on_select(self, name: str, callback) -> None:
        """Call ``callback(points)`` with the selected points (a list of dicts) on every change."""
        self._callbacks.append((name, callback))
        self._attach(name, callback)

    def _attach(self, name: str, callback) -> None:
        def relay(change):
            callback(change["new"].value if change["new"] is not None else [])

        self.widget.selections.observe(relay, [name])

    def replace(self, chart: alt.TopLevelMixin) -> None:
        """Show ``chart``: only the new spec travels, not the JavaScript."""
        self.widget.chart = localised(chart)
        for name, callback in self._callbacks:
            self._attach(name, callback)


def _convert_options() -> dict:
    return {
        "vl_version": VL_VERSION,
        "format_locale": ID_FORMAT_LOCALE,
        "time_format_locale": ID_TIME_LOCALE,
        "allowed_base_urls": [],
    }


def _spec(chart: alt.TopLevelMixin) -> dict:
    # The builders in kringlib.charts are covered by tests that validate their specs, so
    # rendering skips Altair's schema validation, which costs more than the drawing.
    return localised(chart).to_dict(validate=False)


def svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG file's markup, rendered in the kernel."""
    import vl_convert

    return vl_convert.vegalite_to_svg(_spec(chart), **_convert_options())


def png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """The chart as a PNG image (twice the screen resolution by default)."""
    import vl_convert

    return vl_convert.vegalite_to_png(_spec(chart), scale=scale, **_convert_options())
