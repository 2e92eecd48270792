"""One recipe field filled in on the page, by its type: typed text, a choice by its visible text,
a radio button, a checkbox, a date, files to upload.

A value the record leaves empty is not typed (the platform's own default stays). A field that is
not on the page yet is waited for a moment (pages build their forms with scripts); a field shown
only after a choice (`after`) is waited for longer. What cannot be done is a `FieldProblem`
naming the field and its recipe line, so the person and the IT staff know what to fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from forms.i18n import tr
from forms.target_kinds import NO_WORDS, YES_WORDS
from sync.browser.devtools import BrowserProblem
from sync.browser.page import Page, find_script
from sync.browser.recipe import FormField
from sync.template_filters import show

FIND_SECONDS = 3.0  # a field the page builds with its scripts
AFTER_SECONDS = 8.0  # a field shown after a choice, by the platform's script or its server

# Choices and radio buttons are matched as people read them: spaces, colons and stars aside.
MATCH = r"""const norm = s => (s || '').replace(/[\s:：*＊]/g, '');"""

SELECT = (
    MATCH
    + r"""
const sel = el.tagName === 'SELECT' ? el : el.querySelector('select');
if (!sel) return ['notkind'];
const want = norm(value);
const options = [...sel.options];
const hit = options.find(o => norm(o.text) === want) || options.find(o => o.value === value);
if (!hit) return ['nochoice', options.map(o => o.text.trim()).filter(t => t)];
sel.value = hit.value;
sel.dispatchEvent(new Event('input', {bubbles: true}));
sel.dispatchEvent(new Event('change', {bubbles: true}));
return ['ok'];"""
)

RADIO = (
    MATCH
    + r"""
const group = el.type === 'radio' ? [...document.getElementsByName(el.name)]
  : [...el.querySelectorAll('input[type=radio]')];
if (!group.length) return ['notkind'];
const text = r => { const l = r.labels && r.labels[0] || r.closest('label');
  if (!l) return ''; const c = l.cloneNode(true); c.querySelectorAll('input').forEach(x => x.remove());
  return c.textContent; };
const want = norm(value);
const hit = group.find(r => norm(text(r)) === want) || group.find(r => r.value === value);
if (!hit) return ['nochoice', group.map(r => text(r).trim() || r.value)];
if (!hit.checked) hit.click();
return ['ok'];"""
)

CHECKBOX = r"""
const box = el.type === 'checkbox' ? el : el.querySelector('input[type=checkbox]');
if (!box) return ['notkind'];
if (box.checked !== value) box.click();
return ['ok'];"""

# A date input takes YYYY-MM-DD through the value setter the page's own frameworks listen to.
DATE = r"""
if (el.type !== 'date') return ['text'];
Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, value);
el.dispatchEvent(new Event('input', {bubbles: true}));
el.dispatchEvent(new Event('change', {bubbles: true}));
return [el.value === value ? 'ok' : 'refused'];"""

DAY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


class FieldProblem(BrowserProblem):
    """A recipe field that could not be filled; `label` names it, `line` is its recipe line,
    `missing` when the page has no such field (the platform may have changed its form)."""

    def __init__(self, field: FormField, message: str, missing: bool = False):
        self.label = field.find.what
        self.line = field.line
        self.missing = missing
        super().__init__(
            tr("字段“{label}”（配方第 {line} 行）：{message}").format(
                label=self.label, line=self.line, message=message
            )
        )


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def as_day(value: Any) -> str | None:
    """YYYY-MM-DD from a date, a date and time, or 2026年11月5日; None when it is none of those."""
    found = DAY.search(str(value))
    if not found:
        return None
    year, month, day = (int(n) for n in found.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None


def as_tick(value: Any) -> bool | None:
    """Checked or not, from a yes/no value; None when it says neither."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES_WORDS or text in ("y", "✓", "√", "有", "已"):
        return True
    if text in NO_WORDS or text in ("n", "", "无", "未"):
        return False
    return None


def as_text(value: Any) -> str:
    """A value as the text typed into a field (lists joined as a person writes them)."""
    return show(value)


def fill_field(page: Page, field: FormField, value: Any, files: Callable[[Any], list[Path]]) -> bool:
    """Fill one field with `value`; False when the value is empty and nothing was typed.
    `files` turns a files value into the paths to upload. FieldProblem when it cannot be done."""
    empty = is_empty(value) if field.type != "checkbox" else value is None
    if empty and field.after:
        return False  # shown only after a choice this record did not make
    seconds = AFTER_SECONDS if field.after else FIND_SECONDS
    if not page.wait_until(lambda: page.shown(field.find.by, field.find.what), seconds):
        if field.after:
            said = tr("选择“{after}”之后，页面上没有出现这个字段").format(after=field.after)
        else:
            said = tr("页面上找不到这个字段，平台可能改了表单，请更新配方")
        raise FieldProblem(field, said, missing=True)
    if empty:
        return False
    by, what = field.find.by, field.find.what
    if field.type in ("text", "textarea"):
        page.fill_text(by, what, as_text(value))
    elif field.type == "select":
        _choose(page, field, SELECT, as_text(value))
    elif field.type == "radio":
        _choose(page, field, RADIO, as_text(value))
    elif field.type == "checkbox":
        tick = as_tick(value)
        if tick is None:
            raise FieldProblem(field, tr("值“{value}”应为 是 或 否").format(value=as_text(value)))
        _run(page, field, CHECKBOX, tick)
    elif field.type == "date":
        _date(page, field, value)
    elif field.type == "file":
        return _upload(page, field, files(value))
    return True


def _run(page: Page, field: FormField, body: str, value: Any) -> list:
    answer = page.on_element(field.find.by, field.find.what, f"const value = {json.dumps(value)};\n{body}")
    if answer[0] == "notkind":
        kinds = {"select": tr("下拉选择框"), "radio": tr("单选按钮"), "checkbox": tr("复选框")}
        said = tr("找到的不是{kind}，请核对配方中的 type").format(kind=kinds.get(field.type, field.type))
        raise FieldProblem(field, said)
    return answer


def _choose(page: Page, field: FormField, body: str, text: str) -> None:
    answer = _run(page, field, body, text)
    if answer[0] == "nochoice":
        said = tr("没有“{value}”这个选项（页面上的选项：{choices}）").format(
            value=text, choices="、".join(answer[1][:20])
        )
        raise FieldProblem(field, said)


def _date(page: Page, field: FormField, value: Any) -> None:
    day = as_day(value)
    answer = _run(page, field, DATE, day or "")
    if answer[0] == "text":  # a text box with a date picker: typed as the recipe wrote it
        page.fill_text(field.find.by, field.find.what, as_text(value))
    elif answer[0] != "ok":
        raise FieldProblem(
            field, tr("“{value}”不是日期（应为 2026-11-05 这样的写法）").format(value=as_text(value))
        )


def _upload(page: Page, field: FormField, paths: list[Path]) -> bool:
    if not paths:
        return False
    element = page.evaluate(find_script(field.find.by, field.find.what), by_value=False)
    if element.get("subtype") != "node":
        raise FieldProblem(field, tr("页面上找不到这个字段"), missing=True)
    kind = page.on_element(field.find.by, field.find.what, "return [el.type, el.multiple];")
    if kind[0] != "file":
        raise FieldProblem(field, tr("找到的不是上传文件的按钮，请核对配方中的 type"))
    chosen = [str(p) for p in (paths if kind[1] else paths[:1])]
    page.call("DOM.setFileInputFiles", files=chosen, objectId=element["objectId"])
    return True


__all__ = ["FieldProblem", "as_day", "as_tick", "fill_field"]
