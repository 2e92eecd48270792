"""How the copies are made and kept (sync/photo_copies.py): one encoding per photo and rule for
all the targets of a drain and a robot's retry, a cache bounded by size, threads waiting for a
copy another is making; names for what a copy is; a damaged photo or a changed file never goes
out in its place; the options checked like every option (window, command line, profiles)."""

from __future__ import annotations

import io
import threading
from collections import Counter

import pytest
from PIL import Image

import forms.photos
from forms import target_kinds
from forms.photos import clean_copy
from forms.profile_reading import ProfileProblem, parse_profile
from forms.target_kinds import TargetConfig
from sync.photo_copies import Copies, CopyRule, FileMissing, copy_rule, sent_name
from tests.forms.photos.making import jpeg, png, red_top, stands_upright
from tests.sync.engine_setup import (  # noqa: F401 - fixtures
    deliverer,
    drain,
    loopback_http,
    platform,
    rest_target,
    robot_target,
    village,
)
from tests.sync.photo_setup import (
    assert_nothing_about_the_photo,
    final_meeting,
    phone_exif,
    sha,
    sideways_jpeg,
    stored,
)
from tests.sync.robot_servers import WeComServer

WECOM_LIMIT = 2 * 2**20


@pytest.fixture
def encodings(monkeypatch):
    """Every clean copy encoded, counted by (keep_exif, max_bytes)."""
    made: Counter = Counter()

    def counting(data, keep_exif=False, max_bytes=None):
        made[(keep_exif, max_bytes)] += 1
        return clean_copy(data, keep_exif=keep_exif, max_bytes=max_bytes)

    monkeypatch.setattr(forms.photos, "clean_copy", counting)
    return made


def test_one_copy_per_rule_for_every_target_of_a_drain_and_a_retry(
    village, memory_keyring, loopback_http, platform, start_server, encodings
):
    first, second = start_server(WeComServer), start_server(WeComServer)
    robot_target(village, "wecom", first, "一组")
    robot_target(village, "wecom", second, "二组")
    rest_target(village, platform, "县平台", photos="multipart")
    rest_target(village, platform, "市平台", photos="base64")
    rest_target(village, platform, "留痕平台", photos="multipart", photo_exif="keep")
    final_meeting(village, [("IMG_0001.jpg", sideways_jpeg())])
    first.refuse_images = (-1, "system busy")  # the text goes, the photo waits for a retry

    engine = deliverer(village, loopback_http)
    engine.run(manual=True)
    assert first.images == [] and len(first.markdowns) == 1 and len(second.images) == 1
    first.refuse_images = None
    drain(engine)

    assert village.states() == ["delivered"] * 5
    assert first.images == second.images  # the same copy, made once
    assert encodings == {(False, WECOM_LIMIT): 1, (False, None): 1, (True, None): 1}


def test_the_cache_is_bounded_by_size_and_keeps_the_latest(encodings):
    photos = {sha(p): p for p in (png(red_top((120 + 40 * n, 90))) for n in range(3))}
    a, b, c = photos
    sizes = {s: len(clean_copy(photos[s])) for s in photos}
    encodings.clear()
    copies = Copies(photos.__getitem__, budget=sizes[b] + sizes[c])
    rule = CopyRule()
    for s in (a, b, c, c, b):
        copies.read(s, rule)
    assert copies.made == 3  # a went out of the cache to make room for c; b and c were kept
    copies.read(a, rule)
    assert copies.made == 4
    assert copies.read(a, CopyRule(max_bytes=WECOM_LIMIT)) and copies.made == 5  # another rule, another copy
    too_large = Copies(photos.__getitem__, budget=min(sizes.values()) - 1)
    too_large.read(a, rule), too_large.read(a, rule)
    assert too_large.made == 2  # never kept, never over its budget


def test_a_target_asking_for_a_copy_being_made_waits_for_it(monkeypatch):
    photo = sideways_jpeg()
    entered, go = threading.Event(), threading.Event()
    calls = []

    def slow(data, keep_exif=False, max_bytes=None):
        calls.append(1)
        entered.set()
        go.wait(10)
        return clean_copy(data, keep_exif=keep_exif, max_bytes=max_bytes)

    monkeypatch.setattr(forms.photos, "clean_copy", slow)
    copies = Copies({sha(photo): photo}.__getitem__)
    got: list[bytes] = []
    threads = [threading.Thread(target=lambda: got.append(copies.read(sha(photo), CopyRule()))) for _ in "ab"]
    threads[0].start()
    assert entered.wait(10)
    threads[1].start()
    threads[1].join(0.5)  # a second encoding would have started by now
    assert len(calls) == 1
    go.set()
    for thread in threads:
        thread.join(10)
    assert len(calls) == 1 and len(got) == 2 and got[0] == got[1]


def test_names_say_what_the_copy_is():
    as_jpeg, as_png = jpeg(red_top()), png(red_top())
    assert sent_name("IMG_0002.HEIC", as_jpeg) == "IMG_0002.jpg"
    assert sent_name("现场.JPEG", as_jpeg) == "现场.JPEG" and sent_name("a.jpg", as_jpeg) == "a.jpg"
    assert sent_name("截图.jpg", as_png) == "截图.png" and sent_name("照片", as_jpeg) == "照片.jpg"
    assert sent_name("签到表.pdf", b"%PDF-1.4 x") == "签到表.pdf"
    assert sent_name("视频.mov", b"\x00\x00\x00\x14ftypqt  ") == "视频.mov"


def test_a_damaged_photo_never_goes_out_and_the_text_still_does(
    village, memory_keyring, loopback_http, platform, wecom_server
):
    broken = jpeg(red_top(), phone_exif())[:3000]  # cut short: a JPEG with its EXIF and no picture
    robot_target(village, "wecom", wecom_server)
    rest = rest_target(village, platform, photos="multipart")
    final_meeting(village, [("IMG_0009.jpg", broken)])

    deliverer(village, loopback_http).run(manual=True)

    (refused,) = village.store.deliveries(target_id=rest.id)
    assert refused.state == "failed" and "IMG_0009.jpg" in refused.message and "损坏" in refused.message
    assert platform.records == {}
    assert wecom_server.images == [] and "1 张照片已损坏或无法处理" in wecom_server.markdowns[0]


def test_a_stored_file_changed_since_it_was_added_is_refused(
    village, memory_keyring, loopback_http, platform
):
    rest = rest_target(village, platform, photos="base64")
    final_meeting(village, [("IMG_0001.jpg", sideways_jpeg())])
    village.store.attachment_path(sha(sideways_jpeg())).write_bytes(jpeg(red_top(), phone_exif()))

    deliverer(village, loopback_http).run(manual=True)

    (refused,) = village.store.deliveries(target_id=rest.id)
    assert refused.state == "failed" and "校验值" in refused.message and platform.records == {}


def test_the_rule_of_each_kind():
    def rule(kind, **options):
        return copy_rule(TargetConfig(id=1, name="平台", kind=kind, options=options))

    assert rule("rest") == CopyRule(False, None)
    assert rule("rest", photo_exif="KEEP", photo_max_size="1.5MB") == CopyRule(True, int(1.5 * 2**20))
    assert rule("copy", photo_max_size="500KB") == CopyRule(False, 500 * 1024)
    assert rule("browser", photo_exif="keep") == CopyRule(True, None)
    assert rule("wecom") == CopyRule(False, WECOM_LIMIT)
    assert rule("wecom", photo_exif="keep") == CopyRule(False, WECOM_LIMIT)  # not offered: never kept
    assert rule("hub") is None


@pytest.mark.parametrize("kind", ["rest", "copy", "browser"])
def test_the_photo_options_are_checked_like_every_option(kind):
    good = {"photo_exif": "keep", "photo_max_size": "2MB"}
    assert target_kinds.option_problems(kind, good) == []
    for value in ("strip", "Keep"):
        assert target_kinds.option_problems(kind, {"photo_exif": value}) == []
    for value in ("500KB", "500 kb", "1.5M", "2097152"):
        assert target_kinds.option_problems(kind, {"photo_max_size": value}) == [], value
    (wrong,) = target_kinds.option_problems(kind, {"photo_exif": "maybe"})
    assert "strip、keep" in wrong
    for value in ("10GB", "20KB", "大", "51MB"):
        (wrong,) = target_kinds.option_problems(kind, {"photo_max_size": value})
        assert "2MB" in wrong, value


def test_a_work_group_and_the_hub_are_never_sent_exif():
    for kind in ("wecom", "hub", "dingtalk", "feishu"):
        (unknown,) = target_kinds.option_problems(kind, {"photo_exif": "keep"})
        assert "photo_exif" in unknown


def test_a_deployment_profile_carries_the_photo_options():
    text = (
        "yici_profile: 1\ntargets:\n  - name: 县平台\n    kind: rest\n    url: https://x.example/api\n"
        "    options:\n      photos: multipart\n      photo_exif: keep\n      photo_max_size: 2MB\n"
    )
    (target,) = parse_profile(text, "p.yaml").targets
    assert target.values["options"]["photo_exif"] == "keep"
    with pytest.raises(ProfileProblem) as caught:
        parse_profile(text.replace("photo_exif: keep", "photo_exif: always"), "p.yaml")
    assert caught.value.problems[0].line == 8


def test_a_copy_under_a_small_limit_and_a_missing_file(village):
    record = final_meeting(village, [("IMG_0001.jpg", sideways_jpeg())])
    copies = Copies(village.store.attachment_bytes)
    copy = copies.read(record.data["photos"][0]["sha256"], CopyRule(max_bytes=64 * 1024))
    assert_nothing_about_the_photo(copy)
    assert len(copy) <= 64 * 1024 and stands_upright(copy)
    assert Image.open(io.BytesIO(copy)).size == (480, 360)  # as it stands, not as it was stored
    assert stored(village, sideways_jpeg()) == sideways_jpeg()
    with pytest.raises(FileMissing):
        copies.read("0" * 64, CopyRule())
