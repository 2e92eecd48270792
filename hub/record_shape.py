"""What a pushed record revision must look like (docs/HUB.md, "POST /api/v1/records"): each field
checked, with a Chinese message naming the field when it is wrong. Pure functions, no database."""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from dataclasses import dataclass, field
from typing import Any

from hub.attachments import SHA256
from hub.errors import Refused

STATUSES = ("final", "void")
INT_MAX = 2**31 - 1  # the integer columns' range (PostgreSQL `integer`)


@dataclass
class Pushed:
    """One final (or void) revision of a record as a laptop pushed it, checked."""

    uuid: str
    branch_uid: str
    form_id: str
    form_version: int
    form_source: str | None
    revision: int
    base_revision: int
    status: str
    data: dict
    summary: str
    occurred_on: dt.date | None
    operator: str
    finalized_at: str | None
    void_reason: str | None
    audit: list[dict] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)


def _wrong(name: str, what: str) -> Refused:
    return Refused(422, f"记录格式不对：{name} {what}", field=name)


def _text(body: dict, name: str, *, required: bool = True, limit: int = 10_000) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise _wrong(name, "应是非空文字" if required else "应是文字")
    if len(value) > limit:
        raise _wrong(name, f"超过 {limit} 个字符")
    if not _storable(value):
        raise _wrong(name, UNSTORABLE)
    return value


UNSTORABLE = "含有不可见的空字符（U+0000）或不成对的代理字符"


def _storable(text: str) -> bool:
    """Can PostgreSQL keep this text (no NUL, and valid UTF-8: no lone surrogate from a \\ud800)?"""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _holds_unstorable(value: Any) -> bool:
    """Does this JSON value carry, anywhere, text PostgreSQL's jsonb cannot hold?"""
    if isinstance(value, str):
        return not _storable(value)
    if isinstance(value, dict):
        return any(_holds_unstorable(k) or _holds_unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_unstorable(v) for v in value)
    return False


def _whole(body: dict, name: str, least: int) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= INT_MAX:
        raise _wrong(name, f"应是 {least} 到 {INT_MAX} 之间的整数")
    return value


def _audit(body: dict) -> list[dict]:
    entries = body.get("audit", [])
    if not isinstance(entries, list):
        raise _wrong("audit", "应是列表")
    out = []
    for n, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise _wrong(f"audit[{n}]", "应是对象")
        out.append(
            {
                "at": _text(entry, "at", limit=64),
                "operator": _text(entry, "operator", required=False, limit=200) or "",
                "action": _text(entry, "action", limit=64),
                "note": _text(entry, "note", required=False) or "",
            }
        )
    return out


def _attachments(body: dict) -> list[dict]:
    files = body.get("attachments", [])
    if not isinstance(files, list):
        raise _wrong("attachments", "应是列表")
    out = []
    for n, item in enumerate(files):
        sha = item.get("sha256") if isinstance(item, dict) else None
        if not isinstance(sha, str) or not SHA256.match(sha):
            raise _wrong(f"attachments[{n}].sha256", "应是 64 位小写十六进制 SHA-256")
        out.append({"sha256": sha, "name": _text(item, "name", limit=500)})
    return out


def pushed(body: Any) -> Pushed:
    """The checked revision, or `Refused(422)` naming the first wrong field."""
    if not isinstance(body, dict):
        raise Refused(422, "记录格式不对：应是一个 JSON 对象")
    uuid = _text(body, "uuid", limit=64)
    assert uuid is not None
    try:
        uuidlib.UUID(uuid)
    except ValueError:
        raise _wrong("uuid", "不是 UUID") from None
    revision = _whole(body, "revision", 1)
    base = _whole(body, "base_revision", 0)
    if base >= revision:
        raise _wrong("base_revision", "应小于 revision")
    status = body.get("status")
    if status not in STATUSES:
        raise _wrong("status", "应是 final 或 void")
    data = body.get("data")
    if not isinstance(data, dict):
        raise _wrong("data", "应是对象")
    if _holds_unstorable(data):
        raise _wrong("data", UNSTORABLE)
    occurred = _text(body, "occurred_on", required=False, limit=10)
    try:
        occurred_on = dt.date.fromisoformat(occurred) if occurred else None
    except ValueError:
        raise _wrong("occurred_on", "应是日期 YYYY-MM-DD") from None
    void_reason = _text(body, "void_reason", required=False)
    if status == "void" and not (void_reason or "").strip():
        raise _wrong("void_reason", "作废时必须写明原因")
    return Pushed(
        uuid=uuid,
        branch_uid=_text(body, "branch_uid", limit=64) or "",
        form_id=_text(body, "form_id", limit=200) or "",
        form_version=_whole(body, "form_version", 1),
        form_source=_text(body, "form_source", required=False, limit=1_000_000),
        revision=revision,
        base_revision=base,
        status=status,
        data=data,
        summary=_text(body, "summary", required=False) or "",
        occurred_on=occurred_on,
        operator=_text(body, "operator", required=False, limit=200) or "",
        finalized_at=_text(body, "finalized_at", required=False, limit=64),
        void_reason=void_reason,
        audit=_audit(body),
        attachments=_attachments(body),
    )
