"""One widget class per field type (DESIGN §5), all with the same small interface.

Every widget is a `FieldWidget`: `value()` gives the JSON value of the field (None when empty),
`set_value()` shows a value without emitting `changed`, `set_read_only()` locks it, and
`focus_widgets()` lists its keyboard stops in order so the form can set the tab order.
Containers and roster/attachment widgets live in their own modules; `make_field_widget`
picks the right class for a field.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Any, Callable

from PySide6.QtCore import QDate, QDateTime, QRegularExpression, QTime, Qt, Signal
from PySide6.QtGui import QDoubleValidator, QRegularExpressionValidator, QValidator
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QDateEdit, QDateTimeEdit, QDoubleSpinBox, QGridLayout,
    QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QRadioButton, QSpinBox, QTimeEdit, QWidget,
)

from desktop.editor.display import display_value
from forms.model import Field

# Far outside any range a form uses: the spin box shows this as "empty".
_INT_LIMIT = 2_000_000_000
_DECIMAL_LIMIT = 1e12


@dataclass
class EditorEnv:
    """What field widgets need from the editor: roster names and a way to store attachments."""

    roster: list[str] = dc_field(default_factory=list)
    store: Any = None
    # Returns the record's uuid, saving the draft first if the record does not exist yet.
    ensure_uuid: Callable[[], str | None] = lambda: None
    # Whether a field with a `relevant` expression is shown, given the variables in scope.
    relevant: Callable[[Field, dict], bool] = lambda field, variables: True
    # The values a new row of a repeat field starts with.
    row_defaults: Callable[[Field], dict] = lambda field: {}


class FieldWidget(QWidget):
    """Base of all field widgets: value in, value out, `changed` when the person edits it."""

    changed = Signal()
    # Emitted when the widget's own keyboard stops were rebuilt (rows added or removed).
    stops_changed = Signal()

    def __init__(self, field: Field, env: EditorEnv, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.env = env
        self._loading = False
        self._read_only = False
        if field.hint:
            self.setToolTip(field.hint)

    # Subclasses override these four.
    def value(self) -> Any:
        raise NotImplementedError

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only

    def focus_widgets(self) -> list[QWidget]:
        return [self]

    def set_value(self, value: Any) -> None:
        """Show `value` (of the field's JSON shape); does not emit `changed`."""
        self._loading = True
        try:
            self._show(value)
        finally:
            self._loading = False

    def _emit(self, *_args) -> None:
        if not self._loading:
            self.changed.emit()

    def focus_first(self) -> None:
        widgets = [w for w in self.focus_widgets() if w.isEnabled()]
        (widgets[0] if widgets else self).setFocus(Qt.FocusReason.OtherFocusReason)


def _placeholder_off(edit, read_only: bool) -> None:
    # An example text in a locked, empty field reads like an answer; hide it while read-only.
    if read_only and edit.placeholderText():
        edit.setProperty("kept_placeholder", edit.placeholderText())
        edit.setPlaceholderText("")
    elif not read_only and edit.property("kept_placeholder"):
        edit.setPlaceholderText(edit.property("kept_placeholder"))


def lock_combo(combo: QComboBox, read_only: bool) -> None:
    """A combo that cannot be changed but stays readable (a disabled one is greyed out)."""
    combo.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, read_only)
    combo.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.WheelFocus)
    if combo.isEditable():
        combo.lineEdit().setReadOnly(read_only)
        _placeholder_off(combo.lineEdit(), read_only)


def _hbox(widget: QWidget) -> QHBoxLayout:
    box = QHBoxLayout(widget)
    box.setContentsMargins(0, 0, 0, 0)
    return box


class _TextEditWidget(FieldWidget):
    """Shared by text and longtext: one edit in `self.edit`, whose hint goes when read-only."""

    def set_read_only(self, read_only):
        super().set_read_only(read_only)
        self.edit.setReadOnly(read_only)
        _placeholder_off(self.edit, read_only)

    def focus_widgets(self):
        return [self.edit]


class TextWidget(_TextEditWidget):
    """`text`: one line."""

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.edit = QLineEdit(self)
        if field.max_length:
            self.edit.setMaxLength(field.max_length)
        if field.hint:
            self.edit.setPlaceholderText(field.hint)
        _hbox(self).addWidget(self.edit)
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

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 8 + 12)
        if field.hint:
            self.edit.setPlaceholderText(field.hint)
        _hbox(self).addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._emit)

    def value(self):
        text = self.edit.toPlainText()
        if self.field.max_length is None and not text.strip():
            return None
        return text.strip() or None

    def _show(self, value):
        self.edit.setPlainText("" if value is None else str(value))


class _BlankMinimum:
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
    convert = staticmethod(int)
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
        box = _hbox(self)
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
        self.spin.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons if read_only else QSpinBox.ButtonSymbols.UpDownArrows)

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


class _WhenWidget(FieldWidget):
    """Shared by date, datetime and time: a Qt edit with a calendar, plus a 填写 tick box.

    Qt's date edits cannot be empty; an unticked box means "not answered" and greys the edit.
    The box is left out for required fields that start with a value (they must have one).
    """

    edit_class = QDateEdit
    display_format = "yyyy-MM-dd"
    value_format = "yyyy-MM-dd"

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.check = QCheckBox(self)
        self.check.setToolTip(self.tr("勾选后填写；不填写请取消勾选"))
        self.edit = self.edit_class(self)
        self.edit.setDisplayFormat(self.display_format)
        if self.edit_class is not QTimeEdit:
            self.edit.setCalendarPopup(True)
        self.edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000-00-00 00:00") + 48)
        self.blank = QLabel(self.tr("未填写"), self)
        self.blank.setStyleSheet("color: palette(mid);")
        box = _hbox(self)
        box.addWidget(self.check)
        box.addWidget(self.edit)
        box.addWidget(self.blank)
        box.addStretch(1)
        self.setFocusProxy(self.edit)
        self.check.toggled.connect(self._toggled)
        self.edit.dateTimeChanged.connect(self._emit)
        self._set_filled(False)

    def _now(self) -> QDateTime:
        return QDateTime.currentDateTime()

    def _set_filled(self, filled: bool) -> None:
        self.check.setChecked(filled)
        self.edit.setVisible(filled)
        self.blank.setVisible(not filled)

    def _toggled(self, on: bool) -> None:
        if on and not self._loading:
            self.edit.setDateTime(self._now())
        self.edit.setVisible(on)
        self.blank.setVisible(not on)
        if on and not self._loading:
            self.edit.setFocus()
        self._emit()

    def value(self):
        if not self.check.isChecked():
            return None
        return self.edit.dateTime().toString(self.value_format)

    def _parse(self, value: str) -> QDateTime | None:
        raise NotImplementedError

    def _show(self, value):
        parsed = self._parse(str(value)) if value not in (None, "") else None
        if parsed is not None and parsed.isValid():
            self.edit.setDateTime(parsed)
            self._set_filled(True)
            if self.field.required:
                self.check.hide()
        else:
            self._set_filled(False)
            self.check.show()

    def set_read_only(self, read_only):
        super().set_read_only(read_only)
        self.edit.setReadOnly(read_only)
        self.check.setEnabled(not read_only)

    def focus_widgets(self):
        return [self.check, self.edit]


class DateWidget(_WhenWidget):
    """`date`: 'YYYY-MM-DD'."""

    def _parse(self, value):
        d = QDate.fromString(value[:10], "yyyy-MM-dd")
        return QDateTime(d, QTime(0, 0)) if d.isValid() else None


class DateTimeWidget(_WhenWidget):
    """`datetime`: 'YYYY-MM-DDTHH:MM', local time."""

    edit_class = QDateTimeEdit
    display_format = "yyyy-MM-dd HH:mm"
    value_format = "yyyy-MM-ddTHH:mm"

    def _parse(self, value):
        value = value.replace(" ", "T")[:16]
        d = QDateTime.fromString(value, "yyyy-MM-ddTHH:mm")
        if not d.isValid():
            day = QDate.fromString(value[:10], "yyyy-MM-dd")
            d = QDateTime(day, QTime(0, 0)) if day.isValid() else d
        return d


class TimeWidget(_WhenWidget):
    """`time`: 'HH:MM'."""

    edit_class = QTimeEdit
    display_format = "HH:mm"
    value_format = "HH:mm"

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("00:00") + 48)

    def _parse(self, value):
        t = QTime.fromString(value[:5], "HH:mm")
        return QDateTime(QDate.currentDate(), t) if t.isValid() else None

    def value(self):
        if not self.check.isChecked():
            return None
        return self.edit.time().toString("HH:mm")


class _ComboWidget(FieldWidget):
    """A combo with an empty first entry; keeps a value that is no longer offered visible."""

    def __init__(self, field, env, items: list[str], parent=None):
        super().__init__(field, env, parent)
        self.combo = QComboBox(self)
        self.combo.addItem("")
        self.combo.addItems(items)
        self.combo.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 10)
        self.combo.setMaxVisibleItems(20)
        box = _hbox(self)
        box.addWidget(self.combo)
        box.addStretch(1)
        self.setFocusProxy(self.combo)
        self.combo.currentIndexChanged.connect(self._emit)

    def value(self):
        return self.combo.currentText() or None

    def _show(self, value):
        text = "" if value is None else str(value)
        index = self.combo.findText(text, Qt.MatchFlag.MatchExactly)
        if index < 0:
            self.combo.addItem(text)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)

    def set_read_only(self, read_only):
        super().set_read_only(read_only)
        lock_combo(self.combo, read_only)

    def focus_widgets(self):
        return [self.combo]


class SelectOneCombo(_ComboWidget):
    """`select_one` with more than four choices."""

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, list(field.choices), parent)


class MemberWidget(_ComboWidget):
    """`member`: one name from the branch roster."""

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, list(env.roster), parent)


class SelectOneRadios(FieldWidget):
    """`select_one` with up to four choices: radio buttons, arrow keys move between them."""

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.group = QButtonGroup(self)
        self.buttons: list[QRadioButton] = []
        box = _hbox(self)
        for i, choice in enumerate(field.choices):
            button = QRadioButton(choice, self)
            self.group.addButton(button, i)
            self.buttons.append(button)
            box.addWidget(button)
        box.addStretch(1)
        if self.buttons:
            self.setFocusProxy(self.buttons[0])
        self.group.idToggled.connect(lambda _i, on: on and self._emit())

    def value(self):
        button = self.group.checkedButton()
        return button.text() if button else None

    def _show(self, value):
        # An exclusive group cannot be cleared while exclusive.
        self.group.setExclusive(False)
        for button in self.buttons:
            button.setChecked(button.text() == value)
        self.group.setExclusive(True)

    def set_read_only(self, read_only):
        super().set_read_only(read_only)
        for button in self.buttons:
            button.setEnabled(not read_only or button.isChecked())
            button.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, read_only)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.StrongFocus)

    def focus_widgets(self):
        return list(self.buttons)


class SelectMultipleWidget(FieldWidget):
    """`select_multiple`: one tick box per choice, in rows of three."""

    columns = 3

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[QCheckBox] = []
        for i, choice in enumerate(field.choices):
            box = QCheckBox(choice, self)
            box.toggled.connect(self._emit)
            self.boxes.append(box)
            grid.addWidget(box, i // self.columns, i % self.columns)
        grid.setColumnStretch(self.columns, 1)

    def value(self):
        return [b.text() for b in self.boxes if b.isChecked()]

    def _show(self, value):
        chosen = set(value) if isinstance(value, list) else set()
        for b in self.boxes:
            b.setChecked(b.text() in chosen)

    def set_read_only(self, read_only):
        super().set_read_only(read_only)
        for b in self.boxes:
            b.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, read_only)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.StrongFocus)

    def focus_widgets(self):
        return list(self.boxes)


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
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.place, 0, 0, 1, 3)
        grid.addWidget(self.lat, 1, 0)
        grid.addWidget(self.lon, 1, 1)
        grid.setColumnStretch(2, 1)
        self.setFocusProxy(self.place)
        for e in (self.place, self.lat, self.lon):
            e.textChanged.connect(self._emit)

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
            _placeholder_off(e, read_only)

    def focus_widgets(self):
        return [self.place, self.lat, self.lon]


class CalculatedWidget(FieldWidget):
    """A `calculate` (or read-only) field: shows the value the engine computed; never typed."""

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setStyleSheet("font-weight: bold;")
        _hbox(self).addWidget(self.label)
        self._value: Any = None

    def value(self):
        return self._value

    def _show(self, value):
        self._value = value
        self.label.setText(display_value(self.field, value) or "—")

    def focus_widgets(self):
        return []


_SIMPLE = {
    "text": TextWidget,
    "longtext": LongTextWidget,
    "integer": IntegerWidget,
    "decimal": DecimalWidget,
    "date": DateWidget,
    "datetime": DateTimeWidget,
    "time": TimeWidget,
    "select_multiple": SelectMultipleWidget,
    "member": MemberWidget,
    "location": LocationWidget,
    "idcard": IdcardWidget,
    "phone": PhoneWidget,
}


def make_field_widget(field: Field, env: EditorEnv, parent: QWidget | None = None) -> FieldWidget:
    """The widget for `field` (not for `group`, which the form panel lays out itself)."""
    if field.calculate:
        return CalculatedWidget(field, env, parent)
    if field.type == "select_one":
        cls = SelectOneRadios if 0 < len(field.choices) <= 4 else SelectOneCombo
        return cls(field, env, parent)
    if field.type in ("members", "absences"):
        from desktop.editor.roster_widgets import AbsencesWidget, MembersWidget
        return (MembersWidget if field.type == "members" else AbsencesWidget)(field, env, parent)
    if field.type in ("photos", "files"):
        from desktop.editor.attachments_widget import FilesWidget, PhotosWidget
        return (PhotosWidget if field.type == "photos" else FilesWidget)(field, env, parent)
    if field.type == "repeat":
        from desktop.editor.repeat_widget import RepeatWidget
        return RepeatWidget(field, env, parent)
    cls = _SIMPLE.get(field.type, TextWidget)
    widget = cls(field, env, parent)
    if field.readonly:
        widget.set_read_only(True)
    return widget
