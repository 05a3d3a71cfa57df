"""What each kind of export is checked for once its cells are read: identities, negative,
implausible and duplicated rows, parts above their whole; then shaped into the rows the
store keeps (agent-days, queue rows per hour or day, log-in periods)."""

from __future__ import annotations

import pandas as pd

from kringlib.canonical import ACTIVITY_MEASURES, CHANNELS
from kringlib.ingest import layouts
from kringlib.ingest.findings import ERROR, Collector
from kringlib.ingest.layouts import IDENTITIES, WHOLE_DAY, ReportLayout, caption


def check_plausible(frame: pd.DataFrame, found: Collector) -> None:
    """An error for each value above its column's ``plausible_max``."""
    for column, limit in layouts.export_rules().plausible_max.items():
        if column in frame.columns:
            for row, value in frame.loc[frame[column] > limit, ["source_row", column]].values:
                message = f"nilai tidak wajar: {value:g} (batas {limit:g}, ekspor.yaml)"
                found.error(int(row), caption(column), "implausible_value", message)


def _check_negative(frame, columns, found) -> None:
    for column in columns:
        if column in frame.columns:
            for row in frame.loc[frame[column] < 0, "source_row"]:
                found.error(int(row), caption(column), "negative_value", "nilai negatif")


def check_filled(frame: pd.DataFrame, layout: ReportLayout, columns, found: Collector) -> None:
    """An error for each blank cell of ``columns``, but for a cell already found unreadable
    (its finding said what is wrong with it)."""
    said = {(f.row, f.column) for f in found.findings}
    for column in columns:
        caption = layout.columns[column][0]
        for row in frame.loc[frame[column].isna(), "source_row"]:
            if (int(row), caption) not in said:
                found.error(int(row), caption, "required_blank", "sel wajib kosong")


def check_duplicates(frame, keys, found, what: str) -> None:
    """An error for each row whose ``keys`` repeat an earlier row's, naming that row; in
    one pass (a file of many duplicated rows is checked as fast as any other)."""
    first = frame.groupby(keys, dropna=False, sort=False)["source_row"].transform("first")
    duplicated = frame.duplicated(subset=keys, keep="first")
    column = caption(keys[0])
    for row, earlier in zip(frame.loc[duplicated, "source_row"], first[duplicated], strict=True):
        found.error(
            int(row), column, "duplicate_row", f"{what} ganda (sama dengan baris {int(earlier)})"
        )


def _agent_rows(frame: pd.DataFrame, layout: ReportLayout, found: Collector) -> pd.DataFrame:
    key = identity(frame, IDENTITIES, found)
    if key is None:
        found.error(
            0,
            "Login ID",
            "identity_missing",
            "kolom identitas agen (Login ID atau Agent Name) tidak ada",
        )
        return frame
    _check_negative(frame, [c for c in ACTIVITY_MEASURES if c in frame.columns], found)
    grain = [key, "date", *(["interval"] if "interval" in frame.columns else [])]
    check_duplicates(
        frame, grain, found, "baris agen-tanggal" + ("-interval" if len(grain) == 3 else "")
    )
    if {"acd_time", "staffed_time"} <= set(frame.columns):
        for row in frame.loc[frame["acd_time"] > frame["staffed_time"], "source_row"]:
            found.warning(
                int(row), "ACD Time", "part_exceeds_whole", "ACD time melebihi staffed time"
            )
    frame["channel"] = layout.channel
    return _to_daily(frame, [key, "date", "channel"])


def _split_rows(frame: pd.DataFrame, layout: ReportLayout, found: Collector) -> pd.DataFrame:
    settings = layouts.export_rules()
    counts = ["offered", "answered", "abandoned", "flow_out", "dequeued"]
    _check_negative(frame, counts, found)
    keys = [
        "date",
        *(["split"] if "split" in frame.columns else []),
        *(["interval"] if "interval" in frame.columns else []),
    ]
    check_duplicates(frame, keys, found, "baris split-tanggal")
    if {"offered", "answered"} <= set(frame.columns):
        for row in frame.loc[frame["answered"] > frame["offered"], "source_row"]:
            found.warning(
                int(row),
                "ACD Calls",
                "part_exceeds_whole",
                "panggilan dijawab melebihi panggilan masuk",
            )
    if "offered" in frame.columns:
        basis = caption("offered")
    else:
        frame["offered"], basis = _offered_from_parts(frame, settings)
    frame["channel"] = layout.channel
    return _queue_rows(frame, ["offered", "answered", "abandoned"], basis)


def _offered_from_parts(
    frame: pd.DataFrame, settings: layouts.ExportRules
) -> tuple[pd.Series, str]:
    """Calls offered as the sum of the parts of ``offered_from_parts`` the report has (a
    row missing one of them has none), and the formula used, in the report's captions."""
    parts = [p for p in settings.offered_from_parts.parts if p in frame.columns]
    offered = frame[parts].sum(axis=1, min_count=len(parts))
    return offered, " + ".join(caption(p) for p in parts)


def _queue_rows(frame: pd.DataFrame, measures: list[str], basis: str) -> pd.DataFrame:
    """Rows summed per day, hour (:data:`WHOLE_DAY` without intervals) and channel, each
    saying where its calls offered came from (``offered_basis``)."""
    frame["hour"] = frame["interval"] // 60 if "interval" in frame.columns else WHOLE_DAY
    measures = [c for c in measures if c in frame.columns]
    grouped = frame.groupby(["date", "hour", "channel"], as_index=False).agg(
        source_row=("source_row", "min"), **{m: (m, lambda s: s.sum(min_count=1)) for m in measures}
    )
    return grouped.assign(offered_basis=basis)


def _vdn_rows(frame: pd.DataFrame, layout: ReportLayout, found: Collector) -> pd.DataFrame:
    """Inbound calls per VDN as the calls offered to the service each VDN belongs to
    (``vdn_services``); VDNs of no service are left out, said once each."""
    settings = layouts.export_rules()
    _check_negative(frame, ["inbound_calls"], found)
    keys = ["date", "vdn", *(["interval"] if "interval" in frame.columns else [])]
    check_duplicates(frame, keys, found, "baris VDN-tanggal")
    services = settings.vdn_services
    frame["channel"] = frame["vdn"].map(lambda v: services.vdns.get(v, services.default))
    for vdn, rows in frame[frame["channel"].isna()].groupby("vdn"):
        found.warning(int(rows["source_row"].min()), "VDN", "vdn_not_a_service",
                      f"VDN {vdn} bukan layanan mana pun (vdn_services); "
                      f"{len(rows)} baris dilewati")  # fmt: skip
    frame = frame[frame["channel"].notna()].rename(columns={"inbound_calls": "offered"})
    return _queue_rows(frame, ["offered"], f"{caption('inbound_calls')} (laporan VDN)")


def _login_rows(frame: pd.DataFrame, layout: ReportLayout, found: Collector) -> pd.DataFrame:
    """Log-in periods: ``login_at`` and ``logout_at`` (NaT while still logged in) per
    agent's log-in id, on the channel of the report."""
    identity(frame, ("login_id",), found)
    frame["login_at"] = moments(frame["date"], frame["login_time"])
    logout_day = frame["logout_date"] if "logout_date" in frame else frame["date"]
    logout = frame["logout_time"] if "logout_time" in frame else pd.Series(None, frame.index)
    frame["logout_at"] = moments(pd.to_datetime(logout_day), logout)
    for row in frame.loc[frame["logout_at"] < frame["login_at"], "source_row"]:
        found.error(
            int(row),
            caption("logout_time"),
            "logout_before_login",
            "logout sebelum login",
        )
    check_duplicates(frame, ["login_id", "login_at"], found, "baris login agen")
    frame["channel"] = layout.channel
    columns = ["source_row", "login_id", "date", "channel", "login_at", "logout_at",
               *(c for c in ("extension", "split") if c in frame.columns)]  # fmt: skip
    return frame[columns]


def moments(days: pd.Series, times: pd.Series) -> pd.Series:
    """Each day at its time of day; NaT where either is missing."""
    seconds = times.map(lambda t: t.hour * 3600 + t.minute * 60 + t.second, na_action="ignore")
    return days + pd.to_timedelta(seconds.astype("float64"), unit="s")


def _channel_rows(frame: pd.DataFrame, layout: ReportLayout, found: Collector) -> pd.DataFrame:
    for column in ("date", "channel"):
        if column not in frame.columns:
            found.error(0, layout.columns[column][0], "column_missing", "kolom wajib tidak ada")
    key = template_identity(frame, layout, found)
    if any(f.level == ERROR for f in found.findings):
        return frame
    for _, row in frame[~frame["channel"].isin(CHANNELS)].iterrows():
        found.error(
            int(row["source_row"]),
            "saluran",
            "unknown_channel",
            f"saluran tidak dikenal: {row['channel']!r} (pilih {', '.join(CHANNELS)})",
        )
    _check_negative(frame, [c for c in ACTIVITY_MEASURES if c in frame.columns], found)
    check_duplicates(frame, [key, "date", "channel"], found, "baris agen-tanggal-saluran")
    pairs = [
        ("interactions_documented", "interactions_total"),
        ("chats_answered_in_sla", "chats_answered"),
        ("emails_answered", "emails_assigned"),
    ]
    for part, whole in pairs:
        if {part, whole} <= set(frame.columns):
            for row in frame.loc[frame[part] > frame[whole], "source_row"]:
                found.warning(
                    int(row),
                    caption(part),
                    "part_exceeds_whole",
                    f"melebihi {caption(whole)}",
                )
    return frame


def template_identity(frame: pd.DataFrame, layout: ReportLayout, found: Collector) -> str | None:
    """A template's agent column: ``id_login`` (the agent's id on the row's system) or
    ``id_agen``; an error when it has neither."""
    key = identity(frame, ("login_id", "agent_id"), found)
    if key is None:
        wanted = "kolom wajib tidak ada (id_agen, atau id_login dari sistem saluran)"
        found.error(0, layout.columns["agent_id"][0], "identity_missing", wanted)
    return key


def identity(frame: pd.DataFrame, allowed, found: Collector) -> str | None:
    """The surest column of ``allowed`` that ``frame`` has (None: none); a row without
    it is an error."""
    key = next((c for c in allowed if c in frame.columns), None)
    if key is not None:
        for row in frame.loc[frame[key].isna(), "source_row"]:
            found.error(int(row), caption(key), "identity_missing", "identitas agen kosong")
    return key


def _to_daily(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Interval rows summed to one row per agent and day (a measure missing on every row
    stays missing); ``source_row`` keeps the first line."""
    measures = [c for c in ACTIVITY_MEASURES if c in frame.columns]
    names = ["agent_name"] if "agent_name" in frame.columns and "agent_name" not in keys else []
    groups = frame.groupby(keys, dropna=False)
    daily = groups[measures].sum(min_count=1)
    daily.insert(0, "source_row", groups["source_row"].min())
    for name in names:
        daily[name] = groups[name].first()
    return daily.reset_index()


CHECKS = {
    layouts.AGENT: _agent_rows,
    layouts.SPLIT: _split_rows,
    layouts.CHANNEL_TEMPLATE: _channel_rows,
    layouts.VDN: _vdn_rows,
    layouts.LOGIN: _login_rows,
}
