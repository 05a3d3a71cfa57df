"""The JavaScript that draws charts in the browser, served once by the dashboard server.

Altair's chart widget (``alt.JupyterChart``) carries its JavaScript (Vega, Vega-Lite and
the widget, bundled offline by vl-convert: about 0.9 MB) in the widget's state, so every
chart of every page sent it again over the websocket, and bundling it cost each kernel
about 90 MB of memory. Instead the dashboard server writes the bundle once into a file
(:func:`write`, run in a process of its own) and serves it under :data:`ROUTE`, where the
browser caches it; each chart widget carries only :func:`loader`, a few lines importing
it. This module imports nothing heavy, so the server can read the names it shares.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

ROUTE = "kring/vega/"
"""Where, below the server's base URL, the bundle is served."""


def file_name() -> str:
    """The bundle's file name, which changes with the Altair and vl-convert that make it."""
    return f"jupyterchart-{version('altair')}-{version('vl-convert-python')}.js"


def loader() -> str:
    """The widget's JavaScript: import the bundle from the server the page came from."""
    path = json.dumps(ROUTE + file_name())
    return (
        'const page = document.getElementById("jupyter-config-data");\n'
        'const base = (page && JSON.parse(page.textContent).baseUrl) || "/";\n'
        f"const bundle = new URL(base + {path}, document.baseURI);\n"
        "export default (await import(bundle.href)).default;\n"
    )


def write(folder: Path) -> Path:
    """Write the bundle into ``folder`` unless it is there; returns its path."""
    target = folder / file_name()
    if target.is_file():
        return target
    import altair as alt

    bundled = type("Bundled", (alt.JupyterChart,), {})  # leaves Altair's own class online
    bundled.enable_offline()
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".tmp", delete=False) as out:
        out.write(bundled._esm)
    os.replace(out.name, target)  # whole or not at all, whoever else writes it too
    return target


if __name__ == "__main__":
    write(Path(sys.argv[1]))
