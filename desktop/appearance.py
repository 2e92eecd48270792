"""How big the text is: the application font and stylesheet for a font-size setting, and the
small ui.json hint that lets the window appear in the right size and language before the store
opens (it also keeps where each window was last: desktop/window_size.py). Kept apart from the
settings dialog so start-up loads no dialog code before the first paint.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

STYLE_PATH = Path(__file__).resolve().parent.parent / "resources" / "style.qss"

# Setting value -> base font size in points. 标准 is a touch above the usual 9pt because
# Chinese characters at 9pt are hard to read on cheap laptop screens.
FONT_SIZES = {"standard": 10, "large": 13, "xlarge": 16}
DEFAULT_FONT_SIZE = "standard"


UI_CACHE = "ui.json"


def read_ui_cache(data_dir: Path) -> dict:
    """Language and font size as last seen, read before the database is opened.

    The store holds the settings; this small copy lets the window appear in the right language
    and size before the (slower to import) store is loaded. Missing or bad: defaults.
    """
    try:
        value = json.loads((Path(data_dir) / UI_CACHE).read_text(encoding="utf-8"))
        return value if isinstance(value, dict) else {}
    except (OSError, ValueError):
        return {}


def write_ui_cache(data_dir: Path, font_size: str | None, language: str | None) -> None:
    """Remember language and font size for the next start (best effort); window places stay."""
    _update_ui_cache(data_dir, font_size=font_size, language=language)


def _update_ui_cache(data_dir: Path, **changes) -> None:
    value = read_ui_cache(data_dir)
    value.update(changes)
    try:
        (Path(data_dir) / UI_CACHE).write_text(json.dumps(value), encoding="utf-8")
    except OSError:
        pass  # only a start-up hint: the store keeps the real settings


# The data folder whose ui.json keeps window places; None (tests, tools): nothing is kept.
_places_home: Path | None = None


def keep_window_places_in(data_dir: Path | None) -> None:
    """Remember windows' places and sizes in `data_dir`'s ui.json from now on (None: nowhere)."""
    global _places_home
    _places_home = Path(data_dir) if data_dir is not None else None


def window_place(key: str) -> str | None:
    """The saved place of window `key` (Qt's saveGeometry, base64), if one was kept."""
    if _places_home is None:
        return None
    places = read_ui_cache(_places_home).get("windows")
    place = places.get(key) if isinstance(places, dict) else None
    return place if isinstance(place, str) else None


def keep_window_place(key: str, place: str) -> None:
    """Save where window `key` is (Qt's saveGeometry, base64) for the next time it opens."""
    if _places_home is None:
        return
    places = read_ui_cache(_places_home).get("windows")
    places = dict(places) if isinstance(places, dict) else {}
    if places.get(key) != place:
        places[key] = place
        _update_ui_cache(_places_home, windows=places)


def font_points(size: str | None) -> int:
    """Base point size for a font-size setting ('standard', 'large', 'xlarge')."""
    return FONT_SIZES.get(size or DEFAULT_FONT_SIZE, FONT_SIZES[DEFAULT_FONT_SIZE])


def stylesheet(points: int) -> str:
    """The stylesheet with sizes and paddings scaled to `points`."""
    try:
        text = STYLE_PATH.read_text(encoding="utf-8")
    except OSError:
        return ""  # a missing stylesheet makes the window plainer, not unusable
    scale = points / FONT_SIZES["standard"]
    return (
        text.replace("@PT_BIG@", str(round(points * 1.3)))
        .replace("@PT@", str(points))
        .replace("@PAD_SMALL@", str(round(3 * scale)))
        .replace("@PAD@", str(round(8 * scale)))
        .replace("@IND@", str(round(14 * scale)))
    )


def resize_for_font(window, width: int, height: int, room=None) -> None:
    """Resize `window` to `width` x `height` (sized for 标准), grown with 大字 so nothing is
    squeezed, but never beyond `room` (default: the available area of its screen)."""
    scale = max(1.0, window.font().pointSizeF() / FONT_SIZES["standard"])
    width, height = round(width * scale), round(height * scale)
    if room is None:
        screen = window.screen() or QApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
    if room is not None:
        width, height = min(width, room.width() - 40), min(height, room.height() - 60)
    window.resize(width, height)


def apply_appearance(app: QApplication, font_size: str | None, family: str | None = None) -> None:
    """Set the application font and stylesheet for a font-size setting."""
    points = font_points(font_size)
    font = QFont(app.font())
    if family:
        font.setFamily(family)
    font.setPointSize(points)
    app.setFont(font)
    app.setStyleSheet(stylesheet(points))
