"""Make packaging/windows/yici.ico from resources/icons/yici.svg (run again when the icon changes).

    .venv/bin/python packaging/windows/make_ico.py

Uses Qt (already a dependency) instead of Pillow. Each size is drawn from the SVG rather than
scaled from a bitmap, so 16 px stays sharp. Sizes up to 48 px are stored as 32-bit bitmaps
(what Explorer and the taskbar read everywhere); 256 px as PNG, as Windows Vista+ expects.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SVG = ROOT / "resources" / "icons" / "yici.svg"
ICO = Path(__file__).resolve().parent / "yici.ico"
SIZES = (16, 20, 24, 32, 40, 48, 64, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def bmp_bytes(image: QImage) -> bytes:
    """An ICO bitmap entry: BITMAPINFOHEADER (height doubled for the mask), BGRA rows bottom-up,
    then the 1-bit AND mask (all zero: the alpha channel already says what is transparent)."""
    size = image.width()
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in range(size - 1, -1, -1):
        row = bytearray()
        for x in range(size):
            argb = image.pixel(x, y)
            row += struct.pack("<I", argb)  # little-endian 0xAARRGGBB is B, G, R, A in memory
        rows.append(bytes(row))
    mask_row = bytes(((size + 31) // 32) * 4)
    return header + b"".join(rows) + mask_row * size


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (Qt needs it)
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot read {SVG}", file=sys.stderr)
        return 1
    images = []
    for size in SIZES:
        image = render(renderer, size)
        images.append((size, png_bytes(image) if size >= 64 else bmp_bytes(image)))
    offset = 6 + 16 * len(images)
    directory = b""
    for size, data in images:
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        directory += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    ICO.write_bytes(struct.pack("<HHH", 0, 1, len(images)) + directory + b"".join(data for _, data in images))
    print(f"{ICO.relative_to(ROOT)}: {', '.join(str(s) for s in SIZES)} px, {ICO.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
