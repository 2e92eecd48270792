"""Which widget shows which field: the one table from a field's type to its widget class.

A new field type gets its widget class here. This module sits above every widget module and the
form panel and hands each what it builds with (`make_widget`, `make_panel`), so none of them
imports another to reach the rest.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desktop.editor.attachments_widget import FilesWidget
from desktop.editor.choice_widgets import (
    MemberWidget,
    SelectMultipleWidget,
    SelectOneCombo,
    SelectOneRadios,
)
from desktop.editor.date_widgets import DateTimeWidget, DateWidget, TimeWidget
from desktop.editor.field_base import EditorEnv, FieldWidget
from desktop.editor.field_widgets import (
    CalculatedWidget,
    DecimalWidget,
    IdcardWidget,
    IntegerWidget,
    LocationWidget,
    LongTextWidget,
    PhoneWidget,
    TextWidget,
)
from desktop.editor.form_panel import FieldsPanel
from desktop.editor.photos_widget import PhotosWidget
from desktop.editor.repeat_widget import RepeatWidget
from desktop.editor.roster_widgets import AbsencesWidget, MembersWidget
from forms.model import Field

WIDGETS: dict[str, type[FieldWidget]] = {
    "text": TextWidget,
    "longtext": LongTextWidget,
    "integer": IntegerWidget,
    "decimal": DecimalWidget,
    "date": DateWidget,
    "datetime": DateTimeWidget,
    "time": TimeWidget,
    "select_multiple": SelectMultipleWidget,
    "member": MemberWidget,
    "members": MembersWidget,
    "absences": AbsencesWidget,
    "photos": PhotosWidget,
    "files": FilesWidget,
    "location": LocationWidget,
    "idcard": IdcardWidget,
    "phone": PhoneWidget,
    "repeat": RepeatWidget,
}
RADIO_CHOICES = 4  # a select_one with up to this many choices shows them all as radio buttons


def widget_class(field: Field) -> type[FieldWidget]:
    """The class showing `field` (a calculated field only shows what the engine computed)."""
    if field.calculate:
        return CalculatedWidget
    if field.type == "select_one":
        return SelectOneRadios if 0 < len(field.choices) <= RADIO_CHOICES else SelectOneCombo
    return WIDGETS.get(field.type, TextWidget)


def make_field_widget(field: Field, env: EditorEnv, parent: QWidget | None = None) -> FieldWidget:
    """The widget for `field` (not for `group`, which the form panel lays out itself)."""
    cls = widget_class(field)
    if cls is RepeatWidget:
        return RepeatWidget(field, env, parent, make_panel=fields_panel)
    widget = cls(field, env, parent)
    if field.readonly and not field.calculate:
        widget.set_read_only(True)
    return widget


def fields_panel(fields: tuple[Field, ...], env: EditorEnv, parent: QWidget | None = None) -> FieldsPanel:
    """A panel of `fields` (a whole form, or one row of a repeat) with widgets from this table."""
    return FieldsPanel(fields, env, parent, make_widget=make_field_widget)
