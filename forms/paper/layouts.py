"""Print layouts: which Jinja2 HTML template prints a form, compiled and rendered in the sandbox.

A form's layout sits beside its YAML with `.print.html` in place of `.yaml`
(forms/library/sanhui-yike.print.html; an installed form's <data>/forms/<id>-v<version>.print.html).
A record of a form version without one (a version remembered by the store, not on disk) uses the
layout of the same version in the catalog, else of the nearest other version of that form, else the
generic layout (generic.print.html here). Layouts run in the bounded sandbox (forms/sandbox.py)
with autoescape on: a record's text never becomes markup. They may `{% import "common.print.html"
as paper %}` (the shared parts beside this module) and nothing else. A layout that does not compile,
or fails while printing, is a LayoutProblem whose problems read `FILE:LINE: message`.
"""

from __future__ import annotations

import functools
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from forms.i18n import bilingual, tr
from forms.loader import FormProblem, Problem
from forms.model import Form
from forms.paper.page_context import sample_context, sample_data
from forms.paper.print_values import blank, cn_date, cn_when, text_lines
from forms.sandbox import MAX_TEMPLATE_CHARS, BoundedSandbox, Bounds, LimitExceeded
from forms.sandbox import render as bounded_render
from forms.yaml_lines import short

LAYOUT_SUFFIX = ".print.html"
HERE = Path(__file__).resolve().parent
GENERIC_LAYOUT = HERE / "generic.print.html"
PARTS = {"common.print.html": HERE / "common.print.html"}
# A page is larger than a message: a long meeting record with every name and many photos.
PRINT_BOUNDS = Bounds(max_size=2_000_000, budget=10_000_000, seconds=3.0)
CHECK_SECONDS = 6.0  # trial prints of one layout by `check_layout`, at most about this long


class LayoutProblem(FormProblem):
    """A layout that cannot print; `problems` say `FILE:LINE: message`, `message` the first one's text."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.message = self.problems[0].message if self.problems else ""


@dataclass(frozen=True)
class Layout:
    """A compiled layout and the file it came from; `generic` for the layout of any form."""

    path: Path
    template: jinja2.Template
    generic: bool = False


def layout_beside(form_file: str | Path) -> Path | None:
    """Where the layout of the form in `form_file` would be: `x.yaml` -> `x.print.html`."""
    text = str(form_file or "")
    if not text.endswith((".yaml", ".yml")) or text.startswith("<"):
        return None
    path = Path(text)
    return path.with_name(path.name.rsplit(".", 1)[0] + LAYOUT_SUFFIX)


def find_layout(form: Form, catalog: Any = None) -> Path:
    """The layout file for `form`: beside its file; else beside the catalog's copy of the same
    version, then of the newest other versions; else the generic layout."""
    candidates = [form.path]
    if catalog is not None:
        versions = list(catalog.versions(form.id))
        order = [form.version] if form.version in versions else []
        order += [v for v in sorted(versions, reverse=True) if v != form.version]
        candidates += [catalog.get(form.id, v).path for v in order]
    for candidate in candidates:
        path = layout_beside(candidate)
        if path is not None and path.is_file():
            return path
    return GENERIC_LAYOUT


def load_layout(path: str | Path) -> Layout:
    """The compiled layout in `path`; LayoutProblem naming the file and line if it cannot be used."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise LayoutProblem([_unreadable(path, exc)]) from None
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=32)
def _load(path: str, mtime_ns: int, size: int) -> Layout:
    # Keyed by the file's time and size: a book prints the same layout sixty times, and an
    # author's edit is seen on the next print.
    source = _read(Path(path))
    return Layout(Path(path), compile_layout(source, path), generic=Path(path) == GENERIC_LAYOUT)


def compile_layout(source: str, file: str) -> jinja2.Template:
    """Compile a layout's text; LayoutProblem (`file:line: message`) when it is not a sound template."""
    if len(source) > MAX_TEMPLATE_CHARS:
        zh = tr("打印版式太长（{count:,} 个字符，最多 {limit:,}），请精简版式文件").format(
            count=len(source), limit=MAX_TEMPLATE_CHARS
        )
        raise LayoutProblem([Problem(file, 0, bilingual(zh, "layout too long"))])
    try:
        code = _ENV.compile(source, name=Path(file).name, filename=file)
        return _ENV.template_class.from_code(_ENV, code, _ENV.make_globals(None), None)
    except (jinja2.TemplateError, LimitExceeded) as exc:
        raise LayoutProblem([problem_of(exc, file)]) from None
    except (RecursionError, MemoryError):
        zh = tr("打印版式嵌套太深或太复杂，请精简版式文件")
        raise LayoutProblem([Problem(file, 0, bilingual(zh, "layout nested too deeply"))]) from None


def render_layout(layout: Layout, context: dict) -> str:
    """The layout filled with `context`; LayoutProblem naming the line when it fails (a value the
    layout does not expect, a part that is too large), never a traceback."""
    try:
        return bounded_render(layout.template, context, PRINT_BOUNDS)
    except Exception as exc:  # the sandbox raises SecurityError, UndefinedError, TypeError, ...
        raise LayoutProblem([problem_of(exc, str(layout.path), printing=True)]) from None


def check_layout(path: str | Path, form: Form | None = None) -> list[Problem]:
    """Every problem of the layout in `path`: it must compile and, given its form, print made-up
    records (empty, full with each choice of each required choice field, voided). Never raises."""
    try:
        layout = load_layout(path)
    except LayoutProblem as exc:
        return exc.problems
    if form is None:
        return []
    problems: list[Problem] = []
    stop = time.monotonic() + CHECK_SECONDS
    for data, status in _trials(form):
        if time.monotonic() > stop:
            break  # a layout that runs to its bounds on every trial has said enough
        try:
            render_layout(layout, sample_context(form, data, status))
        except LayoutProblem as exc:
            # One message a line: the same mistake met again with other sample values is not news.
            problems += [
                p for p in exc.problems if (p.file, p.line) not in {(q.file, q.line) for q in problems}
            ]
        except Exception as exc:  # noqa: BLE001 - promised never to raise
            problems.append(
                Problem(str(path), 0, bilingual(tr("无法检查打印版式"), f"cannot check: {short(exc)}"))
            )
    return problems


def _trials(form: Form) -> list[tuple[dict, str]]:
    trials: list[tuple[dict, str]] = [({}, "draft")]
    picks = [(f.key, c) for f in form.walk() if f.type == "select_one" and f.required for c in f.choices]
    trials += [(sample_data(form, {key: choice}), "final") for key, choice in picks[:10]]
    trials += [(sample_data(form), "final"), (sample_data(form), "void")]
    return trials


def problem_of(exc: BaseException, file: str, printing: bool = False) -> Problem:
    """A template error as `FILE:LINE: message`, the line from the error or from the innermost
    frame of a layout in its traceback; Chinese first, saying what to do."""
    line = getattr(exc, "lineno", None)
    where = getattr(exc, "filename", None)
    if line is None:
        frame = template_frame(exc, (file, *map(str, PARTS.values())))
        if frame is not None:
            where, line = frame
    where = where or file
    detail = short(getattr(exc, "message", None) or exc)
    if isinstance(exc, LimitExceeded):
        zh = tr("打印版式{zh}，请精简版式文件中这一行").format(zh=exc.zh)
        return Problem(where, line or 0, bilingual(zh, exc.en))
    if isinstance(exc, jinja2.TemplateNotFound):
        zh = tr(
            '打印版式只能用 {{% import "common.print.html" as paper %}} 引用 common.print.html，'
            "不能引用“{name}”。请删掉或改正这一行"
        ).format(name=exc.name)
        en = f"a layout may take in common.print.html only: {exc.name}"
        return Problem(where, line or 0, bilingual(zh, en))
    if printing and not isinstance(exc, jinja2.TemplateSyntaxError):
        zh = tr(
            "打印时版式出错：这一行用到的值和版式预想的不一样（{detail}）。"
            "请修改版式文件的这一行后再打印；没有把握时可以删掉这个 .print.html 文件，改用通用版式"
        ).format(detail=detail)
        return Problem(
            where, line or 0, bilingual(zh, f"layout failed while printing: {type(exc).__name__}: {detail}")
        )
    zh = tr("打印版式写法有误（{detail}），请按行号修改版式文件后再用 yici forms check 检查").format(
        detail=detail
    )
    return Problem(where, line or 0, bilingual(zh, f"layout error: {detail}"))


def template_frame(exc: BaseException, files: Iterable[str]) -> tuple[str, int] | None:
    """(file, line) of the innermost traceback frame inside one of the template `files`
    (Jinja rewrites a template's frames to name its file and line)."""
    wanted = set(files)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename in wanted and frame.lineno:
            return frame.filename, frame.lineno
    return None


def _read(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_TEMPLATE_CHARS * 4:
            raise LayoutProblem(
                [Problem(str(path), 0, bilingual(tr("打印版式文件太大，请精简"), "layout too large"))]
            )
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        zh = tr("打印版式文件不是 UTF-8 编码的文字，请用记事本等另存为 UTF-8 后再试")
        raise LayoutProblem([Problem(str(path), 0, bilingual(zh, "layout is not UTF-8 text"))]) from None
    except OSError as exc:
        raise LayoutProblem([_unreadable(path, exc)]) from None


def _unreadable(path: Path, exc: OSError) -> Problem:
    zh = tr("无法读取打印版式文件（{reason}），请检查文件是否还在、有没有读取权限").format(
        reason=exc.strerror or type(exc).__name__
    )
    return Problem(str(path), 0, bilingual(zh, "cannot read layout"))


def _part_source(name: str) -> tuple[str, str, Any] | None:
    path = PARTS.get(name)
    if path is None:
        return None  # only the shared parts: a layout cannot read other files
    return path.read_text(encoding="utf-8"), str(path), lambda: True


def _make_env() -> BoundedSandbox:
    # Autoescape on: a record's text is never markup. ChainableUndefined: a name the context
    # lacks prints as nothing rather than stopping a page.
    env = BoundedSandbox(
        loader=jinja2.FunctionLoader(_part_source),
        undefined=jinja2.ChainableUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(cn_date=cn_date, cn_when=cn_when, lines=text_lines)
    env.globals.update(blank=blank)
    env.bound_filters_and_tests()
    return env


_ENV = _make_env()
