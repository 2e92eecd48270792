"""A `Paper` laid out on A4 and painted page by page: onto a PDF, a printer or a print preview.

Qt's rich text (QTextDocument) lays the HTML out in pages; what belongs on every page is painted
here around it: the running head (the branch), 第 x 页 / 共 y 页, and a 草稿 mark across a draft.
The text is set in the bundled CJK font (fonts.py), so a PDF made on any laptop looks the same and
carries its font. Page numbers in a book's contents are known only after layout: the document is
laid out once with wide stand-ins, the anchors' pages are read, then it is laid out again with
the numbers. A page shows the pictures its `Paper` names and nothing else: the document reads no
file and no address a layout writes (an <img>, a background, a stylesheet), and a photo is read
only as a picture, never as a drawing that could itself point at other files.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QImageReader,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextCursor,
    QTextDocument,
)

from desktop.paper.fonts import paper_font
from forms.paper import PAGE_OF, Paper

# Margins in millimetres: the left one is wider so a punched or stitched book still reads.
MARGINS_MM = QMarginsF(25, 15, 15, 15)
HEAD_MM = 8  # the running head's band above the text
FOOT_MM = 8  # the page number's band below it
TEXT_POINTS = 10.5  # 五号, the size of official documents' body text
# Photos print as thumbnails about 5 cm wide (three to a row), or at most the page's width (17 cm):
# 1,000 pixels is 500 dpi for the first and 150 dpi for the second. Every photo stays decoded in
# memory while a book is laid out: a year of 120 different photos holds about 360 MB at this size
# (at 1,600 pixels it was about 1 GB, too much for a township's 4 GB laptop).
PHOTO_PIXELS = 1000
# What a photo may be: pictures of pixels. Not SVG, whose <image> reads other files on the laptop.
# A picture as wide as the page is at most this share of the page's height: room for its caption.
ROOM_FOR_CAPTION = 0.8
PHOTO_FORMATS = frozenset({"jpeg", "jpg", "png", "webp", "bmp", "gif", "tif", "tiff", "heic", "heif", "avif"})


# The layout's own unit: CSS pixels (96 per inch), whatever the device. A layout is always
# measured on the same reference device and scaled onto the PDF, the printer or the preview, so
# a page breaks at the same word everywhere and a layout's `<img width="200">` means 200 CSS
# pixels (about 53 mm), not 200 dots of whatever printer is attached.
UNITS_PER_INCH = 96


@dataclass
class Layout:
    """A laid-out document and where its pages go (in layout units, see UNITS_PER_INCH)."""

    document: QTextDocument
    text: QRectF  # where the document's page area is drawn on each sheet
    head: QRectF
    foot: QRectF
    pages: int
    measured_on: tuple  # the reference device (and its buffer): alive as long as the document


def page_layout() -> QPageLayout:
    """A4 portrait with Yici's margins (binding edge on the left)."""
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Portrait,
        MARGINS_MM,
        QPageLayout.Unit.Millimeter,
    )


def _mm(mm: float) -> float:
    return mm / 25.4 * UNITS_PER_INCH


def _reference_device() -> tuple[QPdfWriter, QBuffer]:
    """A PDF device at 96 dpi, never written, that a layout is measured on (one per layout: a
    PDF may be made on a worker thread while the window lays out a preview)."""
    buffer = QBuffer()
    device = QPdfWriter(buffer)
    device.setResolution(UNITS_PER_INCH)
    device.setPageLayout(page_layout())
    return device, buffer


def load_photo(path, longest: int = PHOTO_PIXELS) -> QImage:
    """A photo turned as the camera meant (EXIF orientation) and downscaled for print (HEIC too); a
    file that is gone or is not a picture prints as a grey box saying so (a null image would make Qt's
    layout of everything after it fail)."""
    if isinstance(path, bytes):  # a stored photo, decrypted in memory: never a plain file
        buffer = QBuffer()
        buffer.setData(QByteArray(path))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer)
    else:
        reader = QImageReader(str(path))
    if bytes(reader.format().data()).decode("ascii", "replace").lower() not in PHOTO_FORMATS:
        return _photo_by_pillow(path, longest)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > longest:
        reader.setScaledSize(size.scaled(longest, longest, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return image if not image.isNull() else _photo_by_pillow(path, longest)


def _photo_by_pillow(path, longest: int) -> QImage:
    """What Qt cannot read (an iPhone's HEIC: Qt has no decoder for it) through forms/photos, which
    reads JPEG, PNG and HEIC only, upright; anything else prints as the grey box."""
    from forms.photos import PhotoError, thumbnail  # Pillow: only for a photo Qt could not read

    try:
        image = QImage.fromData(thumbnail(path, longest))
    except PhotoError:
        return _missing_photo()
    return image if not image.isNull() else _missing_photo()


def page_shaped(image: QImage, width: float, height: float) -> QImage:
    """`image` shaped to fit a page area of `width` x `height` units however a layout sizes it:
    never taller for its width than the area (a phone's long screenshot gets white sides instead
    of running on over pages), and at its own size never wider than the area."""
    height *= ROOM_FOR_CAPTION
    if image.height() * width > image.width() * height:
        wide = math.ceil(image.height() * width / height)
        canvas = QImage(wide, image.height(), QImage.Format.Format_RGB32)
        canvas.fill(QColor("white"))
        painter = QPainter(canvas)
        painter.drawImage((wide - image.width()) // 2, 0, image)
        painter.end()
        image = canvas
    if image.width() > width:
        image.setDevicePixelRatio(image.width() / width)  # its size in the layout, not its pixels
    return image


def _missing_photo() -> QImage:
    image = QImage(800, 600, QImage.Format.Format_RGB32)
    image.fill(QColor("#e6e6e6"))
    painter = QPainter(image)
    font = paper_font(1)
    font.setPixelSize(64)
    painter.setFont(font)
    painter.setPen(QColor("#666666"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, "照片无法读取")
    painter.end()
    return image


class PaperDocument(QTextDocument):
    """A document that shows only the resources it was given (`addResource`): whatever a layout
    writes, it reads nothing from the disk or the network."""

    def loadResource(self, kind: int, name: QUrl | str) -> object:  # noqa: N802 - Qt's name
        # A picture that shows nothing (Qt would draw a broken-file icon for none); no style.
        return _NO_PICTURE if kind == QTextDocument.ResourceType.ImageResource else ""


_NO_PICTURE = QImage(1, 1, QImage.Format.Format_ARGB32)
_NO_PICTURE.fill(Qt.GlobalColor.transparent)


def lay_out(paper: Paper) -> Layout:
    """Lay `paper` out on A4 with Yici's margins."""
    reference = _reference_device()
    device = reference[0]
    # The painter's origin is the top left of the area inside the margins (the device's width
    # and height); the margins themselves are the page layout's.
    rect = QRectF(0, 0, device.width(), device.height())
    head_h, foot_h = _mm(HEAD_MM), _mm(FOOT_MM)
    text = QRectF(rect.left(), rect.top() + head_h, rect.width(), rect.height() - head_h - foot_h)
    head = QRectF(rect.left(), rect.top(), rect.width(), head_h * 0.8)
    foot = QRectF(rect.left(), rect.bottom() - foot_h * 0.8, rect.width(), foot_h * 0.8)
    document = PaperDocument()
    document.documentLayout().setPaintDevice(device)  # fonts measured as they will be drawn
    document.setDefaultFont(paper_font(TEXT_POINTS))
    document.setDocumentMargin(0)
    # Whole units: Qt keeps positions in 1/64ths, and a fractional page height leaves a page's
    # first line a rounding error above the page's edge (drawn, clipped, on the page before).
    document.setPageSize(QSizeF(int(text.width()), int(text.height())))
    for src, path in paper.images.items():
        picture = page_shaped(load_photo(path() if callable(path) else path), text.width(), text.height())
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(src), picture)
    if not paper.anchors:
        document.setHtml(paper.html)
    else:
        # Laid out once, with stand-ins as wide as a page number will be (three digits, with
        # zero-width spaces between them so no text of a record can be mistaken for one); then
        # each is replaced in place by its number, which moves nothing after it.
        digits = 3 if len(paper.anchors) < 200 else 4
        stand_in = ZERO_WIDTH.join("8" * digits)
        # Only the paper's own anchors: a record whose text reads "[[page:附件二]]" keeps it.
        known = set(paper.anchors)
        marks = [m.group(1) for m in _MARK.finditer(paper.html) if m.group(1) in known]
        document.setHtml(_numbered(paper.html, {anchor: stand_in for anchor in set(marks)}))
        pages = anchor_pages(document, paper.anchors)
        found = QTextCursor(document)
        edit = QTextCursor(document)
        edit.beginEditBlock()  # one relayout for all the numbers, not one each
        for anchor in marks:
            found = document.find(stand_in, found)
            if found.isNull():
                break
            edit.setPosition(found.selectionStart())
            edit.setPosition(found.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
            edit.insertText(str(pages.get(anchor, "")))
        edit.endEditBlock()
    return Layout(document, text, head, foot, document.pageCount(), reference)


ZERO_WIDTH = "\u200b"
_MARK = re.compile(re.escape(PAGE_OF).replace(re.escape("{anchor}"), "(.+?)"))


def _numbered(html: str, numbers: dict[str, str]) -> str:
    for anchor, number in numbers.items():
        html = html.replace(PAGE_OF.format(anchor=anchor), number)
    return html


def anchor_pages(document: QTextDocument, anchors: list[str]) -> dict[str, int]:
    """The page (from 1) on which each named anchor falls; anchors not found are left out."""
    wanted = set(anchors)
    found: dict[str, int] = {}
    layout = document.documentLayout()
    page_height = document.pageSize().height()
    block = document.begin()
    while block.isValid() and len(found) < len(wanted):
        names = set()
        it = block.begin()
        while not it.atEnd():
            names.update(it.fragment().charFormat().anchorNames())
            it += 1
        hits = names & wanted - found.keys()
        if hits:
            top = layout.blockBoundingRect(block).top()
            for name in hits:
                found[name] = int(top // page_height) + 1
        block = block.next()
    return found


def paint(paper: Paper, device: QPagedPaintDevice, layout: Layout | None = None) -> int:
    """Paint every page of `paper` onto `device` (its page layout set to `page_layout()`);
    returns the number of pages. OSError when the device does not start (nothing is painted)."""
    layout = layout or lay_out(paper)
    painter = QPainter(device)
    if not painter.isActive():  # a printer that cannot start a job, a file that cannot be opened
        raise OSError("打印设备没有准备好，没有打印 / the printing device did not start")
    try:
        for page in range(layout.pages):
            if page:
                device.newPage()
            painter.save()
            scale_to(painter, device, layout)
            paint_page(painter, paper, layout, page)
            painter.restore()
    finally:
        painter.end()
    return layout.pages


def scale_to(painter: QPainter, device, layout: Layout | None = None) -> None:
    """From layout units to `device`'s dots. A sheet smaller than the A4 portrait the layout was
    made for (landscape, A5 or Letter chosen in a print dialog) gets each page whole, smaller and
    centred, never cut at the bottom."""
    x, y = device.logicalDpiX() / UNITS_PER_INCH, device.logicalDpiY() / UNITS_PER_INCH
    if layout is not None:
        wide, high = layout.text.width(), layout.foot.bottom()
        fit = min(device.width() / x / wide, device.height() / y / high)
        if fit < 0.99:  # below rounding: A4 itself is drawn as laid out
            painter.translate((device.width() - wide * x * fit) / 2, 0)
            x, y = x * fit, y * fit
    painter.scale(x, y)


def paint_page(painter: QPainter, paper: Paper, layout: Layout, page: int) -> None:
    """One sheet: the running head, the text of page `page` (from 0), the number, the 草稿 mark."""
    text = layout.text
    height = layout.document.pageSize().height()
    painter.save()
    painter.translate(text.left(), text.top() - page * height)
    clip = QRectF(0, page * height, text.width(), height)
    painter.setClipRect(clip)
    # Qt also draws the line just above the rectangle (QTextLayout keeps one line before it):
    # the clip hides it, but a PDF reader that ignores clipping (pdftotext) reads it twice.
    layout.document.drawContents(painter, clip)
    painter.restore()
    small = paper_font(9)
    small.setPixelSize(round(9 / 72 * UNITS_PER_INCH))  # points mean the device's dots: say it in units
    painter.save()
    painter.setFont(small)
    painter.setPen(QColor("#555555"))
    painter.drawText(
        layout.head, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, paper.running_head
    )
    line_y = layout.head.bottom() + layout.head.height() * 0.15
    painter.drawLine(int(layout.head.left()), int(line_y), int(layout.head.right()), int(line_y))
    number = f"第 {page + 1} 页 / 共 {layout.pages} 页"
    painter.drawText(layout.foot, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, number)
    painter.restore()
    if paper.draft:
        _draft_mark(painter, text)


def _draft_mark(painter: QPainter, area: QRectF) -> None:
    """草稿 across the page, light enough to read through, impossible to miss."""
    painter.save()
    font = paper_font(1)
    font.setPixelSize(max(1, round(area.width() / 4)))
    font.setWeight(QFont.Weight.Bold)
    painter.setFont(font)
    painter.setPen(QColor(200, 0, 0, 45))
    painter.translate(area.center())
    painter.rotate(-35)
    box = QRectF(-area.width(), -area.width() / 4, area.width() * 2, area.width() / 2)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "草稿")
    painter.restore()
