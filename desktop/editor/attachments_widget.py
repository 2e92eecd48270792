"""`files` and what `photos` shares with it: drop files on the field or pick them; each is copied
into the data folder at once (forms/photo_items.py), so nothing depends on the original staying
on a USB stick. The photos field itself, with its cards, is photos_widget.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QProgressDialog,
    QPushButton,
    QStyle,
    QVBoxLayout,
)

from desktop.editor.field_base import FieldWidget
from desktop.editor.roster_widgets import FittingList
from forms.photo_items import attach_file

_ITEM_ROLE = Qt.ItemDataRole.UserRole
PROGRESS_FROM = 4  # attaching this many files at once shows how far it got


class AttachmentsWidget(FieldWidget):
    """Shared by photos and files: 添加 buttons, a drop target, what went wrong in red below."""

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.add_button = QPushButton(self._add_label(), self)
        self.drop_hint = QLabel(self.tr("可把文件直接拖到这里"), self)
        self.drop_hint.setStyleSheet("color: palette(mid);")
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.add_button)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.addLayout(self.buttons)
        self.setAcceptDrops(True)
        self.setFocusProxy(self.add_button)
        self.add_button.clicked.connect(self.pick)
        self._items: list[dict] = []

    def _add_label(self) -> str:
        return self.tr("添加文件…")

    def _finish_layout(self) -> None:
        """After a subclass put its own buttons and list in: the hint, then the problems."""
        self.buttons.addWidget(self.drop_hint, 1)
        self.box.addWidget(self.error)

    # -- value ------------------------------------------------------------------------------
    def value(self):
        return [dict(item) for item in self._items]

    def _show(self, value):
        given = value if isinstance(value, list) else []
        self._items = [dict(v) for v in given if isinstance(v, dict) and v.get("sha256")]
        self._refresh()

    def _refresh(self) -> None:
        raise NotImplementedError

    def _path(self, sha256: str) -> Path | None:
        if self.env.store is None:
            return None
        try:
            return self.env.store.attachment_copy(sha256)  # plain, for Qt and viewers
        except Exception:  # a missing file is shown as a plain icon, not a crash
            return None

    # -- adding -----------------------------------------------------------------------------
    def pick(self) -> None:
        """Let the person choose files with the system's file dialog."""
        paths, _ = QFileDialog.getOpenFileNames(self, self._add_label().rstrip("…"), "", self._filter())
        if paths:
            self.add_paths(paths)

    def _filter(self) -> str:
        return self.tr("所有文件 (*)")

    def _attach(self, uuid: str, path: Path) -> dict:
        """Store one file for the record and return its item (raises with words on failure)."""
        return attach_file(self.env.store, uuid, path, path.name)

    def add_paths(self, paths) -> int:
        """Copy these files into the data folder and list them; returns how many were added."""
        if self._read_only:
            return 0
        problems: list[str] = []
        wanted = []
        for p in paths:
            path = Path(p)
            if path.is_file():
                wanted.append(path)
            elif path.is_dir():
                problems.append(self.tr("“{name}”是一个文件夹，没有添加").format(name=path.name))
            else:
                problems.append(self.tr("找不到“{name}”，未添加").format(name=path.name or str(p)))
        uuid = self.env.ensure_uuid() if wanted else None
        if wanted and (uuid is None or self.env.store is None):
            problems.append(self.tr("记录尚未保存，无法添加附件，请先按 Ctrl+S 保存草稿"))
            wanted = []
        added = self._attach_all(uuid, wanted, problems) if wanted and uuid else 0
        self.error.setText("\n".join(problems))
        self.error.setVisible(bool(problems))
        if added:
            self._refresh()
            self._emit()
        return added

    def _attach_all(self, uuid: str, paths: list[Path], problems: list[str]) -> int:
        known = {item["sha256"] for item in self._items}
        added = 0
        progress = None
        if len(paths) >= PROGRESS_FROM:
            progress = QProgressDialog(self.tr("正在添加…"), self.tr("停止"), 0, len(paths), self)
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setMinimumDuration(600)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            for n, path in enumerate(paths):
                if progress is not None:
                    progress.setValue(n)
                    if progress.wasCanceled():
                        break
                try:
                    item = self._attach(uuid, path)
                except Exception as exc:  # not a photo, disk full, unreadable: say so, keep the rest
                    problems.append(self._problem(path, exc))
                    continue
                if item["sha256"] in known:
                    problems.append(self.tr("“{name}”已经在这条记录里，没有重复添加").format(name=path.name))
                    continue
                known.add(item["sha256"])
                self._items.append(self._with_notes(uuid, item))
                added += 1
        finally:
            QApplication.restoreOverrideCursor()
            if progress is not None:
                progress.close()
        return added

    def _problem(self, path: Path, exc: Exception) -> str:
        return self.tr("“{name}”添加失败：{error}").format(name=path.name, error=exc)

    def _with_notes(self, uuid: str, item: dict[str, Any]) -> dict[str, Any]:
        """The item as kept in the record (photos add what the store knows about them)."""
        return item

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
        self.drop_hint.setVisible(not read_only)
        self._refresh()


class FilesWidget(AttachmentsWidget):
    """`files`: any documents (sign-in sheet, lecture notes), listed by name."""

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.remove_button = QPushButton(self.tr("移除所选"), self)
        self.buttons.addWidget(self.remove_button)
        self.list = FittingList(self._fit_height, self)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.box.addWidget(self.list)
        self._finish_layout()
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemActivated.connect(self._open)
        self._refresh()

    def _refresh(self) -> None:
        self.list.clear()
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        for item in self._items:
            row = QListWidgetItem(icon, str(item.get("name") or ""))
            row.setData(_ITEM_ROLE, item["sha256"])
            row.setToolTip(str(item.get("name") or ""))
            self.list.addItem(row)
        self.list.setVisible(bool(self._items))
        self.remove_button.setVisible(not self._read_only)
        self.remove_button.setEnabled(bool(self._items) and not self._read_only)
        self._fit_height()

    def _fit_height(self) -> None:
        rows = min(max(len(self._items), 1), 6)
        self.list.setFixedHeight(rows * (self.fontMetrics().height() + 8) + 8)

    def remove_selected(self) -> None:
        """Take the selected files off this record (the copies stay in the data folder)."""
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

    def focus_widgets(self):
        return [self.add_button, self.remove_button, self.list]
