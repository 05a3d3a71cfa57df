"""Chart builders: valid Vega-Lite with the expected layers, encodings and data."""

import pandas as pd
from test_adherence import OUTAGE, timeline

from kringlib import charts
from kringlib.ui import charting


def rows(spec: dict, layer: dict) -> pd.DataFrame:
    frame = pd.DataFrame(spec["datasets"][layer["data"]["name"]])
    return frame.assign(start=frame["start"].str[11:16], end=frame["end"].str[11:16])


def test_agent_day_draws_a_lane_each_over_the_hours_with_excused_time_shaded():
    chart = charts.agent_day(timeline(adjustments=OUTAGE))
    spec = charts.localised(chart).to_dict()  # validated against the Vega-Lite schema
    band, *lanes = spec["layer"]
    assert spec["resolve"] == {"scale": {"color": "independent"}}
    assert band["mark"]["type"] == "rect" and "y" not in band["encoding"]  # the full height
    assert band["encoding"]["color"]["title"] == "Dimaafkan"
    shaded = rows(spec, band)[["value", "start", "end"]].values.tolist()
    assert shaded == [["Gangguan sistem", "14:00", "14:20"]]
    for layer, title in zip(lanes, charts.DAY_LANES, strict=True):
        encoding = layer["encoding"]
        assert layer["mark"]["type"] == "bar"
        assert layer["transform"] == [{"filter": f"(datum.lane === '{title}')"}]
        assert (encoding["x"]["field"], encoding["x"]["type"], encoding["x2"]["field"]) == (
            "start", "temporal", "end"
        )  # fmt: skip
        assert encoding["x"]["axis"]["format"] == "%H.%M"
        assert encoding["y"] == {"field": "lane", "sort": list(charts.DAY_LANES),
                                 "title": None, "type": "nominal"}  # fmt: skip
        assert encoding["color"]["title"] == title
        assert [t["title"] for t in encoding["tooltip"]] == [
            "Jalur", "Keterangan", "Rincian", "Mulai", "Selesai", "Menit"
        ]  # fmt: skip
    data = rows(spec, lanes[0])
    counted = data[data["lane"] == "Kepatuhan"][["value", "start", "end", "minutes"]]
    assert counted.values.tolist() == [
        ["Terlambat mulai", "08:00", "08:20", 20], ["Patuh", "08:20", "10:00", 100],
        ["AUX", "10:00", "10:15", 15], ["Patuh", "10:15", "12:00", 105],
        ["Patuh", "13:00", "14:00", 60], ["Dimaafkan", "14:00", "14:20", 20],
        ["Offline", "14:20", "14:30", 10], ["Patuh", "14:30", "15:30", 60],
        ["Pulang awal", "15:30", "16:00", 30],
    ]  # fmt: skip
    schedule = data[data["lane"] == "Jadwal"][["value", "detail", "start", "end"]]
    assert schedule.values.tolist() == [["Layanan", "layanan", "08:00", "12:00"],
                                        ["Bukan layanan", "istirahat", "12:00", "13:00"],
                                        ["Layanan", "layanan", "13:00", "16:00"]]  # fmt: skip
    assert set(data.loc[data["lane"] == "Status", "value"]) == {"Online", "AUX", "Offline"}


def test_agent_day_draws_in_the_kernel_and_with_nothing_to_show():
    svg = charting.svg(charts.agent_day(timeline(adjustments=OUTAGE)))
    assert "Terlambat mulai" in svg and "Jam" in svg
    empty = charts.agent_day(timeline([], []))
    assert charts.localised(empty).to_dict()["layer"]
