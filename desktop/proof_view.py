"""Screenshots kept as proof of what Yici typed into a platform's web form: thumbnails with what
each shows and when (before submitting, after, or the platform's list already holding the record);
one click opens a screenshot whole, scrolling, with "另存为…" to keep a copy elsewhere.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.due_view import FlowLayout
from desktop.file_chooser import save_file
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.window_size import fit_window
from forms.atomic import write_atomically

log = logging.getLogger(__name__)

PROOF_TITLES = {
    "before": QT_TRANSLATE_NOOP("ProofStrip", "提交前"),
    "after": QT_TRANSLATE_NOOP("ProofStrip", "提交后"),
    "found": QT_TRANSLATE_NOOP("ProofStrip", "平台上已有"),
}
THUMB_EMS = (12, 8)  # a thumbnail's room, in widths of 一 at the current text size
UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')  # characters a file name cannot hold on Windows


def proof_title(kind: str) -> str:
    """What a screenshot shows, in the UI language."""
    return QCoreApplication.translate("ProofStrip", PROOF_TITLES[kind]) if kind in PROOF_TITLES else kind


def file_name(*parts: str) -> str:
    """A file name made of `parts` (a platform, what the picture shows, a time), safe on Windows."""
    return UNSAFE.sub("_", "-".join(p for p in parts if p)).strip("_.") + ".png"


def ask_where(parent: QWidget, title: str, suggested: Path) -> Path | None:
    """Where to save a copy (tests replace this)."""
    filters = QCoreApplication.translate("ProofViewer", "PNG 图片 (*.png)")
    return save_file(parent, title, suggested, filters)


class ProofViewer(QDialog):
    """One screenshot at its full size, scrolling, with "另存为…"."""

    def __init__(self, png: bytes, title: str, about: str, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.png = png
        self.name = name
        self.setWindowTitle(title)
        heading = QLabel(about, self)
        heading.setWordWrap(True)
        heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.picture = QLabel(self)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        image = QImage.fromData(png)
        if image.isNull():
            self.picture.setText(self.tr("（这张截图无法显示）"))
        else:
            self.picture.setPixmap(QPixmap.fromImage(image))
        self.area = QScrollArea(self)
        self.area.setWidget(self.picture)
        self.area.setWidgetResizable(False)
        self.status = QLabel(self)
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("另存为…"), self)
        self.save_button.clicked.connect(self.save_as)
        close = QPushButton(self.tr("关闭"), self)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        box = QVBoxLayout(self)
        box.addWidget(heading)
        box.addWidget(self.area, 1)
        box.addLayout(buttons)
        fit_window(self, "proof", 900, 640)

    def save_as(self) -> Path | None:
        """A copy of the screenshot where the person chooses."""
        path = ask_where(self, self.tr("把截图另存为"), Path.home() / self.name)
        if path is None:
            return None
        if path.suffix.lower() != ".png":
            path = path.with_name(path.name + ".png")
        try:
            write_atomically(path, self.png)
        except OSError as exc:
            self.status.setText(
                self.tr("没有保存：{reason}。请换一个文件夹再试。").format(reason=exc.strerror or exc)
            )
            return None
        self.status.setText(self.tr("已保存到 {path}").format(path=path))
        return path


class ProofStrip(QWidget):
    """A delivery's screenshots as thumbnails, each opening its ProofViewer."""

    opened = Signal(object)  # the ProofViewer just opened

    def __init__(self, store, proofs: list, platform: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.proofs = list(proofs)
        self.platform = platform
        self.buttons: list[QToolButton] = []
        self.viewer: ProofViewer | None = None
        em = self.fontMetrics().horizontalAdvance("一")
        room = QSize(THUMB_EMS[0] * em, THUMB_EMS[1] * em)
        flow = FlowLayout(self)
        flow.setContentsMargins(0, 0, 0, 0)
        for i, proof in enumerate(self.proofs):
            button = QToolButton(self)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setText(f"{proof_title(proof.kind)}\n{proof.taken_at[:16].replace('T', ' ')}")
            button.setToolTip(proof.url or "")
            pixmap = self._thumbnail(proof, room)
            if pixmap is not None:
                button.setIcon(QIcon(pixmap))
                button.setIconSize(room)  # every thumbnail in the same room: the captions line up
            else:
                button.setText(button.text() + "\n" + self.tr("（截图文件不见了）"))
                button.setEnabled(False)
            button.clicked.connect(lambda _=False, n=i: self.open_proof(n))
            flow.addWidget(button)
            self.buttons.append(button)

    def _thumbnail(self, proof, room: QSize) -> QPixmap | None:
        data = self._png(proof)
        image = QImage.fromData(data) if data else QImage()
        if image.isNull():
            return None
        # The top of a tall page (where the form's title and first fields are), not a sliver.
        top = image.copy(
            0, 0, image.width(), min(image.height(), image.width() * room.height() // room.width())
        )
        return QPixmap.fromImage(
            top.scaled(room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        )

    def _png(self, proof) -> bytes | None:
        try:
            return self.store.attachment_bytes(proof.sha256)
        except Exception:  # noqa: BLE001 - a file gone from the data folder: said on the button
            log.warning("screenshot %s cannot be read", proof.sha256[:12])
            return None

    def open_proof(self, n: int) -> ProofViewer | None:
        """Open screenshot `n` whole."""
        proof = self.proofs[n]
        data = self._png(proof)
        if data is None:
            return None
        when = proof.taken_at[:19].replace("T", " ")
        title = proof_title(proof.kind)
        about = self.tr("{what} · {when}\n{url}").format(what=title, when=when, url=proof.url or "")
        name = file_name(self.platform, title, when.replace(":", ""))
        viewer = self.viewer = ProofViewer(
            data, self.tr("截图 — {what}").format(what=title), about, name, self
        )
        viewer.open()
        self.opened.emit(viewer)
        return viewer


class FittedPicture(QLabel):
    """A picture scaled to the room it is given (never beyond its own size); a click opens it
    whole (`clicked`)."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.image = QImage()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The layout gives it room; the picture never asks for its own size (a tall page would).
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        em = self.fontMetrics().horizontalAdvance("一")
        self.setMinimumSize(THUMB_EMS[0] * em, THUMB_EMS[1] * em)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("点击看大图"))
        self.setObjectName("picture")

    def set_png(self, png: bytes | None) -> bool:
        """Show this PNG (False when there is none or it cannot be read)."""
        self.image = QImage.fromData(png) if png else QImage()
        self._fit()
        return not self.image.isNull()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self.image.isNull():
            self.clear()
            return
        room = self.contentsRect().size().boundedTo(self.image.size())
        self.setPixmap(
            QPixmap.fromImage(
                self.image.scaled(
                    room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
            )
        )

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and not self.image.isNull():
            self.clicked.emit()
        super().mouseReleaseEvent(event)
