"""Photos as evidence: what a photo says about itself (when and where it was taken, how the
camera was held), whether it is a picture already used, its thumbnail, and the clean copies that
leave the laptop. Pillow decodes (HEIC through pi-heif); nothing here needs Qt or a network.

    read_facts(source) -> PhotoFacts              facts.py (times: when_taken.py, place: place.py)
    examine_photo(source) -> ExaminedPhoto        attaching.py: facts, SHA-256, hash, thumbnail
    picture_hash(source), hash_distance(a, b), same_picture(a, b), sha256_of(data)
                                                  same_picture.py
    thumbnail(source, max_side) -> JPEG bytes     thumbnails.py
    clean_copy(data, keep_exif, max_bytes) -> bytes, copy_extension(copy)
                                                  clean_copies.py (lossless: stripping.py)
    PhotoError                                    every failure, a message for a person

`source` is the photo's bytes or its file's path. Bounds against hostile files: limits.py;
opening and decoding within them: opening.py; the EXIF read without trusting it: camera_exif.py.
"""

from __future__ import annotations

from forms.photos.attaching import ExaminedPhoto, examine_photo
from forms.photos.clean_copies import clean_copy, copy_extension
from forms.photos.facts import PhotoFacts, read_facts
from forms.photos.opening import PhotoError, PhotoSource
from forms.photos.place import Position
from forms.photos.same_picture import (
    SAME_PICTURE_MAX_DISTANCE,
    hash_distance,
    picture_hash,
    same_picture,
    sha256_of,
)
from forms.photos.thumbnails import THUMBNAIL_SIDE, thumbnail
from forms.photos.when_taken import TakenTime

__all__ = [
    "SAME_PICTURE_MAX_DISTANCE",
    "THUMBNAIL_SIDE",
    "ExaminedPhoto",
    "PhotoError",
    "PhotoFacts",
    "PhotoSource",
    "Position",
    "TakenTime",
    "clean_copy",
    "copy_extension",
    "examine_photo",
    "hash_distance",
    "picture_hash",
    "read_facts",
    "same_picture",
    "sha256_of",
    "thumbnail",
]
