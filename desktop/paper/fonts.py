"""The font every printed page is set in: WenQuanYi Micro Hei, bundled in resources/fonts.

A PDF is read on other laptops, printed in the township office, checked by the county: it must look
the same everywhere, so the font comes with Yici (Apache-2.0, which allows embedding; its licence
is beside it) and Qt embeds the glyphs used in each PDF. The system's own fonts are never needed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

FONT_FILE = Path(__file__).resolve().parent.parent.parent / "resources" / "fonts" / "wqy-microhei.ttc"
FAMILY = "WenQuanYi Micro Hei"

_family: str | None = None


def paper_family() -> str:
    """The bundled font's family, registered with Qt on first use (a QGuiApplication must exist)."""
    global _family
    if _family is None:
        font_id = QFontDatabase.addApplicationFont(str(FONT_FILE))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        # The collection holds the proportional face and a monospaced one: the first is the text.
        _family = next((f for f in families if "Mono" not in f), FAMILY)
    return _family


def paper_font(points: float) -> QFont:
    """The printed text's font at `points`."""
    font = QFont(paper_family())
    font.setPointSizeF(points)
    font.setStyleStrategy(QFont.StyleStrategy.PreferOutline)
    return font
