"""从手机文件夹选: a folder from a phone on a USB cable or a memory card, its photos listed with
those taken in the record's time window first (phone_folder_model.py), each with its time and
whether a final record holds it already; a click ticks a photo, 添加所选照片 attaches them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.editor.phone_folder_model import NOTE, PHOTO, TAKEN, FolderScan, Heading, PhoneFolderModel
from desktop.file_chooser import choose_folder
from desktop.window_size import fit_window, font_scale
from forms.photo_folder import MAX_PHOTOS

ROW_THUMB = 64  # a row's picture at 标准, in device-independent pixels


class TickingTable(QTableView):
    """Space ticks the current photo as a click does."""

    def __init__(self, toggle, parent: QWidget | None = None):
        super().__init__(parent)
        self._toggle = toggle

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and self.currentIndex().isValid():
            self._toggle(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)


class PhoneFolderDialog(QDialog):
    """The photos of one folder; `paths()` are the ticked ones once accepted."""

    last_folder: ClassVar[Path | None] = None  # where the phone was the last time, while Yici runs

    def __init__(self, folder: Path, env: Any, attached: set[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("从手机文件夹选照片"))
        self.env = env
        self.folder = folder
        self.scan: FolderScan | None = None
        self.folder_label = QLabel(self)
        self.folder_label.setWordWrap(True)
        self.change_button = QPushButton(self.tr("换一个文件夹…"), self)
        self.change_button.clicked.connect(self.change_folder)
        self.hint = QLabel(
            self.tr("点一下照片就选中，再点一下取消。在记录时间前后拍的照片排在最前面。"), self
        )
        self.hint.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        # Smaller than a record's own photos: more rows on the screen, a card holds thousands.
        side = round(ROW_THUMB * (1 + 0.3 * (font_scale(self) - 1)))
        self.model = PhoneFolderModel(env, attached, side, self.devicePixelRatioF(), self)
        self.table = TickingTable(self._toggle, self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setIconSize(self.table.iconSize().scaled(side, side, Qt.AspectRatioMode.IgnoreAspectRatio))
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # a few thousand rows, never measured
        rows.setDefaultSectionSize(max(side + 8, self.fontMetrics().height() + 10))
        columns = self.table.horizontalHeader()
        metrics = self.fontMetrics()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        columns.resizeSection(PHOTO, side + metrics.horizontalAdvance("IMG_20260910_140533.jpg") + 64)
        columns.resizeSection(TAKEN, metrics.horizontalAdvance("2026-09-10 14:05") + 24)
        columns.setStretchLastSection(True)
        self.table.setAccessibleName(self.tr("照片"))
        self.table.clicked.connect(self._toggle)
        self.model.dataChanged.connect(self._count)
        self.model.modelReset.connect(self._count)
        self.model.modelReset.connect(self._span_headings)
        self.chosen = QLabel(self)
        buttons = QDialogButtonBox(self)
        self.add_button = buttons.addButton(self.tr("添加所选照片"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.add_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.folder_label, 1)
        top.addWidget(self.change_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.chosen, 1)
        bottom.addWidget(buttons)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.hint)
        box.addWidget(self.status)
        box.addWidget(self.table, 1)
        box.addLayout(bottom)
        self.finished.connect(self._stop_scan)
        # As tall as the screen: a phone's folder holds hundreds of photos, filled in after opening.
        fit_window(self, "phone-folder", 900, 10000)
        self.read(folder)

    @classmethod
    def choose(cls, parent: QWidget, env: Any, attached: set[str], folder: Path | None = None) -> list[str]:
        """Ask for a folder (unless given), list its photos, return the ticked ones ([] when
        cancelled)."""
        if folder is None:
            start = cls.last_folder or Path.home()
            title = QCoreApplication.translate("PhoneFolderDialog", "选择手机或存储卡上的照片文件夹")
            folder = choose_folder(parent, title, start)
        if folder is None:
            return []
        dialog = cls(folder, env, attached, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return []
        return [str(p) for p in dialog.model.ticked_paths()]

    # -- reading the folder ------------------------------------------------------------------------
    def read(self, folder: Path) -> None:
        """List the photos of `folder` (read on a thread of its own)."""
        self._stop_scan()
        self.folder = folder
        type(self).last_folder = folder
        self.folder_label.setText(self.tr("文件夹：{folder}").format(folder=folder))
        self.status.setText(self.tr("正在读取照片…"))
        self.model.fill([])
        self.scan = FolderScan(folder, self)
        self.scan.progress.connect(self._progress)
        self.scan.finished.connect(self._read)
        self.scan.start()

    def change_folder(self) -> None:
        """换一个文件夹: choose another folder and list it instead."""
        folder = choose_folder(self, self.tr("选择手机或存储卡上的照片文件夹"), self.folder)
        if folder is not None:
            self.read(folder)

    def _progress(self, done: int, total: int) -> None:
        self.status.setText(self.tr("正在读取照片…（{done}/{total}）").format(done=done, total=total))

    def _read(self, photos: list, cut: bool) -> None:
        self.scan = None  # its thread is ending: nothing more comes from it
        self.model.fill(photos)
        if not photos:
            words = self.tr("这个文件夹里没有照片（JPEG、HEIC、PNG）。手机的照片一般在 DCIM 文件夹里。")
        else:
            words = self.tr("共 {n} 张照片。").format(n=len(photos))
            if cut:
                more = self.tr("照片太多，只列出了前 {max} 张；可以选更具体的文件夹，如 DCIM/Camera。")
                words += more.format(max=MAX_PHOTOS)
        self.status.setText(words)
        first = self.model.index(1, PHOTO) if self.model.window_count else QModelIndex()
        if first.isValid():
            self.table.setCurrentIndex(first)
        self.table.setFocus()

    def _stop_scan(self, *_args) -> None:
        if self.scan is not None:
            self.scan.stop()
            self.scan.progress.disconnect(self._progress)
            self.scan.finished.disconnect(self._read)
            self.scan = None

    # -- ticking ------------------------------------------------------------------------------------
    def _toggle(self, index: QModelIndex) -> None:
        self.model.toggle(index.row())

    def _span_headings(self) -> None:
        self.table.clearSpans()
        for row, item in enumerate(self.model.rows):
            if isinstance(item, Heading):
                self.table.setSpan(row, PHOTO, 1, NOTE + 1)

    def _count(self, *_args) -> None:
        n = len(self.model.ticked)
        self.chosen.setText(self.tr("已选 {n} 张").format(n=n) if n else "")
        self.add_button.setEnabled(n > 0)

    def paths(self) -> list[Path]:
        """The ticked photos, in the list's order."""
        return self.model.ticked_paths()
