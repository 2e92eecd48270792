"""What the photo privacy tests share: phone photos made in the tests (EXIF with time, GPS, camera
and its serial number, written with Pillow; HEIC with pillow-heif), a final 三会一课 record holding
them in its photos field and a PDF in its files field, and the checks a copy that left the laptop
must pass: nothing about the photo in it, standing upright."""

from __future__ import annotations

import functools
import hashlib
import io

from PIL import Image

from forms.photos import read_facts
from tests.forms.photos.making import camera_exif, gps_at, heic, jpeg, red_top, scene
from tests.sync.engine_setup import OPERATOR, Village, meeting

PLACE = (25.0501234, 117.0207654)  # where the photos were taken: a village in Fujian
TAKEN = "2026:09:10 14:05:33"
SERIAL = b"SN-8F3K2-77"  # the BodySerialNumber making.camera_exif writes
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n" * 40


def phone_exif(orientation: int | None = None):
    """EXIF as a phone writes it: time with its offset, GPS, camera, serial number."""
    return camera_exif(taken=TAKEN, gps=gps_at(*PLACE), orientation=orientation)


@functools.cache
def sideways_jpeg() -> bytes:
    """A JPEG the camera held sideways (EXIF orientation 6): the band of red_top() along its top
    once turned upright."""
    return jpeg(red_top((480, 360)), phone_exif(orientation=6), orientation=6)


@functools.cache
def iphone_heic() -> bytes:
    """An iPhone's HEIC with time and GPS."""
    return heic(red_top((480, 360)), phone_exif())


@functools.cache
def big_jpeg() -> bytes:
    """A 4000×3000 phone photo of 6.6 MB, held sideways, with time and GPS: over WeCom's 2 MB."""
    data = jpeg(scene(7, (4000, 3000), noise=0.2), phone_exif(orientation=6), quality=96, orientation=6)
    assert len(data) > 6 * 2**20
    return data


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def final_meeting(
    village: Village, photos: list[tuple[str, bytes]], files: list[tuple[str, bytes]] = (), n: int = 1, **more
):
    """A final 三会一课 record with these photos and files, attached as the window attaches them."""
    store = village.store
    draft, _ = village.records.new("sanhui-yike", village.branch_id, {"meeting_type": "支部委员会"}, OPERATOR)
    values = {**draft.data, **meeting(n), **more}
    for key, items in (("photos", photos), ("files", files)):
        added = [store.add_attachment(draft.uuid, data, name=name) for name, data in items]
        if added:
            values[key] = [{"sha256": a.sha256, "name": a.name} for a in added]
    village.records.save_draft(draft.uuid, values, OPERATOR)
    record, _ = village.records.finalize(draft.uuid, OPERATOR)
    return record


def stored(village: Village, data: bytes) -> bytes:
    """The stored photo's content, as it is now (decrypted)."""
    return village.store.attachment_bytes(sha(data))


def assert_nothing_about_the_photo(copy: bytes) -> None:
    """No EXIF at all (no time, GPS, camera or serial), no XMP, in a JPEG or PNG."""
    facts = read_facts(copy)
    assert facts.format in ("JPEG", "PNG")
    assert (facts.taken, facts.position, facts.make, facts.model) == (None, None, None, None)
    assert facts.orientation == 1
    image = Image.open(io.BytesIO(copy))
    assert len(image.getexif()) == 0 and "exif" not in image.info
    assert not any(key in image.info for key in ("xmp", "XML:com.adobe.xmp", "comment"))
    assert b"Exif\x00\x00" not in copy and SERIAL not in copy and b"HUAWEI" not in copy


def is_jpeg(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8\xff")


__all__ = [
    "PDF",
    "PLACE",
    "SERIAL",
    "TAKEN",
    "assert_nothing_about_the_photo",
    "big_jpeg",
    "final_meeting",
    "iphone_heic",
    "is_jpeg",
    "phone_exif",
    "sha",
    "sideways_jpeg",
    "stored",
]
