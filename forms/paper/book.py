"""A branch's 台账 for a period as one HTML document (a `Paper`): what an inspection reads.

In order: a cover; the contents, by form then date, with page numbers; every final record of the
period as its own 记录本 page (forms/paper/record_page.py), each starting a new page; the records
voided in the period with their reasons; the summary pages (meetings held against the branch's
cadence: book_cadence.py; each member's attendance: book_attendance.py).

Anchors — `<a name>` places whose page numbers the renderer (desktop/paper/) finds after layout
and writes where the contents say `PAGE_OF` ("[[page:NAME]]"). All are in `Paper.anchors`, in
the order they appear:
    book-contents            the contents
    book-form-<form id>      a form's first record (e.g. book-form-sanhui-yike)
    book-record-<uuid>       a record's page (the record's full uuid)
    book-voided              the list of voided records
    book-cadence             meetings held against the cadence
    book-attendance          members' attendance
plus any a record page brings in its own `anchors`. The cover is the first page and has none.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from collections.abc import Callable, Iterable, Iterator

from forms.catalog import Catalog
from forms.lifecycle import Records
from forms.model import Form
from forms.paper import Paper
from forms.paper.book_attendance import ANCHOR as ATTENDANCE
from forms.paper.book_attendance import attendance_lines, attendance_section
from forms.paper.book_cadence import ANCHOR as CADENCE
from forms.paper.book_cadence import cadence_section, rule_lines
from forms.paper.book_markup import anchor, document, grid, note, page_of, section, text
from forms.paper.periods import Period
from forms.store import Branch, Record, Store, times

CONTENTS = "book-contents"
VOIDED = "book-voided"
# The order a 台账 is usually bound in: the meetings first; other forms follow by id.
BOOK_ORDER = ("sanhui-yike", "zhuti-dangri", "zuzhi-shenghuohui", "minzhu-pingyi", "dangfei", "ruhu-zoufang")
# The township a branch belongs to, printed on the cover when this setting holds it.
TOWNSHIP_SETTING = "township"

RecordPage = Callable[[Store, Catalog, Record], Paper]  # forms.paper.record_page.record_page


def form_anchor(form_id: str) -> str:
    """The anchor at a form's first record in the book."""
    return f"book-form-{form_id}"


def record_anchor(uuid: str) -> str:
    """The anchor at a record's page in the book."""
    return f"book-record-{uuid}"


def book_title(branch_name: str, period: Period) -> str:
    """ "<branch> · <period> 台账": the book's title and running head."""
    return f"{branch_name} · {period.label} 台账"


def branch_book(
    store: Store,
    catalog: Catalog,
    branch_id: int,
    period: Period,
    *,
    record_page: RecordPage | None = None,
    made_on: dt.date | None = None,
    township: str | None = None,
) -> Paper:
    """The 台账 of one branch for `period` (forms/paper/periods.py) as one `Paper`: its `html`
    holds PAGE_OF marks for the anchors in `anchors` (named as the module docstring says), for
    the renderer to fill once it knows the pages; `title` and `running_head` are book_title().

    Only final records whose day falls in the period are printed, in date order grouped by
    form; drafts never; records voided after being final are listed with their reason. Each
    record's body is `record_page(store, catalog, record)` with its <html>/<body> wrapper taken
    off: its <style> blocks join the book's head, its `images` join the book's (an <img src>
    used by two records for different files is renamed in the second), its anchors are kept.
    `made_on` (default today) is printed on the cover and decides which cadence periods are
    still running; `township` defaults to the TOWNSHIP_SETTING setting. Raises the store's
    NotFound for an unknown branch.
    """
    if record_page is None:
        # Imported when a book is made, not when this module is: it brings Jinja2 and layouts.
        import forms.paper.record_page as layouts

        # The year's 第 N 次 numbers counted once for the whole book, not once per record.
        record_page = functools.partial(layouts.record_page, numbering={})
    made_on = made_on or times.clock().date()
    branch = store.branch(branch_id)
    since, until = period.first.isoformat(), period.last.isoformat()
    versions = Records(store, catalog)
    finals = [
        (r, versions.form(r.form_id, r.form_version))
        for r in store.records(branch_id=branch_id, status="final", since=since, until=until)
    ]
    finals.sort(key=lambda pair: _when(*pair))
    voided = [
        r
        for r in reversed(store.records(branch_id=branch_id, status="void", since=since, until=until))
        if r.revision >= 1  # a draft that was thrown away was never part of the book
    ]
    groups = _groups(finals)
    members = store.members(branch_id)
    township = township if township is not None else str(store.get_setting(TOWNSHIP_SETTING) or "")

    images: dict = {}
    styles: list[str] = []
    anchors = [CONTENTS]
    pages: list[str] = []
    for form_id, _title, entries in groups:
        for index, (record, _form) in enumerate(entries):
            page = record_page(store, catalog, record)
            body, page_styles = unwrap(page.html)
            body = take_images(page.images, body, images, len(pages) + 1)
            styles += [s for s in page_styles if s not in styles]
            marks = ([form_anchor(form_id)] if index == 0 else []) + [record_anchor(record.uuid)]
            anchors += marks + [a for a in page.anchors if a not in anchors and a not in marks]
            pages.append(
                '<div style="page-break-before: always">' + "".join(map(anchor, marks)) + body + "</div>\n"
            )
    anchors += [VOIDED, CADENCE, ATTENDANCE]

    cadence_forms = _ordered(catalog.all())
    rules = rule_lines(cadence_forms, branch.cadence, [r for r, _ in finals], period, made_on)
    people, meetings = attendance_lines(members, finals)
    title = book_title(branch.name, period)
    body = "".join(
        [
            _cover(branch, members, period, groups, voided, made_on, township),
            _contents(groups, voided),
            *pages,
            _voided(voided, versions),
            cadence_section(rules, period, made_on),
            attendance_section(people, meetings, period.label),
        ]
    )
    return Paper(
        html=document(title, body, styles),
        title=title,
        running_head=title,
        images=images,
        anchors=anchors,
    )


def branch_books(
    store: Store, catalog: Catalog, branch_ids: Iterable[int], period: Period, **options
) -> Iterator[tuple[Branch, Paper]]:
    """(branch, its book) for each branch in turn, one file's worth at a time; `options` are
    `branch_book`'s keywords (record_page, made_on, township)."""
    for branch_id in branch_ids:
        yield store.branch(branch_id), branch_book(store, catalog, branch_id, period, **options)


# --- the record pages inside the book --------------------------------------------------------

_BODY = re.compile(r"<body\b([^>]*)>(.*?)(?:</body\s*>|\Z)", re.S | re.I)
_HEAD = re.compile(r"<head\b[^>]*>.*?</head\s*>", re.S | re.I)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.S | re.I)
_STYLE_ATTR = re.compile(r"""\bstyle\s*=\s*("[^"]*"|'[^']*')""", re.I)
_WRAPPER = re.compile(r"<!DOCTYPE[^>]*>|</?html\b[^>]*>|</?body\b[^>]*>", re.I)


def unwrap(page_html: str) -> tuple[str, list[str]]:
    """(what is inside <body>, the <style> blocks of <head>) of a whole HTML page. A style on the
    <body> tag itself is kept on a <div> around the content."""
    head = _HEAD.search(page_html)
    styles = [s.strip() for s in _STYLE.findall(head.group(0))] if head else []
    found = _BODY.search(page_html)
    if found:
        content = found.group(2)
        style = _STYLE_ATTR.search(found.group(1))
        if style:
            content = f"<div style={style.group(1)}>{content}</div>"
    else:
        content = _HEAD.sub("", page_html)
    return _WRAPPER.sub("", content), [s for s in styles if s]


def take_images(page_images: dict, body: str, images: dict, number: int) -> str:
    """Add a page's images to the book's; a name already used for another file is renamed
    (prefixed "r<number>-") in this page's <img src>. Returns the page body as it now reads."""
    for src, path in page_images.items():
        name = src
        while name in images and images[name] != path:
            name = f"r{number}-{name}"
        if name != src:
            new = html.escape(name, quote=True).replace("\\", "\\\\")
            for shown in dict.fromkeys([src, html.escape(src, quote=True)]):
                body = re.sub(
                    r"""(\bsrc\s*=\s*)(["'])""" + re.escape(shown) + r"\2", rf"\g<1>\g<2>{new}\g<2>", body
                )
        images[name] = path
    return body


# --- grouping --------------------------------------------------------------------------------


def _when(record: Record, form: Form) -> tuple[str, str, str]:
    """Sort key: the day, then the time of its first date/time field, then when it was entered."""
    moment = next(
        (
            record.data[f.key]
            for f in form.walk()
            if f.type == "datetime" and isinstance(record.data.get(f.key), str)
        ),
        "",
    )
    return (record.occurred_on or "", moment, record.created_at)


def _ordered(forms: Iterable[Form]) -> list[Form]:
    """Forms in the book's order: BOOK_ORDER first, then by id."""
    rank = {form_id: n for n, form_id in enumerate(BOOK_ORDER)}
    return sorted(forms, key=lambda f: (rank.get(f.id, len(rank)), f.id))


def _groups(finals: list[tuple[Record, Form]]) -> list[tuple[str, str, list[tuple[Record, Form]]]]:
    """(form id, form title, its records in date order) per form, in the book's order. The
    title is that of the newest version used in the period."""
    by_form: dict[str, list[tuple[Record, Form]]] = {}
    for pair in finals:
        by_form.setdefault(pair[0].form_id, []).append(pair)
    newest = {
        form_id: max((f for _, f in pairs), key=lambda f: f.version) for form_id, pairs in by_form.items()
    }
    order = _ordered(newest.values())
    return [(form.id, form.title, by_form[form.id]) for form in order]


def _entry_title(record: Record, form: Form) -> str:
    """How a record reads in the contents: its list summary without the day (a column of its
    own), with the record's name (its first required text, e.g. 会议名称) after the first part."""
    parts = [p for p in (record.summary or "").split(" · ") if p and p != record.occurred_on]
    name = next(
        (
            record.data[f.key].strip()
            for f in form.walk()
            if f.type == "text" and f.required and isinstance(record.data.get(f.key), str)
        ),
        "",
    )
    if name and parts and parts[0] != name and name.startswith(parts[0]):
        parts[0] = name  # the summary leads with the name cut to 30 characters: the book has room
    elif name and name[:30] not in parts:  # a summary made before it led with the name
        parts.insert(1 if parts else 0, name)
    return " · ".join(parts) or form.title


# --- cover, contents, voided -----------------------------------------------------------------


def _cover(branch: Branch, members, period: Period, groups, voided, made_on: dt.date, township: str) -> str:
    secretary = branch.secretary or next((m.name for m in members if m.role == "书记"), "")
    total = sum(len(entries) for _, _, entries in groups)
    counts = "、".join(f"{title} {len(entries)} 条" for _, title, entries in groups)
    # QTextDocument drops the top margin of a page's first block, so the space above the
    # branch name is the second block's margin; a paragraph before a table gets its spacing
    # as the table's own margin.
    out = [
        f'<p align="center" style="font-size: 16pt">{text(township) or "&nbsp;"}</p>',
        '<p align="center" style="font-size: 22pt; font-weight: bold; margin-top: 150px">'
        f"{text(branch.name)}</p>",
        '<h1 class="book">台　账</h1>',
        f'<p align="center" style="font-size: 16pt">{text(period.label)}</p>',
        '<p style="margin-top: 60px">&nbsp;</p>',
    ]
    rows = [
        ["期间", text(f"{period.first.isoformat()} 至 {period.last.isoformat()}")],
        ["支部书记", text(secretary or "—")],
        ["党员人数", text(f"{len(members)} 人（按现在的名册）")],
        ["定稿记录", text(f"共 {total} 条" + (f"：{counts}" if counts else ""))],
        ["作废记录", text(f"{len(voided)} 条")],
        ["制作日期", text(made_on.isoformat())],
    ]
    if township:
        rows.insert(0, ["所属乡镇", text(township)])
    return "".join(out) + grid(
        ["项目", "内容"], rows, widths=[22, 78], align=["center", "left"], show_header=False
    )


def _contents(groups, voided) -> str:
    out = [section(CONTENTS, "目　录")]
    rows = []
    for form_id, title, entries in groups:
        rows.append(["", "", f"<b>{text(title)}（{len(entries)} 条）</b>", page_of(form_anchor(form_id))])
        for number, (record, form) in enumerate(entries, 1):
            rows.append(
                [
                    str(number),
                    text(record.occurred_on or ""),
                    text(_entry_title(record, form)),
                    page_of(record_anchor(record.uuid)),
                ]
            )
    if not groups:
        rows.append(["", "", text("本期没有已定稿的记录。"), ""])
    for name, title in (
        (VOIDED, f"已作废记录（{len(voided)} 条）"),
        (CADENCE, "会议开展情况"),
        (ATTENDANCE, "党员参会情况"),
    ):
        rows.append(["", "", f"<b>{text(title)}</b>", page_of(name)])
    return "".join(out) + grid(
        ["序号", "日期", "内容", "页码"],
        rows,
        widths=[9, 21, 58, 12],
        align=["center", "center", "left", "center"],
    )


def _voided(voided: list[Record], versions: Records) -> str:
    """The voided records with the reason kept on each (Store.void requires one)."""
    out = [section(VOIDED, "已作废记录")]
    out.append(note(text("以下记录定稿后又作废了，不计入本台账的记录和统计，列出备查。")))
    if not voided:
        return "".join(out) + note(text("本期没有作废的记录。"))
    rows = []
    for number, record in enumerate(voided, 1):
        form = versions.form(record.form_id, record.form_version)
        rows.append(
            [
                str(number),
                text(record.occurred_on or ""),
                text(_entry_title(record, form)),
                text((record.void_at or "")[:10]),
                text(record.void_reason or "未写原因"),
            ]
        )
    return "".join(out) + grid(
        ["序号", "日期", "记录", "作废日期", "作废原因"],
        rows,
        widths=[9, 20, 30, 20, 21],
        align=["center", "center", "left", "center", "left"],
    )
