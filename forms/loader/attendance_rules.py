"""A form's `attendance` rules: who is expected at a meeting (the roster, or the committee).

```yaml
attendance:                      # optional; without it the whole roster is expected
  - when: meeting_type == '支部委员会'
    expected: committee          # 书记、副书记、委员 on the branch's roster
```
The first rule whose `when` holds (or that has none) decides what `all_members`,
`roster_count` and the absences of a new record start with (forms/engine/defaults.py).
"""

from __future__ import annotations

from collections.abc import Callable

from yaml.nodes import Node

from forms.i18n import tr
from forms.model import ATTENDANCE_GROUPS, Attendance
from forms.yaml_lines import NodeReader, line

ATTENDANCE_KEYS = ("expected", "when")


def read_attendance(
    reader: NodeReader, node: Node, expression: Callable[[Node, str, str | None], str | None]
) -> tuple[Attendance, ...]:
    """The rules under `attendance:`, problems noted on `reader` with their lines; `expression`
    reads a `when` (the form reader's, which checks its names once the fields are known)."""
    out = []
    for item in reader.sequence(node, "attendance") or ():
        opts = reader.mapping(item, ATTENDANCE_KEYS, (tr("出席规则"), "attendance rule"))
        if opts is None:
            continue
        if "expected" not in opts:
            reader.problem(item, tr("出席规则缺少 expected"), "attendance rule is missing expected")
            continue
        expected = reader.text(opts["expected"][1], "expected")
        if expected not in ATTENDANCE_GROUPS:
            reader.problem(
                opts["expected"][1],
                tr('expected 应为 {choices}，不是 "{value}"').format(
                    choices=" | ".join(ATTENDANCE_GROUPS), value=expected
                ),
                f"expected must be one of {', '.join(ATTENDANCE_GROUPS)}",
            )
            continue
        when = expression(opts["when"][1], "when", None) if "when" in opts else None
        out.append(Attendance(expected=expected, when=when, line=line(item)))
    return tuple(out)
