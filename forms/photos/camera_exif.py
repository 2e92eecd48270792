"""The EXIF block a camera wrote, read without trusting it: a block too large is not read, a
damaged one reads as empty, and every value is checked before anyone uses it."""

from __future__ import annotations

from typing import Any

from PIL import ExifTags, Image

from forms.photos.limits import DECODE_ERRORS, MAX_EXIF_BYTES

ORIENTATION = ExifTags.Base.Orientation
MAKE = ExifTags.Base.Make
MODEL = ExifTags.Base.Model
# Make and model are a few words; anything longer is not a camera's name.
MAX_TEXT = 64


def camera_exif(image: Image.Image) -> Image.Exif | None:
    """The photo's EXIF (IFD0; sub-IFDs through `sub_ifd`), or None when it has none, it is too
    large to be a camera's (MAX_EXIF_BYTES) or it cannot be parsed."""
    for key in ("exif", "Raw profile type exif"):  # PNG may carry it as hex text
        raw = image.info.get(key)
        if isinstance(raw, (bytes, bytearray, str)) and len(raw) > 2 * MAX_EXIF_BYTES + 64:
            return None
        if isinstance(raw, (bytes, bytearray)) and len(raw) > MAX_EXIF_BYTES:
            return None
    try:
        exif = image.getexif()
    except DECODE_ERRORS:
        return None
    return exif if len(exif) else None


def sub_ifd(exif: Image.Exif | None, ifd: ExifTags.IFD) -> dict[int, Any]:
    """One sub-directory of the EXIF (the Exif IFD with the times, the GPS IFD), {} when absent or
    damaged."""
    if exif is None:
        return {}
    try:
        return dict(exif.get_ifd(ifd))
    except DECODE_ERRORS:
        return {}


def orientation(exif: Image.Exif | None) -> int:
    """How the camera was held, EXIF's 1-8 (1: upright as stored); 1 when absent or not 1-8."""
    value = exif.get(ORIENTATION) if exif is not None else None
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def text(value: Any) -> str | None:
    """An EXIF ASCII value as clean text (NULs and padding dropped), or None when there is none."""
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    value = value.replace("\x00", " ").strip()
    if not value or len(value) > MAX_TEXT or not value.isprintable():
        return None
    return value
