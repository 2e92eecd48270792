"""The fields of a form laid out in order: a row per field (label, widget, messages), groups as
titled boxes. Used for the whole form and for each row of a repeat.

Each field's widget comes from `make_widget` (widget_factory.make_field_widget, which also builds
panels through `widget_factory.fields_panel`), so this module imports no widget module.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from desktop.editor.field_base import EditorEnv, FieldWidget
from forms.model import Field

if TYPE_CHECKING:
    from desktop.editor.repeat_widget import RepeatWidget

# (field, the editor's environment) -> the widget for that field
WidgetMaker = Callable[[Field, EditorEnv], FieldWidget]

ERROR_COLOR = "#c62828"
WARNING_COLOR = "#b26a00"  # amber dark enough to read on white


def label_width(widget: QWidget) -> int:
    """Width of the label column: eight Chinese characters, longer labels wrap."""
    return widget.fontMetrics().horizontalAdvance("中") * 8 + 16


class FieldRow(QWidget):
    """Label (with a red * when required, hint as tooltip), the field widget, its messages."""

    def __init__(self, field: Field, widget: FieldWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.widget = widget
        mark = f' <span style="color:{ERROR_COLOR}">*</span>' if field.required else ""
        self.label = QLabel(html.escape(field.label) + mark, self)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setFixedWidth(label_width(self))
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.label.setBuddy(widget.focus_widgets()[0] if widget.focus_widgets() else widget)
        if field.hint:
            self.label.setToolTip(field.hint)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.hide()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 2, 0, 2)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.label, 0, 0, 2, 1)
        grid.addWidget(widget, 0, 1)
        grid.addWidget(self.message, 1, 1)
        grid.setColumnStretch(1, 1)
        # Keep the label's top in line with the widget's first line.
        self.label.setContentsMargins(0, 4, 0, 0)

    def repeat(self) -> RepeatWidget:
        """The widget of a `repeat` field's row, with its rows of fields inside."""
        return cast("RepeatWidget", self.widget)  # widget_factory makes one for every repeat

    def set_messages(self, messages: list) -> None:
        """Show the engine's messages for this field: errors red, warnings amber."""
        messages = self.widget.messages_for_row(messages)
        lines = []
        for m in messages:
            color = ERROR_COLOR if m.level == "error" else WARNING_COLOR
            sign = "✖" if m.level == "error" else "⚠"
            lines.append(f'<span style="color:{color}">{sign} {html.escape(m.text)}</span>')
        self.message.setText("<br>".join(lines))
        self.message.setVisible(bool(lines))
        self.setProperty("has_error", any(m.level == "error" for m in messages))


class FieldsPanel(QWidget):
    """Rows for `fields` (groups opened as boxes). `changed(key)` names the top-level key edited."""

    changed = Signal(str)
    stops_changed = Signal()

    def __init__(
        self,
        fields: tuple[Field, ...],
        env: EditorEnv,
        parent: QWidget | None = None,
        *,
        make_widget: WidgetMaker,
    ):
        super().__init__(parent)
        self.env = env
        self._make_widget = make_widget
        self.rows: dict[str, FieldRow] = {}
        self.groups: dict[str, tuple[Field, QGroupBox]] = {}
        self._order: list[FieldRow] = []  # rows in form order (groups opened), for tab order
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self._build(fields, box)
        self._link_absences()

    def _build(self, fields, layout: QVBoxLayout) -> None:
        for f in fields:
            if f.type == "group":
                group = QGroupBox(f.label, self)
                if f.hint:
                    group.setToolTip(f.hint)
                inner = QVBoxLayout(group)
                self.groups[f.key] = (f, group)
                self._build(f.fields, inner)
                layout.addWidget(group)
                continue
            widget = self._make_widget(f, self.env)
            row = FieldRow(f, widget, self)
            widget.changed.connect(lambda key=f.key: self.changed.emit(key))
            widget.stops_changed.connect(self.stops_changed)
            self.rows[f.key] = row
            self._order.append(row)
            layout.addWidget(row)

    def _link_absences(self) -> None:
        # An absences field follows the nearest members field before it (else the first one).
        members = [k for k, r in self.rows.items() if r.field.type == "members"]
        for key, row in self.rows.items():
            if row.field.type != "absences" or not members:
                continue
            keys = list(self.rows)
            before = [m for m in members if keys.index(m) < keys.index(key)]
            source = self.rows[(before or members)[-1] if before else members[0]].widget
            source.changed.connect(lambda s=source, a=row.widget: a.set_attendees(s.value()))

    # -- values -------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """What the widgets hold now, hidden fields included (their typing is kept)."""
        return {key: row.widget.value() for key, row in self.rows.items()}

    def set_values(self, values: dict) -> None:
        """Show `values` (key -> JSON value) in the rows; missing keys show empty."""
        for key, row in self.rows.items():
            row.widget.set_value(values.get(key))

    def widget(self, key: str) -> FieldWidget | None:
        """The widget of the top-level field `key`, or None."""
        row = self.rows.get(key)
        return row.widget if row else None

    # -- what the engine said ---------------------------------------------------------------------
    def apply(self, computed: dict, variables: dict) -> None:
        """Show/hide by `relevant` and fill calculated values from the engine's `computed` values."""
        for f, group in self.groups.values():
            group.setVisible(self._is_relevant(f, variables))
        for key, row in self.rows.items():
            f = row.field
            row.setVisible(self._is_relevant(f, variables))
            if f.calculate:
                row.widget.set_value(computed.get(key))
            elif f.type == "repeat":
                row.repeat().apply(computed.get(key), variables)

    def _is_relevant(self, f: Field, variables: dict) -> bool:
        return True if not f.relevant else self.env.relevant(f, variables)

    def show_messages(
        self, messages: list, prefix: str = "", shown: Callable[[str], bool] = lambda k: True
    ) -> list:
        """Put each message beside its field; returns the ones that belong to no visible field."""
        left = []
        by_key: dict[str, list] = {key: [] for key in self.rows}
        nested: dict[str, list] = {}
        for m in messages:
            path = m.field[len(prefix) :] if m.field.startswith(prefix) else None
            if path is None:
                left.append(m)
                continue
            head = path.split("[", 1)[0].split(".", 1)[0]
            if head not in self.rows:
                left.append(m)
            elif path == head:
                by_key[head].append(m)
            else:
                nested.setdefault(head, []).append(m)
        for key, row in self.rows.items():
            if row.isVisibleTo(self):
                mine = [m for m in by_key[key] if shown(prefix + key)]
            else:
                mine = []
                left.extend(by_key[key])
            row.set_messages(mine)
            if row.field.type == "repeat":
                rest = row.repeat().show_messages(nested.pop(key, []), prefix + key, shown)
                left.extend(rest)
        for rest in nested.values():
            left.extend(rest)
        return left

    def first_error_row(self) -> FieldRow | None:
        """The first visible row showing an error, in form order (repeat rows searched too)."""
        for row in self._order:
            if not row.isVisibleTo(self):
                continue
            if row.property("has_error"):
                return row
            if row.field.type == "repeat":
                inner = row.repeat().first_error_row()
                if inner is not None:
                    return inner
        return None

    def row_for(self, path: str) -> FieldRow | None:
        """The row of a key path such as "held_at" or "problems[0].description"."""
        head = path.split("[", 1)[0].split(".", 1)[0]
        row = self.rows.get(head)
        if row is not None and path != head and row.field.type == "repeat":
            return row.repeat().row_for(path[len(head) :]) or row
        return row

    def focus_widgets(self) -> list[QWidget]:
        """Keyboard stops of the visible rows, in form order."""
        stops: list[QWidget] = []
        for row in self._order:
            stops.extend(row.widget.focus_widgets())
        return stops

    def set_read_only(self, read_only: bool) -> None:
        """Lock every row (a field marked readonly in the form stays locked anyway)."""
        for row in self.rows.values():
            if not row.field.calculate:
                row.widget.set_read_only(read_only or row.field.readonly)
