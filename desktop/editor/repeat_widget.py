"""`repeat`: a list of sub-records (e.g. problems found on a visit), one framed row each,
with 添加一行 and 删除 buttons. Each row is a panel of the repeat's fields.

A repeat holds panels and a panel holds repeats: the panel of a row comes from `make_panel`,
which widget_factory.py hands in, so this module imports neither the panel nor the factory
(the panel's class is named for the type checker only).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.editor.field_base import EditorEnv, FieldWidget
from forms.model import Field

if TYPE_CHECKING:
    from desktop.editor.form_panel import FieldRow, FieldsPanel

# (the repeat's fields, the editor's environment, the row) -> a FieldsPanel of those fields
PanelMaker = Callable[[tuple[Field, ...], EditorEnv, QWidget], "FieldsPanel"]


class _Row(QFrame):
    """One sub-record: a title line with 删除, then its fields."""

    def __init__(self, owner: RepeatWidget, parent: QWidget):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: bold;")
        self.delete_button = QPushButton(QCoreApplication.translate("RepeatWidget", "删除"), self)
        self.delete_button.setToolTip(QCoreApplication.translate("RepeatWidget", "删除这一行"))
        self.panel = owner.make_panel(owner.field.fields, owner.env, self)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.delete_button)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.panel)


class RepeatWidget(FieldWidget):
    """Rows of sub-forms; value is a list of dicts, one per row."""

    def __init__(self, field, env, parent=None, *, make_panel: PanelMaker):
        super().__init__(field, env, parent)
        self.make_panel = make_panel
        self.rows: list[_Row] = []
        self.rows_box = QVBoxLayout()
        self.rows_box.setContentsMargins(0, 0, 0, 0)
        self.empty = QLabel(self.tr("暂无，点“添加一行”填写"), self)
        self.empty.setStyleSheet("color: palette(mid);")
        self.add_button = QPushButton(self.tr("添加一行"), self)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_button)
        bottom.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.empty)
        box.addLayout(self.rows_box)
        box.addLayout(bottom)
        self.setFocusProxy(self.add_button)
        self.add_button.clicked.connect(self.add_row)

    def _new_row(self, values: dict) -> _Row:
        row = _Row(self, self)
        row.panel.set_values(values)
        row.panel.changed.connect(self._emit)
        row.panel.stops_changed.connect(self.stops_changed)
        row.delete_button.clicked.connect(lambda _=False, r=row: self.delete_row(self.rows.index(r)))
        row.delete_button.setVisible(not self._read_only)
        row.panel.set_read_only(self._read_only)
        self.rows.append(row)
        self.rows_box.addWidget(row)
        row.show()  # the layout would only show it on the next event-loop turn
        return row

    def _renumber(self) -> None:
        for i, row in enumerate(self.rows, 1):
            row.title.setText(self.tr("第 {i} 行").format(i=i))
        self.empty.setVisible(not self.rows)
        self.stops_changed.emit()

    def add_row(self) -> None:
        """Append a row with the repeat's defaults and put the cursor in its first field."""
        if self._read_only:
            return
        row = self._new_row(self.env.row_defaults(self.field))
        self._renumber()
        stops = row.panel.focus_widgets()
        if stops:
            stops[0].setFocus()
        self._emit()

    def delete_row(self, index: int) -> None:
        """Remove one row (it is gone from the draft at the next save)."""
        if self._read_only or not 0 <= index < len(self.rows):
            return
        row = self.rows.pop(index)
        row.hide()
        row.deleteLater()
        self._renumber()
        self.add_button.setFocus()
        self._emit()

    def value(self):
        return [row.panel.values() for row in self.rows]

    def _show(self, value):
        for row in self.rows:
            row.hide()
            row.deleteLater()
        self.rows = []
        for item in value if isinstance(value, list) else []:
            self._new_row(item if isinstance(item, dict) else {})
        self._renumber()

    def apply(self, computed: Any, variables: dict) -> None:
        """Relevance and calculated values per row; a row's expressions see its own fields too."""
        computed = computed if isinstance(computed, list) else []
        for i, row in enumerate(self.rows):
            given = i < len(computed) and isinstance(computed[i], dict)
            values = computed[i] if given else row.panel.values()
            row.panel.apply(values, {**variables, **values})

    def show_messages(self, messages: list, key: str, shown: Callable[[str], bool]) -> list:
        """Route 'key[i].field' messages to row i; returns those that fit no row."""
        left = []
        for i, row in enumerate(self.rows):
            prefix = f"{key}[{i}]."
            mine = [m for m in messages if m.field.startswith(prefix)]
            left.extend(row.panel.show_messages(mine, prefix, shown))
        placed = {m for i in range(len(self.rows)) for m in messages if m.field.startswith(f"{key}[{i}].")}
        left.extend(m for m in messages if m not in placed)
        return left

    def first_error_row(self) -> FieldRow | None:
        for row in self.rows:
            found = row.panel.first_error_row()
            if found is not None:
                return found
        return None

    def row_for(self, rest: str) -> FieldRow | None:
        # rest looks like "[2].description"
        try:
            index = int(rest[1 : rest.index("]")])
            inner = rest[rest.index("]") + 2 :]
        except ValueError:
            return None
        if 0 <= index < len(self.rows) and inner:
            return self.rows[index].panel.row_for(inner)
        return None

    def set_read_only(self, read_only):
        super().set_read_only(read_only)
        self.add_button.setVisible(not read_only)
        for row in self.rows:
            row.delete_button.setVisible(not read_only)
            row.panel.set_read_only(read_only)

    def focus_widgets(self):
        stops = []
        for row in self.rows:
            stops.extend(row.panel.focus_widgets())
            stops.append(row.delete_button)
        stops.append(self.add_button)
        return stops
