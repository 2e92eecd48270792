"""A real headless Chromium for the township page's tests, driven over the DevTools protocol by
Yici's own client (sync/browser/devtools.py, sync/browser/page.py).

Debian's `chromium` is started headless in a fresh profile folder. Nothing outside 127.0.0.1 can
be reached: every other host name fails to resolve.
"""

from __future__ import annotations

from pathlib import Path

from sync.browser import devtools
from sync.browser.page import Page


def chromium() -> str | None:
    """The Chromium (or Chrome, Edge) program on this machine, or None: the one Yici would drive."""
    return devtools.find_program()


WHY_NOT = "Chromium 不在本机：请安装 Debian 的 chromium 包（./dev 会安装）"
# Tests run as root in containers (no sandbox there) and must reach only the servers they start.
TEST_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)


def start(folder: Path) -> devtools.Browser:
    """Headless Chromium with a profile in `folder`."""
    program = chromium()
    assert program is not None, WHY_NOT
    return devtools.Browser(program, folder, headless=True, extra_args=TEST_ARGS)


class Browser(Page):
    """One headless Chromium with one page; CSS selectors for the township page's own markup."""

    def __init__(self, folder: Path):
        self.process = start(folder)
        super().__init__(self.process)

    def type_into(self, selector: str, text: str) -> None:
        """Focus a field and type `text` into it as a keyboard's input method would."""
        self.fill_text("css", selector, text)

    def click(self, by: str, what: str | None = None) -> None:  # type: ignore[override]
        """A click on the element a CSS selector (or a locator: by, what) finds."""
        if what is None:
            by, what = "css", by
        super().click(by, what)

    def close(self) -> None:
        self.process.close()
