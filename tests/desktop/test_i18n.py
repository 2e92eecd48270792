"""English comes from the compiled .qm; Chinese is the source language and needs none.

The .ts must hold every string the desktop code marks, each translated, and the .qm must be what
lrelease makes of it: a string added without an English translation fails here, not in the
hands of an English-speaking user.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from desktop.i18n import I18N_DIR, install_language, remove_language
from desktop.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
TS = I18N_DIR / "yici_en.ts"
PLACEHOLDER = re.compile(r"%\d|%L?n|\{[a-z_]+\}")


def _tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    found = str(path) if path.exists() else shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed")
    return found


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            out[(name, message.findtext("source"))] = message.find("translation")
    return out


def _sources() -> list[str]:
    return sorted(
        str(p.relative_to(ROOT))
        for folder in ("desktop", "desktop/editor", "desktop/paper")
        for p in ROOT.glob(f"{folder}/*.py")
    )


def test_every_string_is_translated_with_the_same_placeholders():
    problems = []
    for (context, source), translation in _messages(TS).items():
        kind = translation.get("type")
        forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
        for text in forms:  # a message with a count has one text per plural form
            if kind in ("unfinished", "vanished", "obsolete") or not text.strip():
                problems.append(f"{context}: {source!r} is {kind or 'empty'}")
            elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                problems.append(f"{context}: {source!r} -> {text!r} changes the placeholders")
    assert not problems, "\n".join(problems)


def test_the_ts_file_holds_every_string_in_the_code(tmp_path):
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [_tool("pyside6-lupdate"), *_sources(), "-no-obsolete", "-ts", str(fresh)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    missing = sorted(set(_messages(fresh)) - set(_messages(TS)))
    assert not missing, f"run pyside6-lupdate and translate: {missing[:10]}"


def test_the_qm_file_is_compiled_from_the_ts_file(tmp_path):
    qm = tmp_path / "yici_en.qm"
    subprocess.run([_tool("pyside6-lrelease"), str(TS), "-qm", str(qm)], check=True, capture_output=True)
    assert qm.read_bytes() == (I18N_DIR / "yici_en.qm").read_bytes(), (
        "run pyside6-lrelease resources/i18n/yici_en.ts"
    )


def test_core_titles_are_marked_for_translation():
    from desktop.words import MARKED
    from forms.store import STATE_TITLES

    assert set(MARKED) == set(STATE_TITLES.values())


def test_english_translation_loads(qapp):
    assert (I18N_DIR / "yici_en.qm").exists()
    assert install_language(qapp, "en")
    try:
        assert QCoreApplication.translate("MainWindow", "新建记录") == "New record"
        assert QCoreApplication.translate("RecordsModel", "摘要") == "Summary"
        assert QCoreApplication.translate("errors", "无法完成") == "Could not finish"
    finally:
        remove_language(qapp)
    assert QCoreApplication.translate("MainWindow", "新建记录") == "新建记录"


def test_chinese_needs_no_file(qapp):
    assert install_language(qapp, "zh_CN")
    assert QCoreApplication.translate("MainWindow", "新建记录") == "新建记录"
    assert install_language(qapp, "no-such-language")  # falls back to Chinese


def test_window_built_in_english(session, qtbot, qapp):
    session.store.add_branch("红星村党支部")
    install_language(qapp, "en")
    try:
        window = MainWindow(session)
        qtbot.addWidget(window)
        assert window.new_button.text() == "New record"
        assert [a.text() for a in window.menuBar().actions()] == ["&File", "&Settings", "&Help"]
        assert window.model.headerData(0, Qt.Orientation.Horizontal) == "Form"
        assert window.sync_status.text.text() == "No delivery platform configured"
        assert window.targets_action.text() == "&Delivery platforms…"
    finally:
        remove_language(qapp)


def test_due_periods_in_english_and_unchanged_in_chinese(qapp):
    from desktop.due_view import period_words

    periods = [
        ("month", "2026-11-01"),
        ("quarter", "2026-10-01"),
        ("half-year", "2026-07-01"),
        ("year", "2026-01-01"),
    ]
    chinese = {
        False: ["2026年11月", "2026年第4季度", "2026年下半年", "2026年"],
        True: ["11月", "第4季度", "下半年", "2026年"],
    }
    english = {
        False: ["November 2026", "Q4 2026", "second half of 2026", "2026"],
        True: ["Nov", "Q4", "H2", "2026"],
    }
    for short in (False, True):
        assert [period_words(e, s, short) for e, s in periods] == chinese[short]
    install_language(qapp, "en")
    try:
        for short in (False, True):
            assert [period_words(e, s, short) for e, s in periods] == english[short]
    finally:
        remove_language(qapp)


def test_counts_take_the_plural_in_english(qapp):
    from desktop.window_records import RecordCount

    def count(n: int) -> str:
        return RecordCount().words(n)

    assert [count(1), count(1234)] == ["共 1 条记录", "共 1,234 条记录"]
    install_language(qapp, "en")
    try:
        assert [count(1), count(2), count(1234)] == ["1 record", "2 records", "1,234 records"]
    finally:
        remove_language(qapp)


def test_qt_file_dialog_speaks_chinese(qapp):
    from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel

    install_language(qapp, "zh_CN")
    dialog = QFileDialog(None, "选择备份文件")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    try:
        texts = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton)]
        english = [t for t in texts if re.search(r"[A-Za-z]{3}", t.replace("&", ""))]
        assert texts and not english, english
    finally:
        dialog.deleteLater()


def test_window_language_sets_the_core_language(qapp):
    from forms import i18n as core

    install_language(qapp, "en")
    try:
        assert core.language() == "en"
        assert core.tr("飞书") == "Feishu"
    finally:
        remove_language(qapp)
    assert core.language() == "zh_CN"
    assert core.tr("飞书") == "飞书"
