"""A record's photos (and other attached files) copied to a folder, ready to upload by hand.

The copies are named after the field and their place in it (现场照片-1.jpg, 现场照片-2.jpg), in a
folder named after the record (东村党支部-三会一课-2026-05-06), so a person picking them from a
platform's upload button knows which is which. Photos are the clean copies `Outgoing.attachment`
gives (sync/photo_copies.py: no EXIF or GPS unless the target keeps it; a HEIC as a .jpg); the
stored originals are only read.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath
from typing import Any

from forms.atomic import write_atomically
from sync.kind import Outgoing
from sync.photo_copies import sent_name

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
MAX_NAME = 60  # characters of one part of a name: Windows paths stay well within 260


def safe_name(text: str) -> str:
    """`text` as one file or folder name on every system: no separators or reserved characters."""
    name = _UNSAFE.sub("-", " ".join(str(text or "").split())).strip(" .-")
    return name[:MAX_NAME].strip(" .-") or "-"


def _is_files(value: Any) -> bool:
    return (
        bool(value)
        and isinstance(value, list)
        and all(isinstance(v, dict) and isinstance(v.get("sha256"), str) for v in value)
    )


def attached(item: Outgoing) -> list[tuple[str, dict]]:
    """(field label, file) of every photo and file in the record, in the record's order; those in
    a repeat's rows are labelled with the row (走访问题 2 · 照片)."""
    found: list[tuple[str, dict]] = []
    for key, value in (item.data or {}).items():
        label = item.labels.get(key, key)
        if _is_files(value):
            found += [(label, v) for v in value]
        elif isinstance(value, list) and all(isinstance(row, dict) for row in value):
            for number, row in enumerate(value, 1):
                for sub, files in row.items():
                    if _is_files(files):
                        name = f"{label} {number} · {item.labels.get(f'{key}.{sub}', sub)}"
                        found += [(name, v) for v in files]
    return found


def folder_name(item: Outgoing, occurred_on: str | None = None) -> str:
    """The record's folder: branch, form and date."""
    parts = [item.branch, item.form_title, (occurred_on or "")[:10]]
    return safe_name("-".join(p for p in parts if p))


def export_photos(item: Outgoing, folder: Path, occurred_on: str | None = None) -> list[Path]:
    """Copy the record's files into `folder`/<record's folder>/; the paths written, in order.
    Exporting again writes nothing new: a file already there with the same bytes is kept."""
    files = attached(item)
    if not files or item.attachment is None:
        return []
    where = Path(folder) / folder_name(item, occurred_on)
    where.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    counts: dict[str, int] = {}
    for label, file in files:
        counts[label] = counts.get(label, 0) + 1
        data = item.attachment(file["sha256"])
        suffix = PurePath(sent_name(str(file.get("name") or ""), data)).suffix.lower()
        suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""
        base = f"{safe_name(label)}-{counts[label]}"
        path, n = where / f"{base}{suffix}", 1
        while path.exists() and path.read_bytes() != data:
            n += 1
            path = where / f"{base}（{n}）{suffix}"
        if not path.exists():
            write_atomically(path, data)
        written.append(path)
    return written


__all__ = ["attached", "export_photos", "folder_name", "safe_name"]
