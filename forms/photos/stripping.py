"""Taking the metadata out of a JPEG or PNG without touching its pixels: the bytes are copied
segment by segment (chunk by chunk), leaving out EXIF (GPS, camera serial, maker notes), XMP,
IPTC, comments, the second pictures phones hide in MPF segments and whatever follows the end of
the picture (motion-photo videos, depth maps). Colour profiles and what decoding needs stay.

None means "cannot be done losslessly here": the caller decodes and encodes instead."""

from __future__ import annotations

import re
import struct

_SOI, _EOI, _SOS = 0xD8, 0xD9, 0xDA
# APPn segments kept, by their first bytes: JFIF (pixel density), the ICC colour profile, Adobe's
# colour transform (needed to decode CMYK/YCCK right). EXIF only when asked for.
_KEPT_APP = {0xE0: (b"JFIF\x00",), 0xE2: (b"ICC_PROFILE\x00",), 0xEE: (b"Adobe",)}
_EXIF = (0xE1, b"Exif\x00\x00")
# In entropy-coded data a 0xFF is followed by 0x00 (a stuffed byte) or a restart marker; any
# other byte after it starts the next segment.
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7]")

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Chunks kept: the picture (IHDR, PLTE, IDAT, IEND) and how to show it (transparency, gamma,
# colours, colour profile, pixel density, significant bits). Text, EXIF, time and private chunks go.
_PNG_KEPT = {b"IHDR", b"PLTE", b"IDAT", b"IEND"} | {
    b"tRNS",
    b"gAMA",
    b"cHRM",
    b"sRGB",
    b"iCCP",
    b"cICP",
    b"pHYs",
    b"sBIT",
}
_PNG_EXIF = b"eXIf"


def stripped(data: bytes, keep_exif: bool = False) -> bytes | None:
    """`data` (a JPEG or PNG) without its metadata, EXIF kept when `keep_exif`; None when it is
    neither or its structure is not one this copier follows."""
    if data[:2] == b"\xff\xd8":
        return _jpeg(data, keep_exif)
    if data[:8] == _PNG_SIGNATURE:
        return _png(data, keep_exif)
    return None


def _jpeg(data: bytes, keep_exif: bool) -> bytes | None:
    out = [data[:2]]
    pos, end = 2, len(data)
    while pos < end:
        if data[pos] != 0xFF:
            return None
        while pos + 1 < end and data[pos + 1] == 0xFF:  # fill bytes before a marker
            pos += 1
        if pos + 1 >= end:
            return None
        marker = data[pos + 1]
        if marker == _EOI:
            out.append(b"\xff\xd9")
            return b"".join(out)  # what follows the picture stays behind
        if marker == 0x01 or 0xD0 <= marker <= 0xD7 or marker == _SOI:
            return None  # not where a well-formed file has them
        if pos + 4 > end:
            return None
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        segment_end = pos + 2 + length
        if length < 2 or segment_end > end:
            return None
        body = data[pos + 4 : segment_end]
        if marker == _SOS:
            found = _NEXT_MARKER.search(data, segment_end)
            if found is None:
                return None  # no end of image: a damaged file
            out.append(data[pos : found.start()])
            pos = found.start()
            continue
        if _kept_jpeg_segment(marker, body, keep_exif):
            out.append(data[pos:segment_end])
        pos = segment_end
    return None


def _kept_jpeg_segment(marker: int, body: bytes, keep_exif: bool) -> bool:
    if marker == 0xFE:  # a comment
        return False
    if not 0xE0 <= marker <= 0xEF:
        return True  # tables, frame, restart interval: the picture itself
    if keep_exif and marker == _EXIF[0] and body.startswith(_EXIF[1]):
        return True
    return any(body.startswith(prefix) for prefix in _KEPT_APP.get(marker, ()))


def _png(data: bytes, keep_exif: bool) -> bytes | None:
    out = [data[:8]]
    pos, end = 8, len(data)
    while pos + 12 <= end:
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk_end = pos + 12 + length
        if chunk_end > end:
            return None
        if kind in _PNG_KEPT or (keep_exif and kind == _PNG_EXIF):
            out.append(data[pos:chunk_end])
        if kind == b"IEND":
            return b"".join(out)
        if kind == b"acTL":
            return None  # an animated PNG: its frames are in chunks this copier does not keep
        pos = chunk_end
    return None
