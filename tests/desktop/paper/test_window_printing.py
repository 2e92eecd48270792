"""Printing from the window: 打印… in the record editor saves a draft first and writes its page
(marked 草稿) as a PDF; 生成台账 writes a branch's book, or one file per branch into a folder.
The file dialogs answer as a person would; everything else is real (store, Qt, PDF)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from tests.desktop.editor.conftest import new_editor, session, type_chinese  # noqa: F401
from tests.desktop.paper import pdf_reader as pdf


@pytest.fixture(autouse=True)
def _poppler():
    pdf.require_poppler()


@pytest.fixture
def answers(monkeypatch):
    """The file dialog answers with the next path given; result boxes are noted, not shown."""
    queue: list[Path] = []
    told: list[str] = []
    monkeypatch.setattr(
        QFileDialog,
        "exec",
        lambda dialog: QDialog.DialogCode.Accepted if queue else QDialog.DialogCode.Rejected,
    )
    monkeypatch.setattr(QFileDialog, "selectedFiles", lambda dialog: [str(queue.pop(0))] if queue else [])
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    return queue, told


def test_a_new_record_is_saved_then_exported_marked_as_a_draft(qtbot, new_editor, answers, tmp_path):  # noqa: F811
    queue, told = answers
    editor = new_editor()
    type_chinese(editor.panel.widget("title").edit, "十一月支部委员会")
    assert editor.uuid is None
    out = tmp_path / "会议.pdf"
    queue.append(out)
    editor.export_pdf()  # 打印… → 导出 PDF…
    assert editor.uuid is not None  # saved first: the page is what the store holds
    qtbot.waitUntil(lambda: bool(told), timeout=20000)
    assert str(out) in told[0]
    text = pdf.flat(out)
    assert "十一月支部委员会" in text and "五星村党支部" in text and "李明" in text
    assert "草稿" in text or "稿草" in text
    assert [a.text() for a in editor.print_button.menu().actions()] == ["打印预览…", "导出 PDF…"]


def test_cancelling_the_file_dialog_writes_nothing(new_editor, answers, tmp_path):  # noqa: F811
    editor = new_editor()
    editor.export_pdf()
    assert not list(tmp_path.rglob("*.pdf"))


def test_the_book_dialog_writes_one_book_or_one_per_branch(qtbot, session, answers, tmp_path):  # noqa: F811
    from desktop.paper.book_dialog import BookDialog

    queue, told = answers
    other = session.store.add_branch("依干其乡托万克亚喀艾日克村党支部")
    values = {"meeting_type": "支部委员会", "title": "三月支委会", "held_at": "2026-03-10T09:00"}
    values |= {"topics": "学习", "content": "会议记录"}
    session.records.new("sanhui-yike", session.branch_id, values, session.operator, final=True)
    dialog = BookDialog(session, session.branch_id, today=dt.date(2026, 12, 6))
    qtbot.addWidget(dialog)
    assert dialog.chosen_branches() == [session.branch_id]
    assert dialog.preview_button.isEnabled()
    dialog.part.setCurrentIndex(3)  # 第一季度
    queue.append(tmp_path / "台账.pdf")
    dialog.export()
    qtbot.waitUntil(lambda: bool(told), timeout=30000)
    text = pdf.flat(tmp_path / "台账.pdf")
    assert "2026年第一季度" in text and "三月支委会" in text
    # Two branches: one file each, into a chosen folder; preview is for one book only.
    for i in range(dialog.branches.count()):
        dialog.branches.item(i).setCheckState(dialog.branches.item(0).checkState())
    assert len(dialog.chosen_branches()) == 2 and not dialog.preview_button.isEnabled()
    folder = tmp_path / "books"
    folder.mkdir()
    queue.append(folder)
    told.clear()
    dialog.export()
    qtbot.waitUntil(lambda: bool(told), timeout=30000)
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2 and any(other.name in n for n in names)


@pytest.fixture
def warnings(monkeypatch):
    """Warning boxes noted, not shown: (title, text)."""
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: said.append((title, text)))
    return said


def test_a_pdf_that_cannot_be_written_is_told_with_what_to_do(qtbot, new_editor, answers, warnings, tmp_path):  # noqa: F811
    """The file is open in a PDF reader (Windows refuses to replace it), or the folder is
    read-only: the cadre is told which file and what to do, not "an unexpected error"."""
    queue, told = answers
    editor = new_editor()
    type_chinese(editor.panel.widget("title").edit, "十一月支部委员会")
    taken = tmp_path / "会议.pdf"
    taken.mkdir()  # the name cannot be taken, as a file held open by a reader cannot be replaced
    queue.append(taken)
    editor.export_pdf()
    qtbot.waitUntil(lambda: bool(warnings), timeout=20000)
    title, text = warnings[0]
    assert "无法写入 PDF 文件" in text and str(taken) in text and "关闭" in text
    assert "意外" not in text and not told


LAYOUT_FAILING_ON_THREE = "<html><body>{{ 10 // ((values.title.text | length) - 3) }}</body></html>"


def test_a_layout_that_fails_on_a_record_is_told_not_crashed(qtbot, session, answers, warnings, tmp_path):  # noqa: F811
    """A custom form's layout passed `forms check` but fails on this record's values: 打印预览,
    导出 PDF and the 台账 say which file and line, in a plain message; nothing is written."""
    from desktop.editor.record_editor import RecordEditor
    from desktop.paper.book_dialog import BookDialog

    queue, told = answers
    folder = tmp_path / "custom"
    folder.mkdir()
    (folder / "cunmin.yaml").write_text(
        "id: cunmin\nversion: 1\ntitle: 村民会\nfields:\n  - key: title\n    label: 名称\n    type: text\n"
        "  - key: held_at\n    label: 时间\n    type: date\n",
        encoding="utf-8",
    )
    (folder / "cunmin.print.html").write_text(LAYOUT_FAILING_ON_THREE, encoding="utf-8")
    session.catalog.install(folder / "cunmin.yaml")
    values = {"title": "村民会", "held_at": "2026-03-10"}
    record, _ = session.records.new("cunmin", session.branch_id, values, session.operator, final=True)
    editor = RecordEditor(session, uuid=record.uuid)
    qtbot.addWidget(editor)
    editor.print_preview()
    queue.append(tmp_path / "记录.pdf")
    editor.export_pdf()
    dialog = BookDialog(session, session.branch_id, today=dt.date(2026, 12, 6))
    qtbot.addWidget(dialog)
    dialog.year.setValue(2026)
    queue.append(tmp_path / "台账.pdf")
    dialog.export()
    assert len(warnings) == 3, warnings
    for _title, text in warnings:
        assert "cunmin-v1.print.html:1" in text and "版式" in text
    assert not list(tmp_path.glob("*.pdf")) and not told


def test_the_preview_offers_printing_in_words_on_a_small_screen(qtbot, qapp, monkeypatch, tmp_path):
    """At 1024x768 with 特大 text the preview's toolbar is wider than the screen and Qt hides its
    print icon in the overflow menu: an 打印… button in words stays in sight, and prints."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QPushButton

    from desktop.appearance import apply_appearance
    from desktop.paper.printing import preview_dialog
    from forms.paper import Paper

    apply_appearance(qapp, "xlarge")
    html = "<html><body><p>十一月支部委员会</p></body></html>"
    paper = Paper(html=html, title="会议", running_head="五星村")
    dialog, printer = preview_dialog(None, paper)
    qtbot.addWidget(dialog)
    dialog.resize(1008, 728)
    dialog.show()
    qtbot.waitExposed(dialog)
    button = next(b for b in dialog.findChildren(QPushButton) if b.text() == "打印…")
    assert button.isVisible() and dialog.rect().contains(button.geometry())
    printed = tmp_path / "打印.pdf"
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))
    monkeypatch.setattr(QPrintDialog, "exec", lambda chooser: QDialog.DialogCode.Accepted)
    button.click()
    assert "十一月支部委员会" in pdf.flat(printed)
    assert not dialog.isVisible()  # printed: the preview closes, as Qt's own print icon does


def test_a_printer_that_does_not_start_is_told_and_the_preview_stays(qtbot, monkeypatch, warnings, tmp_path):
    """The printer (here: its file) cannot start a job: the preview says so and stays open, not
    closing as though the pages had gone out."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QPushButton

    from desktop.paper.printing import preview_dialog
    from forms.paper import Paper

    html = "<html><body><p>十一月支部委员会</p></body></html>"
    dialog, printer = preview_dialog(None, Paper(html=html, title="会议", running_head="五星村"))
    qtbot.addWidget(dialog)
    dialog.show()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "没有的文件夹" / "打印.pdf"))
    monkeypatch.setattr(QPrintDialog, "exec", lambda chooser: QDialog.DialogCode.Accepted)
    next(b for b in dialog.findChildren(QPushButton) if b.text() == "打印…").click()
    assert warnings and "打印机" in warnings[0][1]
    assert dialog.isVisible()


def test_printing_waits_while_a_final_record_is_being_corrected(qtbot, session):  # noqa: F811
    """更正 typed but not saved: 打印 would print the stored version, not what is on screen. The
    button waits, saying why, until the correction is saved or cancelled."""
    from desktop.editor.record_editor import RecordEditor

    values = {"meeting_type": "支部委员会", "title": "三月支委会", "held_at": "2026-03-10T09:00"}
    values |= {"topics": "学习", "content": "会议记录"}
    record, _ = session.records.new("sanhui-yike", session.branch_id, values, session.operator, final=True)
    editor = RecordEditor(session, uuid=record.uuid)
    qtbot.addWidget(editor)
    assert editor.print_button.isEnabled() and "PDF" in editor.print_button.toolTip()
    editor.start_correction()
    assert not editor.print_button.isEnabled() and "更正" in editor.print_button.toolTip()
    editor.cancel_correction()
    assert editor.print_button.isEnabled()


def test_a_closed_preview_lets_its_pages_go(qtbot, qapp, monkeypatch):
    """Each preview holds its laid-out pages (a year's photos: hundreds of MB). Closed, it goes
    with them, instead of staying hidden under its window until that window is destroyed."""
    from PySide6.QtCore import QEvent
    from PySide6.QtPrintSupport import QPrintPreviewDialog
    from PySide6.QtWidgets import QWidget

    from desktop.paper.printing import preview
    from forms.paper import Paper

    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    owner = QWidget()
    qtbot.addWidget(owner)
    paper = Paper(html="<html><body><p>会议</p></body></html>", title="会议", running_head="五星村")
    for _ in range(3):
        preview(owner, paper)
    qapp.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert owner.findChildren(QPrintPreviewDialog) == []
