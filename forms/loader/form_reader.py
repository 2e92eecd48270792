"""Walk a form definition's YAML nodes into a `Form`: top-level keys, fields, checks and cadence.

Problems are collected with their lines rather than raised, so a form author sees everything
wrong at once. Expressions are compiled at the end, once every field key is known, because an
expression may read a field defined further down.
"""

from __future__ import annotations

import re
from typing import Any

from yaml.nodes import Node

from forms.expressions import ExpressionError, compile_expression
from forms.i18n import bilingual, tr
from forms.loader import field_options
from forms.loader.attendance_rules import read_attendance
from forms.loader.expression_costs import costly_expressions
from forms.model import (
    CADENCE_PERIODS,
    CHECK_LEVELS,
    CONTAINER_TYPES,
    CONTEXT_NAMES,
    FIELD_OPTIONS,
    FIELD_TYPES,
    Cadence,
    Check,
    Field,
    Form,
)
from forms.yaml_lines import NodeReader, is_null, line

# The form's own keys, then its rules: checks, cadence, attendance, the photo warnings' hours.
TOP_KEYS = ("id", "version", "title", "description", "fields") + (
    "checks",
    "cadence",
    "attendance",
    "photo_hours",
)
CHECK_KEYS = ("rule", "message", "when", "level")
CADENCE_KEYS = ("every", "label", "when")

_FORM_ID = re.compile(r"[a-z0-9-]+")
_FIELD_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Words Jinja reads as literals or operators: a field with such a key could never be referred to.
_RESERVED = (
    frozenset(
        {
            "and",
            "or",
            "not",
            "in",
            "is",
            "if",
            "else",
            "true",
            "false",
            "none",
            "True",
            "False",
            "None",
            "loop",
            "self",
        }
    )
    | CONTEXT_NAMES
)
_MAX_DEPTH = 8


def say(zh: str, en: str, key: str | None = None) -> str:
    """A form problem's message: Chinese / English, led by the field it is about."""
    if key is None:
        return bilingual(zh, en)
    return tr('字段 "{key}"：{zh} / field "{key}": {en}').format(key=key, zh=zh, en=en)


class FormReader(NodeReader):
    """Walks one form file's nodes, collecting problems and building the Form."""

    def __init__(self, file: str):
        super().__init__(file)
        # (source, line, field key, option name, keys of the repeat row it sits in, or None)
        self.pending: list[tuple[str, int, str | None, str, list[str] | None]] = []
        self.row_keys: list[str] | None = None
        self.scope: frozenset[str] = CONTEXT_NAMES

    def say(self, zh: str, en: str | None = None, about: str | None = None) -> str:
        """Every message in both languages, naming the field (`about`) it concerns."""
        return say(zh, en or zh, about)

    def expression(self, node: Node, name: str, key: str | None) -> str | None:
        """Expression text; compiled and its names checked at the end, once every key is known."""
        source = self.text(node, name, key)
        if source is not None:
            self.pending.append((source, line(node), key, name, self.row_keys))
        return source

    # -- the form ------------------------------------------------------------------------

    def form(self, root: Node, text: str) -> Form | None:
        """The Form the nodes describe, or None when anything is wrong (see `problems`)."""
        top = self.mapping(root, TOP_KEYS, (tr("表单"), "form"))
        if top is None:
            return None
        for required in ("id", "version", "title", "fields"):
            if required not in top:
                self.problem(root, tr("缺少 {required}").format(required=required), f"missing {required}")
        form_id = self.form_id(top.get("id"))
        version = None
        if "version" in top:
            version = self.integer(top["version"][1], "version", minimum=1, hint=tr("例如 1"))
        title = self.text(top["title"][1], "title") if "title" in top else None
        description = None
        if "description" in top and not is_null(top["description"][1]):
            description = self.text(top["description"][1], "description")

        hours = 12
        if "photo_hours" in top:
            hint = tr("照片拍摄时间与记录时间相差多少小时提醒，例如 12")
            hours = (
                self.integer(top["photo_hours"][1], "photo_hours", minimum=1, maximum=720, hint=hint) or hours
            )
        fields: tuple[Field, ...] = ()
        if "fields" in top:
            fields = self.fields(top["fields"][1], depth=0, in_repeat=False, parent=None) or ()
        self.scope = frozenset(f.key for f in _walk_data(fields)) | CONTEXT_NAMES
        checks = self.checks(top["checks"][1]) if "checks" in top else ()
        cadence = self.cadence(top["cadence"][1], title or "") if "cadence" in top else ()
        attendance = (
            read_attendance(self, top["attendance"][1], self.expression) if "attendance" in top else ()
        )
        self.check_expressions()
        if not self.problems:
            self.check_costs(fields)
        if self.problems:
            return None
        # A missing or bad id, version or title is a problem, so none of them is None here.
        assert form_id is not None and version is not None and title is not None
        return Form(
            id=form_id,
            version=version,
            title=title,
            fields=fields,
            checks=checks,
            cadence=cadence,
            attendance=attendance,
            description=description,
            photo_hours=hours,
            source=text,
            path=self.file,
        )

    def form_id(self, pair: tuple[Node, Node] | None) -> str | None:
        """The form's id: lower-case letters, digits and -."""
        if pair is None:
            return None
        node = pair[1]
        value = self.text(node, "id")
        if value is not None and not _FORM_ID.fullmatch(value):
            said = tr('表单 id "{value}" 只能用小写字母、数字和 -').format(value=value)
            self.problem(node, said, f'form id "{value}" may use only a-z, 0-9 and -')
            return None
        return value

    # -- fields ----------------------------------------------------------------------------

    def fields(
        self, node: Node, depth: int, in_repeat: bool, parent: str | None, own_level: bool = True
    ) -> tuple[Field, ...] | None:
        """A list of fields; `own_level` is False for a group, whose keys share its parent's level."""
        if depth > _MAX_DEPTH:
            self.problem(node, tr("分组嵌套太深"), "groups nested too deeply", parent)
            return None
        items = self.sequence(node, "fields", parent, non_empty=True)
        if items is None:
            return None
        out = []
        for item in items:
            f = self.field(item, depth, in_repeat)
            if f is not None:
                out.append(f)
        if own_level:
            self.unique_keys(out)
        return tuple(out)

    def unique_keys(self, fields: list[Field]) -> None:
        """Report a key used twice at one level of the record's data (groups opened up)."""
        seen: set[str] = set()
        for f in _walk_all(fields):
            if f.key in seen:
                self.problem(f.line, tr("字段 key 重复，每个 key 只能用一次"), "duplicate key", f.key)
            seen.add(f.key)

    def field(self, node: Node, depth: int, in_repeat: bool) -> Field | None:
        """One field with its options, or None when it cannot be used."""
        options = self.mapping(node, FIELD_OPTIONS, (tr("字段"), "field"), field_options.peek_key(node))
        if options is None:
            return None
        key = self.field_key(node, options)
        shown = key or "?"
        ftype = None
        if "type" not in options:
            self.problem(node, tr("缺少 type"), "missing type", shown)
        else:
            ftype = self.text(options["type"][1], "type", shown)
            if ftype is not None and ftype not in FIELD_TYPES:
                said = tr('未知类型 "{ftype}"').format(ftype=ftype)
                self.problem(options["type"][1], said, f'unknown type "{ftype}"', shown)
                ftype = None
        label = self.text(options["label"][1], "label", shown) if "label" in options else None
        if "label" not in options:
            self.problem(node, tr("缺少 label（显示给用户的名称）"), "missing label", shown)
        if ftype is not None:
            field_options.options_fit(self, options, ftype, shown)

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
            kw["max_length"] = self.integer(options["max_length"][1], "max_length", shown, minimum=1)
        if "choices" in options:
            kw["choices"] = field_options.choices(self, options["choices"][1], shown)
        elif ftype in ("select_one", "select_multiple"):
            said = tr("{ftype} 类型必须有 choices（选项列表）").format(ftype=ftype)
            self.problem(node, said, f"{ftype} needs choices", shown)
        children: tuple[Field, ...] = ()
        if ftype in CONTAINER_TYPES:
            children = self.children(node, options, ftype, depth, in_repeat, shown)
        draft = Field(
            key=shown,
            type=ftype or "text",
            label=label or shown,
            choices=kw.get("choices", ()),
            fields=children,
        )
        for name in ("min", "max"):
            if name in options and ftype in field_options.RANGE_TYPES:
                kw[name] = field_options.bound(self, options[name][1], name, draft)
        if "min" in kw and "max" in kw and kw["min"] is not None and kw["max"] is not None:
            try:
                if kw["min"] > kw["max"]:
                    self.problem(options["max"][1], tr("min 大于 max"), "min is greater than max", shown)
            except TypeError:
                pass
        if "default" in options and ftype is not None and ftype != "group":
            kw["default"] = field_options.default(self, options["default"][1], draft, in_repeat)
        if key is None or ftype is None or label is None:
            return None
        kw = {k: v for k, v in kw.items() if v is not None}
        return Field(key=key, type=ftype, label=label, fields=children, line=line(node), **kw)

    def field_key(self, node: Node, options: dict[str, tuple[Node, Node]]) -> str | None:
        """The field's key: an identifier that expressions can refer to."""
        if "key" not in options:
            self.problem(node, tr("字段缺少 key"), "field has no key")
            return None
        key = self.text(options["key"][1], "key")
        if key is not None and (not _FIELD_KEY.fullmatch(key) or key in _RESERVED):
            self.problem(
                options["key"][1],
                tr("key 只能用英文字母、数字和下划线，不能以数字开头，也不能是保留字"),
                "key must be an identifier (letters, digits, _) and not a reserved word",
                key,
            )
            return None
        return key

    def children(
        self,
        node: Node,
        options: dict[str, tuple[Node, Node]],
        ftype: str,
        depth: int,
        in_repeat: bool,
        shown: str,
    ) -> tuple[Field, ...]:
        """The fields inside a group or repeat."""
        if "fields" not in options:
            said = tr("{ftype} 必须有 fields（其中的字段）").format(ftype=ftype)
            self.problem(node, said, f"{ftype} needs fields", shown)
            return ()
        if in_repeat and ftype == "repeat":
            self.problem(options["fields"][0], tr("repeat 里不能再套 repeat"), "repeat inside repeat", shown)
        outer_rows = self.row_keys
        row_keys: list[str] = []
        if ftype == "repeat":
            # Expressions inside a row may also read the row's own keys (filled in below, once read).
            self.row_keys = row_keys
        children = (
            self.fields(
                options["fields"][1],
                depth + 1,
                in_repeat or ftype == "repeat",
                shown,
                own_level=ftype == "repeat",
            )
            or ()
        )
        if ftype == "repeat":
            row_keys.extend(f.key for f in _walk_data(children))
        self.row_keys = outer_rows
        return children

    # -- checks, cadence, expressions --------------------------------------------------------

    def checks(self, node: Node) -> tuple[Check, ...]:
        """Rules across fields (DESIGN §5 `checks`)."""
        out = []
        for item in self.sequence(node, "checks") or ():
            opts = self.mapping(item, CHECK_KEYS, (tr("检查规则"), "check"))
            if opts is None:
                continue
            for required in ("rule", "message"):
                if required not in opts:
                    said = tr("检查规则缺少 {required}").format(required=required)
                    self.problem(item, said, f"check is missing {required}")
            rule = self.expression(opts["rule"][1], "rule", None) if "rule" in opts else None
            message = self.text(opts["message"][1], "message") if "message" in opts else None
            when = self.expression(opts["when"][1], "when", None) if "when" in opts else None
            level = "error"
            if "level" in opts:
                level = self.text(opts["level"][1], "level") or "error"
                if level not in CHECK_LEVELS:
                    said = tr('level 应为 {check_levels}，不是 "{level}"').format(
                        check_levels=tr(" 或 ").join(CHECK_LEVELS), level=level
                    )
                    self.problem(opts["level"][1], said, f"level must be one of {', '.join(CHECK_LEVELS)}")
            if rule and message:
                out.append(Check(rule=rule, message=message, when=when, level=level, line=line(item)))
        return tuple(out)

    def cadence(self, node: Node, title: str) -> tuple[Cadence, ...]:
        """How often records of this form are due (DESIGN §5 `cadence`)."""
        out = []
        for item in self.sequence(node, "cadence") or ():
            opts = self.mapping(item, CADENCE_KEYS, (tr("周期"), "cadence"))
            if opts is None:
                continue
            every = None
            if "every" not in opts:
                self.problem(item, tr("周期缺少 every"), "cadence is missing every")
            else:
                every = self.text(opts["every"][1], "every")
                if every is not None and every not in CADENCE_PERIODS:
                    said = tr('every 应为 {cadence_periods} 之一，不是 "{every}"').format(
                        cadence_periods=", ".join(CADENCE_PERIODS), every=every
                    )
                    self.problem(opts["every"][1], said, f"every must be one of {', '.join(CADENCE_PERIODS)}")
                    every = None
            label = self.text(opts["label"][1], "label") if "label" in opts else title
            when = self.expression(opts["when"][1], "when", None) if "when" in opts else None
            if every:
                out.append(Cadence(every=every, label=label or title, when=when, line=line(item)))
        return tuple(out)

    def check_expressions(self) -> None:
        """Compile every expression met and report names that are neither keys nor context."""
        for source, at, key, name, row_keys in self.pending:
            scope = self.scope | frozenset(row_keys or ())
            try:
                expr = compile_expression(source)
            except ExpressionError as exc:
                said = tr("{name} 表达式有误：{message}").format(name=name, message=exc.message)
                self.problem(at, said, f"{name} expression does not compile", key)
                continue
            for unknown in sorted(expr.names - scope):
                said = tr('{name} 表达式用到未知名称 "{unknown}"').format(name=name, unknown=unknown)
                self.problem(at, said, f'{name} expression uses unknown name "{unknown}"', key)

    def check_costs(self, fields: tuple[Field, ...]) -> None:
        """Report expressions that go past the sandbox's bounds on a sample record."""
        where = {(source, at): (key, name) for source, at, key, name, _ in self.pending}
        tries = [(source, at, row_keys) for source, at, _, _, row_keys in self.pending]
        for source, at, why in costly_expressions(fields, tries):
            key, name = where[(source, at)]
            said = tr("{name} 表达式{value}").format(name=name, value=why.split(" / ")[0])
            self.problem(at, said, f"{name} expression: {why.split(' / ')[-1]}", key)


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
