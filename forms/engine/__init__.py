"""The form engine: the values a new record starts with, and validation of what was entered.

Everything the rest of Yici uses is imported from here; each job lives in its own module:
context.py (roster and clock), outcome.py (what validation answers), calculations.py (relevance
and calculated values), validation.py (`evaluate`), form_checks.py (rules across a record),
defaults.py, summary.py (a record's day and one-line summary) and typed_text.py (command-line
text to a value).
"""

from __future__ import annotations

from forms.engine.calculations import with_calculated
from forms.engine.context import Context, Person
from forms.engine.defaults import SECRETARY_ROLE, attendance_defaults, defaults, expected_people, row_defaults
from forms.engine.outcome import Message, Outcome
from forms.engine.summary import record_date, summary
from forms.engine.typed_text import parse_value
from forms.engine.validation import evaluate
from forms.values import coerce_value, empty_value, is_empty

__all__ = [
    "attendance_defaults",
    "expected_people",
    "Context",
    "Message",
    "Outcome",
    "Person",
    "coerce_value",
    "defaults",
    "empty_value",
    "evaluate",
    "is_empty",
    "parse_value",
    "record_date",
    "row_defaults",
    "summary",
    "SECRETARY_ROLE",
    "with_calculated",
]
