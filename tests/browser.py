"""A headless Chromium for the tests that open a report in a real browser: Debian's chromium driven
by Playwright for Python (never Playwright's own download of a browser).

Without either, those tests skip and say which is missing; with ``CITECHECK_REQUIRE_BROWSER=1``
(CI sets it) they fail instead, so that a CI image that lost its browser cannot pass quietly.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = "/usr/bin/chromium"
# No sandbox (tests may run as root in a container), no GPU, and none of the browser's own traffic:
# QUIC probes, first-run pages, component and sync updates.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing() -> str | None:
    """Why no browser can be launched, or None when one can."""
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (pip install playwright)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium, closed afterwards; skips (or fails, when required) the tests that need
    it when it cannot be launched."""
    reason = missing()
    if reason is not None:
        if os.environ.get("CITECHECK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CITECHECK_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
