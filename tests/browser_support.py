"""Driving Debian's Chromium with Playwright, and watching every request a page makes."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "about"}


def require_browser_or_skip() -> None:
    """Skip when Chromium or Playwright is missing; fail instead under KRING_REQUIRE_BROWSER=1."""
    missing = None
    if not CHROMIUM.exists():
        missing = f"Chromium tidak ada di {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "paket Python playwright tidak terpasang (pip install -e '.[test]')"
    if missing:
        if os.environ.get("KRING_REQUIRE_BROWSER") == "1":
            pytest.fail(f"KRING_REQUIRE_BROWSER=1 tetapi {missing}")
        pytest.skip(missing)


def is_loopback(url: str) -> bool:
    """True for a request that stays on this machine (blob: URLs by their origin)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    if parts.scheme == "blob":
        return is_loopback(url[len("blob:") :])
    return parts.hostname in LOOPBACK


class RequestLog:
    """Every request and websocket a page opens, with the bytes received."""

    def __init__(self, page):
        self.urls: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("websocket", lambda ws: self.urls.append(ws.url))

    def off_loopback(self) -> list[str]:
        return [url for url in self.urls if not is_loopback(url)]


def wait_rendered(page, timeout_ms: int = 90_000) -> None:
    """Wait until Voilà's spinner is gone and the dashboard's widgets are attached."""
    page.wait_for_selector("#loading", state="detached", timeout=timeout_ms)
    page.wait_for_selector(".kr-app", state="visible", timeout=timeout_ms)


def cell_errors(page) -> list[str]:
    """Texts of error or stderr outputs shown on the page (none on a healthy dashboard)."""
    selector = '[data-mime-type*="error"], [data-mime-type*="stderr"]'
    return [element.inner_text() for element in page.query_selector_all(selector)]


def choose(page, selector: str, containing: str, timeout_ms: int = 30_000) -> str:
    """Select the option of an ipywidgets dropdown or list whose label contains ``containing``.

    Waits for the option to arrive (the kernel fills lists after a change); ipywidgets
    writes labels with non-breaking spaces, which count as spaces here.
    """
    found = page.wait_for_function(
        """([selector, wanted]) => {
            const list = document.querySelector(selector);
            if (!list) return null;
            const option = Array.from(list.options).find(
                o => o.text.replace(/\u00a0/g, " ").includes(wanted));
            return option ? option.text : null;
        }""",
        arg=[selector, containing],
        timeout=timeout_ms,
    )
    label = found.json_value()
    page.select_option(selector, label=label)
    return label


def switch_user(page, username: str) -> None:
    """Sign in as ``username`` with the demo-only "Masuk sebagai" switch."""
    choose(page, ".kr-switch-user select", f"({username})")
    page.wait_for_selector(f".kr-identity:has-text('{username}'), .kr-identity b")
