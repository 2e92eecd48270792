"""Thumbnails stand the way the picture does, whichever way the camera was held and whatever the
format; they are small JPEGs of the size asked for."""

from __future__ import annotations

import pytest
from PIL import Image

from forms.photos import THUMBNAIL_SIDE, examine_photo, thumbnail
from tests.forms.photos.making import camera_exif, decoded, heic, is_red, jpeg, png, red_top, stands_upright

UPRIGHT = red_top((800, 600))  # red band along the top


@pytest.mark.parametrize("orientation", range(1, 9))
def test_the_thumbnail_of_a_photo_held_any_way_stands_upright(orientation):
    data = jpeg(UPRIGHT, camera_exif(orientation=orientation), orientation=orientation)
    assert stands_upright(data) == (orientation == 1)  # as stored, only 1 stands
    small = thumbnail(data)
    assert small[:3] == b"\xff\xd8\xff"
    assert decoded(small).size == (256, 192)
    assert stands_upright(small)
    assert stands_upright(examine_photo(data).thumbnail)


def test_a_heic_held_sideways_gives_an_upright_thumbnail():
    data = heic(UPRIGHT.transpose(Image.Transpose.ROTATE_90), camera_exif(orientation=6))
    assert stands_upright(thumbnail(data))


@pytest.mark.parametrize("side", [64, THUMBNAIL_SIDE, 500])
def test_the_longer_side_is_the_one_asked_for(side):
    data = jpeg(UPRIGHT, camera_exif(orientation=6), orientation=6)
    assert decoded(thumbnail(data, side)).size == (side, side * 3 // 4)
    tall = jpeg(red_top((300, 900)))
    assert decoded(thumbnail(tall, side)).size == (round(side / 3), side)


def test_a_small_photo_is_not_enlarged():
    assert decoded(thumbnail(jpeg(red_top((120, 90))))).size == (120, 90)


def test_a_transparent_png_is_laid_on_white():
    picture = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    picture.paste((220, 20, 30, 255), (0, 0, 300, 40))
    small = decoded(thumbnail(png(picture), 150)).convert("RGB")
    assert is_red(small.getpixel((75, 5)))
    assert min(small.getpixel((75, 80))) > 240  # white, not the black under the transparency


def test_a_thumbnail_from_a_phone_size_photo_comes_from_a_reduced_decode():
    """A 4000×3000 JPEG decodes at 1/8 for a 256-pixel thumbnail: its pixels are never all held."""
    big = jpeg(red_top((4000, 3000)), quality=80)
    from forms.photos.opening import open_photo, upright

    assert upright(open_photo(big), THUMBNAIL_SIDE).size == (500, 375)
    assert stands_upright(thumbnail(big))
