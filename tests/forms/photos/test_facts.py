"""Reading a photo's facts: when it was taken (with its offset only when the camera wrote one),
where (signed degrees, nothing for garbage), how the camera was held, its upright size and camera;
from JPEG, PNG and HEIC, from bytes and from a path."""

from __future__ import annotations

import io
import json
import struct
from fractions import Fraction

import pytest
from PIL import ExifTags, Image, TiffImagePlugin

from forms.photos import PhotoFacts, read_facts
from tests.forms.photos.making import camera_exif, gps_at, heic, jpeg, png, red_top

PICTURE = red_top((400, 300))


def facts(exif: Image.Exif | None = None, **options) -> PhotoFacts:
    return read_facts(jpeg(PICTURE, exif, **options))


def test_time_taken_with_the_offset_the_camera_wrote():
    taken = facts(camera_exif(taken="2026:09:10 14:05:33", offset="+08:00")).taken
    assert taken is not None
    assert (taken.local, taken.offset, taken.source) == ("2026-09-10T14:05:33", "+08:00", "original")
    assert taken.text() == "2026-09-10T14:05:33+08:00"
    assert taken.moment().utcoffset().total_seconds() == 8 * 3600


def test_without_an_offset_none_is_invented():
    taken = facts(camera_exif(taken="2026:09:10 14:05:33", offset=None)).taken
    assert taken is not None and taken.offset is None
    assert taken.text() == "2026-09-10T14:05:33"
    assert taken.moment().tzinfo is None  # a wall time, not a moment anywhere in particular


def test_a_western_offset_keeps_its_sign():
    assert facts(camera_exif(offset="-05:30")).taken.offset == "-05:30"


def test_falls_back_to_the_digitized_time_then_the_files_time():
    digitized = facts(camera_exif(taken=None, digitized="2026:09:11 08:00:00")).taken
    assert (digitized.local, digitized.source) == ("2026-09-11T08:00:00", "digitized")
    changed = facts(camera_exif(taken=None, offset=None, changed="2026:09:12 18:30:00")).taken
    assert (changed.local, changed.source, changed.offset) == ("2026-09-12T18:30:00", "changed", None)
    # An offset tag belongs to its own time: OffsetTimeOriginal does not date DateTime.
    assert facts(camera_exif(taken=None, offset="+08:00", changed="2026:09:12 18:30:00")).taken.offset is None


@pytest.mark.parametrize(
    "written",
    [
        "",
        "    :  :     :  :  ",
        "0000:00:00 00:00:00",
        "1970:01:01 00:00:00",
        "2026:13:01 10:00:00",
        "2026:09:10",
        "昨天",
    ],
)
def test_a_time_that_cannot_be_real_is_no_time(written):
    assert facts(camera_exif(taken=written)).taken is None


@pytest.mark.parametrize("offset", ["", "+8", "+08", "08:00", "+15:00", "+08:75", "Z"])
def test_an_offset_that_cannot_be_real_is_no_offset(offset):
    taken = facts(camera_exif(offset=offset)).taken
    assert taken is not None and taken.offset is None


def test_a_photo_with_no_exif_has_no_facts_but_its_size():
    read = facts(None)
    assert (read.format, read.width, read.height, read.orientation) == ("JPEG", 400, 300, 1)
    assert read.taken is read.position is read.make is read.model is None


@pytest.mark.parametrize(
    ("latitude", "longitude"), [(30.2741, 120.1551), (-33.8568, 151.2153), (40.7128, -74.006), (-22.9, -43.2)]
)
def test_gps_position_in_signed_decimal_degrees(latitude, longitude):
    place = facts(camera_exif(gps=gps_at(latitude, longitude))).position
    assert place is not None
    assert place.latitude == pytest.approx(latitude, abs=1e-6)
    assert place.longitude == pytest.approx(longitude, abs=1e-6)


def rational(numerator: int, denominator: int) -> TiffImagePlugin.IFDRational:
    return TiffImagePlugin.IFDRational(numerator, denominator)


@pytest.mark.parametrize(
    "gps",
    [
        {},
        {2: (30.0, 15.0, 36.0), 4: (120.0, 10.0, 0.5)},  # no N/S, E/W: either side of the world
        {1: "N", 2: (30.0, 15.0, 36.0), 3: "X", 4: (120.0, 10.0, 0.5)},
        {1: "N", 2: (95.0, 0.0, 0.0), 3: "E", 4: (120.0, 0.0, 0.0)},  # beyond the pole
        {1: "N", 2: (30.0, 0.0, 0.0), 3: "E", 4: (181.0, 0.0, 0.0)},
        {1: "N", 2: (30.0, 75.0, 0.0), 3: "E", 4: (120.0, 0.0, 0.0)},  # 75 minutes
        {1: "N", 2: (rational(30, 0), 0.0, 0.0), 3: "E", 4: (120.0, 0.0, 0.0)},  # divided by zero
        {1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)},  # what a phone without a fix writes
        {1: "N", 2: (30.0, 15.0, 36.0), 3: "E", 4: (120.0, 10.0, 0.5), 9: "V"},  # receiver: void
        {1: "N", 2: (30.0, 15.0, 36.0, 1.0), 3: "E", 4: (120.0, 10.0, 0.5)},  # four parts
    ],
)
def test_no_gps_or_gps_that_cannot_be_a_place_is_no_place(gps):
    assert facts(camera_exif(gps=gps)).position is None


def test_gps_written_as_fractions_and_a_single_decimal_value():
    exact = {
        1: "S",
        2: (rational(33, 1), rational(5130, 100), rational(0, 1)),
        3: "E",
        4: (rational(1512153, 10000),),
    }
    place = facts(camera_exif(gps=exact)).position
    assert place.latitude == pytest.approx(-(33 + 51.3 / 60))
    assert place.longitude == pytest.approx(151.2153)
    assert Fraction(place.latitude).limit_denominator(10**7)  # a plain float for JSON


@pytest.mark.parametrize("orientation", range(1, 9))
def test_orientation_and_the_size_as_the_picture_stands(orientation):
    data = jpeg(PICTURE, camera_exif(orientation=orientation), orientation=orientation)
    stored = Image.open(io.BytesIO(data)).size
    assert stored == ((300, 400) if orientation >= 5 else (400, 300))
    read = read_facts(data)
    assert read.orientation == orientation
    assert (read.width, read.height) == (400, 300)


@pytest.mark.parametrize("orientation", [0, 9, 300])
def test_an_orientation_outside_1_to_8_reads_as_upright(orientation):
    assert facts(camera_exif(orientation=orientation)).orientation == 1


def test_camera_make_and_model_cleaned():
    read = facts(camera_exif(make="Apple\x00\x00  ", model="iPhone 15 Pro"))
    assert (read.make, read.model) == ("Apple", "iPhone 15 Pro")
    assert facts(camera_exif(make="x" * 500, model="")).make is None


def test_png_usually_without_exif_and_with_it():
    plain = read_facts(png(PICTURE))
    assert (plain.format, plain.width, plain.height, plain.taken) == ("PNG", 400, 300, None)
    with_exif = read_facts(png(PICTURE, exif=camera_exif(gps=gps_at(30.5, 114.3)).tobytes()))
    assert with_exif.taken.text() == "2026-09-10T14:05:33+08:00"
    assert with_exif.position.latitude == pytest.approx(30.5)


def test_heic_from_an_iphone_held_sideways():
    exif = camera_exif(orientation=6, gps=gps_at(30.2741, 120.1551), make="Apple", model="iPhone 15")
    read = read_facts(heic(PICTURE, exif))
    assert read.format == "HEIF"
    assert read.orientation == 6
    assert (read.width, read.height) == (300, 400)  # libheif turns it upright
    assert read.taken.text() == "2026-09-10T14:05:33+08:00"
    assert read.position.longitude == pytest.approx(120.1551, abs=1e-6)
    assert (read.make, read.model) == ("Apple", "iPhone 15")


def test_a_path_reads_as_its_bytes_do(tmp_path):
    data = jpeg(PICTURE, camera_exif(gps=gps_at(30.0, 120.0)))
    path = tmp_path / "照片.jpg"
    path.write_bytes(data)
    assert read_facts(path) == read_facts(str(path)) == read_facts(data) == read_facts(bytearray(data))


def test_facts_as_plain_json():
    read = facts(camera_exif(gps=gps_at(30.2741, 120.1551), orientation=6), orientation=6)
    assert json.loads(json.dumps(read.as_dict())) == {
        "format": "JPEG",
        "width": 400,
        "height": 300,
        "orientation": 6,
        "taken_at": "2026-09-10T14:05:33+08:00",
        "taken_offset": "+08:00",
        "taken_from": "original",
        "latitude": pytest.approx(30.2741, abs=1e-6),
        "longitude": pytest.approx(120.1551, abs=1e-6),
        "make": "HUAWEI",
        "model": "P60 Pro",
    }
    assert facts(None).as_dict()["taken_at"] is None


@pytest.mark.filterwarnings("ignore:Corrupt EXIF")
def test_a_gps_directory_pointing_nowhere_is_no_place():
    raw = camera_exif(gps=gps_at(30.0, 120.0)).tobytes()
    assert raw.startswith(b"Exif\x00\x00MM")  # Pillow writes big-endian
    pointer = struct.pack(">HHI", ExifTags.IFD.GPSInfo, 4, 1)  # the IFD0 entry: tag, LONG, count 1
    at = raw.index(pointer) + len(pointer)
    broken = raw[:at] + struct.pack("<I", 0x7FFFFFF0) + raw[at + 4 :]
    out = io.BytesIO()
    PICTURE.save(out, "JPEG", exif=broken)
    read = read_facts(out.getvalue())
    assert read.position is None
    assert read.taken is not None  # the rest of the EXIF still reads
