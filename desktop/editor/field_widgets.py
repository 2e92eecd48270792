"""The field widgets that hold one typed value: text, identity card and phone numbers, long text,
integers and decimals, a place, and calculated values.

The date and choice widgets live in date_widgets.py and choice_widgets.py and are named here too,
so `field_widgets` lists every simple widget; widget_factory.py picks the class for a field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QDoubleValidator, QRegularExpressionValidator, QValidator
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QAbstractSpinBox

    class _SpinBox(QAbstractSpinBox):
        """QSpinBox or QDoubleSpinBox: what `_BlankMinimum` overrides and calls of them."""

        def minimum(self) -> Any: ...
        def textFromValue(self, v: Any, /) -> str: ...
        def valueFromText(self, text: str, /) -> Any: ...

else:
    _SpinBox = object

from desktop.editor.choice_widgets import (
    MemberWidget,
    SelectMultipleWidget,
    SelectOneCombo,
    SelectOneRadios,
)
from desktop.editor.date_widgets import DateTimeWidget, DateWidget, TimeWidget
from desktop.editor.display import display_value
from desktop.editor.field_base import EditorEnv, FieldWidget, hbox, lock_combo, placeholder_off

__all__ = [
    "CalculatedWidget",
    "DateTimeWidget",
    "DateWidget",
    "DecimalWidget",
    "EditorEnv",
    "FieldWidget",
    "IdcardWidget",
    "IntegerWidget",
    "LocationWidget",
    "LongTextWidget",
    "MemberWidget",
    "PhoneWidget",
    "SelectMultipleWidget",
    "SelectOneCombo",
    "SelectOneRadios",
    "TextWidget",
    "TimeWidget",
    "lock_combo",
]

# Far outside any range a form uses: the spin box shows this as "empty".
_INT_LIMIT = 2_000_000_000
_DECIMAL_LIMIT = 1e12


class _TextEditWidget(FieldWidget):
    """Shared by text and longtext: one edit in `self.edit`, whose hint goes when read-only."""

    edit: QLineEdit | QPlainTextEdit  # made by each subclass

    def set_read_only(self, read_only):
        super().set_read_only(read_only)
        self.edit.setReadOnly(read_only)
        placeholder_off(self.edit, read_only)

    def focus_widgets(self):
        return [self.edit]


class TextWidget(_TextEditWidget):
    """`text`: one line."""

    edit: QLineEdit

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.edit = QLineEdit(self)
        if field.max_length:
            self.edit.setMaxLength(field.max_length)
        if field.hint:
            self.edit.setPlaceholderText(field.hint)
        hbox(self).addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._emit)

    def value(self):
        return self.edit.text().strip() or None

    def _show(self, value):
        self.edit.setText("" if value is None else str(value))


class IdcardWidget(TextWidget):
    """`idcard`: 18 characters, digits with an X check digit; the engine checks GB 11643."""

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.edit.setMaxLength(18)
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,17}[\dXx]?"), self))
        if not field.hint:
            self.edit.setPlaceholderText(self.tr("18位身份证号码"))
        self.edit.textEdited.connect(self._upper)

    def _upper(self, text: str) -> None:
        if "x" in text:
            pos = self.edit.cursorPosition()
            self.edit.setText(text.upper())
            self.edit.setCursorPosition(pos)


class PhoneWidget(TextWidget):
    """`phone`: 11 digits of a mainland mobile; the engine checks the prefix."""

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.edit.setMaxLength(11)
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,11}"), self))
        self.edit.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        if not field.hint:
            self.edit.setPlaceholderText(self.tr("11位手机号码"))


class LongTextWidget(_TextEditWidget):
    """`longtext`: several lines; Tab moves on rather than typing a tab."""

    edit: QPlainTextEdit

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 8 + 12)
        if field.hint:
            self.edit.setPlaceholderText(field.hint)
        hbox(self).addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._emit)

    def value(self):
        text = self.edit.toPlainText()
        if self.field.max_length is None and not text.strip():
            return None
        return text.strip() or None

    def _show(self, value):
        self.edit.setPlainText("" if value is None else str(value))


class _BlankMinimum(_SpinBox):
    """For a spin box: the minimum shows as empty text, so an optional number can stay unanswered."""

    def textFromValue(self, v):
        return "" if v == self.minimum() else super().textFromValue(v)

    def valueFromText(self, text):
        return self.minimum() if not text.strip() else super().valueFromText(text)

    def validate(self, text, pos):
        if not text.strip():
            return (QValidator.State.Acceptable, text, pos)
        return super().validate(text, pos)


class _BlankSpin(_BlankMinimum, QSpinBox):
    """An integer spin box that can be empty."""


class _BlankDoubleSpin(_BlankMinimum, QDoubleSpinBox):
    """A decimal spin box that can be empty."""


def _number(x: Any) -> float | None:
    return x if isinstance(x, (int, float)) and not isinstance(x, bool) else None


class _SpinWidget(FieldWidget):
    """Shared by integer and decimal: a spin box within min/max.

    Qt's spin boxes cannot be empty; one `step` below the minimum stands for "not answered"
    and shows as blank.
    """

    spin_class: type = _BlankSpin
    convert: Callable[[Any], float] = staticmethod(int)
    step: float = 1
    limit: float = _INT_LIMIT
    decimals: int | None = None
    width_digits = 12

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.spin = self.spin_class(self)
        if self.decimals is not None:
            self.spin.setDecimals(self.decimals)
        low, high = _number(field.min), _number(field.max)
        low = self.convert(low) if low is not None else -self.limit
        self._empty = low - self.step
        self.spin.setRange(self._empty, self.convert(high) if high is not None else self.limit)
        self.spin.setValue(self._empty)
        self.spin.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * self.width_digits)
        box = hbox(self)
        box.addWidget(self.spin)
        box.addStretch(1)
        self.setFocusProxy(self.spin)
        self.spin.valueChanged.connect(self._emit)

    def _show(self, value):
        try:
            self.spin.setValue(self._empty if value in (None, "") else self.convert(value))
        except (TypeError, ValueError):
            self.spin.setValue(self._empty)

    def set_read_only(self, read_only):
        super().set_read_only(read_only)
        self.spin.setReadOnly(read_only)
        self.spin.setButtonSymbols(
            QSpinBox.ButtonSymbols.NoButtons if read_only else QSpinBox.ButtonSymbols.UpDownArrows
        )

    def focus_widgets(self):
        return [self.spin]


class IntegerWidget(_SpinWidget):
    """`integer`: a spin box within min/max; empty is one step below the minimum."""

    def value(self):
        v = self.spin.value()
        return None if v == self._empty else int(v)


class DecimalWidget(_SpinWidget):
    """`decimal`: two decimal places within min/max."""

    spin_class = _BlankDoubleSpin
    convert = staticmethod(float)
    step = 0.01
    limit = _DECIMAL_LIMIT
    decimals = 2
    width_digits = 14

    def value(self):
        v = self.spin.value()
        if abs(v - self._empty) < 0.005:
            return None
        v = round(v, 2)
        return int(v) if v == int(v) else v


class LocationWidget(FieldWidget):
    """`location`: place text, with latitude/longitude that may stay empty (laptops lack GPS)."""

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.place = QLineEdit(self)
        self.place.setPlaceholderText(field.hint or self.tr("地点，例如：某某村三组"))
        self.lat = QLineEdit(self)
        self.lat.setPlaceholderText(self.tr("纬度（可不填）"))
        self.lat.setValidator(QDoubleValidator(-90.0, 90.0, 6, self))
        self.lon = QLineEdit(self)
        self.lon.setPlaceholderText(self.tr("经度（可不填）"))
        self.lon.setValidator(QDoubleValidator(-180.0, 180.0, 6, self))
        width = self.fontMetrics().horizontalAdvance("经度（可不填）") + 24
        for e in (self.lat, self.lon):
            e.setMaximumWidth(width)
        # The phone wrote where a photo was taken: no GPS or network on the laptop needed.
        self.from_photo = QPushButton(self.tr("用照片的位置"), self)
        self.from_photo.setToolTip(self.tr("用记录中照片的拍摄位置填写纬度和经度"))
        self.from_photo.clicked.connect(self.use_photo_place)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.hide()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.place, 0, 0, 1, 4)
        grid.addWidget(self.lat, 1, 0)
        grid.addWidget(self.lon, 1, 1)
        grid.addWidget(self.from_photo, 1, 2)
        grid.addWidget(self.note, 2, 0, 1, 4)
        grid.setColumnStretch(3, 1)
        self.setFocusProxy(self.place)
        for e in (self.place, self.lat, self.lon):
            e.textChanged.connect(self._emit)

    def use_photo_place(self) -> None:
        """Fill 纬度 and 经度 from a photo of the record (asking which when several have one)."""
        from desktop.editor.photo_place import choose_photo_place, placed  # on request only

        photos = self.env.photos()
        if not placed(photos):
            self.note.setText(
                self.tr("记录中的照片都没有拍摄位置（拍照时手机没有打开定位）。请先添加照片，或手动填写。")
                if photos
                else self.tr("记录中还没有照片。请先在下面添加照片，再点“用照片的位置”。")
            )
            self.note.show()
            return
        item = choose_photo_place(photos, self.env, self)
        if item is None:
            return
        self.lat.setText(f"{item['latitude']:.6f}")
        self.lon.setText(f"{item['longitude']:.6f}")
        self.note.setText(self.tr("已用照片“{name}”的拍摄位置。").format(name=item.get("name") or ""))
        self.note.show()

    @staticmethod
    def _float(text: str) -> float | None:
        try:
            return float(text.strip())
        except ValueError:
            return None

    def value(self):
        place = self.place.text().strip()
        lat, lon = self._float(self.lat.text()), self._float(self.lon.text())
        if not place and lat is None and lon is None:
            return None
        return {"place": place, "lat": lat, "lon": lon}

    def _show(self, value):
        value = value if isinstance(value, dict) else {}
        self.place.setText(str(value.get("place") or ""))
        self.lat.setText("" if value.get("lat") is None else str(value.get("lat")))
        self.lon.setText("" if value.get("lon") is None else str(value.get("lon")))

    def set_read_only(self, read_only):
        super().set_read_only(read_only)
        for e in (self.place, self.lat, self.lon):
            e.setReadOnly(read_only)
            placeholder_off(e, read_only)
        self.from_photo.setVisible(not read_only)
        self.note.hide()

    def focus_widgets(self):
        return [self.place, self.lat, self.lon, self.from_photo]


class CalculatedWidget(FieldWidget):
    """A `calculate` (or read-only) field: shows the value the engine computed; never typed."""

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setStyleSheet("font-weight: bold;")
        hbox(self).addWidget(self.label)
        self._value: Any = None

    def value(self):
        return self._value

    def _show(self, value):
        self._value = value
        self.label.setText(display_value(self.field, value) or "—")

    def focus_widgets(self):
        return []
