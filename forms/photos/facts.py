"""What a photo says about itself, read from its header and EXIF without decoding a pixel: when
and where it was taken, how the camera was held, its size as it stands, which camera."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PIL import Image

from forms.photos.camera_exif import MAKE, MODEL, camera_exif, orientation, text
from forms.photos.opening import PhotoSource, open_photo, photo_bytes
from forms.photos.place import Position, gps_position
from forms.photos.when_taken import TakenTime, time_taken

# Orientations 5-8 turn the picture a quarter: width and height swap.
_QUARTER_TURNS = (5, 6, 7, 8)


@dataclass(frozen=True)
class PhotoFacts:
    """A photo's facts. `width` × `height` are as the picture stands upright; `orientation` is how
    the camera was held (EXIF 1-8, 1 when it did not say); `format` is JPEG, PNG or HEIF."""

    format: str
    width: int
    height: int
    orientation: int
    taken: TakenTime | None
    position: Position | None
    make: str | None
    model: str | None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON values: `taken_at` is the local time with its offset when known ("…+08:00"),
        `taken_offset` the offset alone (None when the camera wrote none), `taken_from` which EXIF
        time it is; `latitude`/`longitude` None when the photo has no place."""
        taken, place = self.taken, self.position
        return {
            "format": self.format,
            "width": self.width,
            "height": self.height,
            "orientation": self.orientation,
            "taken_at": taken.text() if taken else None,
            "taken_offset": taken.offset if taken else None,
            "taken_from": taken.source if taken else None,
            "latitude": place.latitude if place else None,
            "longitude": place.longitude if place else None,
            "make": self.make,
            "model": self.model,
        }


def read_facts(source: PhotoSource) -> PhotoFacts:
    """The facts of the photo in `source` (bytes or a path); PhotoError when it is not one."""
    return facts_of(open_photo(photo_bytes(source)))


def facts_of(image: Image.Image) -> PhotoFacts:
    """The facts of an opened photo (opening.open_photo), read before `upright` turns it."""
    exif = camera_exif(image)
    width, height = image.size
    if image.format == "HEIF":
        # libheif hands the picture over upright and sets EXIF's orientation to 1; pi-heif keeps
        # what the camera wrote.
        held = image.info.get("original_orientation")
        turned = held if isinstance(held, int) and 1 <= held <= 8 else 1
    else:
        turned = orientation(exif)
        if turned in _QUARTER_TURNS:
            width, height = height, width
    return PhotoFacts(
        format="JPEG" if image.format == "MPO" else str(image.format),
        width=width,
        height=height,
        orientation=turned,
        taken=time_taken(exif),
        position=gps_position(exif),
        make=text(exif.get(MAKE)) if exif is not None else None,
        model=text(exif.get(MODEL)) if exif is not None else None,
    )
