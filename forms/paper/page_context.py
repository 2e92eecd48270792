"""What a print layout sees: the names a `.print.html` template can use, built from plain data.

    form        {id, version, title, description}
    values      every field's value ready for print, by key (forms/paper/print_values.py)
    fields      the fields the record's answers show, in form order: {key, label, type, value,
                fields (a group's), columns (a repeat's)}; what the generic layout walks
    data        the stored values as they are (JSON)
    branch      {name, code, secretary}
    record      {uuid, status, status_label, draft, voided, void_reason, void_at, revision,
                operator, created_at, finalized_at, updated_at, form_version, date}
    sequence    the meeting's number in the branch's year (第 N 次), None when it has none
    sequence_of what is counted (the meeting type, or the form's title); year: the year counted
    photos      [{src, name, time_label, time_kind ('taken' | 'added' | ''), missing, warnings}]
    files       names of the other materials
    roles       roster name -> role (书记, 委员 ...)
    printed_on  today, as printed

Nothing here reads the store: record_page.py gathers the facts, and `forms check` fills the same
names with sample values (sample_context) to try a layout before anyone prints with it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from forms.model import Form
from forms.paper.print_values import PhotoDetails, Values, cn_when, record_values, today_label

# Printed on paper, whatever language the window speaks.
STATUS_LABELS = {"draft": "草稿", "final": "定稿", "void": "已作废"}


def page_context(
    form: Form,
    data: dict,
    *,
    branch: Mapping[str, Any],
    record: Mapping[str, Any],
    sequence: int | None = None,
    sequence_of: str = "",
    year: str = "",
    roles: Mapping[str, str] | None = None,
    photo: PhotoDetails | None = None,
    variables: Mapping[str, Any] | None = None,
    today: _dt.date | None = None,
) -> dict[str, Any]:
    """The names a layout sees (see the module docstring). `variables`: what form expressions
    know besides the record (roster_count, today, now), for fields shown only when relevant."""
    roles = dict(roles or {})
    values, shown = record_values(form, data, roles, photo or _no_photo, dict(variables or {}))
    status = str(record.get("status") or "")
    return {
        "form": {
            "id": form.id,
            "version": form.version,
            "title": form.title,
            "description": form.description or "",
        },
        "values": values,
        "fields": _tree(form.fields, values, shown),
        "data": dict(data) if isinstance(data, dict) else {},
        "branch": {
            "name": str(branch.get("name") or ""),
            "code": str(branch.get("code") or ""),
            "secretary": str(branch.get("secretary") or ""),
        },
        "record": {
            **{k: record.get(k) for k in ("uuid", "revision", "operator", "void_reason", "form_version")},
            "status": status,
            "status_label": STATUS_LABELS.get(status, status),
            "draft": status == "draft",
            "voided": status == "void",
            "created_at": cn_when(record.get("created_at")),
            "updated_at": cn_when(record.get("updated_at")),
            "finalized_at": cn_when(record.get("finalized_at")),
            "void_at": cn_when(record.get("void_at")),
            "date": cn_when(record.get("date")),
        },
        "sequence": sequence,
        "sequence_of": sequence_of or form.title,
        "year": year,
        "photos": _photos(values),
        "files": [name for value in _all(values) if value.type == "files" for name in value.items],
        "roles": roles,
        "printed_on": today_label(today),
    }


def _tree(fields, values: Values, shown: dict[str, bool]) -> list[dict]:
    out = []
    for f in fields:
        if not shown.get(f.key, True):
            continue
        if f.type == "group":
            children = _tree(f.fields, values, shown)
            if children:
                out.append({"key": f.key, "label": f.label, "type": "group", "fields": children})
            continue
        value = values[f.key]
        out.append({"key": f.key, "label": f.label, "type": f.type, "value": value, "columns": value.columns})
    return out


def _all(values: Values):
    """Every value, repeat rows' values included, in form order."""
    for key in values:
        value = values[key]
        yield value
        if value.type == "repeat":
            for row in value.items:
                yield from _all(row)


def _photos(values: Values) -> list[dict]:
    seen, out = set(), []
    for value in _all(values):
        if value.type != "photos":
            continue
        for item in value.items:
            mark = item.get("src") or item.get("name")
            if mark not in seen:
                seen.add(mark)
                out.append(item)
    return out


def _no_photo(item: dict) -> dict:
    return {
        "src": None,
        "name": str(item.get("name") or ""),
        "time_label": "",
        "time_kind": "",
        "missing": True,
        "warnings": [],
    }


# -- sample values, to try a layout ------------------------------------------------------------

_SAMPLES: dict[str, Any] = {
    "text": "x",
    "longtext": "x\ny",
    "integer": 1,
    "decimal": 1.5,
    "date": "2026-11-05",
    "datetime": "2026-11-05T19:00",
    "time": "21:00",
    "member": "x",
    "members": ["x", "y"],
    "absences": [{"name": "z", "reason": "r"}],
    "photos": [{"sha256": "0" * 64, "name": "x.jpg", "taken_at": "2026-11-05T19:05"}],
    "files": [{"sha256": "1" * 64, "name": "x.pdf"}],
    "location": {"place": "x", "lat": 30.5, "lon": 114.3},
    "idcard": "11010519491231002X",
    "phone": "13800138000",
}


def sample_data(form: Form, choices: Mapping[str, str] | None = None) -> dict:
    """A value of the right shape for every field (a choice field takes `choices[key]` or its first)."""
    return _sample_level(form.fields, dict(choices or {}))


def _sample_level(fields, choices: dict) -> dict:
    data: dict[str, Any] = {}
    for f in fields:
        if f.type == "group":
            data.update(_sample_level(f.fields, choices))
        elif f.type == "repeat":
            data[f.key] = [_sample_level(f.fields, choices)]
        elif f.type == "select_one":
            data[f.key] = choices.get(f.key, f.choices[0] if f.choices else "x")
        elif f.type == "select_multiple":
            data[f.key] = list(f.choices[:2])
        else:
            data[f.key] = _SAMPLES.get(f.type, "x")
    return data


def sample_context(form: Form, data: dict, status: str = "final") -> dict[str, Any]:
    """The names a layout sees for a made-up record of `form` holding `data`."""

    def photo(item: dict) -> dict:
        return {
            "src": "sample",
            "name": item.get("name"),
            "time_label": "x",
            "time_kind": "taken",
            "missing": False,
            "warnings": ["x"],
        }

    return page_context(
        form,
        data,
        branch={"name": "x", "code": "x", "secretary": "x"},
        record={
            "uuid": "0" * 32,
            "status": status,
            "revision": 1,
            "operator": "x",
            "created_at": "2026-11-05T20:00:00+08:00",
            "finalized_at": "2026-11-05T21:00:00+08:00",
            "void_reason": "x" if status == "void" else None,
            "void_at": "2026-11-06T09:00:00+08:00" if status == "void" else None,
            "form_version": form.version,
            "date": "2026-11-05",
        },
        sequence=1 if status != "void" else None,
        year="2026",
        roles={"x": "x"},
        photo=photo,
        variables={"roster_count": 3, "today": "2026-11-05", "now": "2026-11-05T19:00"},
    )
