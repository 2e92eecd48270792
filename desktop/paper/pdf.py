"""Writing a `Paper` to a PDF file: whole or not at all, with its font embedded.

The file is written beside its final name and renamed into place once complete, so a full disk
or a crash never leaves half a PDF under the name a cadre will send to the county.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtGui import QPdfWriter

from desktop.paper.pages import page_layout, paint
from forms.paper import Paper

RESOLUTION = 300  # dots per inch: text and photos print sharp; Qt embeds text as outlines anyway


def write_pdf(paper: Paper, path: Path | str) -> int:
    """Write `paper` as the PDF file `path`; returns the number of pages. Needs a QGuiApplication."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    try:
        writer = QPdfWriter(tmp)
        writer.setResolution(RESOLUTION)
        writer.setPageLayout(page_layout())
        writer.setTitle(paper.title)
        writer.setCreator("Yici 一次")
        pages = paint(paper, writer)
        del writer  # closes the file
        with open(tmp, "rb") as done:
            if os.fstat(done.fileno()).st_size == 0:
                raise OSError(f"PDF 没有写成：{path}")
            os.fsync(done.fileno())  # on disk before it takes the name: a power cut leaves no empty PDF
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return pages
