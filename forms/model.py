"""What a form is: plain dataclasses shared by the loader, the engine, the store and the shells.

A form definition (YAML, see forms/loader/) becomes a `Form` holding `Field`s, `Check`s and
`Cadence` rules. Nothing here touches files, SQL or Qt.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

# The field types a form may use, with the JSON shape of their value in a record's data.
FIELD_TYPES: dict[str, str] = {
    "text": "str",
    "longtext": "str",
    "integer": "int",
    "decimal": "int | float",
    "date": "str 'YYYY-MM-DD'",
    "datetime": "str 'YYYY-MM-DDTHH:MM'",
    "time": "str 'HH:MM'",
    "select_one": "str (one of choices)",
    "select_multiple": "list[str] (each one of choices)",
    "member": "str (a name on the branch roster)",
    "members": "list[str] (names on the branch roster)",
    "absences": "list[{'name': str, 'reason': str}]",
    "photos": "list[{'sha256': str, 'name': str}]",
    "files": "list[{'sha256': str, 'name': str}]",
    "location": "{'place': str, 'lat': float | None, 'lon': float | None}",
    "idcard": "str (18 characters, GB 11643 check digit)",
    "phone": "str (mainland mobile, 11 digits)",
    "group": "no value of its own; its fields live at the top level of the data",
    "repeat": "list[dict] (one dict of its fields per row)",
}

# Types whose value is a list.
LIST_TYPES = frozenset({"select_multiple", "members", "absences", "photos", "files", "repeat"})
# Types that only arrange other fields.
CONTAINER_TYPES = frozenset({"group", "repeat"})

# Options a field may carry in YAML (besides `fields` for group/repeat children).
FIELD_OPTIONS = (
    "key",
    "label",
    "type",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "default",
    "calculate",
    "readonly",
    "min",
    "max",
    "max_length",
    "choices",
    "fields",
)

# Symbolic defaults (DESIGN §5); anything else is a literal value of the field's type.
SYMBOLIC_DEFAULTS = frozenset({"now", "today", "last", "secretary", "all_members", "roster_count"})

# Names every expression may use besides field keys: filled from the branch and the clock.
CONTEXT_NAMES = frozenset({"roster_count", "today", "now"})

CADENCE_PERIODS = ("month", "quarter", "half-year", "year")
# Who a form's `attendance` rules may expect at a meeting: everyone, or the branch committee
# (支部委员会: the roster's 书记, 副书记 and 委员).
ATTENDANCE_GROUPS = ("roster", "committee")
COMMITTEE_ROLES = ("书记", "副书记", "委员")
CHECK_LEVELS = ("error", "warning")


@dataclass(frozen=True)
class Field:
    """One question on a form. Options mirror the YAML keys one to one."""

    key: str
    type: str
    label: str
    hint: str | None = None
    required: bool = False
    relevant: str | None = None  # expression source; shown (and required) only when true
    constraint: str | None = None  # expression source; `.` is not used, the key names the value
    constraint_message: str | None = None
    default: Any = None  # literal or one of SYMBOLIC_DEFAULTS
    calculate: str | None = None  # expression source; value is computed, never typed
    readonly: bool = False
    min: Any = None  # number, or 'YYYY-MM-DD' for dates
    max: Any = None
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()  # children of a group or repeat
    line: int = 0  # line in the YAML file, for messages

    @property
    def is_list(self) -> bool:
        """True when the field's value is a list (see LIST_TYPES)."""
        return self.type in LIST_TYPES


@dataclass(frozen=True)
class Check:
    """A rule across fields (DESIGN §5 `checks`): an error blocks finalizing, a warning does not."""

    rule: str
    message: str
    when: str | None = None
    level: str = "error"
    line: int = 0


@dataclass(frozen=True)
class Cadence:
    """How often a kind of record is due, e.g. 支部委员会 every month.

    `label` names the due item (defaults to the form title); `when` picks which records count.
    """

    every: str
    label: str
    when: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Attendance:
    """Who is expected when `when` holds (DESIGN §5 `attendance`): "roster" or "committee".

    The first rule that holds decides what `all_members`, `roster_count` and the absences of a
    new record start with; without one, the whole roster.
    """

    expected: str
    when: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Form:
    """A versioned form definition; `source` is the YAML text it was loaded from."""

    id: str
    version: int
    title: str
    fields: tuple[Field, ...]
    checks: tuple[Check, ...] = ()
    cadence: tuple[Cadence, ...] = ()
    attendance: tuple[Attendance, ...] = ()
    description: str | None = None
    # A photo taken more than this many hours from the record's time earns a warning.
    photo_hours: int = 12
    source: str = ""
    path: str = ""
    extra: dict = dc_field(default_factory=dict, compare=False, hash=False)

    def walk(self) -> Iterator[Field]:
        """Every field at the data's top level, groups opened up; repeat rows are not entered."""
        yield from _walk(self.fields)

    def field(self, key: str) -> Field | None:
        """The top-level field with this key (inside groups too), or None."""
        for f in self.walk():
            if f.key == key:
                return f
        return None

    @property
    def keys(self) -> list[str]:
        """Keys of the values a record of this form holds at its top level."""
        return [f.key for f in self.walk() if f.type != "group"]


def _walk(fields: tuple[Field, ...]) -> Iterator[Field]:
    for f in fields:
        yield f
        if f.type == "group":
            yield from _walk(f.fields)
