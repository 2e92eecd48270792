"""A real headless Chromium for the township page's tests (tests/sync/headless.py), with one tab
and CSS selectors for the township page's own markup."""

from __future__ import annotations

from pathlib import Path

from sync.browser.page import Page
from tests.sync.headless import WHY_NOT, chromium, start

__all__ = ["WHY_NOT", "Browser", "chromium"]


class Browser(Page):
    """One headless Chromium with one page."""

    def __init__(self, folder: Path):
        self.process = start(folder)
        super().__init__(self.process)

    def type_into(self, selector: str, text: str) -> None:
        """Focus a field and type `text` into it as a keyboard's input method would."""
        self.fill_text("css", selector, text)

    def click(self, by: str, what: str | None = None) -> None:
        """A click on the element a CSS selector (or a locator: by, what) finds."""
        if what is None:
            by, what = "css", by
        super().click(by, what)

    def close(self) -> None:
        self.process.close()
