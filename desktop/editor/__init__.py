"""The record editor: a window generated from a form definition (DESIGN §9).

`record_editor.RecordEditor` is the entry point (its finalize / correct / void steps are in
record_steps.py). `widget_factory` picks the widget for each field type from field_widgets,
date_widgets, choice_widgets, roster_widgets, attachments_widget and repeat_widget, all built on
field_base; form_panel lays the widgets out; the other modules are the editor's dialogs.
"""
