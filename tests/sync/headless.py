"""Headless Chromium for the tests, started through Yici's own DevTools client (sync/browser/).

Debian's `chromium` (installed by ./dev) in a fresh profile folder, with no sandbox (tests run as
root in containers) and nothing outside 127.0.0.1 reachable: every other host name fails to resolve.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.browser import devtools

WHY_NOT = "Chromium 不在本机：请安装 Debian 的 chromium 包（./dev 会安装）"
TEST_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)


def chromium() -> str | None:
    """The Chromium (or Chrome, Edge) program on this machine, or None: the one Yici would drive."""
    return devtools.find_program()


needs_chromium = pytest.mark.skipif(chromium() is None, reason=WHY_NOT)


def start(folder: Path) -> devtools.Browser:
    """Headless Chromium with its profile in `folder`."""
    program = chromium()
    assert program is not None, WHY_NOT
    return devtools.Browser(program, folder, headless=True, extra_args=TEST_ARGS)
