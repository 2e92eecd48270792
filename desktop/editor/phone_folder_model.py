"""The photos of a phone's folder as a table: a heading for those taken in the record's time window,
then them, newest first; a heading for the rest, then them. Reading the folder runs on its own
thread (forms/photo_folder.py reads a few KB of each file); a row's thumbnail, and whether the
photo is already in a final record, are worked out only when the row is painted (photo_work.py),
so a card of a few thousand photos lists at once and scrolls smoothly.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPixmap

from desktop.editor.form_panel import WARNING_COLOR
from desktop.editor.photo_card import taken_text
from desktop.editor.photo_work import HAND_OUT_EVERY_MS, PhotoWork
from forms.photo_checks import use_warning
from forms.photo_folder import FolderPhoto, find_photos, ordered, read_folder_photo

PICTURES_KEPT = 400  # thumbnails held at once (rows scrolled far away are made again if needed)
PHOTO, TAKEN, NOTE = range(3)
Index = QModelIndex | QPersistentModelIndex
_TOP = QModelIndex()


@dataclass
class Heading:
    """A row naming the group below it."""

    text: str


class FolderScan(QObject):
    """Reads a folder's photos on a thread of its own: `progress(read, found)` now and then,
    `finished(photos, cut)` at the end; `stop()` ends it early (the dialog closed). The thread
    touches no Qt object (see photo_work.py): it leaves its news in a deque that a timer of the
    main thread reads."""

    progress = Signal(int, int)
    finished = Signal(object, bool)

    def __init__(self, folder: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.folder = folder
        self._stop = threading.Event()
        stop = self._stop
        self.destroyed.connect(lambda *_: stop.set())
        self._news: deque[tuple[str, tuple]] = deque()
        self._thread = threading.Thread(
            target=self._run, args=(folder, stop, self._news), name="yici-phone-folder", daemon=True
        )
        self._look = QTimer(self)
        self._look.setInterval(HAND_OUT_EVERY_MS)
        self._look.timeout.connect(self._tell)

    def start(self) -> None:
        """Start reading."""
        self._thread.start()
        self._look.start()

    def stop(self) -> None:
        """Stop after the file in hand; nothing more is reported."""
        self._stop.set()
        self._look.stop()

    def _tell(self) -> None:
        """On the main thread: pass the thread's news on; rest once it has ended."""
        ended = not self._thread.is_alive()  # read first: news left before the end is in the deque
        while self._news and not self._stop.is_set():
            name, args = self._news.popleft()
            getattr(self, name).emit(*args)
        if ended and not self._stop.is_set():
            self._look.stop()

    @staticmethod
    def _run(folder: Path, stop: threading.Event, news: deque) -> None:
        paths, cut = find_photos(folder, stop.is_set)
        photos: list[FolderPhoto] = []
        for n, path in enumerate(paths, 1):
            if stop.is_set():
                return
            photo = read_folder_photo(path)
            if photo is not None:
                photos.append(photo)
            if n % 25 == 0:
                news.append(("progress", (n, len(paths))))
        news.append(("finished", (photos, cut)))


class PhoneFolderModel(QAbstractTableModel):
    """Rows of Heading and FolderPhoto; photos ticked to attach (CheckStateRole on the first column)."""

    def __init__(self, env: Any, attached: set[str], side: int, ratio: float, parent: QObject | None = None):
        super().__init__(parent)
        self.env = env
        self.attached = attached  # SHA-256 of the photos the record holds already
        self.side = side
        self.ratio = ratio
        self.rows: list[Heading | FolderPhoto] = []
        self._row_of: dict[Path, int] = {}
        self.ticked: set[Path] = set()
        self.window_count = 0
        self._pictures: OrderedDict[Path, QPixmap | None] = OrderedDict()
        self._notes: dict[Path, tuple[str, bool]] = {}  # path -> (words, a warning?)
        self._work = PhotoWork(self)
        self._work.done.connect(self._examined)
        self._work.failed.connect(lambda path, _message: self._examined(path, None))

    # -- filling ---------------------------------------------------------------------------------
    def fill(self, photos: list[FolderPhoto]) -> None:
        """Show these photos: the record's time window first, then the rest, newest first."""
        when, hours = self.env.record_time(), self.env.photo_hours
        window, rest = ordered(photos, when, hours)
        self.beginResetModel()
        self._work.clear()
        self.rows, self.ticked, self.window_count = [], set(), len(window)
        if when is None:
            self.rows.append(Heading(self.tr("全部照片（{n} 张），最新的在前").format(n=len(rest))))
        else:
            if window:
                title = self.tr("记录时间前后 {hours} 小时内拍的照片（{n} 张）").format(
                    hours=hours, n=len(window)
                )
            else:
                title = self.tr("没有在记录时间前后 {hours} 小时内拍的照片").format(hours=hours)
            self.rows.append(Heading(title))
            self.rows += window
            if rest:
                self.rows.append(Heading(self.tr("其他照片（{n} 张），最新的在前").format(n=len(rest))))
        self.rows += rest
        self._row_of = {r.path: n for n, r in enumerate(self.rows) if isinstance(r, FolderPhoto)}
        self.endResetModel()

    def photo(self, row: int) -> FolderPhoto | None:
        """The photo of a row (None for a heading)."""
        found = self.rows[row] if 0 <= row < len(self.rows) else None
        return found if isinstance(found, FolderPhoto) else None

    def toggle(self, row: int) -> None:
        """Tick or untick the photo of `row`."""
        photo = self.photo(row)
        if photo is None:
            return
        self.ticked.symmetric_difference_update({photo.path})
        first = self.index(row, PHOTO)
        self.dataChanged.emit(first, first, [Qt.ItemDataRole.CheckStateRole])

    def ticked_paths(self) -> list[Path]:
        """The ticked photos, in the list's order."""
        return [r.path for r in self.rows if isinstance(r, FolderPhoto) and r.path in self.ticked]

    # -- the table's side ------------------------------------------------------------------------
    def rowCount(self, parent: Index = _TOP) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _TOP) -> int:
        return 0 if parent.isValid() else 3

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("照片"), self.tr("拍摄时间"), self.tr("说明"))[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if self.photo(index.row()) is None:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if isinstance(row, Heading):
            if role == Qt.ItemDataRole.DisplayRole and column == PHOTO:
                return row.text
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            note = self._notes.get(row.path, ("", False))[0] if column == NOTE else ""
            return note or str(row.path)
        if column == PHOTO:
            if role == Qt.ItemDataRole.DisplayRole:
                return row.path.name
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if row.path in self.ticked else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.DecorationRole:
                return self._picture(row)
        elif column == TAKEN and role == Qt.ItemDataRole.DisplayRole:
            return taken_text(row.item) or self.tr("没有拍摄时间")
        elif column == NOTE:
            words, warned = self._notes.get(row.path, ("", False))
            if role == Qt.ItemDataRole.DisplayRole:
                return words
            if role == Qt.ItemDataRole.ForegroundRole and warned:
                return QBrush(QColor(WARNING_COLOR))
        return None

    # -- a row's picture and whether it was used, worked out when it is painted -------------------
    def _picture(self, photo: FolderPhoto) -> QPixmap | None:
        if photo.path in self._pictures:
            self._pictures.move_to_end(photo.path)
            return self._pictures[photo.path]
        side = round(self.side * self.ratio)
        self._work.request(photo.path, functools.partial(examined, photo.path, side))
        return None

    def _examined(self, path: Path, found: tuple[QImage, str, str] | None) -> None:
        pixmap = None
        if found is not None:
            image, sha, picture_hash = found
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(self.ratio)
            self._notes[path] = self._note(sha, picture_hash)
        else:
            self._notes[path] = (self.tr("这个文件无法显示"), True)
        self._pictures[path] = pixmap
        while len(self._pictures) > PICTURES_KEPT:
            self._pictures.popitem(last=False)
        row = self._row_of.get(path)
        if row is not None:
            self.dataChanged.emit(self.index(row, PHOTO), self.index(row, NOTE))

    def _note(self, sha: str, picture_hash: str) -> tuple[str, bool]:
        if sha in self.attached:
            return self.tr("已在这条记录里"), False
        store = self.env.store
        try:
            uses = store.photo_uses([], self.env.uuid() or "", {sha: picture_hash}) if store else []
        except Exception:  # the check never stands in the way of choosing
            uses = []
        if uses:
            return use_warning(uses[0]).text, True
        return "", False


def examined(path: Path, side: int) -> tuple[QImage, str, str]:
    """A phone photo's thumbnail (upright, `side` pixels), SHA-256 and picture hash, from one read
    of the file (any thread)."""
    from forms.photos import examine_photo  # Pillow: only once a folder is shown

    photo = examine_photo(path, side)
    image = QImage.fromData(photo.thumbnail)
    if image.isNull():
        raise ValueError("thumbnail could not be read back")
    return image, photo.sha256, photo.picture_hash
