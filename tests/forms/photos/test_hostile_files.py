"""Files that are not photos, are damaged or are made to hurt (decompression bombs, a huge EXIF,
a file too large) are refused with a message a person reads, after bounded work, by every
function of forms/photos; never a traceback."""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from PIL import Image

from forms.photos import (
    PhotoError,
    clean_copy,
    examine_photo,
    picture_hash,
    read_facts,
    thumbnail,
)
from forms.photos.limits import MAX_EXIF_BYTES, MAX_FILE_BYTES, MAX_PIXELS
from tests.forms.photos.making import camera_exif, heic, jpeg, png, red_top

EVERY_USE = {
    "read_facts": read_facts,
    "examine_photo": examine_photo,
    "picture_hash": picture_hash,
    "thumbnail": thumbnail,
    "clean_copy": clean_copy,
}
DECODING = {name: use for name, use in EVERY_USE.items() if name != "read_facts"}  # facts need no pixels


def _saved(format: str, **options) -> bytes:
    out = io.BytesIO()
    red_top().save(out, format, **options)
    return out.getvalue()


NOT_PHOTOS = {
    "empty": b"",
    "text": "会议记录：出席 7 人".encode(),
    "pdf": b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF",
    "html named .jpg": b"<html><script>alert(1)</script></html>",
    "random bytes": bytes(range(256)) * 40,
    "GIF": _saved("GIF"),
    "BMP": _saved("BMP"),
    "TIFF with EXIF": _saved("TIFF", exif=camera_exif()),
    "WebP": _saved("WEBP"),
    "AVIF (a HEIF file pi-heif cannot decode)": _saved("AVIF"),
}


@pytest.mark.parametrize("use", EVERY_USE)
@pytest.mark.parametrize("what", NOT_PHOTOS)
def test_what_is_not_a_photo_is_refused_in_words(use, what):
    with pytest.raises(PhotoError, match="不是照片") as refused:
        EVERY_USE[use](NOT_PHOTOS[what])
    assert "可以用 JPEG、PNG、HEIC" in str(refused.value)


def cut(data: bytes) -> bytes:
    return data[: len(data) // 2]


@pytest.mark.parametrize("use", DECODING)
@pytest.mark.parametrize(
    "damaged",
    [
        pytest.param(lambda: cut(jpeg(red_top((800, 600)))), id="JPEG cut in half"),
        pytest.param(
            lambda: cut(jpeg(red_top((800, 600)), camera_exif(orientation=6), orientation=6)), id="turned"
        ),
        pytest.param(lambda: cut(png(red_top((800, 600)))), id="PNG cut in half"),
        pytest.param(lambda: cut(heic(red_top((800, 600)))), id="HEIC cut in half"),
    ],
)
def test_a_damaged_photo_is_refused_in_words(use, damaged):
    with pytest.raises(PhotoError, match="照片已损坏"):
        DECODING[use](damaged())


def _png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims `width` × `height` pixels: a decompression bomb's shape."""
    data = png(red_top((40, 30)))
    header = struct.pack(">II", width, height) + data[24:29]
    chunk = b"IHDR" + header
    return data[:8] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + data[33:]


def _jpeg_claiming(width: int, height: int) -> bytes:
    data = jpeg(red_top((40, 30)))
    at = data.index(b"\xff\xc0") + 5  # SOF0: length, precision, then height and width
    return data[:at] + struct.pack(">HH", height, width) + data[at + 4 :]


@pytest.mark.parametrize("use", EVERY_USE)
@pytest.mark.parametrize(
    "bomb",
    [
        pytest.param(lambda: _png_claiming(30000, 30000), id="PNG of 900 MP"),
        pytest.param(lambda: _jpeg_claiming(65000, 65000), id="JPEG of 4200 MP"),
        pytest.param(lambda: _png_claiming(12000, 11000), id="PNG just over the limit"),
    ],
)
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_decompression_bomb_is_refused_before_decoding(use, bomb):
    data = bomb()
    assert len(data) < 5000
    started = time.process_time()
    with pytest.raises(PhotoError, match="像素太多"):
        EVERY_USE[use](data)
    assert time.process_time() - started < 1  # refused on its header; decoding would take minutes


def test_the_pixel_limit_lets_a_108_megapixel_phone_through():
    assert 12000 * 9000 <= MAX_PIXELS < 200_000_000
    assert read_facts(_jpeg_claiming(12000, 9000)).width == 12000


def test_a_huge_exif_is_not_read_and_the_photo_still_attaches():
    exif = camera_exif(gps={1: "N", 2: (30.0, 0.0, 0.0), 3: "E", 4: (120.0, 0.0, 0.0)})
    exif.get_ifd(0x8769)[0x9286] = b"ASCII\x00\x00\x00" + b"x" * (MAX_EXIF_BYTES + 1000)  # UserComment
    data = png(red_top(), exif=exif.tobytes())
    assert b"2026:09:10" in data
    facts = read_facts(data)
    assert facts.taken is None and facts.position is None and facts.make is None
    assert examine_photo(data).thumbnail[:2] == b"\xff\xd8"
    assert b"2026:09:10" not in clean_copy(data)


def test_a_file_too_large_is_refused_without_being_read(tmp_path):
    path = tmp_path / "huge.jpg"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written to disk
    with pytest.raises(PhotoError, match="太大"):
        read_facts(path)
    with pytest.raises(PhotoError, match="太大"):
        read_facts(b"\xff\xd8" + bytes(MAX_FILE_BYTES))


def test_a_missing_file_or_a_folder_is_named(tmp_path):
    with pytest.raises(PhotoError, match="找不到照片文件 .*nowhere.jpg"):
        read_facts(tmp_path / "nowhere.jpg")
    with pytest.raises(PhotoError, match="读不了照片文件"):
        thumbnail(tmp_path)


def test_photo_error_is_a_value_error_with_only_the_message():
    with pytest.raises(ValueError) as refused:
        read_facts(b"not a photo")
    assert isinstance(refused.value, PhotoError)
    assert refused.value.__cause__ is None and refused.value.__suppress_context__
    assert Image.MAX_IMAGE_PIXELS == MAX_PIXELS
