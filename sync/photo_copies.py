"""A record's files as they leave the laptop for one target: photos (JPEG, PNG, HEIC) as clean
copies made by forms/photos (no EXIF, GPS, camera serial or XMP; standing upright; JPEG or PNG;
downscaled to the platform's limit), other files (a PDF) as stored. Every kind reads a record's
files through `Outgoing.attachment`, which sync/outgoing.py makes here; the township hub, the
township's own evidence store, gets the stored files themselves (docs/PHOTOS.md says why).

A drain sends one photo to several targets and a robot's message may be tried again, so the
copies made for one (photo, keep_exif, max_bytes) are kept in a small cache bounded by their
size, and a copy one target's thread is making is waited for, not made a second time.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from forms.i18n import tr
from forms.store import NotFound, StoreError
from forms.target_kinds import TargetConfig
from sync.kind import PHOTO_EXIF, PHOTO_EXIF_KEEP, PHOTO_MAX_SIZE, Option, byte_size
from sync.kinds import kind_for

# The copies kept for the next target or try: a handful of phone photos, never a whole run's.
CACHE_BYTES = 32 * 1024**2
_PNG = b"\x89PNG\r\n\x1a\n"


class FileProblem(OSError):
    """A file of the record that cannot go out; its text says why, for a person. An OSError, so
    a caller writing files somewhere (the copy kind's export) reports it as a file it could not
    write, with this reason."""


class FileMissing(FileProblem):
    """The stored file is not on this laptop (any more)."""


@dataclass(frozen=True)
class CopyRule:
    """How one target gets photos: with their EXIF (`keep_exif`) or none, at most `max_bytes`."""

    keep_exif: bool = False
    max_bytes: int | None = None


def copy_rule(config: TargetConfig) -> CopyRule | None:
    """How this target gets photos, from its kind (`photo_max_bytes`) and its options
    (`photo_exif`, `photo_max_size`, for kinds that offer them); None when it gets the stored
    files themselves (a kind that `sends_originals`: the township hub)."""
    kind = kind_for(config.kind)
    if getattr(kind, "sends_originals", False):
        return None
    limits = [getattr(kind, "photo_max_bytes", None), byte_size(_value(kind, config, PHOTO_MAX_SIZE))]
    found = [limit for limit in limits if limit]
    return CopyRule(_value(kind, config, PHOTO_EXIF) == PHOTO_EXIF_KEEP, min(found) if found else None)


def _value(kind: object, config: TargetConfig, option: Option) -> str:
    """The target's value of `option`, trimmed and in lower case; "" when blank or when its kind
    does not offer the option (a WeCom target never keeps EXIF, whatever it holds)."""
    if option.name not in {known.name for known in getattr(kind, "options", ())}:
        return ""
    return str((config.options or {}).get(option.name) or "").strip().lower()


def picture_kind(data: bytes) -> str | None:
    """ "jpeg", "png" or "heic" when the bytes are a photo in a format Yici makes clean copies of;
    None for anything else (a PDF, a video, text)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(_PNG):
        return "png"
    if data[4:8] == b"ftyp":
        from forms.photos.opening import is_heif  # here: Pillow loads only when a photo goes out

        return "heic" if is_heif(data) else None
    return None


def sent_name(name: str, data: bytes) -> str:
    """The name a file goes out under: a photo's copy named for what it is now (IMG_0001.HEIC
    sent as a JPEG is IMG_0001.jpg); any other file keeps its name."""
    kind = picture_kind(data)
    if kind not in ("jpeg", "png"):
        return name
    stem, extension = os.path.splitext(name)
    fitting = (".jpg", ".jpeg") if kind == "jpeg" else (".png",)
    return name if extension.lower() in fitting else (stem or name) + fitting[0]


class Copies:
    """Reads a record's files for each target (one per `Parcels`); safe to share between the
    targets' threads. `made` counts the copies encoded, for the tests."""

    def __init__(self, read: Callable[[str], bytes], budget: int = CACHE_BYTES):
        self._read = read
        self._budget = budget
        self._kept: OrderedDict[tuple[str, bool, int | None], bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._making: dict[tuple[str, bool, int | None], threading.Lock] = {}
        self.made = 0

    def reader(self, config: TargetConfig) -> Callable[[str], bytes]:
        """`Outgoing.attachment` for one target: sha256 -> bytes as this target gets them. The
        target's rule is worked out at the first file asked for (most records have none)."""
        rules: list[CopyRule | None] = []

        def read(sha: str) -> bytes:
            if not rules:
                rules.append(copy_rule(config))
            return self.read(sha, rules[0])

        return read

    def read(self, sha: str, rule: CopyRule | None) -> bytes:
        """The file `sha` under `rule` (None: as stored). FileProblem when it is missing, not the
        file it was stored as, or a photo no clean copy can be made of."""
        if rule is None:
            return self._read(sha)
        key = (sha, rule.keep_exif, rule.max_bytes)
        with self._lock:
            if (kept := self._kept_copy(key)) is not None:
                return kept
            making = self._making.setdefault(key, threading.Lock())
        with making:  # another target's thread making this very copy: wait for it
            try:
                with self._lock:
                    if (kept := self._kept_copy(key)) is not None:
                        return kept
                data = self._original(sha)
                if picture_kind(data) is None:
                    return data
                copy = self._clean(data, rule)
                self._keep(key, copy)
                return copy
            finally:
                with self._lock:
                    self._making.pop(key, None)

    def _kept_copy(self, key: tuple[str, bool, int | None]) -> bytes | None:
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
        return kept

    def _original(self, sha: str) -> bytes:
        try:
            data = self._read(sha)
        except (OSError, NotFound):
            raise FileMissing(tr("本机找不到这个文件")) from None
        except StoreError:  # the sealed file does not decrypt: changed since it was added
            data = b""
        if hashlib.sha256(data).hexdigest() != str(sha).lower():
            raise FileProblem(tr("文件已损坏（与添加时的校验值不符）"))
        return data

    def _clean(self, data: bytes, rule: CopyRule) -> bytes:
        from forms.photos import PhotoError, clean_copy  # here: Pillow loads only when a photo goes out

        try:
            copy = clean_copy(data, keep_exif=rule.keep_exif, max_bytes=rule.max_bytes)
        except PhotoError as exc:
            raise FileProblem(str(exc)) from None
        with self._lock:
            self.made += 1
        return copy

    def _keep(self, key: tuple[str, bool, int | None], copy: bytes) -> None:
        if len(copy) > self._budget:
            return
        with self._lock:
            if key in self._kept:
                return
            self._kept[key] = copy
            self._size += len(copy)
            while self._size > self._budget:
                _, dropped = self._kept.popitem(last=False)
                self._size -= len(dropped)


__all__ = [
    "CACHE_BYTES",
    "Copies",
    "CopyRule",
    "FileMissing",
    "FileProblem",
    "copy_rule",
    "picture_kind",
    "sent_name",
]
