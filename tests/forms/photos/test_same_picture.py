"""The same picture is recognised however it was resized or recompressed, turned by EXIF or by
its pixels, or converted (HEIC, PNG, a clean copy); a second shot of the same scene, the camera
moved a little and people moved, is not. Distances measured here are the ones docs/PHOTOS.md
gives for the threshold."""

from __future__ import annotations

import pytest

from forms.photos import (
    SAME_PICTURE_MAX_DISTANCE,
    clean_copy,
    examine_photo,
    hash_distance,
    picture_hash,
    same_picture,
    sha256_of,
)
from forms.store.attachments import store_file
from tests.forms.photos.making import camera_exif, heic, jpeg, png, scene, shot

SIZE = (1200, 900)
SCENE = (1440, 1080)
SEEDS = (0, 1, 2, 3)


@pytest.fixture(scope="module", params=SEEDS)
def place(request):
    """(seed, scene, the first shot's picture, its JPEG with EXIF, its hash)."""
    seed = request.param
    where = scene(seed, SCENE)
    picture = shot(where, SIZE)
    data = jpeg(picture, camera_exif(), quality=92)
    return seed, where, picture, data, picture_hash(data)


COPIES = {
    "recompressed at quality 60": lambda p: jpeg(p, quality=60),
    "recompressed at quality 30": lambda p: jpeg(p, quality=30),
    "half the size": lambda p: jpeg(p.resize((600, 450)), quality=85),
    "a chat app's 320 pixels": lambda p: jpeg(p.resize((320, 240)), quality=70),
    "HEIC": lambda p: heic(p),
    "PNG": lambda p: png(p),
    "turned by EXIF": lambda p: jpeg(p, camera_exif(orientation=6), orientation=6),
    "turned by EXIF the other way": lambda p: jpeg(p, camera_exif(orientation=8), orientation=8),
}


@pytest.mark.parametrize("copy", COPIES)
def test_a_resized_recompressed_converted_or_turned_copy_is_the_same_picture(place, copy):
    _, _, picture, _, first = place
    again = picture_hash(COPIES[copy](picture))
    assert hash_distance(first, again) <= SAME_PICTURE_MAX_DISTANCE
    assert same_picture(first, again)


def test_a_clean_copy_sent_out_is_still_the_same_picture(place):
    _, _, picture, _, first = place
    sideways = jpeg(picture, camera_exif(orientation=6), quality=95, orientation=6)
    for copy in (clean_copy(sideways), clean_copy(sideways, max_bytes=60_000)):
        assert same_picture(first, picture_hash(copy))


def test_a_second_shot_of_the_same_scene_is_another_picture(place):
    """The camera moved 1.5 % to the side and two people walked: another photo, however alike."""
    seed, _, _, _, first = place
    width, height = SIZE
    walked = scene(seed, SCENE, moved={0: (width // 8, 0), 1: (-width // 10, height // 30)})
    second = picture_hash(jpeg(shot(walked, SIZE, dx=width * 3 // 200), camera_exif()))
    assert hash_distance(first, second) > SAME_PICTURE_MAX_DISTANCE
    assert not same_picture(first, second)


@pytest.mark.parametrize("percent", [1, 2])
def test_the_camera_moved_a_little_is_another_picture(place, percent):
    _, where, _, _, first = place
    moved = picture_hash(jpeg(shot(where, SIZE, dx=SIZE[0] * percent // 100)))
    assert hash_distance(first, moved) > SAME_PICTURE_MAX_DISTANCE


def test_another_place_is_about_half_the_bits_away(place):
    seed, _, _, _, first = place
    elsewhere = picture_hash(jpeg(shot(scene(seed + 1000, SCENE), SIZE)))
    assert hash_distance(first, elsewhere) > 64


def test_the_hash_is_256_bits_and_the_same_however_it_is_asked_for(place, tmp_path):
    _, _, _, data, first = place
    assert len(first) == 64 and int(first, 16) >= 0
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    assert picture_hash(path) == first
    assert examine_photo(data).picture_hash == first
    assert examine_photo(data, thumbnail_side=1024).picture_hash == first


def test_the_byte_hash_is_the_name_the_store_keeps_the_file_under(place, tmp_path):
    _, _, _, data, _ = place
    name, size = store_file(tmp_path, data, bytes(32))
    assert sha256_of(data) == name == examine_photo(data).sha256
    assert size == len(data) == examine_photo(data).size
    assert sha256_of(data + b"\x00") != name  # one byte more: other bytes, whatever the picture
