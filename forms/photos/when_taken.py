"""When a photo was taken, as its camera wrote it: the wall-clock time where it was taken and,
when the camera wrote one, its UTC offset. An offset is never guessed, and a time that cannot be
a real one (blank, zeros, a clock never set) counts as no time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from PIL import ExifTags, Image

from forms.photos.camera_exif import sub_ifd, text

# Which EXIF time, in the order trusted: when the shutter fired, when the picture was stored, when
# the file was last changed (an editing program rewrites that one).
ORIGINAL, DIGITIZED, CHANGED = "original", "digitized", "changed"
_TIMES = (
    (ORIGINAL, ExifTags.Base.DateTimeOriginal, ExifTags.Base.OffsetTimeOriginal),
    (DIGITIZED, ExifTags.Base.DateTimeDigitized, ExifTags.Base.OffsetTimeDigitized),
    (CHANGED, ExifTags.Base.DateTime, ExifTags.Base.OffsetTime),
)
_STAMP = re.compile(r"(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_OFFSET = re.compile(r"([+-])(\d{2}):(\d{2})")
# A phone whose clock was never set (after a flat battery) writes 1970 or 1980.
EARLIEST_YEAR = 1990


@dataclass(frozen=True)
class TakenTime:
    """When a photo was taken: `local` the wall-clock time there ("2026-09-10T14:05:33"),
    `offset` its UTC offset ("+08:00") when the camera wrote one, `source` which EXIF time."""

    local: str
    offset: str | None
    source: str

    def text(self) -> str:
        """ISO 8601: the local time, with its offset when known."""
        return self.local + (self.offset or "")

    def moment(self) -> datetime:
        """As a datetime: aware when the offset is known, naive (local wall time) when not."""
        return datetime.fromisoformat(self.text())


def time_taken(exif: Image.Exif | None) -> TakenTime | None:
    """The first real time among DateTimeOriginal, DateTimeDigitized and DateTime, each with its
    own offset tag; None when the photo has none."""
    if exif is None:
        return None
    details = sub_ifd(exif, ExifTags.IFD.Exif)
    for source, time_tag, offset_tag in _TIMES:
        value = details.get(time_tag) if source != CHANGED else exif.get(time_tag)
        local = _local_time(value)
        if local is not None:
            return TakenTime(local, _offset(details.get(offset_tag)), source)
    return None


def _local_time(value: object) -> str | None:
    match = _STAMP.fullmatch(text(value) or "")
    if match is None:
        return None
    try:
        year, month, day, hour, minute, second = map(int, match.groups())
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:  # month 13, day 0, hour 24, ...
        return None
    return moment.isoformat() if moment.year >= EARLIEST_YEAR else None


def _offset(value: object) -> str | None:
    match = _OFFSET.fullmatch(text(value) or "")
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    if int(hours) > 14 or int(minutes) > 59:  # UTC-12:00 .. UTC+14:00 are the clocks on Earth
        return None
    return "+00:00" if hours == minutes == "00" else f"{sign}{hours}:{minutes}"
