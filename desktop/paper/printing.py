"""The window's way to paper: a print preview (whose 打印 button reaches the system's printers) and
导出 PDF, both showing exactly the pages the command line writes (the same layout, pages.py).

A book of a year's meetings with photos takes seconds to lay out: the PDF is written off the
window's thread (QTextDocument and QPdfWriter are reentrant), with the usual progress and result
(desktop/operations.py). What can go wrong is told with what to do: a PDF that cannot be written
(the file open in a reader, a read-only folder, a full disk), a custom layout failing on a record.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QBoxLayout, QDialog, QHBoxLayout, QMessageBox, QPushButton, QToolBar, QWidget

from desktop.failures import one_language
from desktop.file_chooser import save_file
from desktop.operations import Operation, run_in_background
from desktop.paper.pages import lay_out, page_layout, paint
from desktop.paper.pdf import write_pdf
from desktop.window_size import fit_window
from forms.paper import Paper
from forms.paper.layouts import LayoutProblem

T = TypeVar("T")


def preview(parent: QWidget | None, paper: Paper) -> None:
    """The pages on screen, with 打印… to any printer the system knows."""
    dialog, _printer = preview_dialog(parent, paper)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()  # with its laid-out pages and photos, not kept hidden under `parent`


def preview_dialog(parent: QWidget | None, paper: Paper) -> tuple[QPrintPreviewDialog, QPrinter]:
    """Qt's print preview of `paper` and its printer, not shown yet. Below the pages: 打印… and
    关闭 in words. At 1024x768 with 特大 text the toolbar is wider than the screen and Qt hides its
    last icons, the print icon among them, in an overflow menu; the toolbar's 纵向/横向 are gone
    (the pages are laid out for A4 portrait: another sheet only makes them smaller)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout())
    printer.setDocName(paper.title)
    layout = lay_out(paper)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(
        QCoreApplication.translate("Printing", "打印预览 — {title}").format(title=paper.title)
    )
    dialog.paintRequested.connect(lambda device: paint(paper, device, layout))
    for toolbar in dialog.findChildren(QToolBar):
        for action in toolbar.actions():
            # The orientation pair is Qt's one checkable group whose actions carry no name.
            if action.isCheckable() and not action.objectName() and action.actionGroup() is not None:
                action.setVisible(False)
    print_button = QPushButton(QCoreApplication.translate("Printing", "打印…"), dialog)
    close = QPushButton(QCoreApplication.translate("Printing", "关闭"), dialog)
    print_button.setDefault(True)
    print_button.clicked.connect(lambda: _print(dialog, printer, paper, layout))
    close.clicked.connect(dialog.reject)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(print_button)
    row.addWidget(close)
    box = dialog.layout()
    if isinstance(box, QBoxLayout):
        box.addLayout(row)
    fit_window(dialog, "print-preview", 900, 700)
    return dialog, printer


def _print(dialog: QPrintPreviewDialog, printer: QPrinter, paper: Paper, layout) -> None:
    """The system's print dialog (printer, copies, pages), then the pages to the printer."""
    if QPrintDialog(printer, dialog).exec() != QDialog.DialogCode.Accepted:
        return
    try:
        paint(paper, printer, layout)
    except OSError:
        QMessageBox.warning(
            dialog,
            QCoreApplication.translate("Printing", "无法打印"),
            QCoreApplication.translate(
                "Printing", "打印机没有接受这次打印。请检查打印机是否开着、连好，或换一台打印机再试。"
            ),
        )
        return
    dialog.accept()


def pdf_name(paper: Paper) -> str:
    """A file name from the document's title, without characters file systems refuse."""
    name = "".join("_" if c in '\\/:*?"<>|' else c for c in paper.title).strip(" .") or "yici"
    return f"{name}.pdf"


def choose_pdf(parent: QWidget | None, paper: Paper, folder: Path | None = None) -> Path | None:
    """Where to save `paper` as a PDF (None when the person cancelled)."""
    suggested = (folder or Path.home()) / pdf_name(paper)
    chosen = save_file(
        parent,
        QCoreApplication.translate("Printing", "导出 PDF"),
        suggested,
        QCoreApplication.translate("Printing", "PDF 文件 (*.pdf)"),
    )
    if chosen is None:
        return None
    return chosen if chosen.suffix.lower() == ".pdf" else chosen.with_name(chosen.name + ".pdf")


def tell_written(parent: QWidget | None, path: Path, pages: int) -> None:
    """The plain result: where the PDF is and how many pages it has."""
    QMessageBox.information(
        parent,
        QCoreApplication.translate("Printing", "导出 PDF"),
        QCoreApplication.translate("Printing", "已导出 {pages} 页：\n{path}").format(pages=pages, path=path),
    )


def tell_not_written(parent: QWidget | None, path: Path, exc: BaseException) -> None:
    """Why the PDF `path` was not written, and what to do; an error that is not the file's goes
    to the usual error dialog."""
    from desktop.errors import show_error

    if not isinstance(exc, OSError):
        show_error(parent, exc)
        return
    if exc.errno == errno.ENOSPC:
        text = QCoreApplication.translate(
            "Printing", "磁盘空间已满，PDF 没有导出。请删除一些不需要的文件、腾出空间后再导出。"
        )
    else:
        text = QCoreApplication.translate(
            "Printing",
            "无法写入 PDF 文件：\n{path}\n（{reason}）\n如果这个文件正在 PDF 阅读器等程序里打开，"
            "请先关闭它；或者换一个文件夹或文件名再导出。",
        ).format(path=path, reason=exc.strerror or exc)
    QMessageBox.warning(parent, QCoreApplication.translate("Printing", "导出 PDF"), text)


def made_or_told(parent: QWidget | None, make: Callable[[], T]) -> T | None:
    """`make()` (a record's page, a book); None, with the layout's file, line and what to do
    said plainly, when a custom form's print layout fails on a record."""
    try:
        return make()
    except LayoutProblem as exc:
        language = "en" if QLocale().language() == QLocale.Language.English else "zh"
        lines = [f"{p.file}:{p.line}: {one_language(p.message, language)}" for p in exc.problems]
        QMessageBox.warning(
            parent,
            QCoreApplication.translate("Printing", "无法打印"),
            QCoreApplication.translate("Printing", "打印版式出错，没有打印：\n{problems}").format(
                problems="\n".join(lines)
            ),
        )
        return None


def export_pdf(parent: QWidget | None, paper: Paper, folder: Path | None = None) -> Operation | None:
    """Ask where, then write the PDF off the window's thread and say where it went."""
    path = choose_pdf(parent, paper, folder)
    if path is None:
        return None
    return run_in_background(
        parent,
        _write,
        paper,
        path,
        success=lambda pages: tell_written(parent, path, pages),
        failure=lambda exc: tell_not_written(parent, path, exc),
        progress=QCoreApplication.translate("Printing", "正在生成 PDF……"),
        name="pdf",
    )


def _write(paper: Paper, path: Path) -> int:
    return write_pdf(paper, path)
