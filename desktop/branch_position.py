"""Where a branch's village is: 纬度 and 经度 typed (or pasted from a map as "30.51, 114.30") in the
branches dialog, checked before they are kept, so each photo can say how far from the village it
was taken. Both or neither; decimal degrees.
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QMessageBox, QVBoxLayout, QWidget

_PAIR = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,，\s]\s*(-?\d+(?:\.\d+)?)\s*$")


class BranchPosition(QWidget):
    """Two boxes, 纬度 and 经度, and a line saying what they are for."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.lat = QLineEdit(self)
        self.lat.setPlaceholderText(self.tr("如 30.512345"))
        self.lat.setAccessibleName(self.tr("纬度"))
        self.lon = QLineEdit(self)
        self.lon.setPlaceholderText(self.tr("如 114.301234"))
        self.lon.setAccessibleName(self.tr("经度"))
        self.hint = QLabel(self.tr("可不填；填了，每张照片旁会显示离村里多远。"), self)
        self.setToolTip(
            self.tr("村委会的纬度、经度可以在手机的地图应用里查到，也可以用在村委会拍的照片的位置。")
        )
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for words, edit in ((self.tr("纬度"), self.lat), (self.tr("经度"), self.lon)):
            label = QLabel(words, self)
            label.setBuddy(edit)
            row.addWidget(label)
            row.addWidget(edit, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(row)
        box.addWidget(self.hint)
        self.lat.editingFinished.connect(self._split_pair)

    def _split_pair(self) -> None:
        # "30.512345, 114.301234" pasted from a map app: the two halves go to their boxes.
        pair = _PAIR.match(self.lat.text())
        if pair and not self.lon.text().strip():
            self.lat.setText(pair.group(1))
            self.lon.setText(pair.group(2))

    def show_position(self, latitude: float | None, longitude: float | None) -> None:
        """Show a branch's position (empty boxes when it has none)."""
        self.lat.setText("" if latitude is None else f"{latitude:.6f}".rstrip("0").rstrip("."))
        self.lon.setText("" if longitude is None else f"{longitude:.6f}".rstrip("0").rstrip("."))

    def problem(self) -> str:
        """What is wrong with what is typed, in words ('' when it can be kept)."""
        texts = (self.lat.text().strip(), self.lon.text().strip())
        if not any(texts):
            return ""
        if not all(texts):
            return self.tr("请同时填写纬度和经度，或者都不填。")
        try:
            lat, lon = (float(t) for t in texts)
        except ValueError:
            return self.tr("纬度和经度请填数字（小数），如 30.512345 和 114.301234。")
        if not -90 <= lat <= 90 and -90 <= lon <= 90:
            return self.tr(
                "纬度和经度可能填反了：纬度在前（中国约 18 到 54），经度在后（中国约 73 到 135）。"
            )
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return self.tr("纬度应在 -90 到 90 之间，经度应在 -180 到 180 之间。")
        if lat == 0 and lon == 0:
            return self.tr("纬度、经度都是 0 不是村里的位置，请核对。")
        return ""

    def position(self) -> tuple[float | None, float | None]:
        """(纬度, 经度) as typed, or (None, None); only when `problem()` is ''."""
        if not self.lat.text().strip():
            return None, None
        return float(self.lat.text()), float(self.lon.text())

    def checked(self) -> tuple[float | None, float | None] | None:
        """The position to keep; None (having said why, the cursor in the box) when it is wrong."""
        self._split_pair()
        problem = self.problem()
        if problem:
            QMessageBox.warning(self, self.tr("支部位置"), problem)
            self.lat.setFocus()
            return None
        return self.position()
