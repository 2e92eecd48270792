"""Thumbnails: a photo's small picture as it stands (EXIF orientation applied), as JPEG bytes,
from a reduced decode, for the editor's photo list and the record's page."""

from __future__ import annotations

import io

from PIL import Image

from forms.photos.opening import PhotoSource, open_photo, photo_bytes, plain_rgb, upright

THUMBNAIL_SIDE = 256
QUALITY = 82


def thumbnail(source: PhotoSource, max_side: int = THUMBNAIL_SIDE) -> bytes:
    """A JPEG of the photo in `source`, upright, its longer side at most `max_side` pixels."""
    return thumbnail_of(upright(open_photo(photo_bytes(source)), max_side), max_side)


def thumbnail_of(picture: Image.Image, max_side: int = THUMBNAIL_SIDE) -> bytes:
    """A JPEG of decoded, upright pixels, its longer side at most `max_side` pixels."""
    if max_side < 1:
        raise ValueError(f"max_side must be at least 1, not {max_side}")
    width, height = picture.size
    scale = min(1.0, max_side / max(width, height))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = plain_rgb(picture)
    if small.size != size:
        small = small.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    small.save(out, "JPEG", quality=QUALITY)
    return out.getvalue()
