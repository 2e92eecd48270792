"""Whether two photos are the same picture: the same bytes (SHA-256, as the store names files),
or the same picture resized or recompressed (a perceptual hash), but not another shot of the same
scene.

The hash is a DCT hash (pHash) widened to 256 bits: the picture as it stands, in grey, squeezed
to 64×64; its 16×16 lowest spatial frequencies; one bit per frequency, set when it is above their
median. Resizing and recompressing hardly move the lowest frequencies; moving the camera does.
Measured on photos made for the tests (docs/PHOTOS.md, "The same picture"): a copy resized,
recompressed, converted or turned by EXIF is 0-4 bits away; a second shot with the camera moved
1 % to the side at least 16; an unrelated photo 110-142. 64 bits (8×8) could not tell a resized
copy (0-2) from a shot 2 % to the side (6-8). The pixels come from a reduced decode (JPEG draft:
1/8 of a phone photo), so hashing costs little more than opening the file.
"""

from __future__ import annotations

import hashlib
import math
import operator

from PIL import Image

from forms.photos.opening import PhotoSource, open_photo, photo_bytes, plain_rgb, upright

GREY_SIDE = 64
FREQUENCIES = 16
HASH_BITS = FREQUENCIES * FREQUENCIES
# The reduced decode the hash is taken from: at least this many pixels on each side.
DECODE_SIDE = 256
# At most this many bits apart: the same picture (docs/PHOTOS.md, "The same picture").
SAME_PICTURE_MAX_DISTANCE = 10  # halfway between 4 and 16

# _COSINES[u][x]: the DCT-II basis, frequency u at pixel x.
_COSINES = [
    [math.cos(math.pi * (2 * x + 1) * u / (2 * GREY_SIDE)) for x in range(GREY_SIDE)]
    for u in range(FREQUENCIES)
]


def sha256_of(data: bytes) -> str:
    """The SHA-256 of the bytes, in hex: the name the store keeps the file under."""
    return hashlib.sha256(data).hexdigest()


def picture_hash(source: PhotoSource) -> str:
    """The perceptual hash of the photo in `source`: HASH_BITS bits as hex."""
    return picture_hash_of(upright(open_photo(photo_bytes(source)), DECODE_SIDE))


def picture_hash_of(picture: Image.Image) -> str:
    """The perceptual hash of decoded, upright pixels (opening.upright with DECODE_SIDE)."""
    grey = plain_rgb(picture).convert("L").resize((GREY_SIDE, GREY_SIDE), Image.Resampling.LANCZOS)
    pixels = grey.tobytes()
    rows = [pixels[y * GREY_SIDE : (y + 1) * GREY_SIDE] for y in range(GREY_SIDE)]
    # The 2-D DCT in two passes (rows, then columns), keeping only the low frequencies.
    along_rows = [[sum(map(operator.mul, cosines, row)) for cosines in _COSINES] for row in rows]
    columns = list(zip(*along_rows, strict=True))
    coefficients = [
        sum(map(operator.mul, _COSINES[v], column)) for v in range(FREQUENCIES) for column in columns
    ]
    # The median of all but the mean brightness (0, 0), which says nothing about the picture.
    rest = sorted(coefficients[1:])
    median = rest[len(rest) // 2]
    bits = 0
    for value in coefficients:
        bits = (bits << 1) | (value > median)
    return f"{bits:0{HASH_BITS // 4}x}"


def hash_distance(first: str, second: str) -> int:
    """How many bits two perceptual hashes differ in (0: the same picture as far as it can tell)."""
    return (int(first, 16) ^ int(second, 16)).bit_count()


def same_picture(first: str, second: str) -> bool:
    """Whether two perceptual hashes are of the same picture (resized or recompressed)."""
    return hash_distance(first, second) <= SAME_PICTURE_MAX_DISTANCE
