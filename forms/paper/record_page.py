"""One record as its 记录本 page: the record's facts from the store, filled into its form's layout.

`record_page(store, catalog, record)` gathers what a layout sees (forms/paper/page_context.py):
the form version the record was entered with, its values ready for print, the branch and its
roster's roles, the meeting's 第 N 次 (forms/paper/sequence.py), its photos (each an <img src>
that `Paper.images` maps to the file in the data folder) and other files. A photo's time label is
when it was taken when its stored item says so (`taken_at`), else when it was added to the record
("添加于 …"), and `time_kind` says which; its `warnings` are those kept with it when the record
was saved (far from the record's time, no time, used in another record: forms/photo_checks.py).
A voided record always carries a 已作废 notice with its reason, whatever its layout prints; an
<img> that is not one of its photos shows nothing.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from pathlib import Path
from typing import Any

from markupsafe import escape

from forms.engine import Context, record_date
from forms.loader import parse_form
from forms.model import Form
from forms.paper import Paper
from forms.paper.layouts import GENERIC_LAYOUT, find_layout, load_layout, render_layout
from forms.paper.page_context import page_context
from forms.paper.print_values import cn_date, cn_when
from forms.paper.sequence import record_year, sequence_number, sequence_of
from forms.store import NotFound

# Printed on paper, whatever language the window speaks.
PHOTO_TIMES = {"taken": "拍摄于 {when}", "added": "添加于 {when}"}
VOID_TITLE = "（已作废）"
VOID_NOTICE = (
    '<table width="100%" border="1" cellspacing="0" cellpadding="6" style="border-collapse: collapse;">'
    '<tr><td style="font-size: 14pt; font-weight: bold;">'
    "本记录已作废　作废原因：{reason}　作废时间：{when}</td></tr>"
    "</table>"
)
_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)
_IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*["']?)([^"'\s>]*)(["']?)""", re.IGNORECASE)


def record_page(
    store: Any,
    catalog: Any,
    record: Any,
    *,
    generic: bool = False,
    today: _dt.date | None = None,
    numbering: dict | None = None,
) -> Paper:
    """The record (a store Record or its uuid) as a Paper in its form's layout (`generic`: in the
    generic one). Raises LayoutProblem (`FILE:LINE: message`) when the layout cannot print it.
    `numbering`: a dict shared by the calls for one book, where the year's 第 N 次 numbers of
    final records are kept once counted (a book of 60 meetings would count them 60 times)."""
    if isinstance(record, str):
        record = store.record(record)
    form = record_form(store, catalog, record)
    branch = store.branch(record.branch_id)
    members = store.members(record.branch_id)
    images: dict = {}
    photo = _photo_details(store, store.attachment_times(record.uuid), images)
    today = today or _dt.date.today()
    day = record.occurred_on or record_date(form, record.data)
    context = page_context(
        form,
        record.data,
        branch={"name": branch.name, "code": branch.code, "secretary": branch.secretary},
        record={
            "uuid": record.uuid,
            "status": record.status,
            "revision": record.revision,
            "operator": record.operator,
            "created_at": record.created_at,
            "updated_at": record.updated_at,
            "finalized_at": record.finalized_at,
            "void_reason": record.void_reason,
            "void_at": record.void_at,
            "form_version": record.form_version,
            "date": day,
        },
        sequence=sequence_number(store, form, record, numbering),
        sequence_of=sequence_of(form, record),
        year=record_year(form, record),
        roles={m.name: m.role for m in members},
        photo=photo,
        variables=Context(roster=members, today=today).variables(),
        today=today,
    )
    layout = load_layout(GENERIC_LAYOUT if generic else find_layout(form, catalog))
    html = render_layout(layout, context)
    html = only_known_images(html, images)
    if record.status == "void":
        html = with_void_notice(html, record.void_reason or "", cn_when(record.void_at))
    title = " · ".join(part for part in (form.title, cn_date(day) if day else "", branch.name) if part)
    return Paper(
        html=html,
        title=title + (VOID_TITLE if record.status == "void" else ""),
        running_head=branch.name,
        draft=record.status == "draft",
        images=images,
    )


def record_form(store: Any, catalog: Any, record: Any) -> Form:
    """The form version the record was entered with: as the store remembers it, else the
    catalog's (UnknownForm when neither knows it)."""
    source = store.stored_form_source(record.form_id, record.form_version)
    if source:
        form = _parsed(source, f"<{record.form_id} v{record.form_version}>")
        try:
            known = catalog.get(record.form_id, record.form_version)
        except KeyError:
            return form
        # The same text on disk: keep its path, so the layout beside it is found first.
        return known if known.source.strip() == source.strip() else form
    return catalog.get(record.form_id, record.form_version)


@functools.lru_cache(maxsize=16)
def _parsed(source: str, name: str) -> Form:
    """A remembered form version, read once (a book prints dozens of records of the same one)."""
    return parse_form(source, name)


def with_void_notice(html: str, reason: str, when: str) -> str:
    """`html` with a 已作废 notice at the top of its body, unless it already prints the reason."""
    if reason and str(escape(reason)) in html:
        return html
    notice = VOID_NOTICE.format(reason=escape(reason), when=escape(when))
    body = _BODY.search(html)
    return html[: body.end()] + notice + html[body.end() :] if body else notice + html


def only_known_images(html: str, images: dict) -> str:
    """`html` with every <img> that is not one of the record's photos emptied: a layout shows
    the record's photos and nothing else from the disk or the network."""

    def keep(match: re.Match) -> str:
        return match.group(0) if match.group(2) in images else f"{match.group(1)}{match.group(3)}"

    return _IMG_SRC.sub(keep, html)


def kept_texts(item: dict) -> list[str]:
    """The words of every warning a photo's item keeps, in order (none for an older item)."""
    kept = item.get("warnings")
    if not isinstance(kept, list):
        return []
    return [
        str(w["text"]) for w in kept if isinstance(w, dict) and isinstance(w.get("text"), str) and w["text"]
    ]


def _photo_details(store: Any, added: dict[str, str], images: dict):
    """A function from a stored photo item to what a layout shows of it, filling `images`."""

    def details(item: dict) -> dict:
        sha = str(item.get("sha256") or "").lower()
        taken = item.get("taken_at")
        if isinstance(taken, str) and cn_when(taken):
            kind, label = "taken", PHOTO_TIMES["taken"].format(when=cn_when(taken))
        elif sha in added:
            kind, label = "added", PHOTO_TIMES["added"].format(when=cn_when(added[sha]))
        else:
            kind, label = "", ""
        try:
            path: Path | None = store.attachment_path(sha)
        except NotFound:
            path = None  # the row is there, the file is not: the page says so
        src = f"photo-{sha}" if path is not None else None
        if src is not None and path is not None:
            # Decrypted when drawn, and looked up only then: the hub's page names photos it serves.
            images[src] = functools.partial(lambda store, sha: store.attachment_bytes(sha), store, sha)
        return {
            "src": src,
            "name": str(item.get("name") or ""),
            "time_label": label,
            "time_kind": kind,
            "missing": path is None,
            "warnings": kept_texts(item),
        }

    return details
