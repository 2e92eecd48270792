"""Text pasted into the record editor with invisible control characters (an escape sequence from
a terminal, NUL from a broken export, a right-to-left override from a web page) is named at its
field and keeps the record from being final; a pasted line break in a one-line field is a space."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.desktop.editor.test_record_editor import accept_dialogs, fill_required


def paste(widget, text: str) -> None:
    """Paste `text` into `widget` through the clipboard, as a person would with Ctrl+V."""
    QApplication.clipboard().setText(text)
    widget.setFocus()
    widget.paste()


def test_pasted_control_characters_are_named_and_block_finalize(monkeypatch, new_editor, session):
    calls: list = []
    accept_dialogs(monkeypatch, calls)
    editor = new_editor()
    fill_required(editor)
    title = editor.panel.rows["title"]
    title.widget.edit.clear()
    paste(title.widget.edit, "十一月\x1b[2J支部委员会")
    editor.refresh_now()
    assert editor.finalize() is False and calls == []  # no confirmation: there is an error
    assert title.message.isVisible()
    assert "“会议名称”里有看不见的控制字符" in title.message.text() and "U+001B" in title.message.text()
    assert all(r.status == "draft" for r in session.store.records())

    content = editor.panel.rows["content"]
    content.widget.edit.clear()
    paste(content.widget.edit, "传达\u202e上级精神")
    title.widget.edit.clear()
    paste(title.widget.edit, "十一月支部委员会")
    editor.refresh_now()
    assert not title.message.isVisible()
    assert content.message.isVisible() and "U+202E" in content.message.text()
    assert editor.finalize() is False

    content.widget.edit.clear()
    paste(content.widget.edit, "传达上级精神，\n部署冬季防火。")
    editor.refresh_now()
    assert editor.finalize() is True
    [record] = session.store.records()
    assert record.status == "final" and record.data["title"] == "十一月支部委员会"
    assert record.data["content"] == "传达上级精神，\n部署冬季防火。"
