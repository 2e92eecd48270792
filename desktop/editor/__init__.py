"""The record editor: a window generated from a form definition (DESIGN §9).

`record_editor.RecordEditor` is the entry point; the other modules hold the widgets it is
made of (one per field type), the roster and attachment widgets, and its dialogs.
"""
