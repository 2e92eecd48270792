"""Writing a `Paper` to a PDF file: whole or not at all, with its font embedded.

Qt writes the PDF into memory, where no write can fail unseen (QPdfWriter ignores a full disk and
leaves a cut file); the bytes then go to disk through the one atomic write (forms/atomic.py), so a
full disk or a crash never leaves half a PDF under the name a cadre will send to the county, and
the error says what happened (a full disk is an OSError with ENOSPC, as everywhere else).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QPdfWriter

from desktop.paper.pages import page_layout, paint
from forms.atomic import write_atomically
from forms.paper import Paper

RESOLUTION = 300  # dots per inch: text and photos print sharp; Qt embeds text as outlines anyway


def pdf_bytes(paper: Paper) -> tuple[bytes, int]:
    """`paper` as the bytes of a PDF file, and its number of pages. Needs a QGuiApplication."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(page_layout())
    writer.setTitle(paper.title)
    writer.setCreator("Yici 一次")
    pages = paint(paper, writer)
    del writer  # finishes the PDF
    data = bytes(buffer.data().data())
    buffer.close()
    return data, pages


def write_pdf(paper: Paper, path: Path | str) -> int:
    """Write `paper` as the PDF file `path`; returns the number of pages. Needs a QGuiApplication."""
    path = Path(path)
    data, pages = pdf_bytes(paper)
    if not data:
        raise OSError(f"PDF 没有写成：{path}")
    write_atomically(path, data, prefix=f".{path.name}.")
    return pages
