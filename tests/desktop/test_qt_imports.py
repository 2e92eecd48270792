"""PySide6 no longer reads the source of every module imported after it (desktop/qt_imports.py)."""

from __future__ import annotations

import importlib
import linecache
import sys

import desktop.app  # noqa: F401 - applies desktop.qt_imports, as the app does
from desktop import qt_imports


def test_modules_imported_after_pyside_are_not_read_again(tmp_path, monkeypatch):
    probe = tmp_path / "yici_import_probe.py"
    probe.write_text('"""A module imported after PySide6."""\nVALUE = 1\n', encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    linecache.clearcache()
    module = importlib.import_module("yici_import_probe")
    try:
        assert module.VALUE == 1
        assert str(probe) not in linecache.cache  # PySide's own check would have read it
    finally:
        sys.modules.pop("yici_import_probe", None)


def test_the_answer_is_right_in_kind():
    import desktop.main_window
    import forms.store

    assert qt_imports.uses_pyside(desktop.main_window)
    assert not qt_imports.uses_pyside(forms.store)
    feature = sys.modules["shibokensupport.feature"]
    assert feature._mod_uses_pyside is qt_imports.uses_pyside
