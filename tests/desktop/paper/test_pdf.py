"""Yici's PDFs read with poppler: A4, the font embedded, every page headed and numbered, contents
numbered after layout, drafts marked, long text whole, photos downscaled, never half a file."""

from __future__ import annotations

import errno
import os
import random
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from desktop.paper.pages import PHOTO_PIXELS
from desktop.paper.pdf import write_pdf
from forms.paper import PAGE_OF, Paper
from tests.desktop.paper import pdf_reader as pdf

LONG_NAME = "阿卜杜热合曼·艾买提江"
SPEECH = "认真学习贯彻党的二十届四中全会精神，结合村里实际抓好秋冬季防火和防返贫监测。" * 80  # two pages


def photo(path: Path, width: int = 4000, height: int = 3000) -> Path:
    """A camera-sized JPEG with detail in it (noise does not compress away)."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7"))
    rng = random.Random(7)
    for _ in range(2000):
        x, y = rng.randrange(width), rng.randrange(height)
        image.setPixelColor(x, y, QColor(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    assert image.save(str(path), "JPEG", 90)
    return path


def book(n: int = 4, draft: bool = False, images: dict | None = None) -> Paper:
    contents = "".join(
        f"<tr><td>第 {i} 次会议</td><td align='right'>{PAGE_OF.format(anchor=f'r{i}')}</td></tr>"
        for i in range(1, n + 1)
    )
    records = "".join(
        f'<div style="page-break-before: always"><a name="r{i}"></a><h2>第 {i} 次会议</h2>'
        f"<p>主持人：{LONG_NAME}</p><p>{SPEECH if i == 2 else '会议记录'}</p></div>"
        for i in range(1, n + 1)
    )
    cover = f"<h1>红星村党支部 2026年 台账</h1><table width='100%'>{contents}</table>"
    html = f"<html><body>{cover}{records}</body></html>"
    return Paper(
        html=html,
        title="红星村党支部 · 2026年 台账",
        running_head="红星村党支部 · 2026年 台账",
        draft=draft,
        images=images or {},
        anchors=[f"r{i}" for i in range(1, n + 1)],
    )


@pytest.fixture(autouse=True)
def _poppler():
    pdf.require_poppler()


def test_a4_font_embedded_every_page_headed_and_numbered(qapp, tmp_path):
    out = tmp_path / "book.pdf"
    pages = write_pdf(book(), out)
    assert pages == pdf.pages(out) >= 6  # the cover, then each record on its own page (one long)
    assert pdf.page_sizes(out) == {"595.276 x 841.89 pts (A4)"} or all("A4" in s for s in pdf.page_sizes(out))
    fonts = pdf.fonts(out)
    assert fonts and all(f["emb"] == "yes" for f in fonts), fonts
    assert any("WenQuanYi" in f["name"] for f in fonts), fonts
    for page in range(1, pages + 1):
        text = pdf.flat(out, page)
        assert "红星村党支部·2026年台账" in text
        assert f"第{page}页/共{pages}页" in text
    assert pdf.info(out)["Title"] == "红星村党支部 · 2026年 台账"


def test_contents_carry_the_page_each_record_starts_on(qapp, tmp_path):
    out = tmp_path / "book.pdf"
    write_pdf(book(), out)
    cover = pdf.text(out, 1, layout=True)
    assert "[[page:" not in pdf.text(out)
    # Record 2 is long (two pages), so record 3 starts two pages after it.
    starts = {
        i: int(line.split()[-1])
        for i in range(1, 5)
        for line in cover.splitlines()
        if f"第 {i} 次会议" in line
    }
    assert starts == {1: 2, 2: 3, 3: 5, 4: 6}
    for i, page in starts.items():
        assert f"第{i}次会议" in pdf.flat(out, page)


def test_long_text_and_long_names_read_whole(qapp, tmp_path):
    out = tmp_path / "book.pdf"
    write_pdf(book(), out)
    text = pdf.flat(out)
    assert LONG_NAME in text
    # The speech wraps over lines and onto a second page, every word of it there.
    assert SPEECH in pdf.body(out, 3) + pdf.body(out, 4)


def test_a_draft_is_marked_on_every_page_and_a_final_one_not(qapp, tmp_path):
    draft, final = tmp_path / "draft.pdf", tmp_path / "final.pdf"
    write_pdf(book(draft=True), draft)
    write_pdf(book(), final)
    for page in range(1, pdf.pages(draft) + 1):
        # Written slanted: a reader may give its two characters in either order.
        assert "草稿" in pdf.flat(draft, page) or "稿草" in pdf.flat(draft, page)
    assert "稿" not in pdf.flat(final)


def test_photos_are_downscaled_and_a_missing_one_breaks_nothing(qapp, tmp_path):
    big = photo(tmp_path / "big.jpg")
    paper = Paper(
        html="<html><body><p>现场照片</p><img src='p1' width='200'><img src='gone' width='200'>"
        "<p>照片之后的文字</p></body></html>",
        title="照片",
        running_head="红星村党支部",
        images={"p1": big, "gone": tmp_path / "no-such.jpg"},
    )
    out = tmp_path / "photos.pdf"
    assert write_pdf(paper, out) == 1
    sizes = pdf.images(out)
    assert (PHOTO_PIXELS, PHOTO_PIXELS * 3 // 4) in sizes  # the 4000x3000 photo, downscaled
    assert all(max(w, h) <= PHOTO_PIXELS for w, h in sizes)
    assert "照片之后的文字" in pdf.flat(out)
    assert out.stat().st_size < big.stat().st_size


def test_a_pdf_that_cannot_be_written_leaves_nothing_behind(qapp, tmp_path):
    """The name is taken by a folder: the error comes, and no half file is left beside it."""
    taken = tmp_path / "台账.pdf"
    taken.mkdir()
    with pytest.raises(OSError):
        write_pdf(book(), taken)
    assert taken.is_dir() and sorted(p.name for p in tmp_path.iterdir()) == ["台账.pdf"]


def test_a_long_screenshot_prints_whole_on_one_page(qapp, tmp_path):
    """A phone's long screenshot (300 x 10,000 pixels) in the photo sheet: shown whole within a
    page, not as a strip running on over seven."""
    tall = photo(tmp_path / "长截图.jpg", 300, 10000)
    paper = Paper(
        html="<html><body><p>会议照片</p><table><tr><td><img src='p1' width='190'></td>"
        "<td><img src='p2'></td></tr></table><p>照片之后的文字</p></body></html>",
        title="照片",
        running_head="红星村党支部",
        images={"p1": tall, "p2": tall},
    )
    out = tmp_path / "tall.pdf"
    assert write_pdf(paper, out) == 1
    assert "照片之后的文字" in pdf.body(out, 1)


@pytest.mark.parametrize(
    "size, orientation",
    [("A4", "Landscape"), ("A5", "Portrait"), ("Letter", "Portrait")],
)
def test_pages_fit_a_printer_set_to_other_paper(qapp, tmp_path, size, orientation):
    """The page setup or the system's print dialog chose other paper: each A4 page is printed
    whole, smaller, never cut at the bottom."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

    from desktop.paper.pages import paint

    out = tmp_path / f"{size}.pdf"
    writer = QPdfWriter(str(out))
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(getattr(QPageSize.PageSizeId, size)),
            getattr(QPageLayout.Orientation, orientation),
            QMarginsF(10, 10, 10, 10),
            QPageLayout.Unit.Millimeter,
        )
    )
    pages = paint(book(), writer)
    del writer  # closes the file
    assert pdf.pages(out) == pages
    for page in range(1, pages + 1):
        assert f"第{page}页/共{pages}页" in pdf.flat(out, page)  # the foot, the lowest line
    assert SPEECH[-40:] in pdf.flat(out, 4)  # the long speech's end, on the page after its start


WRITE_ON_A_FULL_DISK = """
import json, resource, signal, sys
from pathlib import Path
from desktop.paper.headless import paper_application
from desktop.paper.pdf import write_pdf
from forms.paper import Paper
paper_application()
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, as on a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
out = Path(sys.argv[1]) / "台账.pdf"
paper = Paper(html="<html><body><img src='p1' width='600'><p>文字</p></body></html>", title="台账",
              running_head="红星村党支部", images={"p1": Path(sys.argv[2])})
try:
    write_pdf(paper, out)
    said = {"written": True}
except OSError as exc:
    said = {"written": False, "errno": exc.errno}
said["left"] = sorted(p.name for p in out.parent.iterdir())
print(json.dumps(said))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="file size limits are POSIX")
def test_a_disk_that_fills_up_leaves_no_pdf_and_says_so(tmp_path):
    """The disk fills while the PDF is written: an error the window and the command line turn
    into 磁盘已满, and no file at all, never a cut PDF under the name a cadre would send."""
    import json
    import subprocess

    folder = tmp_path / "out"
    folder.mkdir()
    big = photo(tmp_path / "big.jpg")  # the PDF is well past the limit
    result = subprocess.run(
        [sys.executable, "-c", WRITE_ON_A_FULL_DISK, str(folder), str(big)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=Path(__file__).resolve().parents[3],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=60,
    )
    said = json.loads(result.stdout.strip().splitlines()[-1])
    assert said == {"written": False, "errno": errno.EFBIG, "left": []}, result.stderr


def test_a_records_text_that_looks_like_a_page_mark_is_printed_as_typed(qapp, tmp_path):
    """Only the book's own anchors become page numbers; a record saying "[[page:附件二]]" keeps it."""
    paper = book()
    paper.html = paper.html.replace("会议记录", "会议记录，见[[page:附件二]]和[[page:r9]]", 1)
    out = tmp_path / "book.pdf"
    write_pdf(paper, out)
    assert "见[[page:附件二]]和[[page:r9]]" in pdf.flat(out)
    assert "[[page:r1]]" not in pdf.flat(out, 1)  # the contents still numbered


def test_photos_held_sideways_and_iphone_heic_print_upright(qapp, tmp_path):
    from PIL import Image as PILImage

    from desktop.paper.pages import load_photo
    from tests.forms.photos.making import camera_exif, heic, jpeg, red_top

    sideways = tmp_path / "sideways"  # stored by its hash, without a suffix, as attachments are
    sideways.write_bytes(jpeg(red_top((800, 600)), camera_exif(orientation=6), orientation=6))
    iphone = tmp_path / "iphone"
    iphone.write_bytes(
        heic(red_top((800, 600)).transpose(PILImage.Transpose.ROTATE_90), camera_exif(orientation=6))
    )
    for path in (sideways, iphone):
        image = load_photo(path)
        assert (image.width(), image.height()) == (800, 600), path.name
        top, bottom = QColor(image.pixel(400, 3)), QColor(image.pixel(400, 596))
        assert top.red() > 170 and top.green() < 90 and bottom.red() < 170, path.name
    paper = Paper(
        html="<html><body><img src='a' width='200'><img src='b' width='200'></body></html>",
        title="照片",
        running_head="红星村党支部",
        images={"a": sideways, "b": iphone},
    )
    out = tmp_path / "upright.pdf"
    write_pdf(paper, out)
    assert pdf.images(out) == [(800, 600), (800, 600)]
