"""What a photo may be before Yici reads it (bytes, pixels, EXIF, formats) and what a damaged or
hostile file makes the decoders raise: the bounds every module of forms/photos/ works within."""

from __future__ import annotations

import struct
import zlib

from PIL import Image

# A 108-megapixel phone JPEG is about 30 MB and a 48-megapixel HEIC about 15 MB.
MAX_FILE_BYTES = 80 * 2**20
# 108 MP phones (12000×9000) pass; the 200 MP modes do not. JPEGs are decoded reduced (draft), so
# only a clean copy of a large non-JPEG ever holds the whole picture in memory (~390 MB at most).
MAX_PIXELS = 130_000_000
# Pillow's own guard, set to ours: it warns above this and refuses above twice as much, before
# opening.py has seen the size. Its default (89 MP) would warn about every 108 MP phone photo.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Phones write 10-60 KB of EXIF (JPEG cannot hold more than 64 KB in one segment); a larger block
# is not a camera's, and nothing is read from it.
MAX_EXIF_BYTES = 256 * 1024
# The formats opened: what phones write (a JPEG carrying a second picture opens as "MPO") and PNG
# for screenshots. WebP, AVIF and the rest are left out of the bundle (build.spec).
FORMATS = ("JPEG", "PNG", "HEIF")

# What a damaged or hostile stream makes Pillow, its EXIF reader and the decoders raise.
DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
    OverflowError,
    struct.error,
    zlib.error,
    Image.DecompressionBombError,
)
