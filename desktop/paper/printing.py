"""The window's way to paper: a print preview (whose 打印 button reaches the system's printers) and
导出 PDF, both showing exactly the pages the command line writes (the same layout, pages.py).

A book of a year's meetings with photos takes seconds to lay out: the PDF is written off the
window's thread (QTextDocument and QPdfWriter are reentrant), with the usual progress and result
(desktop/operations.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.file_chooser import save_file
from desktop.operations import Operation, run_in_background
from desktop.paper.pages import lay_out, page_layout, paint
from desktop.paper.pdf import write_pdf
from desktop.window_size import fit_window
from forms.paper import Paper


def preview(parent: QWidget | None, paper: Paper) -> None:
    """The pages on screen, with 打印 to any printer the system knows."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout())
    printer.setDocName(paper.title)
    layout = lay_out(paper)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(
        QCoreApplication.translate("Printing", "打印预览 — {title}").format(title=paper.title)
    )
    dialog.paintRequested.connect(lambda device: paint(paper, device, layout))
    fit_window(dialog, "print-preview", 900, 700)
    dialog.exec()


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
        progress=QCoreApplication.translate("Printing", "正在生成 PDF……"),
        name="pdf",
    )


def _write(paper: Paper, path: Path) -> int:
    return write_pdf(paper, path)
