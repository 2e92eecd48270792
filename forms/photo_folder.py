"""Photos in a folder from a phone (a USB cable, a memory card, a folder copied off a phone): found
within bounds, what each says about when and where it was taken read from the first bytes of its
file, and listed as a cadre picks them: those taken in the record's time window first, newest
first, then the rest, newest first. No Qt; the window's 从手机文件夹选 shows this.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from forms.photo_checks import taken_moment, time_warning
from forms.photo_items import photo_item

# What phones and cameras write; anything else in the folder is left out of the list.
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".heic", ".heif", ".png")
# How far down from the chosen folder (a phone's storage: DCIM/Camera, DCIM/100APPLE, ...).
MAX_DEPTH = 4
MAX_FOLDERS = 2000
MAX_PHOTOS = 20000
# A JPEG's EXIF sits in its first 64 KB; HEIC keeps it anywhere, so a HEIC is read whole.
HEAD_BYTES = 256 * 1024
# Folders of a phone's storage that hold no photos of the person's own, or only copies of them.
SKIPPED = frozenset(
    {"android", "thumbnails", "cache", "$recycle.bin", "system volume information", "lost.dir", "trash"}
)


@dataclass(frozen=True)
class FolderPhoto:
    """One photo file in the folder: what it says (`item`, as a record's photo item would hold it,
    without its SHA-256: {name, taken_at, taken_offset?, latitude?, longitude?}) and the file's
    own modification time (to order photos with no time)."""

    path: Path
    item: dict
    modified: float

    @property
    def taken(self) -> dt.datetime | None:
        """When it was taken, on this laptop's clock; None when the photo says nothing."""
        return taken_moment(self.item)


def find_photos(folder: str | Path, stop: Callable[[], bool] = lambda: False) -> tuple[list[Path], bool]:
    """The photo files under `folder`, breadth first (DCIM's own folders come early), without
    hidden folders, links or SKIPPED ones; and whether a bound (MAX_DEPTH aside) cut the search."""
    found: list[Path] = []
    queue: deque[tuple[Path, int]] = deque([(Path(folder), 0)])
    folders = 0
    while queue:
        if stop() or folders >= MAX_FOLDERS or len(found) >= MAX_PHOTOS:
            return found, bool(queue)
        here, depth = queue.popleft()
        folders += 1
        try:
            entries = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError:
            continue  # a folder the system will not open (permissions, a card pulled out)
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if depth < MAX_DEPTH and not name.startswith(".") and name.lower() not in SKIPPED:
                        queue.append((Path(entry.path), depth + 1))
                elif entry.is_file(follow_symlinks=False) and not name.startswith("."):
                    if name.lower().endswith(PHOTO_SUFFIXES):
                        found.append(Path(entry.path))
                        if len(found) >= MAX_PHOTOS:
                            return found, True
            except OSError:
                continue
    return found, False


def read_folder_photo(path: str | Path) -> FolderPhoto | None:
    """What one file says, from its first HEAD_BYTES (the whole file when that is not enough);
    None when it is not a photo Yici reads (damaged, another format behind a photo's name)."""
    from forms.photos import PhotoError, read_facts  # Pillow: only once a folder is read

    path = Path(path)
    try:
        modified = path.stat().st_mtime
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return None
    try:
        try:
            facts = read_facts(head)
        except PhotoError:
            facts = read_facts(path)  # a HEIC, or a JPEG whose header runs longer
    except PhotoError:
        return None
    item = photo_item("", path.name, facts.as_dict())
    del item["sha256"]
    return FolderPhoto(path, item, modified)


def in_window(photo: FolderPhoto, when: dt.datetime | dt.date | None, hours: int) -> bool:
    """Whether the photo was taken within `hours` of the record's time (False with no time)."""
    return when is not None and photo.taken is not None and time_warning(photo.item, when, hours) is None


def ordered(
    photos: list[FolderPhoto], when: dt.datetime | dt.date | None, hours: int
) -> tuple[list[FolderPhoto], list[FolderPhoto]]:
    """(those taken in the record's time window, the rest), each newest first; photos with no
    time come last, the most recently changed file first."""

    def newest_first(photo: FolderPhoto) -> tuple[int, float]:
        taken = photo.taken
        return (0, -taken.timestamp()) if taken is not None else (1, -photo.modified)

    window = sorted((p for p in photos if in_window(p, when, hours)), key=newest_first)
    chosen = {id(p) for p in window}
    rest = sorted((p for p in photos if id(p) not in chosen), key=newest_first)
    return window, rest


__all__ = [
    "MAX_PHOTOS",
    "PHOTO_SUFFIXES",
    "FolderPhoto",
    "find_photos",
    "in_window",
    "ordered",
    "read_folder_photo",
]
