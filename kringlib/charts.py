"""Altair chart builders: an aggregated DataFrame in, a chart out, no I/O.

Labels are Indonesian; numbers use the Indonesian locale (``1.234,5``).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kringlib.canonical import CHANNELS

CHANNEL_LABELS = {
    "telepon": "Telepon",
    "chat": "Live chat",
    "email": "E-mail",
    "twitter": "Twitter",
}
CHANNEL_COLOURS = ["#0b4a8b", "#f2b705", "#2e8b57", "#8e44ad"]
ID_FORMAT_LOCALE = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["Rp", ""],
}
ID_TIME_LOCALE = {
    "dateTime": "%A, %e %B %Y %X",
    "date": "%d/%m/%Y",
    "time": "%H.%M.%S",
    "periods": ["AM", "PM"],
    "days": ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
    "shortDays": ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
    "months": [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ],
    "shortMonths": [
        "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
    ],
}  # fmt: skip


def localised(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """``chart`` rendered with Indonesian number and date formats and the workbench font."""
    return chart.configure(
        locale=alt.Locale(number=ID_FORMAT_LOCALE, time=ID_TIME_LOCALE),
        font="system-ui, DejaVu Sans, sans-serif",
    ).configure_view(stroke=None)


def monthly_volume(daily: pd.DataFrame) -> alt.Chart:
    """Stacked bars of interactions per month and channel.

    ``daily`` has columns ``date``, ``channel`` and ``interactions`` (any number of rows);
    it is summed to months here so the chart carries at most one row per month and channel.
    """
    monthly = (
        daily.assign(month=daily["date"].dt.to_period("M").dt.to_timestamp())
        .groupby(["month", "channel"], as_index=False)["interactions"]
        .sum()
    )
    monthly["channel_label"] = monthly["channel"].map(CHANNEL_LABELS).fillna(monthly["channel"])
    order = [CHANNEL_LABELS[c] for c in CHANNELS]
    chart = (
        alt.Chart(monthly)
        .mark_bar()
        .encode(
            x=alt.X(
                "yearmonth(month):O", title="Bulan", axis=alt.Axis(format="%b %Y", labelAngle=0)
            ),
            y=alt.Y("sum(interactions):Q", title="Interaksi", axis=alt.Axis(format=",d")),
            color=alt.Color(
                "channel_label:N",
                title="Saluran",
                scale=alt.Scale(domain=order, range=CHANNEL_COLOURS),
            ),
            order=alt.Order("channel_label:N"),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title="Bulan", format="%B %Y"),
                alt.Tooltip("channel_label:N", title="Saluran"),
                alt.Tooltip("sum(interactions):Q", title="Interaksi", format=",d"),
            ],
        )
        .properties(width=880, height=260)
    )
    return chart
