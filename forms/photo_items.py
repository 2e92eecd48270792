"""Attaching a photo to a record: its facts read once (forms/photos: time taken with its offset,
place, camera), the file stored, the facts and picture hash kept in the store, and the item the
record's value holds, carrying the time and place so the hub and the printed 台账 have them.

The window's editor, `yici records new --attach` and `yici records attach` all attach here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from forms.i18n import tr
from forms.store import Store


class NotAPhoto(ValueError):
    """The file given for a photos field is not a photo Yici reads; `message` says so in words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def photo_item(sha256: str, name: str, facts: dict[str, Any]) -> dict[str, Any]:
    """What a record's photos value holds for one photo: its file, name, its local time taken
    (None when the photo has none: the facts were read and there is no time), that time's UTC
    offset when the camera wrote one, and its place when it has one."""
    item: dict[str, Any] = {"sha256": sha256, "name": name, "taken_at": None}
    local = str(facts.get("taken_at") or "")
    offset = facts.get("taken_offset")
    if local:
        item["taken_at"] = local[: -len(offset)] if offset and local.endswith(offset) else local
        if offset:
            item["taken_offset"] = offset
    if facts.get("latitude") is not None and facts.get("longitude") is not None:
        item["latitude"], item["longitude"] = facts["latitude"], facts["longitude"]
    return item


def attach_photo(store: Store, record_uuid: str, source: bytes | str | Path, name: str | None = None) -> dict:
    """Store a photo for a record and return its item (NotAPhoto for a file that is not one)."""
    from forms.photos import PhotoError, examine_photo, sha256_of  # Pillow: only when attaching

    data = Path(source).read_bytes() if isinstance(source, (str, Path)) else bytes(source)
    name = name or (Path(source).name if isinstance(source, (str, Path)) else "")
    if not name:
        raise NotAPhoto(tr("请给照片起个文件名。"))
    try:
        examined = examine_photo(data)
    except PhotoError as exc:
        raise NotAPhoto(tr("“{name}”：{reason}").format(name=name, reason=exc)) from None
    attachment = store.add_attachment(record_uuid, data, name)
    assert attachment.sha256 == sha256_of(data)
    facts = examined.facts.as_dict()
    store.keep_photo_facts(attachment.sha256, facts, examined.picture_hash)
    return photo_item(attachment.sha256, name, facts)


def attach_file(store: Store, record_uuid: str, source: str | Path, name: str | None = None) -> dict:
    """Store any file for a record's files field and return its item."""
    attachment = store.add_attachment(record_uuid, Path(source), name or Path(source).name)
    return {"sha256": attachment.sha256, "name": attachment.name}


__all__ = ["NotAPhoto", "attach_file", "attach_photo", "photo_item"]
