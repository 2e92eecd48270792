"""Opening a photo safely: its bytes read within a size limit, only the formats phones write, the
pixel count checked before anything is decoded, and every failure a `PhotoError` a person reads.

Pillow decodes; HEIC/HEIF (iPhones) through pi-heif's opener, registered the first time a file
looks like one, so JPEG work never loads libheif. A hostile file gets no further than this:
too many bytes, too many pixels (decompression bombs), a format outside `FORMATS` or a damaged
stream each stop with a message, never a traceback.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PIL import Image, ImageOps, UnidentifiedImageError

from forms.i18n import tr
from forms.photos.camera_exif import camera_exif, orientation
from forms.photos.limits import DECODE_ERRORS, FORMATS, MAX_FILE_BYTES, MAX_PIXELS

# What may be passed: the bytes themselves, or a file's path.
PhotoSource = bytes | bytearray | memoryview | str | os.PathLike

# HEVC-coded HEIF (what iPhones write); "mif1"/"msf1" alone say only "some HEIF", and AVIF files
# (AV1, which pi-heif cannot decode) carry them too.
HEVC_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx")

T = TypeVar("T")


class PhotoError(ValueError):
    """A file that cannot be used as a photo; the text says why and what to do, for a person."""


def photo_bytes(source: PhotoSource) -> bytes:
    """The photo's bytes: `source` itself, or the file it names (refused above MAX_FILE_BYTES)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        path = Path(source)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise _too_large()
            with path.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)  # a file still growing stops here too
        except FileNotFoundError:
            raise PhotoError(tr("找不到照片文件 {path}。").format(path=path)) from None
        except OSError as exc:
            raise PhotoError(
                tr("读不了照片文件 {path}：{reason}").format(path=path, reason=exc.strerror or exc)
            ) from None
    if len(data) > MAX_FILE_BYTES:
        raise _too_large()
    return data


def is_heif(data: bytes) -> bool:
    """Whether the bytes look like HEIC (an ISO box `ftyp` naming an HEVC brand, or a plain HEIF
    one that is not AVIF)."""
    if data[4:8] != b"ftyp":
        return False
    brands = data[8:64]
    if any(brand in brands for brand in HEVC_BRANDS):
        return True
    return data[8:12] in (b"mif1", b"msf1") and b"avif" not in brands


_heif_ready = False


def _allow_heif() -> None:
    global _heif_ready
    if not _heif_ready:
        import pi_heif  # here: libheif is loaded only for a HEIC photo

        pi_heif.register_heif_opener()
        _heif_ready = True


def open_photo(data: bytes) -> Image.Image:
    """The photo in `data`, opened but not decoded (Pillow reads the header only).

    Raises PhotoError for what is not a photo in FORMATS, and for too many pixels."""
    heif = is_heif(data)
    if heif:
        _allow_heif()
    try:
        image = Image.open(io.BytesIO(data), formats=[f for f in FORMATS if (f == "HEIF") == heif])
    except UnidentifiedImageError:
        raise PhotoError(tr("这个文件不是照片，或者是读不了的格式（可以用 JPEG、PNG、HEIC）。")) from None
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except DECODE_ERRORS:
        raise damaged() from None
    width, height = image.size
    if width < 1 or height < 1:
        raise damaged()
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(width, height)
    return image


def decoding(work: Callable[[], T]) -> T:
    """`work()` that decodes pixels, with a damaged stream turned into a PhotoError."""
    try:
        return work()
    except PhotoError:
        raise
    except MemoryError:
        raise _too_many_pixels() from None
    except DECODE_ERRORS:
        raise damaged() from None


def upright(image: Image.Image, side: int | None = None) -> Image.Image:
    """The pixels as the picture stands (EXIF orientation applied), decoded at a reduced size of
    at least `side` pixels on each edge where the format allows (JPEG draft: 1/2 to 1/8 scale).

    HEIC comes upright from libheif already, its EXIF orientation set to 1."""

    def work() -> Image.Image:
        if side is not None and image.format in ("JPEG", "MPO"):
            image.draft("RGB", (side, side))
        image.load()
        if orientation(camera_exif(image)) != 1:
            ImageOps.exif_transpose(image, in_place=True)
        return image

    return decoding(work)


def plain_rgb(image: Image.Image) -> Image.Image:
    """The picture as plain RGB or grey pixels: transparency laid on white (as a platform shows
    it), palettes, CMYK and 16-bit grey made plain. `image` itself when it already is."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode.startswith("I"):  # 16-bit grey PNG: 0-65535 down to 0-255, not cut at 255
        return image.convert("I").point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def damaged() -> PhotoError:
    """The message for a photo whose data stops short or makes no sense."""
    return PhotoError(tr("照片已损坏，读不完整。请从手机或存储卡重新拷贝这张照片。"))


def _too_large() -> PhotoError:
    return PhotoError(
        tr("照片文件太大（超过 {limit} MB），不像手机拍的照片。").format(limit=MAX_FILE_BYTES // 2**20)
    )


def _too_many_pixels(width: int = 0, height: int = 0) -> PhotoError:
    megapixels = MAX_PIXELS // 1_000_000
    if width:
        text = tr("照片像素太多（{width}×{height}），超过上限 {megapixels} MP。请先缩小照片再添加。")
        return PhotoError(text.format(width=width, height=height, megapixels=megapixels))
    text = tr("照片像素太多，超过上限 {megapixels} MP。请先缩小照片再添加。")
    return PhotoError(text.format(megapixels=megapixels))
