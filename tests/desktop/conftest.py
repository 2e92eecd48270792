"""Desktop tests: offscreen Qt, a fresh data folder per test, Chinese typed by input method."""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")

import pytest  # noqa: E402
from PySide6.QtGui import QInputMethodEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog  # noqa: E402

from desktop.session import Session  # noqa: E402


@pytest.fixture
def session(tmp_path):
    """A Session on a new data folder with an operator already chosen (past first run)."""
    s = Session.open(tmp_path / "data")
    s.operator = "张晓梅"
    yield s
    s.close()


@pytest.fixture
def bare_session(tmp_path):
    """A Session on a new, empty data folder (first run not done)."""
    s = Session.open(tmp_path / "data")
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _plain_appearance(qapp):
    """Each test starts in Chinese at the standard font size (settings change the app)."""
    from desktop.appearance import apply_appearance
    from desktop.i18n import remove_language

    remove_language(qapp)
    apply_appearance(qapp, "standard")
    gc.disable()  # as the app does (desktop/safe_collector.py): never inside a Qt call ...
    try:
        yield
    finally:
        # A dialog a test left open (the recovery key beside a started window, say) would
        # otherwise be the next test's "active modal widget" and answer its questions.
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.close()
        gc.collect()  # ... only here, between tests, where Qt is idle
        gc.enable()
        remove_language(qapp)


def type_chinese(widget, text: str) -> None:
    """Type `text` into `widget` as an input method would commit it.

    qtbot.keyClicks aborts on non-ASCII text; a QInputMethodEvent with a commit string is how
    a Chinese IME delivers characters.
    """
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def type_text():
    return type_chinese
