"""Copies of a photo that leave the laptop: no EXIF (GPS, time, camera serial, maker notes), no
XMP, no hidden second pictures, upright however the camera was held, in a format every platform
takes (JPEG or PNG), and under a platform's size limit when it has one. The original's bytes are
never changed: a copy is always new bytes.

Re-encoded only when needed: a JPEG or PNG standing upright loses its metadata losslessly
(stripping.py); one the camera held sideways, a HEIC (platforms take only JPEG and PNG) or a copy
too large is decoded and encoded again. Every copy is read back before it is handed out.
"""

from __future__ import annotations

import io
import math
from functools import partial

from PIL import Image

from forms.i18n import tr
from forms.photos.camera_exif import ORIENTATION, camera_exif, orientation
from forms.photos.opening import PhotoError, decoding, open_photo, plain_rgb, upright
from forms.photos.stripping import stripped

QUALITY = 90  # a re-encoded copy of a whole photo: no visible loss
SHRINK_QUALITIES = (85, 80, 75, 70)  # then smaller, each a little rougher, before giving up
SHRINK_TRIES = 12
SMALLEST_SIDE = 64  # a copy smaller than this is not a photo any more
_KEEPS_FORMAT = ("JPEG", "MPO", "PNG")


def clean_copy(data: bytes, keep_exif: bool = False, max_bytes: int | None = None) -> bytes:
    """A copy of the photo in `data` for a platform: without metadata (EXIF kept when `keep_exif`,
    for a platform that asks for the time and place), upright, JPEG or PNG, at most `max_bytes`
    (downscaled and recompressed until it fits). PhotoError when `data` is not a photo or cannot
    be made small enough."""
    data = bytes(data)
    image = open_photo(data)
    turned = 1 if image.format == "HEIF" else orientation(camera_exif(image))
    copy = stripped(data, keep_exif) if image.format in _KEEPS_FORMAT and turned == 1 else None
    if copy is None or (max_bytes is not None and len(copy) > max_bytes):
        if max_bytes is None:
            copy = _encoded(upright(image), keep_exif, png=image.format == "PNG")
        else:  # its first try is the whole picture when the photo is small enough
            copy = _shrunk(data, keep_exif, max_bytes)
    _check(copy, keep_exif)
    return copy


def copy_extension(copy: bytes) -> str:
    """The file extension of a clean copy: ".jpg" or ".png"."""
    return ".png" if copy.startswith(b"\x89PNG") else ".jpg"


def _encoded(picture: Image.Image, keep_exif: bool, *, png: bool = False, quality: int = QUALITY) -> bytes:
    """Upright pixels as PNG (a PNG source, lossless) or JPEG: the colour profile kept, the EXIF
    only when asked (its orientation dropped: the pixels stand upright now), nothing else."""
    info, picture.info = picture.info, {}  # Pillow would write some of it (a JPEG's comment) unasked
    options: dict = {}
    if info.get("icc_profile"):
        options["icc_profile"] = info["icc_profile"]  # colours as the camera meant (Display P3)
    if keep_exif:
        exif = camera_exif(_carrying(info))
        if exif is not None:
            exif.pop(ORIENTATION, None)
            options["exif"] = exif.tobytes()
    out = io.BytesIO()
    if png:
        decoding(partial(picture.save, out, "PNG", **options))
    else:
        decoding(partial(plain_rgb(picture).save, out, "JPEG", quality=quality, **options))
    return out.getvalue()


def _carrying(info: dict) -> Image.Image:
    """A 1-pixel image holding `info`, for camera_exif to read the EXIF in it within its limits."""
    holder = Image.new("L", (1, 1))
    holder.info = dict(info)
    return holder


def _shrunk(data: bytes, keep_exif: bool, max_bytes: int) -> bytes:
    """A JPEG of the photo at most `max_bytes`. Bytes follow the pixel count, so each try scales
    the long side by the square root of how far the last one missed; the quality drops a step
    with each try too large, and a first fit far below the limit is enlarged once."""
    image = open_photo(data)
    info = dict(image.info)
    whole = max(image.size)
    factor = min(1.0, math.sqrt(max_bytes / len(data)) * 0.95)
    target = whole * factor  # the long side of the first try
    picture = upright(image, max(1, math.ceil(min(image.size) * factor)))  # a reduced decode will do
    fitting, misses = None, 0
    for _ in range(SHRINK_TRIES):
        width, height = picture.size
        scale = min(1.0, target / max(width, height))
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        if min(size) < SMALLEST_SIDE:
            break
        if size == picture.size:
            smaller = picture
        else:
            smaller = decoding(partial(picture.resize, size, Image.Resampling.LANCZOS))
        smaller.info = dict(info)
        copy = _encoded(smaller, keep_exif, quality=SHRINK_QUALITIES[min(misses, len(SHRINK_QUALITIES) - 1)])
        missed_by = math.sqrt(max_bytes / len(copy)) * 0.95
        if len(copy) > max_bytes:
            if fitting is not None:
                return fitting  # the enlarged try was too large: the one before fits
            misses += 1
            target = max(size) * min(0.9, missed_by)
        elif fitting is not None or len(copy) > max_bytes * 0.7 or max(size) >= whole:
            return copy
        else:
            # Halfway (in scale) to where the estimate points: downscaling also smooths away detail,
            # so a larger copy costs more bytes per pixel than this one did.
            fitting, target = copy, min(whole, max(size) * math.sqrt(missed_by))
    if fitting is not None:
        return fitting
    raise PhotoError(
        tr("这张照片无法缩小到 {size} 以内，平台收不下。请换一张照片。").format(size=_readable(max_bytes))
    )


def _check(copy: bytes, keep_exif: bool) -> None:
    """Read the copy back: a JPEG or PNG, and with no metadata left unless EXIF was kept."""
    image = open_photo(copy)
    left = image.format not in _KEEPS_FORMAT
    if not keep_exif:
        left = left or camera_exif(image) is not None
    left = left or any(key in image.info for key in ("xmp", "XML:com.adobe.xmp", "comment"))
    if left:
        raise PhotoError(tr("照片副本没能去掉拍摄信息，所以没有发出。请把这张照片另存一份再试。"))


def _readable(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{max(1, size // 1024)} KB"
