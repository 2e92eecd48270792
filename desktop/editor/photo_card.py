"""One photo of a record as the editor shows it: its picture standing upright, its name, when it
was taken (as the phone showed it), how far from the branch, and its warnings in amber on an amber
card, large enough for an elderly secretary to notice, never in the way: nothing here blocks.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from desktop.editor.form_panel import WARNING_COLOR
from desktop.window_size import font_scale
from forms.photo_checks import USE_KINDS, distance_km, kept_warnings, time_warning

THUMB = 96  # the thumbnail's longer side at 标准, in device-independent pixels


def taken_text(item: dict) -> str:
    """The time the photo was taken, to the minute, as the phone's own clock showed it ('' if none).
    Older items may carry the offset inside `taken_at`: it is not shown."""
    taken = str(item.get("taken_at") or "")
    return taken[:16].replace("T", " ") if len(taken) >= 16 else ""


def distance_words(km: float) -> str:
    """350 米, 1.2 公里, 36 公里: as precise as a phone's fix is worth."""
    if km < 1:
        return QCoreApplication.translate("PhotoCard", "{m} 米").format(m=max(10, round(km * 100) * 10))
    if km < 10:
        return QCoreApplication.translate("PhotoCard", "{km} 公里").format(km=f"{km:.1f}")
    return QCoreApplication.translate("PhotoCard", "{km} 公里").format(km=round(km))


def branch_distance(item: dict, branch: Any) -> str:
    """'距东山村党支部 1.2 公里' when both the photo and the branch have a position, else ''."""
    lat, lon = item.get("latitude"), item.get("longitude")
    b_lat, b_lon = getattr(branch, "latitude", None), getattr(branch, "longitude", None)
    if lat is None or lon is None or b_lat is None or b_lon is None:
        return ""
    try:
        km = distance_km(float(b_lat), float(b_lon), float(lat), float(lon))
    except (TypeError, ValueError):
        return ""
    words = QCoreApplication.translate("PhotoCard", "距{branch} {distance}")
    return words.format(branch=branch.name, distance=distance_words(km))


def photo_notes(item: dict, when: Any, hours: int, branch: Any) -> tuple[list[str], list[str]]:
    """(plain lines, warnings) for a photo: when it was taken and how far from the branch; then
    what is wrong with it, the time warnings worked out now, the "used before" ones as kept."""
    lines: list[str] = []
    warnings: list[str] = []
    found = time_warning(item, when, hours)
    if found is not None:
        warnings.append(found.text)  # says the time itself
    elif taken_text(item):
        lines.append(QCoreApplication.translate("PhotoCard", "拍摄于 {time}").format(time=taken_text(item)))
    far = branch_distance(item, branch)
    if far:
        lines.append(far)
    elif item.get("latitude") is not None and item.get("longitude") is not None:
        lines.append(QCoreApplication.translate("PhotoCard", "带有拍摄位置"))
    warnings += kept_warnings(item, USE_KINDS)
    return lines, warnings


def notes_html(name: str, lines: list[str], warnings: list[str]) -> str:
    """The card's text: the name in bold, the plain lines, each warning on its own amber line."""
    parts = [f"<b>{html.escape(name)}</b>"]
    if lines:
        parts.append(html.escape(" · ".join(lines)))
    parts += [f'<span style="color:{WARNING_COLOR}"><b>⚠ {html.escape(w)}</b></span>' for w in warnings]
    return "<br>".join(parts)


class ClickableLabel(QLabel):
    """A picture that opens the large view when clicked."""

    clicked = Signal()

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class PhotoCard(QFrame):
    """One photo: picture, name, time, distance, warnings; 查看大图 and 移除 beside them."""

    view_clicked = Signal(str)  # sha256
    remove_clicked = Signal(str)

    def __init__(self, item: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("photoCard")
        self.item = item
        self.sha256 = str(item["sha256"])
        self.side = thumb_side(self)
        self.picture = ClickableLabel(self)
        self.picture.setFixedSize(QSize(self.side, self.side))
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setCursor(Qt.CursorShape.PointingHandCursor)
        self.picture.setText("…")
        self.picture.setToolTip(self.tr("点击查看大图"))
        self.notes = QLabel(self)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        self.notes.setWordWrap(True)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.notes.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.view_button = QPushButton(self.tr("查看大图"), self)
        self.remove_button = QPushButton(self.tr("移除"), self)
        self.remove_button.setToolTip(self.tr("从这条记录中去掉这张照片（照片文件仍保留在数据文件夹中）"))
        buttons = QVBoxLayout()
        buttons.addWidget(self.view_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 6, 6, 6)
        row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.notes, 1)
        row.addLayout(buttons)
        self.picture.clicked.connect(lambda: self.view_clicked.emit(self.sha256))
        self.view_button.clicked.connect(lambda: self.view_clicked.emit(self.sha256))
        self.remove_button.clicked.connect(lambda: self.remove_clicked.emit(self.sha256))
        self.warnings: list[str] = []
        self.lines: list[str] = []

    def show_notes(self, lines: list[str], warnings: list[str]) -> None:
        """Show these lines and warnings (the card turns amber while it has a warning)."""
        if (lines, warnings) == (self.lines, self.warnings) and self.notes.text():
            return
        self.lines, self.warnings = lines, warnings
        self.notes.setText(notes_html(str(self.item.get("name") or ""), lines, warnings))
        self.setProperty("warned", bool(warnings))
        self.style().unpolish(self)
        self.style().polish(self)

    def show_picture(self, pixmap: QPixmap | None) -> None:
        """The thumbnail; None when the photo cannot be shown (its file gone or damaged)."""
        if pixmap is None:
            self.picture.setPixmap(QPixmap())
            self.picture.setText(self.tr("无法显示"))
        else:
            self.picture.setPixmap(pixmap)

    def set_read_only(self, read_only: bool) -> None:
        """A final record's photos can be looked at, not removed."""
        self.remove_button.setVisible(not read_only)


def thumb_side(widget: QWidget) -> int:
    """The thumbnail's side on screen: larger with the text (大字, 特大)."""
    return round(THUMB * font_scale(widget))
