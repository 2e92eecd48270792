"""The words a record becomes on the way out: Jinja2 templates rendered in the sandbox.

Each built-in form has a default Chinese message in sync/templates/<form id>.md.j2 (markdown
that reads well on DingTalk and WeCom and strips down to Feishu `post` lines); any other form
gets generic.md.j2, which lists labelled values. A target's own `template` overrides the default.
The REST kind renders its JSON body templates through `render_template` with `template_context`.
The filters templates use to show values are in sync/template_filters.py; robot messages see
values made inert by sync/escaping.py. Templates run in the bounded sandbox (forms/sandbox.py):
no template can build more than a few megabytes or run longer than about a second per record.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import traceback
from typing import Any

import jinja2

from forms.i18n import tr
from forms.sandbox import MAX_TEMPLATE_CHARS, BoundedSandbox, LimitExceeded
from forms.sandbox import render as bounded_render
from sync.escaping import inert_context
from sync.template_filters import (
    absences,
    count,
    labelled,
    lines,
    names,
    oneline,
    place,
    points,
    show,
    tally,
    when,
)

CORRECTION_MARK = "【更正】"
VOID_MARK = "【作废】"
TEMPLATE_NAME = "<template>"  # what Jinja2 calls a template built from a string
ELLIPSIS = "…"


class TemplateProblem(Exception):
    """A template that does not compile or fails while rendering; `message` is for the operator."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


# ---------------------------------------------------------------------------------------------
# The sandbox.


def _builtin_source(name: str) -> str | None:
    path = importlib.resources.files("sync") / "templates" / name
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None


def _make_env() -> BoundedSandbox:
    # Immutable and bounded: a template may read the record but never change it, and it cannot
    # build more than the sandbox's bounds. ChainableUndefined: a field missing from an old
    # record renders empty instead of stopping the target.
    env = BoundedSandbox(
        loader=jinja2.FunctionLoader(_builtin_source),
        undefined=jinja2.ChainableUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        show=show,
        when=when,
        names=names,
        absences=absences,
        place=place,
        lines=lines,
        points=points,
        oneline=oneline,
        count=count,
        tally=tally,
    )
    env.globals.update(labelled=labelled, show=show)
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    env.bound_filters_and_tests()
    return env


_ENV = _make_env()


def _problem(exc: Exception, name: str) -> TemplateProblem:
    line = getattr(exc, "lineno", None)
    if line is None:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename in (name, TEMPLATE_NAME) or frame.filename.endswith(".j2"):
                line = frame.lineno
                break
    where = tr("第 {line} 行").format(line=line) if line else tr("某处")
    detail = str(getattr(exc, "message", None) or exc)[:200]
    if isinstance(exc, LimitExceeded):
        return TemplateProblem(
            tr("模板{where}{zh}，请在目标设置里修改模板 ({en})").format(where=where, zh=exc.zh, en=exc.en),
            line,
        )
    return TemplateProblem(
        tr("模板{where}有错误，请在目标设置里修改模板 ({error_type}: {detail})").format(
            where=where, error_type=type(exc).__name__, detail=detail
        ),
        line,
    )


@functools.lru_cache(maxsize=64)
def _compiled(source: str) -> jinja2.Template:
    # Jinja2 caches templates it loads by name, not those made from a string: without this a
    # drain compiled a target's template once per record (and robots twice: check, render).
    # A template renders safely from several threads at once; failures are not cached.
    return _ENV.from_string(source)


def compile_template(source: str) -> jinja2.Template:
    """Compile a target's template, or raise TemplateProblem naming the line."""
    if len(source) > MAX_TEMPLATE_CHARS:
        raise TemplateProblem(
            tr(
                "模板太长（{source_count:,} 个字符，最多 {max_template_chars:,}），请在目标设置里精简模板"
            ).format(source_count=len(source), max_template_chars=MAX_TEMPLATE_CHARS)
        )
    try:
        return _compiled(source)
    except (jinja2.TemplateError, LimitExceeded) as exc:
        raise _problem(exc, TEMPLATE_NAME) from None
    except (RecursionError, MemoryError):
        raise TemplateProblem(tr("模板嵌套太深或太复杂，请在目标设置里精简模板")) from None


def check_template(source: str | None) -> str | None:
    """A Chinese problem message if `source` does not compile, else None."""
    if not source:
        return None
    try:
        compile_template(source)
    except TemplateProblem as exc:
        return exc.message
    return None


def render_template(source: str, context: dict[str, Any]) -> str:
    """Render Jinja2 `source` in the sandbox; any error becomes TemplateProblem naming the line."""
    template = compile_template(source)
    return _render(template, context, TEMPLATE_NAME)


def _render(template: jinja2.Template, context: dict[str, Any], name: str) -> str:
    try:
        return bounded_render(template, context)
    except Exception as exc:  # the sandbox raises SecurityError, UndefinedError, TypeError, ...
        raise _problem(exc, name) from None


# ---------------------------------------------------------------------------------------------
# From a record to a message.


def template_context(item: Any) -> dict[str, Any]:
    """What a template sees: record, data, labels, branch, form_title, operator, revision, ..."""
    voided = item.status == "void"
    mark = VOID_MARK if voided else (CORRECTION_MARK if item.is_correction else "")
    data = dict(item.data or {})
    record = {**item.facts(), "voided": voided, "data": data}
    return {
        "record": record,
        "data": data,
        "labels": dict(item.labels or {}),
        "branch": item.branch,
        "form_id": item.form_id,
        "form_title": item.form_title,
        "operator": item.operator,
        "revision": item.revision,
        "is_correction": item.is_correction,
        "voided": voided,
        "status": item.status,
        "uuid": item.record_uuid,
        "mark": mark,
    }


def default_template_name(form_id: str) -> str:
    """The built-in template file for a form, generic.md.j2 when it has none."""
    name = f"{form_id}.md.j2"
    return name if re.fullmatch(r"[a-z0-9-]+\.md\.j2", name) and _builtin_source(name) else "generic.md.j2"


def render_text(item: Any) -> str:
    """The record's message as markdown, marked 【更正】/【作废】, tidied; raises TemplateProblem.
    The values are inert text (sync/escaping.py): only the template's own markup is live."""
    context = inert_context(template_context(item), getattr(item, "multiline_keys", None))
    source = getattr(item.target, "template", None)
    if source:
        text = render_template(source, context)
    else:
        name = default_template_name(item.form_id)
        try:
            template = _ENV.get_template(name)
        except jinja2.TemplateNotFound:
            raise TemplateProblem(
                tr("程序缺少默认消息模板文件 (sync/templates)，请重新安装一次 Yici")
            ) from None
        except jinja2.TemplateError as exc:
            raise _problem(exc, name) from None
        text = _render(template, context, name)
    return apply_mark(tidy(text), context["mark"])


def render_message(item: Any) -> tuple[str, str]:
    """(title, markdown text) for a robot; the title is the text's first line without markup."""
    text = render_text(item)
    title = plain(text.split("\n", 1)[0])[:64] or item.form_title
    return title, text


def apply_mark(text: str, mark: str) -> str:
    """Put 【更正】 or 【作废】 at the start of the first line (after any heading markup)."""
    if not mark:
        return text
    first, _, rest = text.partition("\n")
    heading = re.match(r"#{1,6}\s*|>\s*", first)
    prefix = heading.group(0) if heading else ""
    body = first[len(prefix) :]
    if not body.startswith(mark):
        first = f"{prefix}{mark}{body}"
    return f"{first}\n{rest}" if rest else first


def _kind(line: str) -> str:
    if line.startswith("#"):
        return "heading"
    if re.match(r"^(\s*[-*] |\s*\d+\. )", line):
        return "list"
    return "paragraph"


def tidy(text: str) -> str:
    """One blank line between blocks, none inside a list, no trailing spaces.

    Markdown joins adjacent plain lines into one paragraph, so every line that is not a list
    item becomes its own block; WeCom and DingTalk then show one line per value.
    """
    out: list[str] = []
    previous = None
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        kind = _kind(line)
        if out and not (kind == previous == "list"):
            out.append("")
        out.append(line)
        previous = kind
    return "\n".join(out)


_FONT = re.compile(r"</?font[^>]*>")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


def plain(line: str) -> str:
    """A markdown line as plain text, for titles and Feishu posts."""
    line = re.sub(r"^#{1,6}\s*", "", line.strip())
    line = re.sub(r"^>\s?", "", line)
    line = re.sub(r"^[-*] ", "• ", line)
    line = _FONT.sub("", line)
    line = _LINK.sub(r"\1 \2", line)
    return line.replace("**", "").strip()


def plain_lines(text: str) -> list[str]:
    """The non-empty lines of a markdown text, markup removed."""
    return [p for p in (plain(line) for line in text.splitlines()) if p]


# ---------------------------------------------------------------------------------------------
# Size limits.


def cut_utf8(text: str, max_bytes: int, ellipsis: str = ELLIPSIS) -> str:
    """`text` cut to at most `max_bytes` UTF-8 bytes on a character boundary, ending in `ellipsis`."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    budget = max_bytes - len(ellipsis.encode("utf-8"))
    if budget <= 0:
        return ""
    # Decoding with "ignore" drops only the partial character the byte cut left at the end.
    return data[:budget].decode("utf-8", errors="ignore") + ellipsis


def fit(text: str, max_bytes: int, tail: str = "") -> str:
    """`text` cut so that text + `tail` fits `max_bytes` UTF-8 bytes; the tail always survives."""
    return cut_utf8(text, max_bytes - len(tail.encode("utf-8"))) + tail


def keyword_tail(text: str, keyword: str | None) -> str:
    """Robots set up with a keyword refuse messages without it: a last line to add, or ''."""
    keyword = (keyword or "").strip()
    if not keyword or keyword in text:
        return ""
    return f"\n\n{keyword}"
