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
PLACEHOLDER = re.compile(r"%\d|\{[a-z_]+\}")


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
        str(p.relative_to(ROOT)) for p in [*ROOT.glob("desktop/*.py"), *ROOT.glob("desktop/editor/*.py")]
    )


def test_every_string_is_translated_with_the_same_placeholders():
    problems = []
    for (context, source), translation in _messages(TS).items():
        kind = translation.get("type")
        text = translation.text or ""
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
    from sync.kinds import KIND_TITLES

    assert set(MARKED) == set(KIND_TITLES.values()) | set(STATE_TITLES.values())


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
