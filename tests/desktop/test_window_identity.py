"""Which app and which data folder a window belongs to: title bar, About."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from desktop.app import DISPLAY_NAME, application
from desktop.first_run import FirstRunDialog
from desktop.main_window import MainWindow
from forms.version import app_version


def platform_title(title: str) -> str:
    """The title X11 and Windows show: Qt adds " — <display name>" unless the title ends with it
    (QPlatformWindow::formatWindowTitle)."""
    name = QApplication.applicationDisplayName()
    return title if title.endswith(name) else f"{title} — {name}"


def test_title_bars_name_the_app_once(session, bare_session, qtbot):
    application()  # the names the app sets at start
    assert QApplication.applicationDisplayName() == DISPLAY_NAME
    window = MainWindow(session)
    qtbot.addWidget(window)
    first_run = FirstRunDialog(bare_session)
    qtbot.addWidget(first_run)
    about = window.show_about()
    for widget in (window, first_run, about):
        shown = platform_title(widget.windowTitle())
        assert shown.count("Yici") == 1, shown
    assert platform_title(window.windowTitle()) == "党支部记录 — Yici 一次"
    about.close()


def test_about_shows_version_and_data_folder(session, qtbot):
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    about = window.show_about()
    text = about.text()
    assert app_version() in text and app_version() != "unknown"
    assert str(session.data_dir) in text
    about.close()
