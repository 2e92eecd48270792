"""`yici photos inspect`: what Yici reads from a photo, as text and as JSON; a file that is not a
photo is refused in words with exit 1; the command is not listed in `yici --help`."""

from __future__ import annotations

import json

import pytest

from tests.forms.photos.making import camera_exif, gps_at, heic, jpeg, red_top


def test_inspect_prints_what_a_photo_says(yici, tmp_path):
    path = tmp_path / "村口.jpg"
    path.write_bytes(
        jpeg(red_top(), camera_exif(gps=gps_at(30.2741, 120.1551), orientation=6), orientation=6)
    )
    shown = yici("photos", "inspect", path, "--json")
    assert shown.returncode == 0, shown.stderr
    read = json.loads(shown.stdout)
    assert (read["format"], read["width"], read["height"], read["orientation"]) == ("JPEG", 400, 300, 6)
    assert read["taken_at"] == "2026-09-10T14:05:33+08:00"
    assert read["latitude"] == pytest.approx(30.2741) and read["longitude"] == pytest.approx(120.1551)
    assert len(read["sha256"]) == 64 and len(read["picture_hash"]) == 64
    text = yici("photos", "inspect", path)
    assert text.returncode == 0
    assert "拍摄时间：2026-09-10T14:05:33+08:00" in text.stdout.replace(" ", "")
    assert "拍摄地点：30.2741, 120.1551" in text.stdout.replace("  ", "")


def test_inspect_reads_heic_and_says_when_there_is_no_place(yici, tmp_path):
    path = tmp_path / "IMG_0001.HEIC"
    path.write_bytes(heic(red_top(), camera_exif(make="Apple", model="iPhone 15")))
    read = json.loads(yici("photos", "inspect", path, "--json").stdout)
    assert (read["format"], read["make"], read["latitude"]) == ("HEIF", "Apple", None)
    assert "拍摄地点：无" in yici("photos", "inspect", path).stdout.replace(" ", "")


def test_inspect_refuses_what_is_not_a_photo_in_words(yici, tmp_path):
    path = tmp_path / "会议.jpg"
    path.write_text("不是照片", encoding="utf-8")
    refused = yici("photos", "inspect", path)
    assert refused.returncode == 1
    assert "不是照片" in refused.stderr and "Traceback" not in refused.stderr


def test_the_command_is_not_listed_in_help(yici):
    assert "photos" not in yici("--help").stdout
