"""Date, date-and-time and time fields: a Qt edit with a calendar, plus a tick box for "answered".

Qt's date edits cannot be empty, so an unticked box stands for "not answered".
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QCheckBox, QDateEdit, QDateTimeEdit, QLabel, QTimeEdit

from desktop.editor.field_base import FieldWidget, hbox


class _WhenWidget(FieldWidget):
    """Shared by date, datetime and time: a Qt edit with a calendar, plus a 填写 tick box.

    Qt's date edits cannot be empty; an unticked box means "not answered" and greys the edit.
    The box is left out for required fields that start with a value (they must have one).
    """

    edit_class: type[QDateTimeEdit] = QDateEdit
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
        box = hbox(self)
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
