"""Read form definitions (YAML, DESIGN §5) and say precisely what is wrong with them.

We compose the YAML into nodes (yaml.compose with SafeLoader) rather than loading plain data, so
that every problem carries the line of the key or value it is about. `check_text` never raises;
`parse_form` raises FormProblem listing every problem at once.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from forms.expressions import ExpressionError, compile_expression, is_number
from forms.model import (
    CADENCE_PERIODS, CHECK_LEVELS, CONTAINER_TYPES, CONTEXT_NAMES, FIELD_OPTIONS, FIELD_TYPES,
    LIST_TYPES, SYMBOLIC_DEFAULTS, Cadence, Check, Field, Form,
)
from forms.values import coerce_value

TOP_KEYS = ("id", "version", "title", "description", "fields", "checks", "cadence")
CHECK_KEYS = ("rule", "message", "when", "level")
CADENCE_KEYS = ("every", "label", "when")

_FORM_ID = re.compile(r"[a-z0-9-]+")
_FIELD_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Words Jinja reads as literals or operators: a field with such a key could never be referred to.
_RESERVED = frozenset({"and", "or", "not", "in", "is", "if", "else", "true", "false", "none",
                       "True", "False", "None", "loop", "self"}) | CONTEXT_NAMES
_MAX_DEPTH = 8
# libyaml's SafeLoader composes ten times faster than the pure-Python one; same nodes and marks.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL_TAG = "tag:yaml.org,2002:null"

# Which options make sense for which types (everything else in FIELD_OPTIONS is for all types).
_RANGE_TYPES = frozenset({"integer", "decimal", "date", "datetime", "time"}) | LIST_TYPES
_OPTION_TYPES = {
    "choices": frozenset({"select_one", "select_multiple"}),
    "max_length": frozenset({"text", "longtext"}),
    "min": _RANGE_TYPES,
    "max": _RANGE_TYPES,
    "fields": CONTAINER_TYPES,
}
_NOT_FOR_GROUP = ("required", "constraint", "constraint_message", "default", "calculate")
_SYMBOLIC_TYPES = {
    "now": frozenset({"datetime", "date", "time"}),
    "today": frozenset({"date"}),
    "secretary": frozenset({"member"}),
    "all_members": frozenset({"members"}),
    "roster_count": frozenset({"integer", "decimal"}),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a form file, at a line (1-based; 0 when no line applies)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class FormProblem(Exception):
    """A form definition that cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def _say(zh: str, en: str, key: str | None = None) -> str:
    if key is None:
        return f"{zh} / {en}"
    return f'字段 "{key}"：{zh} / field "{key}": {en}'


class _Reader:
    """Walks the composed node tree, collecting problems and building the Form."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []
        # (source, line, field key, option name, keys of the repeat row it sits in, or None)
        self.pending: list[tuple[str, int, str | None, str, list[str] | None]] = []
        self.row_keys: list[str] | None = None
        self.scope: frozenset[str] = CONTEXT_NAMES

    def problem(self, node_or_line, zh: str, en: str, key: str | None = None) -> None:
        line = node_or_line if isinstance(node_or_line, int) else _line(node_or_line)
        self.problems.append(Problem(self.file, line, _say(zh, en, key)))

    # -- small readers ----------------------------------------------------------------

    def mapping(self, node: Node, allowed: tuple[str, ...], what_zh: str, what_en: str,
                key: str | None = None) -> dict[str, tuple[Node, Node]] | None:
        """key -> (key node, value node); reports non-text, duplicate and unknown keys."""
        if not isinstance(node, MappingNode):
            self.problem(node, f"{what_zh}应为“键: 值”的映射", f"{what_en} must be a mapping", key)
            return None
        out: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _NULL_TAG:
                self.problem(key_node, f"{what_zh}中有无法识别的键", f"{what_en} has a key that is not text", key)
                continue
            name = key_node.value
            if name in out:
                self.problem(key_node, f"“{name}”重复出现", f'"{name}" appears twice', key)
                continue
            if name not in allowed:
                self.problem(key_node, f"未知的{what_zh}选项 \"{name}\"（可用：{', '.join(allowed)}）",
                             f'unknown {what_en} option "{name}"', key)
                continue
            out[name] = (key_node, value_node)
        return out

    def text(self, node: Node, name: str, key: str | None = None, allow_empty: bool = False) -> str | None:
        """A scalar as the text written in the file (so `label: 2026` or `yes` stay text)."""
        if isinstance(node, ScalarNode) and node.tag != _NULL_TAG and (allow_empty or node.value.strip()):
            return node.value
        if isinstance(node, ScalarNode) and (node.tag == _NULL_TAG or not node.value.strip()):
            self.problem(node, f"{name} 不能为空", f"{name} must not be empty", key)
        else:
            self.problem(node, f"{name} 应为一段文字", f"{name} must be text", key)
        return None

    def value(self, node: Node, name: str, key: str | None = None) -> Any:
        """The Python value of a node, or _BAD (with a problem) when YAML cannot build it."""
        try:
            return SafeConstructor().construct_document(node)
        except Exception as exc:  # noqa: BLE001 - unknown tags, bad timestamps, odd keys
            self.problem(node, f"{name} 的值无法识别（{_short(exc)}）", f"{name} value cannot be read", key)
            return _BAD

    def boolean(self, node: Node, name: str, key: str) -> bool:
        v = self.value(node, name, key)
        if isinstance(v, bool):
            return v
        if v is not _BAD:
            self.problem(node, f"{name} 应为 true 或 false", f"{name} must be true or false", key)
        return False

    def expression(self, node: Node, name: str, key: str | None) -> str | None:
        """Expression text; compiled and its names checked at the end, once every key is known."""
        source = self.text(node, name, key)
        if source is not None:
            self.pending.append((source, _line(node), key, name, self.row_keys))
        return source

    # -- the form ------------------------------------------------------------------------

    def form(self, root: Node, text: str) -> Form | None:
        top = self.mapping(root, TOP_KEYS, "表单", "form")
        if top is None:
            return None
        for required in ("id", "version", "title", "fields"):
            if required not in top:
                self.problem(root, f"缺少 {required}", f"missing {required}")
        form_id = self.form_id(top.get("id"))
        version = self.version(top.get("version"))
        title = self.text(top["title"][1], "title") if "title" in top else None
        description = None
        if "description" in top:
            d = top["description"][1]
            if not (isinstance(d, ScalarNode) and d.tag == _NULL_TAG):
                description = self.text(d, "description")

        fields: tuple[Field, ...] = ()
        if "fields" in top:
            fields = self.fields(top["fields"][1], depth=0, in_repeat=False, parent=None) or ()
        self.scope = frozenset(f.key for f in _walk_data(fields)) | CONTEXT_NAMES
        checks = self.checks(top["checks"][1]) if "checks" in top else ()
        cadence = self.cadence(top["cadence"][1], title or "") if "cadence" in top else ()
        self.check_expressions()
        if self.problems:
            return None
        return Form(id=form_id, version=version, title=title, fields=fields, checks=checks,
                    cadence=cadence, description=description, source=text, path=self.file)

    def form_id(self, pair) -> str | None:
        if pair is None:
            return None
        node = pair[1]
        value = self.text(node, "id")
        if value is not None and not _FORM_ID.fullmatch(value):
            self.problem(node, f"表单 id \"{value}\" 只能用小写字母、数字和 -",
                         f'form id "{value}" may use only a-z, 0-9 and -')
            return None
        return value

    def version(self, pair) -> int | None:
        if pair is None:
            return None
        node = pair[1]
        v = self.value(node, "version")
        if isinstance(v, int) and not isinstance(v, bool) and v > 0:
            return v
        if v is not _BAD:
            self.problem(node, "version 应为正整数，例如 1", "version must be a positive integer")
        return None

    # -- fields ----------------------------------------------------------------------------

    def fields(self, node: Node, depth: int, in_repeat: bool, parent: str | None,
               own_level: bool = True) -> tuple[Field, ...] | None:
        """A list of fields; `own_level` is False for a group, whose keys share its parent's level."""
        if depth > _MAX_DEPTH:
            self.problem(node, "分组嵌套太深", "groups nested too deeply", parent)
            return None
        if not isinstance(node, SequenceNode) or not node.value:
            self.problem(node, "fields 应为至少一项的列表（每项以 - 开头）",
                         "fields must be a non-empty list", parent)
            return None
        out = []
        for item in node.value:
            f = self.field(item, depth, in_repeat)
            if f is not None:
                out.append(f)
        if own_level:
            self.unique_keys(out)
        return tuple(out)

    def unique_keys(self, fields: list[Field]) -> None:
        seen: set[str] = set()
        for f in _walk_all(fields):
            if f.key in seen:
                self.problem(f.line, "字段 key 重复，每个 key 只能用一次", "duplicate key", f.key)
            seen.add(f.key)

    def field(self, node: Node, depth: int, in_repeat: bool) -> Field | None:
        options = self.mapping(node, FIELD_OPTIONS, "字段", "field", _peek_key(node))
        if options is None:
            return None
        key = None
        if "key" not in options:
            self.problem(node, "字段缺少 key", "field has no key")
        else:
            key = self.text(options["key"][1], "key")
            if key is not None and (not _FIELD_KEY.fullmatch(key) or key in _RESERVED):
                self.problem(options["key"][1], "key 只能用英文字母、数字和下划线，不能以数字开头，也不能是保留字",
                             "key must be an identifier (letters, digits, _) and not a reserved word", key)
                key = None
        shown = key or "?"
        ftype = None
        if "type" not in options:
            self.problem(node, "缺少 type", "missing type", shown)
        else:
            ftype = self.text(options["type"][1], "type", shown)
            if ftype is not None and ftype not in FIELD_TYPES:
                self.problem(options["type"][1], f"未知类型 \"{ftype}\"", f'unknown type "{ftype}"', shown)
                ftype = None
        label = self.text(options["label"][1], "label", shown) if "label" in options else None
        if "label" not in options:
            self.problem(node, "缺少 label（显示给用户的名称）", "missing label", shown)
        if ftype is not None:
            self.options_fit(options, ftype, in_repeat, shown)

        kw: dict[str, Any] = {}
        for name in ("hint", "constraint_message"):
            if name in options:
                kw[name] = self.text(options[name][1], name, shown)
        for name in ("required", "readonly"):
            if name in options:
                kw[name] = self.boolean(options[name][1], name, shown)
        for name in ("relevant", "constraint", "calculate"):
            if name in options:
                kw[name] = self.expression(options[name][1], name, shown)
        if "max_length" in options:
            kw["max_length"] = self.max_length(options["max_length"][1], shown)
        if "choices" in options:
            kw["choices"] = self.choices(options["choices"][1], shown)
        elif ftype in ("select_one", "select_multiple"):
            self.problem(node, f"{ftype} 类型必须有 choices（选项列表）", f"{ftype} needs choices", shown)
        children: tuple[Field, ...] = ()
        if ftype in CONTAINER_TYPES:
            if "fields" not in options:
                self.problem(node, f"{ftype} 必须有 fields（其中的字段）", f"{ftype} needs fields", shown)
            else:
                if in_repeat and ftype == "repeat":
                    self.problem(options["fields"][0], "repeat 里不能再套 repeat", "repeat inside repeat", shown)
                outer_rows = self.row_keys
                if ftype == "repeat":
                    # Expressions inside a row may also read the row's own keys.
                    self.row_keys = []
                children = self.fields(options["fields"][1], depth + 1, in_repeat or ftype == "repeat",
                                       shown, own_level=ftype == "repeat") or ()
                if ftype == "repeat":
                    self.row_keys.extend(f.key for f in _walk_data(children))
                self.row_keys = outer_rows
        draft = Field(key=shown, type=ftype or "text", label=label or shown, choices=kw.get("choices", ()),
                      fields=children)
        for name in ("min", "max"):
            if name in options and ftype in _RANGE_TYPES:
                kw[name] = self.bound(options[name][1], name, draft)
        if "min" in kw and "max" in kw and kw["min"] is not None and kw["max"] is not None:
            try:
                if kw["min"] > kw["max"]:
                    self.problem(options["max"][1], "min 大于 max", "min is greater than max", shown)
            except TypeError:
                pass
        if "default" in options and ftype is not None and ftype != "group":
            kw["default"] = self.default(options["default"][1], draft, in_repeat)
        if key is None or ftype is None or label is None:
            return None
        kw = {k: v for k, v in kw.items() if v is not None}
        return Field(key=key, type=ftype, label=label, fields=children, line=_line(node), **kw)

    def options_fit(self, options: dict, ftype: str, in_repeat: bool, key: str) -> None:
        for name, (key_node, _) in options.items():
            allowed = _OPTION_TYPES.get(name)
            if allowed is not None and ftype not in allowed:
                self.problem(key_node, f"{ftype} 类型不能使用 {name}", f"{name} does not apply to {ftype}", key)
            elif ftype == "group" and name in _NOT_FOR_GROUP:
                self.problem(key_node, f"分组（group）不能使用 {name}", f"{name} does not apply to a group", key)
            elif ftype == "repeat" and name == "calculate":
                self.problem(key_node, "repeat 不能使用 calculate", "calculate does not apply to repeat", key)

    def max_length(self, node: Node, key: str) -> int | None:
        v = self.value(node, "max_length", key)
        if isinstance(v, int) and not isinstance(v, bool) and v > 0:
            return v
        if v is not _BAD:
            self.problem(node, "max_length 应为正整数", "max_length must be a positive integer", key)
        return None

    def choices(self, node: Node, key: str) -> tuple[str, ...]:
        if not isinstance(node, SequenceNode) or not node.value:
            self.problem(node, "choices 应为至少一项的列表，例如 [是, 否]", "choices must be a non-empty list", key)
            return ()
        out: list[str] = []
        for item in node.value:
            if not isinstance(item, ScalarNode) or item.tag == _NULL_TAG or not item.value.strip():
                self.problem(item, "每个选项应为一段文字", "each choice must be text", key)
            elif item.value.strip() in out:
                self.problem(item, f"选项 \"{item.value}\" 重复", f'choice "{item.value}" appears twice', key)
            else:
                out.append(item.value.strip())
        return tuple(out)

    def bound(self, node: Node, name: str, f: Field) -> Any:
        v = _time_text(node, f) if f.type == "time" else self.value(node, name, f.key)
        if v is _BAD:
            return None
        if f.type in LIST_TYPES:
            ok = isinstance(v, int) and not isinstance(v, bool) and v >= 0
            if not ok:
                self.problem(node, f"{name} 应为非负整数（项数）", f"{name} must be a count", f.key)
            return v if ok else None
        if f.type in ("integer", "decimal"):
            ok = is_number(v) and (f.type == "decimal" or isinstance(v, int))
            if not ok:
                self.problem(node, f"{name} 应为{'整数' if f.type == 'integer' else '数字'}",
                             f"{name} must be a number", f.key)
            return v if ok else None
        coerced, problem = coerce_value(f, v) if v is not None else (None, "empty")
        if problem or not isinstance(v, (str, datetime.date, datetime.time)):
            self.problem(node, f"{name} 应为{_TYPE_EXAMPLE[f.type]}", f"{name} must be a {f.type}", f.key)
            return None
        return coerced

    def default(self, node: Node, f: Field, in_repeat: bool) -> Any:
        v = _as_written(node, f)
        if v is _BAD:
            v = self.value(node, "default", f.key)
        if v is _BAD:
            return None
        if isinstance(v, str) and v in SYMBOLIC_DEFAULTS:
            fits = _SYMBOLIC_TYPES.get(v)
            if v == "last":
                if in_repeat:
                    self.problem(node, "repeat 里的字段不能用 last 作默认值", "last does not apply inside repeat", f.key)
                    return None
            elif f.type not in fits:
                self.problem(node, f"默认值 {v} 只适用于 {', '.join(sorted(fits))} 类型",
                             f"default {v} only fits {', '.join(sorted(fits))}", f.key)
                return None
            return v
        if v is None:
            return None
        coerced, problem = coerce_value(f, v)
        if problem:
            self.problem(node, f"默认值与类型 {f.type} 不符：{problem}", f"default does not fit type {f.type}", f.key)
            return None
        wrong = []
        if f.type == "select_one":
            wrong = [coerced] if coerced not in f.choices else []
        elif f.type == "select_multiple":
            wrong = [c for c in coerced if c not in f.choices]
        if wrong and f.choices:
            self.problem(node, f"默认值 {'、'.join(wrong)} 不在 choices 中", "default is not one of the choices", f.key)
            return None
        return coerced

    # -- expressions, checks, cadence --------------------------------------------------------

    def checks(self, node: Node) -> tuple[Check, ...]:
        if not isinstance(node, SequenceNode):
            self.problem(node, "checks 应为列表（每项以 - 开头）", "checks must be a list")
            return ()
        out = []
        for item in node.value:
            opts = self.mapping(item, CHECK_KEYS, "检查规则", "check")
            if opts is None:
                continue
            for required in ("rule", "message"):
                if required not in opts:
                    self.problem(item, f"检查规则缺少 {required}", f"check is missing {required}")
            rule = self.expression(opts["rule"][1], "rule", None) if "rule" in opts else None
            message = self.text(opts["message"][1], "message") if "message" in opts else None
            when = self.expression(opts["when"][1], "when", None) if "when" in opts else None
            level = "error"
            if "level" in opts:
                level = self.text(opts["level"][1], "level") or "error"
                if level not in CHECK_LEVELS:
                    self.problem(opts["level"][1], f"level 应为 {' 或 '.join(CHECK_LEVELS)}，不是 \"{level}\"",
                                 f"level must be one of {', '.join(CHECK_LEVELS)}")
            if rule and message:
                out.append(Check(rule=rule, message=message, when=when, level=level, line=_line(item)))
        return tuple(out)

    def cadence(self, node: Node, title: str) -> tuple[Cadence, ...]:
        if not isinstance(node, SequenceNode):
            self.problem(node, "cadence 应为列表（每项以 - 开头）", "cadence must be a list")
            return ()
        out = []
        for item in node.value:
            opts = self.mapping(item, CADENCE_KEYS, "周期", "cadence")
            if opts is None:
                continue
            every = None
            if "every" not in opts:
                self.problem(item, "周期缺少 every", "cadence is missing every")
            else:
                every = self.text(opts["every"][1], "every")
                if every is not None and every not in CADENCE_PERIODS:
                    self.problem(opts["every"][1], f"every 应为 {', '.join(CADENCE_PERIODS)} 之一，不是 \"{every}\"",
                                 f"every must be one of {', '.join(CADENCE_PERIODS)}")
                    every = None
            label = self.text(opts["label"][1], "label") if "label" in opts else title
            when = self.expression(opts["when"][1], "when", None) if "when" in opts else None
            if every:
                out.append(Cadence(every=every, label=label or title, when=when, line=_line(item)))
        return tuple(out)

    def check_expressions(self) -> None:
        for source, line, key, name, row_keys in self.pending:
            scope = self.scope | frozenset(row_keys or ())
            try:
                expr = compile_expression(source)
            except ExpressionError as exc:
                self.problem(line, f"{name} 表达式有误：{exc.message}", f"{name} expression does not compile", key)
                continue
            for unknown in sorted(expr.names - scope):
                self.problem(line, f"{name} 表达式用到未知名称 \"{unknown}\"",
                             f'{name} expression uses unknown name "{unknown}"', key)


class _Bad:
    def __repr__(self) -> str:
        return "<bad>"


_BAD = _Bad()

_TYPE_EXAMPLE = {"date": "日期，例如 2026-01-01", "datetime": "日期时间，例如 2026-01-01T09:00",
                 "time": "时间，例如 \"09:00\""}


def _time_text(node: Node, f: Field) -> Any:
    # YAML 1.1 reads 8:30 as the sexagesimal number 510; for time fields we want the text.
    if isinstance(node, ScalarNode) and node.tag != _NULL_TAG:
        return node.value
    return _BAD if not isinstance(node, ScalarNode) else None


def _peek_key(node: Node) -> str | None:
    """The field's key as written, so that problems found before it is read can name it."""
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == "key" and isinstance(v, ScalarNode) and v.value:
                return v.value
    return None


_TEXT_TYPES = frozenset({"text", "longtext", "select_one", "member", "idcard", "phone", "date", "datetime", "time"})
_TEXT_LIST_TYPES = frozenset({"select_multiple", "members"})


def _as_written(node: Node, f: Field) -> Any:
    """Text-like defaults as written: `default: 否`, `yes` or `2026` on a text field stay text."""
    def plain(n):
        return isinstance(n, ScalarNode) and n.tag != _NULL_TAG and n.tag.startswith("tag:yaml.org,2002:")

    if f.type in _TEXT_TYPES and plain(node):
        return node.value
    if f.type in _TEXT_LIST_TYPES and isinstance(node, SequenceNode) and all(plain(n) for n in node.value):
        return [n.value for n in node.value]
    return _BAD


def _line(node) -> int:
    mark = getattr(node, "start_mark", None)
    return (mark.line + 1) if mark is not None else 0


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 100 else text[:97] + "..."


def _walk_all(fields) -> list[Field]:
    """Fields at one level, groups included and opened up (not repeat rows)."""
    out = []
    for f in fields:
        out.append(f)
        if f.type == "group":
            out.extend(_walk_all(f.fields))
    return out


def _walk_data(fields) -> list[Field]:
    return [f for f in _walk_all(fields) if f.type != "group"]


def _read(text: str, file: str) -> tuple[Form | None, list[Problem]]:
    reader = _Reader(file)
    if not isinstance(text, str):
        return None, [Problem(file, 0, _say("表单文件内容不是文字", "form text is not a string"))]
    try:
        root = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = _short(f"{exc.context or ''} {exc.problem or ''}")
        return None, [Problem(file, line, _say(f"YAML 格式有误，请检查这一行附近的缩进、冒号和括号（{what}）",
                                              f"YAML syntax error: {what}"))]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(getattr(exc, "position", 0) or 0, 0)) + 1
        return None, [Problem(file, line, _say("文件中有不能使用的字符", f"unacceptable character: {_short(exc)}"))]
    except Exception as exc:  # noqa: BLE001 - e.g. RecursionError on absurdly nested text
        return None, [Problem(file, 1, _say("无法读取 YAML", f"cannot read YAML: {_short(exc)}"))]
    if root is None:
        return None, [Problem(file, 1, _say("表单文件是空的", "form file is empty"))]
    form = reader.form(root, text)
    return form, reader.problems


def check_text(text: str, file: str = "<string>") -> list[Problem]:
    """Every problem in a form definition; an empty list means it can be used. Never raises."""
    try:
        return _read(text, file)[1]
    except Exception as exc:  # noqa: BLE001 - promised never to raise; report rather than crash
        return [Problem(file, 0, _say("无法检查表单", f"cannot check form: {_short(exc)}"))]


def parse_form(text: str, file: str = "<string>") -> Form:
    """The Form defined by `text`; raises FormProblem listing every problem."""
    try:
        form, problems = _read(text, file)
    except Exception as exc:  # noqa: BLE001
        raise FormProblem([Problem(file, 0, _say("无法检查表单", f"cannot check form: {_short(exc)}"))]) from exc
    if problems or form is None:
        raise FormProblem(problems or [Problem(file, 0, _say("表单无法使用", "form cannot be used"))])
    return form


def load_form(path) -> Form:
    """Read a form file (UTF-8); any problem, including an unreadable file, is a FormProblem."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise FormProblem([Problem(name, 0, _say(f"无法读取文件：{exc.strerror or exc}",
                                                 "cannot read file"))]) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise FormProblem([Problem(name, line, _say("文件不是 UTF-8 编码，请另存为 UTF-8",
                                                    "file is not UTF-8"))]) from exc
    return parse_form(text, name)
