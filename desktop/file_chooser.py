"""Choosing a file to open or a place to save: Qt's file dialog, sized like every other window.

The static `QFileDialog.getOpenFileName` opens Qt's own dialog (where the system offers none) at
a fixed size that 大字 and 特大 crowd: long file names cut, buttons pressed together. Made here as
an object, it is fitted to the text size and the screen and remembers its place (window_size.py);
where the system has its own dialog (Windows), that one is used and sizes itself.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from desktop.window_size import fit_window


def _ask(dialog: QFileDialog) -> Path | None:
    fit_window(dialog, "file-dialog", 780, 500, grow=False)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    chosen = dialog.selectedFiles()
    return Path(chosen[0]) if chosen and chosen[0] else None


def open_file(parent: QWidget | None, title: str, folder: str | Path, filters: str) -> Path | None:
    """An existing file chosen by the person, or None when they cancelled."""
    dialog = QFileDialog(parent, title, str(folder), filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return _ask(dialog)


def save_file(parent: QWidget | None, title: str, suggested: str | Path, filters: str) -> Path | None:
    """Where to save (the dialog asks before replacing a file), or None when they cancelled."""
    dialog = QFileDialog(parent, title, str(suggested), filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    return _ask(dialog)


def choose_folder(parent: QWidget | None, title: str, folder: str | Path) -> Path | None:
    """An existing folder chosen by the person, or None when they cancelled."""
    dialog = QFileDialog(parent, title, str(folder))
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    return _ask(dialog)
