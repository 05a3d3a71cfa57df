"""Files handed to the browser as download links; nothing is written on the server."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable

import ipywidgets as w
import pandas as pd

from kringlib.workbooks import workbook

MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "png": "image/png",
    "svg": "image/svg+xml",
}


def link(content: bytes | str, file_name: str, label: str) -> str:
    """An ``<a download>`` carrying ``content`` as a data URI, so it never leaves the page."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    kind = file_name.rsplit(".", 1)[-1]
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="kr-download" download="{html.escape(file_name)}" '
        f'href="data:{MIME[kind]};base64,{encoded}">{html.escape(label)}</a>'
    )


def xlsx(frame: pd.DataFrame, sheet: str) -> bytes:
    """``frame`` as an Excel workbook with one sheet."""
    return workbook({sheet: frame})


def on_request(label: str, links: Callable[[], str], css_class: str) -> w.VBox:
    """A button that makes download links (``links()``, markup) when pressed: a file made
    at every first render would cost each visitor its bytes and each kernel its making."""
    shown = w.HTML().add_class(f"{css_class}-links")
    ask = w.Button(description=label, layout=w.Layout(width="auto")).add_class(css_class)

    def show(_button) -> None:
        shown.value = links()
        ask.layout.display = "none"

    ask.on_click(show)
    return w.VBox([ask, shown])
