"""Warnings about a record's photos on a real store with photos made in the tests: each fires
and stays quiet when it should, never blocks finalizing, is kept in the photo's item (for the hub
and the printed 台账) and names the record a photo was used in before."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from forms.catalog import Catalog
from forms.engine import evaluate
from forms.lifecycle import Records
from forms.photo_checks import hours_apart, record_time, time_warning
from forms.photo_items import NotAPhoto, attach_photo
from forms.store import SAME_PICTURE_BITS, Store
from tests.forms.photos.making import camera_exif, gps_at, jpeg, scene, shot

OPERATOR = "张干事"


# The laptop's clock is China's: a photo's +08:00 is the record's own zone.
pytestmark = pytest.mark.usefixtures("in_china")


@pytest.fixture
def village(data_dir):
    store = Store.open(data_dir)
    branch = store.add_branch("东山村党支部")
    store.add_member(branch.id, "王建国", "书记")
    records = Records(store, Catalog())
    yield store, branch, records
    store.close()


def photo(
    seed: int = 1, taken: str | None = "2026:09:10 14:05:33", offset: str | None = "+08:00", **kw
) -> bytes:
    exif = camera_exif(taken=taken, offset=offset, **kw)
    return jpeg(shot(scene(seed), (800, 600)), exif)


def meeting(held_at: str = "2026-09-10T14:00", **values) -> dict:
    return {
        "meeting_type": "支部委员会",
        "title": "九月支部委员会",
        "held_at": held_at,
        "host": "王建国",
        "topics": "学习党章",
        "content": "传达上级精神。",
        **values,
    }


def new_with(records, branch, held_at: str, photos: list[bytes], final: bool = True):
    store = records.store
    draft, _ = records.new("sanhui-yike", branch.id, meeting(held_at), OPERATOR)
    items = [attach_photo(store, draft.uuid, data, f"IMG_{n}.jpg") for n, data in enumerate(photos)]
    records.save_draft(draft.uuid, {**draft.data, "photos": items}, OPERATOR)
    if not final:
        return store.record(draft.uuid), None
    return records.finalize(draft.uuid, OPERATOR)


def warnings_of(record) -> list[list[str]]:
    return [[w["kind"] for w in item.get("warnings", [])] for item in record.data["photos"]]


def test_a_photo_of_the_meeting_is_quiet_and_its_facts_ride_with_the_record(village):
    store, branch, records = village
    record, outcome = new_with(records, branch, "2026-09-10T14:00", [photo(gps=gps_at(30.5, 114.3))])
    (item,) = record.data["photos"]
    assert item["taken_at"] == "2026-09-10T14:05:33" and item["taken_offset"] == "+08:00"
    assert (round(item["latitude"], 4), round(item["longitude"], 4)) == (30.5, 114.3)
    assert "warnings" not in item and not [m for m in outcome.warnings if "照片" in m.text]
    ((facts, picture),) = store.photo_facts([item["sha256"]]).values()
    assert facts["make"] == "HUAWEI" and len(picture) == 64


def test_taken_far_from_the_meeting_or_with_no_time_warns_and_never_blocks(village):
    store, branch, records = village
    days_before = photo(2, taken="2026:09:07 09:00:00")
    no_time = photo(3, taken=None)
    screenshot = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(screenshot, "PNG")
    record, outcome = new_with(
        records, branch, "2026-09-10T14:00", [days_before, no_time, screenshot.getvalue()]
    )
    assert record.status == "final"  # warnings never block
    assert warnings_of(record) == [["far"], ["no_time"], ["no_time"]]
    texts = [m.text for m in outcome.warnings]
    assert any("照片“IMG_0.jpg”：拍摄于 2026-09-07 09:00，与记录的时间相差约 3 天" in t for t in texts), texts
    assert any("IMG_1.jpg" in t and "没有拍摄时间" in t for t in texts)


def test_the_hours_are_the_forms_own_and_offsets_are_honoured(village):
    store, branch, records = village
    form = records.form("sanhui-yike")
    assert form.photo_hours == 12
    at_two = record_time(form, meeting("2026-09-10T14:00"))
    assert time_warning({"taken_at": "2026-09-10T02:30:00"}, at_two, 12) is None  # 11.5 hours
    late = {"taken_at": "2026-09-11T03:00:00"}  # 13 hours
    assert time_warning(late, at_two, 12).kind == "far"
    assert time_warning(late, at_two, 24) is None
    # A phone on UTC wrote 06:05 with +00:00: 14:05 in China, the meeting's hour.
    assert time_warning({"taken_at": "2026-09-10T06:05:00", "taken_offset": "+00:00"}, at_two, 1) is None
    # The same wall time with no offset is taken as written: eight hours early.
    assert time_warning({"taken_at": "2026-09-10T06:05:00"}, at_two, 1).kind == "far"
    # A record with only a day: a photo any time that day is quiet, the evening before is not.
    day = dt.date(2026, 9, 10)
    assert hours_apart(dt.datetime(2026, 9, 10, 23, 0), day) == 0
    assert hours_apart(dt.datetime(2026, 9, 9, 6, 0), day) == 18


def test_a_photo_used_before_names_the_record_even_resized_or_recompressed(village):
    store, branch, records = village
    first_shot = photo(5)
    first, _ = new_with(records, branch, "2026-09-10T14:00", [first_shot])
    assert warnings_of(first) == [[]]
    picture = Image.open(io.BytesIO(first_shot))
    smaller = io.BytesIO()
    picture.resize((400, 300)).save(smaller, "JPEG", quality=55, exif=picture.getexif().tobytes())
    other_scene = photo(6)  # another place: quiet
    again, outcome = new_with(
        records, branch, "2026-09-10T15:00", [first_shot, smaller.getvalue(), other_scene]
    )
    kinds = warnings_of(again)
    assert kinds == [["reused"], ["same_picture"], []], kinds
    reused = again.data["photos"][0]["warnings"][0]["text"]
    assert reused == "这张照片已用于 2026-09-10 三会一课（东山村党支部）"
    assert "同一画面" in again.data["photos"][1]["warnings"][0]["text"]
    assert any("这张照片已用于 2026-09-10 三会一课（东山村党支部）" in m.text for m in outcome.warnings)
    # The first record is not told about the second: it came first.
    assert warnings_of(store.record(first.uuid)) == [[]]


def test_a_different_photo_of_the_same_scene_is_not_the_same_picture(village):
    store, branch, records = village
    place = scene(9, (1400, 1050))
    one = jpeg(shot(place, (1200, 900)), camera_exif())
    moved = jpeg(shot(place, (1200, 900), dx=36), camera_exif())  # a step to the side: 3 %
    new_with(records, branch, "2026-09-10T14:00", [one])
    again, _ = new_with(records, branch, "2026-09-10T14:10", [moved])
    assert warnings_of(again) == [[]]


def test_drafts_and_voided_records_do_not_count_as_used(village):
    store, branch, records = village
    shared = photo(7)
    draft, _ = new_with(records, branch, "2026-09-10T14:00", [shared], final=False)
    voided, _ = new_with(records, branch, "2026-09-10T14:00", [shared])
    records.void(voided.uuid, "录错了", OPERATOR)
    record, _ = new_with(records, branch, "2026-09-10T14:00", [shared])
    assert warnings_of(record) == [[]]


def test_a_file_that_is_not_a_photo_is_refused_in_words(village):
    store, branch, records = village
    draft, _ = records.new("sanhui-yike", branch.id, meeting(), OPERATOR)
    with pytest.raises(NotAPhoto) as refused:
        attach_photo(store, draft.uuid, b"%PDF-1.4 not a photo", "签到表.pdf")
    assert refused.value.message.startswith("“签到表.pdf”：")
    assert store.attachments(draft.uuid) == []


def test_the_store_and_the_photos_agree_on_what_the_same_picture_is():
    from forms.photos import SAME_PICTURE_MAX_DISTANCE

    assert SAME_PICTURE_BITS == SAME_PICTURE_MAX_DISTANCE


def test_a_form_may_set_its_hours_and_a_wrong_value_names_its_line():
    from forms.loader import FormProblem, parse_form

    source = Catalog().get("sanhui-yike").source
    form = parse_form(source.replace("title:", "photo_hours: 36\ntitle:", 1), "x.yaml")
    assert form.photo_hours == 36
    with pytest.raises(FormProblem) as bad:
        parse_form(source.replace("title:", "photo_hours: 0\ntitle:", 1), "x.yaml")
    assert "photo_hours" in str(bad.value)
    assert evaluate  # the engine is what shows them as typed


def test_warnings_are_kept_in_chinese_and_said_in_the_windows_language(village):
    from forms import i18n
    from forms.photo_checks import USE_KINDS, kept_warnings

    store, branch, records = village
    same = photo(11)
    new_with(records, branch, "2026-09-10T14:00", [same])
    assert i18n.set_language("en")
    try:
        again, outcome = new_with(records, branch, "2026-09-10T15:00", [same, photo(12, taken=None)])
        reused, no_time = again.data["photos"]
        # Kept for the paper and the hub, which speak Chinese whatever the window does.
        assert reused["warnings"][0]["text"] == "这张照片已用于 2026-09-10 三会一课（东山村党支部）"
        assert no_time["warnings"][0]["text"].startswith("没有拍摄时间")
        said = kept_warnings(reused, USE_KINDS)
        assert said == ["this photo was already used for 2026-09-10 三会一课 (东山村党支部)"], said
        assert any("this photo was already used for" in m.text for m in outcome.warnings)
    finally:
        i18n.set_language(None)
