"""What is typed for a record, read and checked (`--data` JSON, `--set KEY=VALUE`, names on the
roster), and what the form engine says about it, printed against each field's label and key so the
person knows what to fix and how to name it on the command line.

forms/ is imported inside the functions: building the parser must stay quick.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from desktop.cli.exits import CliError
from desktop.cli.output import err
from desktop.cli.record_text import field_label

# Field types whose values name people on the branch roster.
ROSTER_TYPES = ("member", "members", "absences")


# --- reading values -----------------------------------------------------------------------------


def _read_json(spec: str) -> dict:
    if spec == "-":
        text, where = sys.stdin.buffer.read().decode("utf-8-sig"), "标准输入"
    else:
        text, where = Path(spec).read_bytes().decode("utf-8-sig"), spec
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(
            f"{where} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）。",
            '--data 需要一个 JSON 对象，例如 {"title": "支部委员会", "attendees": ["张三", "李四"]}',
        ) from None
    if not isinstance(data, dict):
        raise CliError(f'{where} 应是一个 JSON 对象（{{"字段": 值, ...}}），而不是 {type(data).__name__}。')
    return data


def _unknown_key(form, key: str) -> CliError:
    keys = "、".join(f"{f.key}（{f.label}）" for f in form.walk() if f.type != "group")
    return CliError(f"表单 {form.id} 没有字段“{key}”。可用的字段：{keys}")


def given_values(args, form, roster: list[str]) -> dict:
    """The values named by --data and --set, parsed for each field's type; roster names checked."""
    from forms.engine import parse_value

    values = _read_json(args.data) if args.data else {}
    for key in values:
        if key not in form.keys:
            raise _unknown_key(form, key)
    for item in args.sets:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep:
            raise CliError(f"--set {item!r} 应写成 KEY=VALUE，例如 --set title=支部委员会")
        field = form.field(key)
        if field is None or field.type == "group":
            raise _unknown_key(form, key)
        try:
            values[key] = parse_value(field, text)
        except ValueError as exc:
            raise CliError(f"{field.label} ({key})：{exc}") from None
    _check_roster(form, values, roster)
    return values


def _check_roster(form, values: dict, roster: list[str]) -> None:
    # A name not on the roster is almost always a typo; say so now rather than save it. The
    # value is read the engine's way first, so a malformed one is named for what is wrong with it.
    from forms.engine import coerce_value

    on_roster = set(roster)
    for key, value in values.items():
        field = form.field(key)
        if field.type not in ROSTER_TYPES or value in (None, "", []):
            continue
        value, problem = coerce_value(field, value)
        if problem:
            raise CliError(f"{field.label} ({key})：{problem}")
        items = value if isinstance(value, list) else [value]
        names = [i["name"] if isinstance(i, dict) else i for i in items]
        missing = [n for n in names if n not in on_roster]
        if missing:
            raise CliError(
                f"{field.label} ({key})：名册中没有 {'、'.join(missing)}。",
                f"名册：{'、'.join(roster) or '（空）'}；可用 `yici members add` 加入名册。",
            )


# --- printing messages ----------------------------------------------------------------------------


def print_messages(form, messages, *, errors_block: bool = True) -> None:
    """One line per message on stderr: ✗ for errors that block, ⚠ for warnings, · for notes."""
    for m in messages:
        mark = "⚠" if m.level == "warning" else ("✗" if errors_block else "·")
        err(f"{mark} {field_label(form, m.field)}：{m.text}")


def report_outcome(form, outcome, record) -> None:
    """After a save: what still blocks finalizing a draft, and the warnings worth a look."""
    if record.status == "draft" and outcome.errors:
        err(f"已存为草稿。定稿前还要处理 {len(outcome.errors)} 处：")
        print_messages(form, outcome.errors, errors_block=False)
    if outcome.warnings:
        err("请留意（不影响定稿）：")
        print_messages(form, outcome.warnings)


def report_invalid(form, exc, what: str) -> CliError:
    """A record the engine refused: its errors printed, and the CliError saying `what` was not done."""
    print_messages(form, exc.messages)
    return CliError(f"记录有 {len(exc.messages)} 处错误，{what}。请按上面的提示改正后再试。")
