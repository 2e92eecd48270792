"""Photos in a phone's folder (forms/photo_folder.py) with photos made in the tests: found within
bounds, their times read from the first bytes of each file, listed with the record's time window
first, newest first; and a photo not stored yet recognised as one a final record already holds."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from forms import photo_folder
from forms.catalog import Catalog
from forms.lifecycle import Records
from forms.photo_folder import find_photos, ordered, read_folder_photo
from forms.photo_items import attach_photo
from forms.photos import examine_photo
from forms.store import Store
from tests.forms.photos.making import camera_exif, gps_at, heic, jpeg, png, scene, shot
from tests.forms.photos.test_warnings import meeting

# The laptop's clock is China's: a photo's +08:00 is the record's own zone.
pytestmark = pytest.mark.usefixtures("in_china")


def phone_photo(seed: int, taken: str | None, **kw) -> bytes:
    return jpeg(shot(scene(seed, (640, 480)), (600, 450)), camera_exif(taken=taken, **kw))


def phone(tmp_path):
    """A phone's storage: DCIM/Camera and DCIM/100APPLE, screenshots, app caches, hidden files."""
    root = tmp_path / "手机"
    camera, apple, shots = (
        root / "DCIM" / "Camera",
        root / "DCIM" / "100APPLE",
        root / "Pictures" / "Screenshots",
    )
    cache, hidden = root / "Android" / "data" / "com.tencent.mm" / "cache", root / "DCIM" / ".thumbnails"
    for folder in (camera, apple, shots, cache, hidden):
        folder.mkdir(parents=True)
    (camera / "IMG_20260910_140533.jpg").write_bytes(phone_photo(1, "2026:09:10 14:05:33"))
    (camera / "IMG_20260910_090000.jpg").write_bytes(phone_photo(2, "2026:09:10 09:00:00"))
    (camera / "IMG_20260907_100000.jpg").write_bytes(phone_photo(3, "2026:09:07 10:00:00"))
    (camera / "IMG_20260801_100000.JPG").write_bytes(phone_photo(4, "2026:08:01 10:00:00"))
    picture = shot(scene(5, (640, 480)), (600, 450))
    (apple / "IMG_0001.HEIC").write_bytes(heic(picture, camera_exif(taken="2026:09:10 20:00:00")))
    (shots / "Screenshot_1.png").write_bytes(png(picture))
    (camera / "视频.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    (camera / "坏了.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a picture at all")
    (cache / "转发.jpg").write_bytes(phone_photo(6, "2026:09:10 14:00:00"))
    (hidden / "thumb.jpg").write_bytes(phone_photo(7, "2026:09:10 14:00:00"))
    os.utime(shots / "Screenshot_1.png", (1, 1))
    return root


def test_the_record_time_window_comes_first_newest_first_then_the_rest(tmp_path):
    root = phone(tmp_path)
    paths, cut = find_photos(root)
    names = sorted(p.name for p in paths)
    assert not cut
    # No caches of apps, no hidden thumbnails, no videos.
    assert names == sorted(
        [
            "IMG_20260910_140533.jpg",
            "IMG_20260910_090000.jpg",
            "IMG_20260907_100000.jpg",
            "IMG_20260801_100000.JPG",
            "IMG_0001.HEIC",
            "Screenshot_1.png",
            "坏了.jpg",
        ]
    )
    photos = [p for p in map(read_folder_photo, paths) if p is not None]
    assert len(photos) == 6  # the damaged one is left out
    window, rest = ordered(photos, dt.datetime(2026, 9, 10, 14, 0), 12)
    assert [p.path.name for p in window] == [
        "IMG_0001.HEIC",  # 20:00, a HEIC read whole
        "IMG_20260910_140533.jpg",
        "IMG_20260910_090000.jpg",
    ]
    assert [p.path.name for p in rest] == [
        "IMG_20260907_100000.jpg",
        "IMG_20260801_100000.JPG",
        "Screenshot_1.png",
    ]
    assert window[1].item["taken_at"] == "2026-09-10T14:05:33" and window[1].item["taken_offset"] == "+08:00"
    # A record with no time yet: everything is "the rest", still newest first.
    window, rest = ordered(photos, None, 12)
    assert window == [] and rest[0].path.name == "IMG_0001.HEIC"


def test_the_search_is_bounded(tmp_path, monkeypatch):
    deep = tmp_path / "a" / "b" / "c" / "d" / "e" / "f"
    deep.mkdir(parents=True)
    (deep / "too_deep.jpg").write_bytes(b"x")
    (tmp_path / "a" / "b" / "near.jpg").write_bytes(b"x")
    paths, cut = find_photos(tmp_path)
    assert [p.name for p in paths] == ["near.jpg"]
    monkeypatch.setattr(photo_folder, "MAX_PHOTOS", 1)
    for n in range(3):
        (tmp_path / f"{n}.jpg").write_bytes(b"x")
    paths, cut = find_photos(tmp_path)
    assert len(paths) == 1 and cut
    paths, cut = find_photos(tmp_path, stop=lambda: True)
    assert paths == [] and cut


def test_a_phone_photo_already_in_a_final_record_is_named_by_bytes_or_picture(data_dir, tmp_path):
    store = Store.open(data_dir)
    try:
        branch = store.add_branch("东山村党支部")
        records = Records(store, Catalog())
        original = phone_photo(8, "2026:09:10 14:05:33", gps=gps_at(30.5, 114.3))
        draft, _ = records.new("sanhui-yike", branch.id, meeting(), "张干事")
        item = attach_photo(store, draft.uuid, original, "IMG_1.jpg")
        records.save_draft(draft.uuid, {**draft.data, "photos": [item]}, "张干事")
        records.finalize(draft.uuid, "张干事")
        copy = examine_photo(jpeg(shot(scene(8, (640, 480)), (600, 450)), camera_exif(), quality=50))
        other = examine_photo(phone_photo(9, "2026:09:10 14:05:33"))
        same = store.photo_uses([item["sha256"]], "", {})
        assert [u.same_bytes for u in same] == [True]
        found = store.photo_uses([], "", {copy.sha256: copy.picture_hash, other.sha256: other.picture_hash})
        assert [(u.sha256, u.same_bytes, u.branch) for u in found] == [(copy.sha256, False, "东山村党支部")]
    finally:
        store.close()
