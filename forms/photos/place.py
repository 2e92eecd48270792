"""Where a photo was taken, from the GPS directory of its EXIF: signed decimal degrees from the
three rationals and the N/S, E/W letters. Anything missing or impossible reads as no place, so a
wrong position is never shown as a real one."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

from PIL import ExifTags, Image

from forms.photos.camera_exif import sub_ifd, text

_LATITUDE_REF, _LATITUDE, _LONGITUDE_REF, _LONGITUDE, _STATUS = 1, 2, 3, 4, 9
# About a centimetre: more digits say nothing a phone's GPS knows.
DIGITS = 7


@dataclass(frozen=True)
class Position:
    """A place on Earth in decimal degrees: north and east positive."""

    latitude: float
    longitude: float


def gps_position(exif: Image.Exif | None) -> Position | None:
    """The photo's GPS position, or None when it has none or what it has cannot be a place."""
    gps = sub_ifd(exif, ExifTags.IFD.GPSInfo)
    if not gps or text(gps.get(_STATUS)) == "V":  # V: the receiver had no fix ("void")
        return None
    latitude = _signed(gps.get(_LATITUDE), gps.get(_LATITUDE_REF), "N", "S", 90)
    longitude = _signed(gps.get(_LONGITUDE), gps.get(_LONGITUDE_REF), "E", "W", 180)
    if latitude is None or longitude is None or latitude == longitude == 0:
        return None  # 0, 0 is what a phone without a fix writes, not a place in the sea
    return Position(latitude, longitude)


def _signed(value: Any, ref: Any, plus: str, minus: str, limit: float) -> float | None:
    letter = (text(ref) or "").upper()
    if letter not in (plus, minus):
        return None  # without its letter a position could be on either side: not a place
    degrees = _degrees(value)
    if degrees is None or degrees > limit:
        return None
    return round(-degrees if letter == minus else degrees, DIGITS)


def _degrees(value: Any) -> float | None:
    """Degrees, minutes, seconds (each a rational; fewer parts are allowed) as decimal degrees."""
    if isinstance(value, numbers.Real):  # one value, decimal degrees, as some programs write it
        value = (value,)
    if not isinstance(value, tuple) or not 1 <= len(value) <= 3:
        return None
    try:
        parts = [float(part) for part in value]
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    # 60 itself is allowed: cameras round 59.9999 seconds up.
    if not all(math.isfinite(p) and p >= 0 for p in parts) or any(p > 60 for p in parts[1:]):
        return None
    return sum(part / 60**i for i, part in enumerate(parts))
