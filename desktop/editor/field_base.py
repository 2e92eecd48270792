"""What every field widget shares: the editor's environment and the `FieldWidget` interface.

Every widget is a `FieldWidget`: `value()` gives the JSON value of the field (None when empty),
`set_value()` shows a value without emitting `changed`, `set_read_only()` locks it, and
`focus_widgets()` lists its keyboard stops in order so the form can set the tab order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from forms.model import Field


@dataclass
class EditorEnv:
    """What field widgets need from the editor: roster names, a way to store attachments, and
    what photos are checked against (the record's time and branch)."""

    roster: list[str] = dc_field(default_factory=list)
    store: Any = None
    # Returns the record's uuid, saving the draft first if the record does not exist yet.
    ensure_uuid: Callable[[], str | None] = lambda: None
    # Whether a field with a `relevant` expression is shown, given the variables in scope.
    relevant: Callable[[Field, dict], bool] = lambda field, variables: True
    # The values a new row of a repeat field starts with.
    row_defaults: Callable[[Field], dict] = lambda field: {}
    # The record's uuid as it is, without saving (None before the first save).
    uuid: Callable[[], str | None] = lambda: None
    # When the record happened, as typed now (forms.photo_checks.record_time), and the form's
    # hours a photo may be taken from it.
    record_time: Callable[[], Any] = lambda: None
    photo_hours: int = 12
    # Every photo item of the record as typed now (repeat rows too), for 用照片的位置.
    photos: Callable[[], list[dict]] = lambda: []
    # The record's branch (a store Branch: its name, and its position when someone entered it).
    branch: Any = None


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
        """The field's JSON value now; None when nothing is entered."""
        raise NotImplementedError

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        """Lock (or unlock) the widget, keeping its value readable."""
        self._read_only = read_only

    def focus_widgets(self) -> list[QWidget]:
        """Its keyboard stops, in order (for the form's tab order)."""
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

    def messages_for_row(self, messages: list) -> list:
        """The engine's messages its row shows under it (a widget that shows some beside what
        they are about, a photo's beside the photo, leaves those out)."""
        return messages

    def focus_first(self) -> None:
        """Put the cursor in its first usable stop (to show a field with an error)."""
        widgets = [w for w in self.focus_widgets() if w.isEnabled()]
        (widgets[0] if widgets else self).setFocus(Qt.FocusReason.OtherFocusReason)


def placeholder_off(edit, read_only: bool) -> None:
    """Hide an edit's example text while it is read-only; bring it back when editable."""
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
    edit = combo.lineEdit()  # None unless the combo is editable
    if edit is not None:
        edit.setReadOnly(read_only)
        placeholder_off(edit, read_only)


def hbox(widget: QWidget) -> QHBoxLayout:
    """A row layout on `widget` without margins, so a field lines up with its label."""
    box = QHBoxLayout(widget)
    box.setContentsMargins(0, 0, 0, 0)
    return box
