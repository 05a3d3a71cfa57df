"""Altair charts on screen and on disk, with nothing fetched from outside the server.

Interactive charts become ``alt.JupyterChart`` widgets whose Vega bundle comes from
vl-convert (about 0.9 MB each, so a page has one); charts that need no interaction are
rendered to SVG by vl-convert in the kernel and shown as HTML.
"""

from __future__ import annotations

import functools

import altair as alt
import vl_convert

from kringlib.charts import ID_FORMAT_LOCALE, ID_TIME_LOCALE, localised

VL_VERSION = "v" + "_".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


@functools.cache
def _offline() -> None:
    # Bundles Vega from vl-convert into the widget's own JavaScript, once per kernel.
    alt.JupyterChart.enable_offline()


def chart_widget(chart: alt.TopLevelMixin, css_class: str) -> alt.JupyterChart:
    """An interactive, offline chart widget carrying ``css_class`` for tests and styling."""
    _offline()
    widget = alt.JupyterChart(localised(chart))
    widget.add_class(css_class)
    return widget


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
    """The chart as SVG markup, rendered in the kernel."""
    return vl_convert.vegalite_to_svg(_spec(chart), **_convert_options())


def png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """The chart as a PNG image (twice the screen resolution by default)."""
    return vl_convert.vegalite_to_png(_spec(chart), scale=scale, **_convert_options())
