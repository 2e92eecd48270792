"""A record's photo large, standing upright (HEIC too, which Qt cannot decode: forms/photos does),
with what it says about itself: when and where it was taken, which camera, how far from the
branch, its warnings; 上一张 / 下一张 (or the arrow keys) through the record's photos.
"""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from desktop.editor.photo_card import notes_html, photo_notes
from desktop.editor.photo_work import PhotoWork, stored_image
from desktop.window_size import fit_window, screen_room

MAX_SIDE = 2400  # pixels: a 4K screen's photo, and no more decoded than that


class PhotoViewer(QDialog):
    """One photo of the record at a time, as large as the window lets it be."""

    def __init__(self, items: list[dict], index: int, env: Any, when: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.items = items
        self.index = index
        self.env = env
        self.when = when
        self._full: dict[str, QPixmap | None] = {}
        self.picture = QLabel(self)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.picture.setMinimumSize(QSize(200, 150))
        self.notes = QLabel(self)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.previous_button = QPushButton(self.tr("上一张"), self)
        self.next_button = QPushButton(self.tr("下一张"), self)
        self.close_button = QPushButton(self.tr("关闭"), self)
        self.close_button.setDefault(True)
        self.previous_button.clicked.connect(lambda: self.show_photo(self.index - 1))
        self.next_button.clicked.connect(lambda: self.show_photo(self.index + 1))
        self.close_button.clicked.connect(self.accept)
        for keys, step in ((Qt.Key.Key_Left, -1), (Qt.Key.Key_Right, 1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda s=step: self.show_photo(self.index + s))
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        box = QVBoxLayout(self)
        box.addWidget(self.picture, 1)
        box.addWidget(self.notes)
        box.addLayout(buttons)
        self._work = PhotoWork(self)
        self._work.done.connect(self._ready)
        self._work.failed.connect(lambda sha, _message: self._ready(sha, None))
        fit_window(self, "photo-viewer", 900, 700, grow=False)
        self.show_photo(index)

    def show_photo(self, index: int) -> None:
        """Show the photo at `index` of the record's photos (kept within the list)."""
        if not self.items:
            return
        self.index = max(0, min(index, len(self.items) - 1))
        item = self.items[self.index]
        name = str(item.get("name") or "")
        title = self.tr("照片 {n}/{total}：{name}")
        self.setWindowTitle(title.format(n=self.index + 1, total=len(self.items), name=name))
        lines, warnings = photo_notes(item, self.when, self.env.photo_hours, self.env.branch)
        lines += self._facts_lines(item)
        self.notes.setText(notes_html(name, lines, warnings))
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(self.items) - 1)
        self.previous_button.setVisible(len(self.items) > 1)
        self.next_button.setVisible(len(self.items) > 1)
        sha = item["sha256"]
        if sha in self._full:
            self._fit()
            return
        self.picture.setPixmap(QPixmap())
        self.picture.setText(self.tr("正在打开照片…"))
        store = self.env.store
        if store is None:
            self._ready(sha, None)
            return
        room = screen_room(self)
        side = min(MAX_SIDE, round(max(room.width(), room.height()) * self.devicePixelRatioF()))
        self._work.request(sha, functools.partial(stored_image, store, sha, side))

    def _facts_lines(self, item: dict) -> list[str]:
        lines = []
        lat, lon = item.get("latitude"), item.get("longitude")
        if lat is not None and lon is not None:
            words = self.tr("拍摄位置：纬度 {lat}，经度 {lon}")
            lines.append(words.format(lat=f"{lat:.6f}", lon=f"{lon:.6f}"))
        store = self.env.store
        facts = store.photo_facts([item["sha256"]]).get(item["sha256"]) if store is not None else None
        camera = " ".join(str(facts[0].get(k) or "") for k in ("make", "model")).strip() if facts else ""
        if camera:
            lines.append(self.tr("相机：{camera}").format(camera=camera))
        return lines

    def _ready(self, sha: str, image) -> None:
        pixmap = QPixmap.fromImage(image) if image is not None else None
        self._full[sha] = pixmap
        if self.items and self.items[self.index]["sha256"] == sha:
            self._fit()

    def _fit(self) -> None:
        pixmap = self._full.get(self.items[self.index]["sha256"])
        if pixmap is None:
            self.picture.setPixmap(QPixmap())
            self.picture.setText(self.tr("这张照片无法显示（文件缺失或已损坏）"))
            return
        ratio = self.devicePixelRatioF()
        room = self.picture.size() * ratio
        shown = pixmap.scaled(
            room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        shown.setDevicePixelRatio(ratio)
        self.picture.setText("")
        self.picture.setPixmap(shown)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.items and self.items[self.index]["sha256"] in self._full:
            self._fit()
