"""What attaching a photo learns about it, from one read of its bytes and one reduced decode:
the facts, the SHA-256, the perceptual hash and the thumbnail."""

from __future__ import annotations

from dataclasses import dataclass

from forms.photos.facts import PhotoFacts, facts_of
from forms.photos.opening import PhotoSource, open_photo, photo_bytes, upright
from forms.photos.same_picture import DECODE_SIDE, picture_hash_of, sha256_of
from forms.photos.thumbnails import THUMBNAIL_SIDE, thumbnail_of


@dataclass(frozen=True)
class ExaminedPhoto:
    """A photo as attaching sees it: `sha256` and `size` of its bytes, its `facts`, its
    `picture_hash` (same_picture) and a JPEG `thumbnail`."""

    sha256: str
    size: int
    facts: PhotoFacts
    picture_hash: str
    thumbnail: bytes


def examine_photo(source: PhotoSource, thumbnail_side: int = THUMBNAIL_SIDE) -> ExaminedPhoto:
    """Everything attaching needs from the photo in `source`; PhotoError when it is not one.

    The hash and the thumbnail share one reduced decode, the same the hash alone would use, so a
    photo's hash does not depend on how it was attached."""
    data = photo_bytes(source)
    image = open_photo(data)
    facts = facts_of(image)  # before `upright` turns it
    picture = upright(image, DECODE_SIDE)
    if thumbnail_side > DECODE_SIDE:  # a larger thumbnail needs a larger decode of its own
        small = thumbnail_of(upright(open_photo(data), thumbnail_side), thumbnail_side)
    else:
        small = thumbnail_of(picture, thumbnail_side)
    return ExaminedPhoto(
        sha256=sha256_of(data),
        size=len(data),
        facts=facts,
        picture_hash=picture_hash_of(picture),
        thumbnail=small,
    )
