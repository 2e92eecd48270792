"""Qt for printing without a window: the command line writes PDFs on servers and over SSH.

Laying text out needs a QGuiApplication (fonts); showing nothing, it needs no display, so the
command line always runs Qt's `offscreen` platform unless told otherwise (QT_QPA_PLATFORM).
"""

from __future__ import annotations

import os

_app = None  # kept for the life of the process: Qt must not be torn down between two PDFs


def paper_application():
    """The running QGuiApplication, or a new one on the offscreen platform."""
    global _app
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = _app = QGuiApplication(["yici"])
    return app
