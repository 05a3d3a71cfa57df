"""Altair charts as widgets whose JavaScript comes from the server, never from a CDN."""

from __future__ import annotations

import functools

import altair as alt

from kringlib.charts import localised


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


def replace_chart(widget: alt.JupyterChart, chart: alt.TopLevelMixin) -> None:
    """Show ``chart`` in an existing widget: only the new spec travels, not the JavaScript."""
    widget.chart = localised(chart)
