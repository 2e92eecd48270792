"""`photos` and `files`: drop files on the field or pick them; each is copied into the data folder
at once (store.add_attachment), so nothing depends on the original staying on a USB stick.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QIcon, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
)

from desktop.editor.field_base import FieldWidget
from desktop.editor.roster_widgets import FittingList

_ITEM_ROLE = Qt.ItemDataRole.UserRole
THUMB = 96
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff")


class _AttachmentsWidget(FieldWidget):
    """Shared by photos and files: a list, 添加 / 移除 buttons, drop target, errors in red."""

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.list = FittingList(self._fit_height, self)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.add_button = QPushButton(self._add_label(), self)
        self.remove_button = QPushButton(self.tr("移除所选"), self)
        self.drop_hint = QLabel(self.tr("可把文件直接拖到这里"), self)
        self.drop_hint.setStyleSheet("color: palette(mid);")
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.drop_hint)
        buttons.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(buttons)
        box.addWidget(self.list)
        box.addWidget(self.error)
        self.setAcceptDrops(True)
        self.setFocusProxy(self.add_button)
        self.add_button.clicked.connect(self.pick)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemActivated.connect(self._open)
        self._items: list[dict] = []
        self._refresh()

    def _add_label(self) -> str:
        return self.tr("添加文件…")

    # -- value ------------------------------------------------------------------------------
    def value(self):
        return [dict(item) for item in self._items]

    def _show(self, value):
        self._items = [
            {"sha256": str(v["sha256"]), "name": str(v.get("name") or "")}
            for v in (value if isinstance(value, list) else [])
            if isinstance(v, dict) and v.get("sha256")
        ]
        self._refresh()

    def _refresh(self) -> None:
        self.list.clear()
        for item in self._items:
            row = QListWidgetItem(self._icon(item["sha256"]), item["name"])
            row.setData(_ITEM_ROLE, item["sha256"])
            row.setToolTip(item["name"])
            self.list.addItem(row)
        self.list.setVisible(bool(self._items))
        self.remove_button.setEnabled(bool(self._items) and not self._read_only)
        self._fit_height()

    def _fit_height(self) -> None:
        rows = min(max(len(self._items), 1), 6)
        self.list.setFixedHeight(rows * (self.fontMetrics().height() + 8) + 8)

    def _icon(self, sha256: str) -> QIcon:
        return self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)

    def _path(self, sha256: str) -> Path | None:
        if self.env.store is None:
            return None
        try:
            return self.env.store.attachment_copy(sha256)  # plain, for Qt and viewers
        except Exception:  # a missing file is shown as a plain icon, not a crash
            return None

    # -- adding -----------------------------------------------------------------------------
    def accepts(self, path: Path) -> bool:
        """Whether a dropped or picked file belongs in this field."""
        return path.is_file()

    def pick(self) -> None:
        """Let the person choose files with the system's file dialog."""
        paths, _ = QFileDialog.getOpenFileNames(self, self._add_label().rstrip("…"), "", self._filter())
        if paths:
            self.add_paths(paths)

    def _filter(self) -> str:
        return self.tr("所有文件 (*)")

    def add_paths(self, paths) -> int:
        """Copy these files into the data folder and list them; returns how many were added."""
        if self._read_only:
            return 0
        problems: list[str] = []
        wanted = []
        for p in paths:
            path = Path(p)
            if self.accepts(path):
                wanted.append(path)
            else:
                problems.append(self.tr("“{name}”不是可用的图片或文件，未添加").format(name=path.name))
        added = 0
        uuid = self.env.ensure_uuid() if wanted else None
        if wanted and (uuid is None or self.env.store is None):
            problems.append(self.tr("记录尚未保存，无法添加附件，请先按 Ctrl+S 保存草稿"))
            wanted = []
        known = {item["sha256"] for item in self._items}
        for path in wanted:
            try:
                att = self.env.store.add_attachment(uuid, path, path.name)
            except Exception as exc:  # disk full, unreadable file: say so, keep the rest
                problems.append(self.tr("“{name}”添加失败：{error}").format(name=path.name, error=exc))
                continue
            if att.sha256 not in known:
                known.add(att.sha256)
                self._items.append({"sha256": att.sha256, "name": att.name or path.name})
                added += 1
        self.error.setText("\n".join(problems))
        self.error.setVisible(bool(problems))
        if added:
            self._refresh()
            self._emit()
        return added

    def remove_selected(self) -> None:
        """Take the selected attachments off this record (the copies stay in the data folder)."""
        if self._read_only:
            return
        gone = {item.data(_ITEM_ROLE) for item in self.list.selectedItems()}
        if gone:
            self._items = [i for i in self._items if i["sha256"] not in gone]
            self._refresh()
            self._emit()

    def _open(self, row: QListWidgetItem) -> None:
        path = self._path(row.data(_ITEM_ROLE))
        if path and path.exists():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # -- drag and drop ------------------------------------------------------------------------
    def _dropped_paths(self, event) -> list[str]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]

    def dragEnterEvent(self, event):
        if not self._read_only and self._dropped_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event):
        self.dragEnterEvent(event)

    def dropEvent(self, event):
        paths = self._dropped_paths(event)
        if paths and not self._read_only:
            event.acceptProposedAction()
            self.add_paths(paths)

    # -- shared interface ----------------------------------------------------------------------
    def set_read_only(self, read_only):
        super().set_read_only(read_only)
        self.add_button.setVisible(not read_only)
        self.remove_button.setVisible(not read_only)
        self.drop_hint.setVisible(not read_only)
        self._refresh()

    def focus_widgets(self):
        return [self.add_button, self.remove_button, self.list]


class FilesWidget(_AttachmentsWidget):
    """`files`: any documents (sign-in sheet, lecture notes), listed by name."""


class PhotosWidget(_AttachmentsWidget):
    """`photos`: images shown as thumbnails."""

    def __init__(self, field, env, parent=None):
        self._thumbs: dict[str, QIcon] = {}
        super().__init__(field, env, parent)
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 28, THUMB + self.fontMetrics().height() + 16))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWrapping(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self._refresh()

    def _add_label(self) -> str:
        return self.tr("添加照片…")

    def _filter(self) -> str:
        return self.tr("图片 (*.jpg *.jpeg *.png *.bmp *.gif *.webp *.tif *.tiff)")

    def accepts(self, path: Path) -> bool:
        return path.is_file() and (path.suffix.lower() in PHOTO_SUFFIXES or QImageReader(str(path)).canRead())

    def _icon(self, sha256: str) -> QIcon:
        if sha256 in self._thumbs:
            return self._thumbs[sha256]
        icon = super()._icon(sha256)
        path = self._path(sha256)
        if path and path.exists():
            reader = QImageReader(str(path))
            reader.setAutoTransform(True)  # phone photos carry their rotation in EXIF
            size = reader.size()
            if size.isValid():
                reader.setScaledSize(size.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio))
            image = reader.read()
            if not image.isNull():
                icon = QIcon(QPixmap.fromImage(image))
        self._thumbs[sha256] = icon
        return icon

    def _fit_height(self) -> None:
        if not hasattr(self, "_thumbs") or self.list.viewMode() != QListView.ViewMode.IconMode:
            return super()._fit_height()
        grid = self.list.gridSize()
        scroll = self.list.verticalScrollBar().sizeHint().width()
        per_row = max(1, (self.list.width() - 2 * self.list.frameWidth() - scroll) // grid.width())
        rows = min(max(1, -(-len(self._items) // per_row)), 3)
        self.list.setFixedHeight(rows * grid.height() + 2 * self.list.frameWidth() + 6)
