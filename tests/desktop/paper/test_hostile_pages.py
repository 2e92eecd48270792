"""A page shows the pictures it was given and nothing else from the disk: whatever HTML a layout
makes (an <img> the layout's filter cannot see, a background, a stylesheet), whatever a "photo"
file really is (an SVG that points at other files). Read back with poppler and looked at."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from desktop.paper.pdf import write_pdf
from forms.paper import Paper
from tests.desktop.paper import pdf_reader as pdf


@pytest.fixture(autouse=True)
def _poppler():
    pdf.require_poppler()


def secret_picture(folder: Path) -> Path:
    """A private picture elsewhere on the laptop: solid red, so any trace of it on a page shows."""
    image = QImage(400, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("#ff0000"))
    path = folder / "身份证.png"
    assert image.save(str(path), "PNG")
    return path


def red_pixels(out: Path, tmp_path: Path) -> int:
    """How many clearly red pixels the first page shows when rendered (the draft mark is pale)."""
    image = QImage(str(pdf.render(out, 1, tmp_path / "page.png", dpi=30)))
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if (c := image.pixelColor(x, y)).red() > 200 and c.green() < 60 and c.blue() < 60
    )


def test_no_markup_a_layout_makes_reads_a_picture_from_the_disk(qapp, tmp_path):
    s = secret_picture(tmp_path)
    html = (
        f"<html><head><style>body {{ background-image: url({s}); }}</style>"
        f'<link rel="stylesheet" href="{s}"></head><body background="{s}">'
        f'<p>前面的文字</p><img alt=">" src="{s}"><img title=\'>\' src="file://{s}" width="300">'
        f'<table background="{s}" width="100%"><tr><td background="{s}">单元格</td></tr></table>'
        f"<p style=\"background-image: url('{s}')\">后面的文字</p></body></html>"
    )
    out = tmp_path / "page.pdf"
    write_pdf(Paper(html=html, title="版式", running_head="红星村党支部"), out)
    assert set(pdf.images(out)) <= {(1, 1)}  # a blank stand-in at most, never the file
    assert red_pixels(out, tmp_path) == 0
    text = pdf.flat(out)
    assert "前面的文字" in text and "单元格" in text and "后面的文字" in text


def test_a_photo_that_is_a_drawing_pointing_at_other_files_shows_none_of_them(qapp, tmp_path):
    secret = secret_picture(tmp_path)
    drawing = tmp_path / "attachment"  # stored by its hash, without a suffix, as attachments are
    drawing.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="400" height="300"><image width="400" height="300" xlink:href="{secret}"/></svg>',
        encoding="utf-8",
    )
    paper = Paper(
        html="<html><body><p>会议照片</p><img src='p1' width='300'><p>照片之后</p></body></html>",
        title="照片",
        running_head="红星村党支部",
        images={"p1": drawing},
    )
    out = tmp_path / "photo.pdf"
    assert write_pdf(paper, out) == 1
    assert red_pixels(out, tmp_path) == 0
    assert "照片之后" in pdf.flat(out)
