"""Copies that leave the laptop carry nothing about the photo (DESIGN §14, docs/PHOTOS.md): real
phone photos made in the tests, delivered by the engine to a WeCom robot and a REST platform on
127.0.0.1, exported for a platform typed by hand and uploaded into a web form, then read back
where they arrived: no EXIF, no GPS, no camera serial, standing upright, within the platform's
limit; a PDF goes as it is; `photo_exif=keep` keeps time and place; the stored originals never
change; the township hub gets the stored files."""

from __future__ import annotations

import pytest

from forms.photos import read_facts
from forms.target_kinds import TargetConfig
from sync.copy import entry
from sync.copy_photos import export_photos
from sync.outgoing import Parcels
from sync.photo_copies import copy_rule
from tests.forms.photos.making import stands_upright
from tests.sync.browser_setup import ScriptedPerson, browser_target, run_entries
from tests.sync.engine_setup import (  # noqa: F401 - fixtures
    deliverer,
    drain,
    loopback_http,
    platform,
    rest_target,
    robot_target,
    village,
)
from tests.sync.headless import needs_chromium
from tests.sync.photo_setup import (
    PDF,
    PLACE,
    assert_nothing_about_the_photo,
    big_jpeg,
    final_meeting,
    iphone_heic,
    is_jpeg,
    sha,
    sideways_jpeg,
    stored,
)
from tests.sync.standin_platform import StandinPlatform

MB = 2**20


def test_wecom_gets_clean_upright_copies_and_a_6mb_photo_under_2mb_the_original_untouched(
    village, memory_keyring, loopback_http, wecom_server
):
    robot_target(village, "wecom", wecom_server)
    photos = [
        ("IMG_0001.jpg", sideways_jpeg()),
        ("IMG_0002.HEIC", iphone_heic()),
        ("IMG_0003.jpg", big_jpeg()),
    ]
    final_meeting(village, photos)
    before = {name: stored(village, data) for name, data in photos}
    assert before["IMG_0003.jpg"] == big_jpeg() and len(big_jpeg()) > 6 * MB

    drain(deliverer(village, loopback_http))

    assert village.states() == ["delivered"]
    assert "未在群里发送" not in wecom_server.markdowns[0]  # every photo went
    sideways, from_heic, large = wecom_server.images
    for copy in (sideways, from_heic, large):
        assert_nothing_about_the_photo(copy)
    assert stands_upright(sideways) and stands_upright(from_heic) and is_jpeg(from_heic)
    assert len(large) < 2 * MB
    facts = read_facts(large)
    assert facts.width > facts.height and abs(facts.width / facts.height - 4 / 3) < 0.01  # turned upright
    for name, data in photos:  # the stored photos, byte for byte, under the SHA-256 they were added with
        assert stored(village, data) == before[name] == data and sha(stored(village, data)) == sha(data)


@pytest.mark.parametrize("mode", ["multipart", "base64"])
def test_rest_gets_clean_copies_named_for_what_they_are_and_the_pdf_as_it_is(
    village, memory_keyring, loopback_http, platform, mode
):
    rest_target(village, platform, photos=mode)
    photos = [("IMG_0001.jpg", sideways_jpeg()), ("IMG_0002.HEIC", iphone_heic())]
    final_meeting(village, photos, files=[("签到表.pdf", PDF)])

    drain(deliverer(village, loopback_http))

    (record,) = platform.records.values()
    assert sorted(record.files) == ["IMG_0001.jpg", "IMG_0002.jpg", "签到表.pdf"]  # the HEIC as a .jpg
    for name in ("IMG_0001.jpg", "IMG_0002.jpg"):
        assert_nothing_about_the_photo(record.files[name])
        assert stands_upright(record.files[name]) and is_jpeg(record.files[name])
    assert record.files["签到表.pdf"] == PDF
    # The record's values still name each photo as it was added (by its stored SHA-256).
    assert [p["sha256"] for p in record.payload["data"]["photos"]] == [sha(d) for _, d in photos]
    if mode == "base64":
        assert [a["sha256"] for a in record.payload["attachments"]] == [sha(d) for _, d in photos] + [
            sha(PDF)
        ]
    else:
        parts = platform.seen[-1].body
        assert b'filename="IMG_0002.jpg"' in parts and b"Content-Type: image/jpeg" in parts
        assert b"image/heic" not in parts
    for _, data in photos:
        assert stored(village, data) == data


def test_rest_with_photo_exif_keep_gets_time_and_place_upright(
    village, memory_keyring, loopback_http, platform
):
    rest_target(village, platform, photos="multipart", photo_exif="keep")
    final_meeting(village, [("IMG_0001.jpg", sideways_jpeg()), ("IMG_0002.HEIC", iphone_heic())])

    drain(deliverer(village, loopback_http))

    (record,) = platform.records.values()
    for name in ("IMG_0001.jpg", "IMG_0002.jpg"):
        facts = read_facts(record.files[name])
        assert facts.taken is not None and facts.taken.text() == "2026-09-10T14:05:33+08:00"
        assert facts.position is not None
        assert (facts.position.latitude, facts.position.longitude) == pytest.approx(PLACE, abs=1e-5)
        assert facts.orientation == 1 and stands_upright(record.files[name])


def test_rest_photo_max_size_downscales_for_that_platform_only(
    village, memory_keyring, loopback_http, platform
):
    small = rest_target(village, platform, "县平台", photos="multipart", photo_max_size="500KB")
    whole = rest_target(village, platform, "市平台", photos="base64")
    final_meeting(village, [("IMG_0003.jpg", big_jpeg())])

    drain(deliverer(village, loopback_http))

    got = {int(r.key.rsplit(":", 1)[1]): r.files["IMG_0003.jpg"] for r in platform.records.values()}
    assert len(got[small.id]) <= 500 * 1024 and len(got[whole.id]) > 2 * MB
    assert read_facts(got[whole.id]).width == 4000  # the other platform takes the whole picture
    for copy in got.values():
        assert_nothing_about_the_photo(copy)
        assert read_facts(copy).width > read_facts(copy).height  # upright
    assert village.states(small.id) == village.states(whole.id) == ["delivered"]
    assert stored(village, big_jpeg()) == big_jpeg()


def test_the_copy_kind_exports_photos_without_gps_and_the_pdf_as_it_is(village, tmp_path):
    store = village.store
    store.add_target("县党建系统", "copy", options={"fields": "会议名称 = title"})
    photos = [("IMG_0001.jpg", sideways_jpeg()), ("IMG_0002.HEIC", iphone_heic())]
    record = final_meeting(village, photos, files=[("签到表.pdf", PDF)])
    (d,) = store.deliveries()

    paths = export_photos(entry(store, d).item, tmp_path / "待上传", record.occurred_on)

    assert [p.name for p in paths] == ["会议照片-1.jpg", "会议照片-2.jpg", "其他材料-1.pdf"]
    for path in paths[:2]:
        assert_nothing_about_the_photo(path.read_bytes())
        assert stands_upright(path.read_bytes())
    assert paths[2].read_bytes() == PDF
    for _, data in photos:
        assert stored(village, data) == data


@needs_chromium
def test_the_browser_kind_uploads_photos_without_gps(village, memory_keyring, tmp_path):
    standin = StandinPlatform()
    try:
        target = browser_target(village, standin, "standin-auto.yaml")
        photos = [("IMG_0001.jpg", sideways_jpeg()), ("IMG_0002.HEIC", iphone_heic())]
        final_meeting(village, photos, held_at="2026-11-01T09:30")
        report = run_entries(village, target, ScriptedPerson(), tmp_path / "chromium")
        assert (report.entered, report.problem) == (1, ""), report
        (saved,) = standin.meetings
    finally:
        standin.close()
    assert sorted(saved.files) == ["01-IMG_0001.jpg", "02-IMG_0002.jpg"]  # the HEIC uploaded as a JPEG
    for copy in saved.files.values():
        assert_nothing_about_the_photo(copy)
        assert stands_upright(copy)
    for _, data in photos:
        assert stored(village, data) == data


def test_the_township_hub_gets_the_stored_files_with_their_exif(village):
    """The hub is the township's evidence store (docs/PHOTOS.md): what it is sent is the stored
    file, the one its SHA-256 names; every other kind gets a clean copy."""
    record = final_meeting(village, [("IMG_0001.jpg", sideways_jpeg())])
    parcels = Parcels(village.store)
    hub = TargetConfig(id=90, name="乡镇平台", kind="hub", url="https://hub.example")
    rest = TargetConfig(id=91, name="县平台", kind="rest", url="https://x.example/api")
    assert copy_rule(hub) is None
    photo = sha(sideways_jpeg())
    assert parcels.copies.reader(hub)(photo) == sideways_jpeg()
    assert read_facts(parcels.copies.reader(hub)(photo)).position is not None
    assert_nothing_about_the_photo(parcels.copies.reader(rest)(photo))
    assert record.data["photos"][0]["sha256"] == photo
