"""Copies that leave the laptop: read back, they hold no EXIF, GPS, camera serial, XMP, comment or
hidden second picture; they stand upright however the camera was held; HEIC becomes JPEG; a copy
above a platform's limit is made to fit; the original's bytes never change."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from forms.photos import PhotoError, clean_copy, copy_extension, picture_hash, read_facts, same_picture
from tests.forms.photos.making import (
    camera_exif,
    decoded,
    gps_at,
    heic,
    jpeg,
    png,
    red_top,
    scene,
    shot,
    stands_upright,
)

UPRIGHT = red_top((800, 600))
PLACE = gps_at(30.274146, 120.155070)
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="30,16.4488N"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
# What must never be found in a copy's bytes: the EXIF block, the camera's serial and name, XMP.
TRACES = (b"Exif\x00\x00", b"SN-8F3K2-77", b"HUAWEI", b"P60 Pro", b"xmpmeta", b"GPSLatitude", b"2026:09:10")


def phone_jpeg(orientation: int = 1, picture: Image.Image = UPRIGHT, **options) -> bytes:
    exif = camera_exif(gps=PLACE, orientation=orientation)
    return jpeg(picture, exif, orientation=orientation, xmp=XMP, comment="拍摄于东山村", **options)


def assert_clean(copy: bytes) -> None:
    for trace in TRACES:
        assert trace not in copy, trace
    image = Image.open(io.BytesIO(copy))
    assert image.format in ("JPEG", "PNG")
    assert not image.getexif()
    assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment"} & set(image.info)
    facts = read_facts(copy)
    assert facts.taken is facts.position is facts.make is facts.model is None


def test_the_phones_jpeg_really_carries_all_of_it():
    data = phone_jpeg()
    assert all(trace in data for trace in TRACES)
    assert read_facts(data).position is not None


@pytest.mark.parametrize("orientation", range(1, 9))
def test_a_clean_copy_has_no_metadata_and_stands_upright(orientation):
    copy = clean_copy(phone_jpeg(orientation))
    assert_clean(copy)
    assert stands_upright(copy)  # in its pixels: no EXIF is left to turn it
    assert decoded(copy).size == (800, 600)


def test_an_upright_jpeg_is_cleaned_without_being_encoded_again():
    data = phone_jpeg(1, quality=80)
    copy = clean_copy(data)
    assert_clean(copy)
    assert decoded(copy).tobytes() == decoded(data).tobytes()  # the very same pixels
    assert len(copy) < len(data)


def test_what_follows_the_picture_and_hidden_second_pictures_stay_behind():
    second = camera_exif(gps=gps_at(-33.8568, 151.2153))
    out = io.BytesIO()
    UPRIGHT.save(out, "MPO", save_all=True, append_images=[red_top((160, 120))], exif=camera_exif(gps=PLACE))
    multi = out.getvalue()
    assert Image.open(io.BytesIO(multi)).format == "MPO"
    motion = phone_jpeg() + b"\x00\x00\x00\x18ftypmp42 MotionPhoto GPSLatitude" + second.tobytes()
    for data in (multi, motion):
        copy = clean_copy(data)
        assert_clean(copy)
        assert b"MotionPhoto" not in copy and b"MPF\x00" not in copy
        assert copy.endswith(b"\xff\xd9")
        assert getattr(Image.open(io.BytesIO(copy)), "n_frames", 1) == 1


@pytest.mark.parametrize("orientation", [1, 6])
def test_keep_exif_keeps_time_and_place_but_the_pixels_stand_upright(orientation):
    copy = clean_copy(phone_jpeg(orientation), keep_exif=True)
    facts = read_facts(copy)
    assert facts.taken.text() == "2026-09-10T14:05:33+08:00"
    assert facts.position.latitude == pytest.approx(30.274146, abs=1e-6)
    assert facts.orientation == 1 and stands_upright(copy)
    assert b"xmpmeta" not in copy and "comment" not in Image.open(io.BytesIO(copy)).info


def test_a_heic_becomes_an_upright_jpeg_without_metadata():
    data = heic(UPRIGHT.transpose(Image.Transpose.ROTATE_90), camera_exif(gps=PLACE, orientation=6))
    assert read_facts(data).position is not None
    copy = clean_copy(data)
    assert copy[:3] == b"\xff\xd8\xff" and copy_extension(copy) == ".jpg"
    assert_clean(copy)
    assert stands_upright(copy) and decoded(copy).size == (800, 600)


def test_a_png_stays_a_png_without_its_exif_and_text():
    data = png(UPRIGHT, exif=camera_exif(gps=PLACE).tobytes(), pnginfo=_png_text("GPS: 30.27,120.15"))
    assert read_facts(data).position is not None and b"GPS: 30.27" in data
    copy = clean_copy(data)
    assert copy_extension(copy) == ".png"
    assert_clean(copy)
    assert b"GPS: 30.27" not in copy
    assert decoded(copy).tobytes() == decoded(data).tobytes()


def _png_text(words: str):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", words)
    return info


def test_a_6_mb_photo_is_made_to_fit_under_2_mb():
    picture = shot(scene(7, (4800, 3600), noise=0.3), (4000, 3000))
    data = phone_jpeg(6, picture, quality=95)
    assert len(data) > 6 * 2**20
    limit = 2 * 2**20
    copy = clean_copy(data, max_bytes=limit)
    assert len(copy) <= limit
    assert len(copy) > limit // 2  # as large as fits, not needlessly small
    assert_clean(copy)
    width, height = decoded(copy).size
    assert width > height and abs(width / height - 4 / 3) < 0.01  # upright, the same shape
    assert same_picture(picture_hash(data), picture_hash(copy))


def test_a_copy_already_within_the_limit_is_the_plain_clean_copy():
    data = phone_jpeg(1)
    assert clean_copy(data, max_bytes=len(data)) == clean_copy(data)


def test_a_limit_no_photo_can_meet_is_refused_in_words():
    noisy = phone_jpeg(1, shot(scene(3, noise=0.5), (1000, 750)))
    with pytest.raises(PhotoError, match="无法缩小到 1 KB 以内"):
        clean_copy(noisy, max_bytes=1024)


def test_the_original_never_changes(tmp_path):
    path = tmp_path / "original.jpg"
    path.write_bytes(phone_jpeg(6))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    given = bytearray(path.read_bytes())
    for options in ({}, {"keep_exif": True}, {"max_bytes": 30_000}):
        copy = clean_copy(given, **options)
        assert copy != bytes(given)
    assert hashlib.sha256(bytes(given)).hexdigest() == before
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
