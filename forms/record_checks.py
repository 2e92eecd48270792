"""Records that come from another database (a handover file, a backup to restore) checked as if
they were typed here, before any of them is taken in.

Every revision that was final is validated by the form engine against the form version stored
with it, with the branch's roster (removed people too) and the clock at the time it was saved:
errors refuse the file, warnings do not, exactly as finalizing does. A draft holds what was
typed, so it is only checked for shape (forms/store/verify.py: a JSON object, no history).
Against this laptop's own records (a handover), the same uuid must be the same record: the same
form and branch, and every revision both laptops have the same. A history that differs is a
hand-made jump over a final record, or work done on both laptops: never merged silently.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable

from forms.engine import Context, evaluate
from forms.i18n import tr
from forms.loader import FormProblem, parse_form
from forms.model import Form
from forms.store import Record, Store

# A record's values are typed by a person: a megabyte of JSON is far beyond any real one.
MAX_RECORD_CHARS = 1_000_000
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_PAGE = 500
SHOWN = 5

# (form id, version) -> the YAML text a record of that version is to be read with, or None.
FormSource = Callable[[str, int], str | None]


def _records(store: Store):
    offset = 0
    while True:
        page = store.records(limit=_PAGE, offset=offset)
        if not page:
            return
        offset += len(page)
        yield from page


def _moment(saved_at: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(saved_at)
    except (TypeError, ValueError):
        moment = dt.datetime.now()
    return moment.replace(tzinfo=None, second=0, microsecond=0)


class _Forms:
    """Form versions parsed once each, from the source the records will be read with here."""

    def __init__(self, store: Store, prefer: FormSource | None):
        self.store, self.prefer = store, prefer
        self.parsed: dict[tuple[str, int], Form | str] = {}

    def get(self, form_id: str, version: int) -> Form | str:
        key = (form_id, version)
        if key not in self.parsed:
            text = (self.prefer(form_id, version) if self.prefer else None) or self.store.stored_form_source(
                form_id, version
            )
            if not text:
                self.parsed[key] = tr("表单 {form_id} 第 {version} 版的定义不在文件中").format(
                    form_id=form_id, version=version
                )
            else:
                try:
                    self.parsed[key] = parse_form(text, f"<{form_id} v{version}>")
                except FormProblem as exc:
                    first = exc.problems[0].message if exc.problems else str(exc)
                    self.parsed[key] = tr("表单 {form_id} 第 {version} 版的定义有误（{first}）").format(
                        form_id=form_id, version=version, first=first
                    )
        return self.parsed[key]


def record_problems(source: Store, prefer: FormSource | None = None, *, shown: int = SHOWN) -> list[str]:
    """What is wrong with the records of `source` (a store opened on the other database), in
    Chinese, at most `shown` of them; [] when every record could have been typed here. `prefer`
    gives the form source this laptop already has for a version (it wins when records merge)."""
    forms = _Forms(source, prefer)
    rosters: dict[int, list[str]] = {}
    problems: list[str] = []
    for record in _records(source):
        problem = _record_problem(source, record, forms, rosters)
        if problem:
            problems.append(problem)
            if len(problems) >= shown:
                break
    return problems


def _record_problem(source: Store, record: Record, forms: _Forms, rosters: dict[int, list[str]]) -> str:
    name = tr("记录 {uuid}").format(uuid=record.uuid)
    if not UUID.match(record.uuid):
        return tr("{name}：编号不是一次生成的格式").format(name=name)
    if len(json.dumps(record.data, ensure_ascii=False)) > MAX_RECORD_CHARS:
        return tr("{name}：内容超过 {max_record_chars} 个字符，不像是录入的内容").format(
            name=name, max_record_chars=MAX_RECORD_CHARS
        )
    form = forms.get(record.form_id, record.form_version)
    if isinstance(form, str):
        return f"{name}：{form}"
    if record.revision == 0:
        return ""  # a draft: what was typed, checked when it is finalized
    if record.branch_id not in rosters:
        rosters[record.branch_id] = source.roster_ever(record.branch_id)
    for revision in source.history(record.uuid):
        moment = _moment(revision.saved_at)
        context = Context(roster=rosters[record.branch_id], today=moment.date(), now=moment)
        errors = evaluate(form, revision.data, context).errors
        if errors:
            first = errors[0]
            where = f"“{first.field}”：" if first.field else ""
            return tr(
                "{name}（{title}，第 {revision} 版）不符合表单，在这台电脑上不能这样定稿：{where}{text}"
            ).format(name=name, title=form.title, revision=revision.revision, where=where, text=first.text)
    return ""


def conflicts_with(
    source: Store, here: Store, branch_names: dict[int, str], *, shown: int = SHOWN
) -> list[str]:
    """Records of `source` whose uuid is already here as a different record: another form or
    branch, or a revision both have with different values. [] when every shared record agrees.
    `branch_names`: {source branch id: its name}."""
    here_branches = {b.id: b.name for b in here.branches()}
    problems: list[str] = []
    for record in _records(source):
        mine = here.record_here(record.uuid)
        if mine is None:
            continue
        name = tr("记录 {uuid}").format(uuid=record.uuid)
        if (mine.form_id, mine.form_version) != (record.form_id, record.form_version):
            problems.append(
                tr("{name}：本机的同一编号是另一张表单（{form_id} 第 {form_version} 版）").format(
                    name=name, form_id=mine.form_id, form_version=mine.form_version
                )
            )
        elif here_branches.get(mine.branch_id) != branch_names.get(record.branch_id):
            problems.append(
                tr("{name}：本机的同一编号属于另一个支部（{value}）").format(
                    name=name, value=here_branches.get(mine.branch_id)
                )
            )
        else:
            for k in range(1, min(mine.revision, record.revision) + 1):
                if here.revision_data(record.uuid, k) != source.revision_data(record.uuid, k):
                    problems.append(
                        tr(
                            "{name}：第 {k} 版在两台电脑上内容不同（两边各自更正过，或文件被改过），"
                            "不能自动合并"
                        ).format(name=name, k=k)
                    )
                    break
        if len(problems) >= shown:
            break
    return problems
