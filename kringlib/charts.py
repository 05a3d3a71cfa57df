"""Altair chart builders: an aggregated DataFrame in, a chart out, no I/O.

Labels are Indonesian; numbers use the Indonesian locale (``1.234,5``).
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from kringlib.adherence import (
    AUX,
    CAUSE_LABELS,
    OFFLINE,
    ONLINE,
    STATE_LABELS,
    join_touching,
    reasons,
)
from kringlib.canonical import CHANNEL_LABELS, CHANNELS
from kringlib.complaints import AT_RISK, LATE, ON_TIME, STATUS_LABELS, WAITING

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


def _on_screen(definition) -> tuple[float, str]:
    """Fractions are drawn as percentages; other units as they are."""
    if definition.unit == "rasio":
        return 100.0, f"{definition.id} (%)"
    return 1.0, f"{definition.id} ({definition.unit})"


def kpi_trend(trend: pd.DataFrame, definitions: dict, targets: dict[str, float]) -> alt.FacetChart:
    """Small multiples: one line per KPI over ``period`` with its target as a dashed rule.

    ``trend`` has a ``period`` column (timestamps) and one column per KPI id (fractions or
    seconds as in the data); KPIs without any value are left out.
    """
    panels = []
    for kpi_id, definition in definitions.items():
        if kpi_id not in trend or trend[kpi_id].isna().all():
            continue
        scale, title = _on_screen(definition)
        panels.append(
            pd.DataFrame(
                {
                    "period": trend["period"],
                    "kpi": title,
                    "value": trend[kpi_id] * scale,
                    "target": targets.get(kpi_id, float("nan")) * scale,
                }
            )  # fmt: skip
        )
    data = (
        pd.concat(panels, ignore_index=True)
        if panels
        else pd.DataFrame(columns=["period", "kpi", "value", "target"])
    )
    base = alt.Chart().properties(width=250, height=110)
    line = base.mark_line(point=True, color=CHANNEL_COLOURS[0]).encode(
        x=alt.X("period:T", title=None, axis=alt.Axis(format="%d %b", labelAngle=0)),
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
        tooltip=[
            alt.Tooltip("kpi:N", title="KPI"),
            alt.Tooltip("period:T", title="Periode", format="%d %b %Y"),
            alt.Tooltip("value:Q", title="Nilai", format=",.1f"),
        ],
    )
    rule = base.mark_rule(color=CHANNEL_COLOURS[1], strokeDash=[5, 4]).encode(y="target:Q")
    order = [_on_screen(d)[1] for d in definitions.values()]
    return (
        alt.layer(line, rule, data=data)
        .facet(facet=alt.Facet("kpi:N", title=None, sort=order), columns=3)
        .resolve_scale(y="independent")
    )


AGENT_SELECTION = "pilih_agen"


def agent_ranking(ranking: pd.DataFrame, definition, target: float) -> alt.LayerChart:
    """Agents ranked on one KPI, best first, with the target as a rule; click selects an agent.

    ``ranking`` has ``agent_id``, ``agent_name``, ``team`` and ``value``. The point
    selection named ``pilih_agen`` carries the clicked agent's ``agent_id``.
    """
    scale, title = _on_screen(definition)
    data = ranking.assign(
        value=ranking["value"] * scale,
        label=ranking["agent_name"] + " (" + ranking["agent_id"] + ")",
    )
    order = "ascending" if definition.better == "lower" else "descending"
    pick = alt.selection_point(
        name=AGENT_SELECTION, fields=["agent_id"], on="click", clear="dblclick"
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=alt.EncodingSortField("value", order=order)),
            x=alt.X("value:Q", title=title),
            color=alt.condition(pick, alt.value(CHANNEL_COLOURS[0]), alt.value("#b8c4d3")),
            tooltip=[
                alt.Tooltip("agent_name:N", title="Agen"),
                alt.Tooltip("team:N", title="Tim"),
                alt.Tooltip("value:Q", title=title, format=",.1f"),
            ],
        )
        .add_params(pick)
    )
    rule = (
        alt.Chart(pd.DataFrame({"target": [target * scale]}))
        .mark_rule(color=CHANNEL_COLOURS[1], strokeDash=[5, 4], size=2)
        .encode(x="target:Q")
    )
    return alt.layer(bars, rule).properties(width=820, height=max(120, 16 * len(data)))


def agent_against_team(trend: pd.DataFrame, definition, target: float) -> alt.LayerChart:
    """One KPI over ``period`` for an agent and their team (``who`` column), with the target."""
    scale, title = _on_screen(definition)
    data = trend.assign(value=trend["value"] * scale)
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:T", title=None, axis=alt.Axis(format="%d %b", labelAngle=0)),
            y=alt.Y("value:Q", title=title, scale=alt.Scale(zero=False)),
            color=alt.Color("who:N", title=None, scale=alt.Scale(range=CHANNEL_COLOURS[::2])),
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"target": [target * scale]}))
        .mark_rule(color=CHANNEL_COLOURS[1], strokeDash=[5, 4])
        .encode(y="target:Q")
    )
    return alt.layer(lines, rule).properties(width=520, height=180)


def score_trend(trend: pd.DataFrame) -> alt.LayerChart:
    """Mean quality score per ``period`` for each ``who`` (an agent, a team, everyone)."""
    line = (
        alt.Chart(trend)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0)),
            y=alt.Y("total:Q", title="Rata-rata skor", scale=alt.Scale(zero=False)),
            color=alt.Color("who:N", title=None, scale=alt.Scale(range=CHANNEL_COLOURS)),
            tooltip=[
                alt.Tooltip("who:N", title="Siapa"),
                alt.Tooltip("period:T", title="Bulan", format="%B %Y"),
                alt.Tooltip("total:Q", title="Skor", format=",.1f"),
                alt.Tooltip("count:Q", title="Penilaian"),
            ],
        )
    )
    return line.properties(width=520, height=200)


def section_comparison(sections: pd.DataFrame) -> alt.Chart:
    """Average points per section for each ``who``, against the section's weight."""
    base = alt.Chart(sections)
    bars = base.mark_bar().encode(
        y=alt.Y("section:N", title=None, sort=None),
        x=alt.X("points:Q", title="Rata-rata poin"),
        yOffset="who:N",
        color=alt.Color("who:N", title=None, scale=alt.Scale(range=CHANNEL_COLOURS)),
        tooltip=[
            alt.Tooltip("section:N", title="Bagian"),
            alt.Tooltip("who:N", title="Siapa"),
            alt.Tooltip("points:Q", title="Poin", format=",.2f"),
            alt.Tooltip("weight:Q", title="Bobot"),
        ],
    )
    ticks = base.mark_tick(color=CHANNEL_COLOURS[1], thickness=2, size=24).encode(
        y=alt.Y("section:N", sort=None), x="weight:Q"
    )
    return alt.layer(bars, ticks).properties(width=420, height=260)


def assessor_spread(totals: pd.DataFrame) -> alt.Chart:
    """The distribution of totals per assessor, to spot a lenient or a harsh one."""
    return (
        alt.Chart(totals)
        .mark_boxplot(extent="min-max", color=CHANNEL_COLOURS[0])
        .encode(
            x=alt.X("assessor:N", title="Asesor"),
            y=alt.Y("total:Q", title="Skor", scale=alt.Scale(zero=False)),
        )
        .properties(width=420, height=220)
    )


SERVICE_LABELS = {True: "Layanan", False: "Bukan layanan"}
DAY_COLOURS = {
    "Jadwal": {SERVICE_LABELS[True]: CHANNEL_COLOURS[0], SERVICE_LABELS[False]: "#d5d8dc"},
    "Status": {STATE_LABELS[ONLINE]: "#2e8b57", STATE_LABELS[AUX]: CHANNEL_COLOURS[1],
               STATE_LABELS[OFFLINE]: "#7f8c8d"},
    "Kepatuhan": {CAUSE_LABELS[cause]: colour for cause, colour in (
        ("adherent", "#2e8b57"), ("late_start", "#c0392b"), ("aux", CHANNEL_COLOURS[1]),
        ("offline", "#7f8c8d"), ("early_leave", "#e67e22"), ("excused", "#9ecae1"))},
}  # fmt: skip
"""The lanes of an agent's day, top to bottom, and the colour of each value on them."""
DAY_LANES = tuple(DAY_COLOURS)
EXCUSED_COLOURS = [CHANNEL_COLOURS[3], "#16a085", "#d35400", "#34495e"]
"""Shades behind excused periods, one per reason the day has."""


def agent_day(timeline: pd.DataFrame) -> alt.LayerChart:
    """One agent's day over the hours: a lane each for the schedule (service or not), the
    states and what each moment of service counted as, with excused periods shaded
    behind them and named by their reason. ``timeline`` is
    :func:`kringlib.adherence.day_timeline`'s."""
    reason = timeline["reason"].map({r.id: r.label for r in reasons().values()})
    scheduled = timeline["activity"].notna()
    counted, excused = timeline["cause"].notna(), timeline["excused"]
    lanes = pd.concat([
        _lane(timeline[scheduled], "Jadwal", timeline["service"].map(SERVICE_LABELS),
              timeline["activity"]),
        _lane(timeline, "Status", timeline["state"].map(STATE_LABELS), timeline["state"]),
        _lane(timeline[counted], "Kepatuhan", timeline["cause"].map(CAUSE_LABELS), reason),
    ], ignore_index=True)  # fmt: skip
    shaded = _lane(timeline[excused], "Dimaafkan", reason.fillna("Penyesuaian"),
                   timeline["reason"])  # fmt: skip
    hours = alt.X("start:T", title="Jam", axis=alt.Axis(format="%H.%M", labelAngle=0))
    tooltip = [
        alt.Tooltip("lane:N", title="Jalur"),
        alt.Tooltip("value:N", title="Keterangan"),
        alt.Tooltip("detail:N", title="Rincian"),
        alt.Tooltip("start:T", title="Mulai", format="%H.%M"),
        alt.Tooltip("end:T", title="Selesai", format="%H.%M"),
        alt.Tooltip("minutes:Q", title="Menit", format=",.0f"),
    ]
    shade = alt.Color("value:N", title="Dimaafkan", scale=alt.Scale(range=EXCUSED_COLOURS))
    band = (
        alt.Chart(shaded)
        .mark_rect(opacity=0.2)
        .encode(x=hours, x2="end:T", color=shade, tooltip=tooltip)
    )
    base = alt.Chart(lanes).encode(
        x=hours, x2="end:T", y=alt.Y("lane:N", title=None, sort=list(DAY_LANES)), tooltip=tooltip
    )
    bars = [
        base.transform_filter(alt.datum.lane == lane)
        .mark_bar(height={"band": 0.7})
        .encode(color=alt.Color("value:N", title=lane, scale=alt.Scale(
            domain=list(colours), range=list(colours.values()))))
        for lane, colours in DAY_COLOURS.items()
    ]  # fmt: skip
    shown = [band] if excused.any() else []  # no empty "Dimaafkan" legend on a plain day
    return (
        alt.layer(*shown, *bars)
        .resolve_scale(color="independent")
        .properties(width=820, height=40 * len(DAY_LANES))
    )


def _lane(pieces: pd.DataFrame, lane: str, value: pd.Series, detail: pd.Series) -> pd.DataFrame:
    """``pieces`` of a day as one lane's periods (``value`` and ``detail`` aligned on their
    index): touching pieces that agree on both joined."""
    periods = join_touching(
        pd.DataFrame({"lane": lane, "value": value, "detail": detail,
                      "start": pieces["start"], "end": pieces["end"]}).loc[pieces.index],
        ["value", "detail"],
    )  # fmt: skip
    return periods.assign(minutes=(periods["end"] - periods["start"]).dt.total_seconds() / 60)


STATUS_COLOURS = {STATUS_LABELS[status]: colour for status, colour in (
    (ON_TIME, "#2e8b57"), (AT_RISK, CHANNEL_COLOURS[1]), (LATE, "#c0392b"),
    (WAITING, "#9aa5b1"))}  # fmt: skip
"""The colour of each complaint step status."""


def complaint_gantt(steps: pd.DataFrame, today: dt.date) -> alt.LayerChart:
    """One complaint's steps planned against actual: the planned period (start to due) as a
    pale bar, the actual one (start to finished, or to ``today`` while under way) over it in
    the colour of its status, and today as a rule. ``steps`` is
    :func:`kringlib.complaints.step_status`'s; days are whole, both ends included."""
    day = pd.Timedelta(days=1)
    frame = steps.assign(
        label=steps["step"].astype(str) + ". " + steps["activity"],
        status_label=steps["status"].map(STATUS_LABELS),
        planned_end=steps["due"] + day,
        actual_end=steps["finished"].fillna(pd.Timestamp(today)) + day,
    )
    order = alt.Y("label:N", title=None, sort=list(frame["label"]))
    tooltip = [
        alt.Tooltip("label:N", title="Langkah"),
        alt.Tooltip("executor:N", title="Pelaksana"),
        alt.Tooltip("sla_days:Q", title="SLA (hari kerja)"),
        alt.Tooltip("start:T", title="Mulai", format="%d-%m-%Y"),
        alt.Tooltip("due:T", title="Batas", format="%d-%m-%Y"),
        alt.Tooltip("finished:T", title="Selesai", format="%d-%m-%Y"),
        alt.Tooltip("status_label:N", title="Status"),
    ]
    dates = alt.X("start:T", title="Tanggal", axis=alt.Axis(format="%d-%m"))
    planned = (
        alt.Chart(frame)
        .mark_bar(color="#d5d8dc", height={"band": 0.8})
        .encode(x=dates, x2="planned_end:T", y=order, tooltip=tooltip)
    )
    done = frame[frame["status"] != WAITING]
    actual = alt.Chart(done).mark_bar(height={"band": 0.4}).encode(
        x=dates, x2="actual_end:T", y=order, tooltip=tooltip,
        color=alt.Color("status_label:N", title="Status", scale=alt.Scale(
            domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values()))),
    )  # fmt: skip
    now = (
        alt.Chart(pd.DataFrame({"today": [pd.Timestamp(today)]}))
        .mark_rule(color="#0b4a8b", strokeDash=[4, 3])
        .encode(x="today:T")
    )
    return alt.layer(planned, actual, now).properties(width=720, height=22 * len(frame))
