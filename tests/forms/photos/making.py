"""Photos made for the tests, as a phone would write them: a scene (sky, ground, houses, people
as shapes, with sensor noise so the files are as large as a phone's), a shot of it framed where
the camera points, and EXIF written with Pillow (times with offsets, GPS, orientation, camera);
HEIC written with pillow-heif, which encodes (Yici's pi-heif only decodes)."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from PIL import ExifTags, Image, ImageDraw

# Stored pixels for each EXIF orientation, from the upright picture: what a camera held that way
# writes (Pillow's exif_transpose undoes it).
STORED = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}
RED = (220, 20, 30)
BLUE = (20, 40, 220)


@dataclass(frozen=True)
class Thing:
    """One shape in a scene: a house (rectangle) or a person or tree (ellipse)."""

    house: bool
    box: tuple[int, int, int, int]
    colour: tuple[int, int, int]


def things(seed: int, width: int, height: int, count: int = 40) -> list[Thing]:
    """The shapes of scene `seed`, in the lower two thirds, sized for a `width` × `height` scene."""
    rnd = random.Random(seed)
    unit = width / 4800
    found = []
    for _ in range(count):
        x, y = rnd.randrange(width), rnd.randrange(height // 3, height)
        w, h = int(rnd.randrange(150, 900) * unit), int(rnd.randrange(150, 900) * unit)
        found.append(
            Thing(rnd.random() < 0.5, (x, y, x + w, y + h), tuple(rnd.randrange(256) for _ in range(3)))
        )
    return found


def scene(
    seed: int,
    size: tuple[int, int] = (1200, 900),
    moved: dict[int, tuple[int, int]] | None = None,
    noise: float = 0.12,
) -> Image.Image:
    """A place to photograph: sky to ground, the shapes of `things(seed)` (those in `moved` moved
    by (dx, dy)), sensor noise blended in at `noise`."""
    width, height = size
    picture = Image.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    for y in range(0, height, 4):
        t = y / height
        draw.rectangle([0, y, width, y + 4], fill=(int(120 + 100 * t), int(160 - 60 * t), int(220 - 150 * t)))
    for i, thing in enumerate(things(seed, width, height)):
        dx, dy = (moved or {}).get(i, (0, 0))
        x0, y0, x1, y1 = thing.box
        (draw.rectangle if thing.house else draw.ellipse)(
            [x0 + dx, y0 + dy, x1 + dx, y1 + dy], fill=thing.colour
        )
    if noise:
        picture = Image.blend(picture, Image.effect_noise(size, 60).convert("RGB"), noise)
    return picture


def shot(place: Image.Image, size: tuple[int, int], dx: int = 0, dy: int = 0) -> Image.Image:
    """What a camera `size` wide sees of `place`, pointed `dx`, `dy` pixels off its middle."""
    width, height = place.size
    x0, y0 = (width - size[0]) // 2 + dx, (height - size[1]) // 2 + dy
    return place.crop((x0, y0, x0 + size[0], y0 + size[1]))


def red_top(size: tuple[int, int] = (400, 300)) -> Image.Image:
    """A grey picture with a band along its top, blue at the left and red to the right: which way
    is up, and which side is left, can be seen in the pixels."""
    picture = Image.new("RGB", size, (128, 128, 128))
    draw = ImageDraw.Draw(picture)
    draw.rectangle([0, 0, size[0], size[1] // 6], fill=RED)
    draw.rectangle([0, 0, size[0] // 5, size[1] // 6], fill=BLUE)
    return picture


def camera_exif(
    *,
    taken: str | None = "2026:09:10 14:05:33",
    offset: str | None = "+08:00",
    digitized: str | None = None,
    changed: str | None = None,
    gps: dict[int, object] | None = None,
    orientation: int | None = None,
    make: str | None = "HUAWEI",
    model: str | None = "P60 Pro",
    extra: dict[int, object] | None = None,
) -> Image.Exif:
    """EXIF as a phone writes it: IFD0 (camera, orientation, DateTime), the Exif IFD (times and
    offsets) and the GPS IFD (`gps`: tag -> value, e.g. north_east(...))."""
    exif = Image.Exif()
    for tag, value in ((271, make), (272, model), (274, orientation), (0x0132, changed)):
        if value is not None:
            exif[tag] = value
    details = exif.get_ifd(ExifTags.IFD.Exif)
    for tag, value in ((0x9003, taken), (0x9011, offset), (0x9004, digitized)):
        if value is not None:
            details[tag] = value
    details[0xA431] = "SN-8F3K2-77"  # BodySerialNumber: must never leave the laptop
    for tag, value in (extra or {}).items():
        details[tag] = value
    if gps:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(gps)
    return exif


def gps_at(latitude: float, longitude: float) -> dict[int, object]:
    """A GPS IFD for a position in signed decimal degrees, as degrees, minutes and seconds."""

    def dms(value: float) -> tuple[float, float, float]:
        value = abs(value)
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        return (float(degrees), float(minutes), round((value - degrees - minutes / 60) * 3600, 4))

    return {
        1: "N" if latitude >= 0 else "S",
        2: dms(latitude),
        3: "E" if longitude >= 0 else "W",
        4: dms(longitude),
    }


def jpeg(
    picture: Image.Image, exif: Image.Exif | None = None, quality: int = 90, orientation: int = 1, **options
) -> bytes:
    """The picture as a phone's JPEG: stored turned as a camera held `orientation` writes it."""
    stored = picture if STORED[orientation] is None else picture.transpose(STORED[orientation])
    if exif is not None:
        options["exif"] = exif.tobytes()
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=quality, **options)
    return out.getvalue()


def png(picture: Image.Image, **options) -> bytes:
    out = io.BytesIO()
    picture.save(out, "PNG", **options)
    return out.getvalue()


def heic(picture: Image.Image, exif: Image.Exif | None = None, quality: int = 80) -> bytes:
    """The picture as an iPhone's HEIC, EXIF included (pillow-heif writes the rotation, if any, into
    the file and sets the EXIF's orientation to 1, as iPhones do)."""
    import pillow_heif

    out = io.BytesIO()
    pillow_heif.from_pillow(picture).save(out, quality=quality, exif=exif.tobytes() if exif else None)
    return out.getvalue()


def decoded(data: bytes) -> Image.Image:
    """The bytes decoded by plain Pillow (for what a platform would show), EXIF not applied."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def is_red(pixel) -> bool:
    r, g, b = pixel[:3]
    return r > 170 and g < 90 and b < 90


def is_blue(pixel) -> bool:
    r, g, b = pixel[:3]
    return b > 170 and r < 90 and g < 110


def stands_upright(data: bytes) -> bool:
    """Whether the bytes, decoded as they are (EXIF not applied), show red_top() the right way:
    the band along the top with its blue end at the left, nothing of it along the bottom."""
    picture = decoded(data).convert("RGB")
    width, height = picture.size
    return (
        is_blue(picture.getpixel((width // 20, 2)))
        and is_red(picture.getpixel((width * 19 // 20, 2)))
        and is_red(picture.getpixel((width // 2, 2)))
        and not is_red(picture.getpixel((width // 2, height - 3)))
        and not is_blue(picture.getpixel((width // 20, height - 3)))
    )
