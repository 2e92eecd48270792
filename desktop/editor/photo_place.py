"""用照片的位置: which of the record's photos gives the place its coordinates, when more than one was
taken with a position (each shown with its picture, time and distance from the branch). No
network: the position is the one the phone wrote into the photo.
"""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.editor.photo_card import branch_distance, taken_text, thumb_side
from desktop.editor.photo_work import PhotoWork, stored_image
from desktop.window_size import fit_window


def placed(photos: list[dict]) -> list[dict]:
    """The photos that carry a position, once each."""
    seen: set[str] = set()
    found = []
    for item in photos:
        sha = str(item.get("sha256") or "")
        if item.get("latitude") is not None and item.get("longitude") is not None and sha not in seen:
            seen.add(sha)
            found.append(item)
    return found


class PhotoPlaceDialog(QDialog):
    """Pick one photo; its position becomes the place's 纬度 and 经度."""

    def __init__(self, photos: list[dict], env: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("用哪张照片的位置"))
        self.photos = photos
        self.env = env
        words = self.tr("有 {n} 张照片带有拍摄位置，请选一张（最好是在走访地点拍的）：")
        intro = QLabel(words.format(n=len(photos)), self)
        intro.setWordWrap(True)
        side = thumb_side(self)
        self.list = QListWidget(self)
        self.list.setIconSize(QSize(side, side))
        self.list.setWordWrap(True)
        self.list.setAccessibleName(self.tr("照片"))
        for item in photos:
            row = QListWidgetItem(self._words(item))
            row.setData(Qt.ItemDataRole.UserRole, item.get("sha256"))
            self.list.addItem(row)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _row: self.accept())
        buttons = QDialogButtonBox(self)
        self.use_button = buttons.addButton(self.tr("用这张的位置"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addWidget(self.list, 1)
        box.addWidget(buttons)
        self._work = PhotoWork(self)
        self._work.done.connect(self._picture)
        pixels = round(side * self.devicePixelRatioF())
        for item in photos:  # decrypted in memory; a file gone or damaged leaves its row without a picture
            sha = item["sha256"]
            self._work.request(sha, functools.partial(stored_image, env.store, sha, pixels))
        fit_window(self, "photo-place", 620, 420)

    def _words(self, item: dict) -> str:
        lines = [str(item.get("name") or "")]
        if taken_text(item):
            lines.append(self.tr("拍摄于 {time}").format(time=taken_text(item)))
        lat, lon = f"{item['latitude']:.6f}", f"{item['longitude']:.6f}"
        lines.append(self.tr("纬度 {lat}，经度 {lon}").format(lat=lat, lon=lon))
        far = branch_distance(item, self.env.branch)
        if far:
            lines.append(far)
        return "\n".join(lines)

    def _picture(self, sha: str, image) -> None:
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        for n in range(self.list.count()):
            row = self.list.item(n)
            if row.data(Qt.ItemDataRole.UserRole) == sha:
                row.setIcon(QIcon(pixmap))

    def chosen(self) -> dict | None:
        """The photo picked (None before one is)."""
        row = self.list.currentRow()
        return self.photos[row] if 0 <= row < len(self.photos) else None


def choose_photo_place(photos: list[dict], env: Any, parent: QWidget) -> dict | None:
    """The photo whose position to use: the only one, or the one picked ([] and cancel: None)."""
    found = placed(photos)
    if len(found) <= 1:
        return found[0] if found else None
    dialog = PhotoPlaceDialog(found, env, parent)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
