"""Choice fields: one of a few (radio buttons), one of many or a roster name (a combo), several
(tick boxes).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QCheckBox, QComboBox, QGridLayout, QRadioButton

from desktop.editor.field_base import FieldWidget, hbox, lock_combo


class _ComboWidget(FieldWidget):
    """A combo with an empty first entry; keeps a value that is no longer offered visible."""

    def __init__(self, field, env, items: list[str], parent=None):
        super().__init__(field, env, parent)
        self.combo = QComboBox(self)
        self.combo.addItem("")
        self.combo.addItems(items)
        self.combo.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 10)
        self.combo.setMaxVisibleItems(20)
        box = hbox(self)
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
        box = hbox(self)
        for i, choice in enumerate(field.choices):
            button = QRadioButton(choice, self)
            self.group.addButton(button, i)
            self.buttons.append(button)
            box.addWidget(button)
        box.addStretch(1)
        if self.buttons:
            self.setFocusProxy(self.buttons[0])
        self.group.idToggled.connect(self._toggled)

    def _toggled(self, _id: int, on: bool) -> None:
        if on:  # the button switched off sends its own signal: one change is told once
            self._emit()

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
