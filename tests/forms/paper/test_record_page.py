"""A record as its 记录本 page (forms/paper/record_page.py) over a real store and the built-in forms."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest

from forms.catalog import Catalog
from forms.lifecycle import Records
from forms.paper.record_page import record_page
from tests.forms.paper.conftest import LONG_TEXT, full_meeting

OLD_FORMS = Path(__file__).parent / "old_forms"


def text_of(page_html: str) -> str:
    """The page's text as a reader sees it: tags out, entities read, breaks as newlines."""
    text = re.sub(r"<br\s*/?>", "\n", page_html)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", text))


def final_meeting(setup, **changes):
    record, outcome = setup.records.new("sanhui-yike", setup.branch.id, full_meeting(**changes), "欧阳晓明")
    assert not outcome.errors, outcome.errors
    photos = [
        setup.attach(record.uuid, "会场全景.jpg", b"photo one"),
        {**setup.attach(record.uuid, "表决时.jpg", b"photo two"), "taken_at": "2026-11-05T19:42"},
    ]
    files = [setup.attach(record.uuid, "签到表（阿卜杜热合曼·艾买提江签名）.pdf", b"sign-in sheet")]
    data = {**setup.store.record(record.uuid).data, "photos": photos, "files": files}
    setup.records.save_draft(record.uuid, data, "欧阳晓明")
    return setup.records.finalize(record.uuid, "欧阳晓明")[0]


def test_every_value_of_a_full_meeting_is_on_its_page(setup):
    record = final_meeting(setup)
    paper = record_page(setup.store, setup.catalog, record.uuid)
    text = text_of(paper.html)

    expected = [
        "支部委员会",
        "2026年第 1 次支部委员会",
        "2026年11月支部委员会（研究冬季防火和发展党员工作）",
        "2026年11月5日 19:00 至 21:10",
        "2026年11月3日",
        "红星村党群服务中心二楼会议室",
        "王建国（书记）",
        "热依汗古丽·买买提明（委员）",
        "4 人",
        "3 人",
        "王建国、欧阳晓明、热依汗古丽·买买提明",
        "李秀英（外出务工（在浙江宁波））",
        "张某某（镇党委组织委员）、阿卜杜热合曼·艾买提江（村民代表）",
        "1. 传达学习上级会议精神\n2. 研究冬季防火检查安排\n3. 讨论发展党员工作",
        "王建国同志主持会议并传达上级会议精神。",
        LONG_TEXT,
        "会议一致同意上述安排。",
        "欧阳晓明同志认为防火检查应提前到十月底，并说明了理由。",
        "举手表决：同意 3 票，反对 0 票，弃权 0 票。",
        "一、成立冬季防火检查小组，王建国任组长。\n二、11月30日前完成全村检查。",
        "会议于 21:10 结束。",
        "主持人：王建国",
        "记录人：热依汗古丽·买买提明",
        "签字：________________",
        "日期：______年__月__日",
        "签到表（阿卜杜热合曼·艾买提江签名）.pdf",
        "会议照片（2 张）",
        "会场全景.jpg",
        "添加于 2026年11月5日 21:30",
        "表决时.jpg",
        "拍摄于 2026年11月5日 19:42",
        "录入人：欧阳晓明",
        record.uuid,
    ]
    missing = [value for value in expected if value not in text]
    assert missing == []
    assert "None" not in text
    assert paper.title == "三会一课 · 2026年11月5日 · 红星村党支部"
    assert paper.running_head == "红星村党支部"
    assert paper.draft is False
    # Every photo is an <img> whose source the renderer finds in `images`, decrypted when drawn.
    sources = re.findall(r'<img src="([^"]+)"', paper.html)
    assert len(sources) == 2 and set(sources) == set(paper.images)
    assert all(
        read() in (b"photo one", b"photo two")
        for read in paper.images.values()  # decrypted when drawn
    )


def test_a_lecture_prints_its_lecturer_and_course_instead_of_topics(setup):
    data = full_meeting(
        meeting_type="党课",
        lecturer="阿卜杜热合曼·艾买提江",
        course_title="学习贯彻《中国共产党支部工作条例（试行）》",
        expected_count=10,
    )
    for key in ("topics", "dissent", "vote", "decisions", "attendees", "absences"):
        data.pop(key)
    record, outcome = setup.records.new("sanhui-yike", setup.branch.id, data, "欧阳晓明", final=True)
    text = text_of(record_page(setup.store, setup.catalog, record).html)
    assert "授课人" in text and "阿卜杜热合曼·艾买提江（党员）" in text
    assert "学习贯彻《中国共产党支部工作条例（试行）》" in text
    assert "党课于 21:10 结束。" in text
    assert "会议议题" not in text and "表决情况" not in text and "不同意见" not in text
    assert "2026年第 1 次党课" in text


def test_a_value_never_becomes_markup(setup):
    hostile = '<b>x</b>&<img src="file:///etc/passwd">'
    record = final_meeting(
        setup,
        title=hostile[:90],
        place=hostile,
        content=hostile,
        absences=[{"name": "李秀英", "reason": hostile}],
    )
    paper = record_page(setup.store, setup.catalog, record)
    assert "<b>x</b>" not in paper.html
    assert all(src.startswith("photo-") for src in re.findall(r'<img src="([^"]*)"', paper.html))
    assert "&lt;b&gt;x&lt;/b&gt;&amp;&lt;img src=" in paper.html
    assert text_of(paper.html).count(hostile) >= 3
    generic = record_page(setup.store, setup.catalog, record, generic=True)
    assert "<b>x</b>" not in generic.html and "&lt;b&gt;x&lt;/b&gt;&amp;" in generic.html


def test_empty_values_are_lines_to_write_on_never_none(setup):
    record, _ = setup.records.new(
        "sanhui-yike", setup.branch.id, {"meeting_type": "支部党员大会"}, "欧阳晓明"
    )
    setup.records.save_draft(
        record.uuid,
        {"meeting_type": "支部党员大会", "held_at": None, "host": None, "expected_count": None},
        "欧阳晓明",
    )
    paper = record_page(setup.store, setup.catalog, record.uuid)
    text = text_of(paper.html)
    assert "None" not in text
    assert "________________" in text  # a line for the meeting's name, place, minutes...
    assert "____年第 ____ 次支部党员大会" in text  # no day yet: year and number written by hand
    assert "草稿" in text
    assert paper.draft is True
    assert paper.title == "三会一课 · 红星村党支部"


def test_a_voided_record_says_so_and_why(setup):
    record = final_meeting(setup)
    setup.store.void(record.uuid, "重复录入，以 11 月 6 日的记录为准", "欧阳晓明")
    paper = record_page(setup.store, setup.catalog, record.uuid)
    text = text_of(paper.html)
    assert "本记录已作废" in text and "重复录入，以 11 月 6 日的记录为准" in text
    assert "已作废，不计入次数" in text
    assert paper.title.endswith("（已作废）")


def test_a_layout_that_forgets_the_void_notice_gets_one(setup, tmp_path):
    from forms.paper.record_page import with_void_notice

    page = with_void_notice("<html><body><p>x</p></body></html>", "<录错了>", "2026年11月6日 09:00")
    assert page.startswith("<html><body><table") and "&lt;录错了&gt;" in page
    assert with_void_notice(page, "<录错了>", "") == page


def test_a_photo_whose_file_is_gone_is_named_not_shown(setup):
    record = final_meeting(setup)
    paper = record_page(setup.store, setup.catalog, record)
    gone = setup.store.attachment_path(next(iter(paper.images.values())).args[1])
    gone.unlink()
    paper = record_page(setup.store, setup.catalog, record)
    assert len(paper.images) == 1 and "照片文件缺失" in paper.html


@pytest.mark.parametrize("version", [1, 2])
def test_records_of_older_versions_print_in_todays_layout(setup, version, tmp_path):
    old_library = tmp_path / f"v{version}"
    old_library.mkdir()
    (old_library / "sanhui-yike.yaml").write_text(
        (OLD_FORMS / f"sanhui-yike-v{version}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    old = Records(setup.store, Catalog(library_dir=old_library))
    data = full_meeting()
    for key in ("ended_at", "dissent", "vote"):
        data.pop(key)
    record, outcome = old.new("sanhui-yike", setup.branch.id, data, "欧阳晓明", final=True)
    assert record.form_version == version and not outcome.errors

    paper = record_page(setup.store, Catalog(setup.tmp / "data"), record)  # today's catalog: v3 only
    text = text_of(paper.html)
    assert "2026年11月5日 19:00 至 ______" in text  # no end time in v1/v2: a line to write it on
    assert "会议于 ______ 结束。" in text
    assert "不同意见" in text and "表决情况" in text
    for value in (
        "红星村党群服务中心二楼会议室",
        "王建国（书记）",
        "李秀英（外出务工（在浙江宁波））",
        LONG_TEXT,
    ):
        assert value in text
    assert f"第 {version} 版表单" in text


def test_each_photo_prints_its_time_and_the_warnings_kept_with_it(setup):
    record, _ = setup.records.new("sanhui-yike", setup.branch.id, full_meeting(), "欧阳晓明")
    photos = [
        {**setup.attach(record.uuid, "四天前.jpg", b"photo one"), "taken_at": "2026-11-01T10:00:00"},
        # An item from before times were kept without their offset: printed as the phone showed it.
        {**setup.attach(record.uuid, "会上.jpg", b"photo two"), "taken_at": "2026-11-05T19:42:10+08:00"},
        {**setup.attach(record.uuid, "截图.jpg", b"photo three"), "taken_at": None},
        setup.attach(record.uuid, "老照片.jpg", b"photo four"),  # attached before photos were read
    ]
    data = {**setup.store.record(record.uuid).data, "photos": photos}
    setup.records.save_draft(record.uuid, data, "欧阳晓明")
    final, _ = setup.records.finalize(record.uuid, "欧阳晓明")
    text = text_of(record_page(setup.store, setup.catalog, final).html)
    sheet = text[text.index("会议照片（4 张）") :]
    assert (
        "四天前.jpg\n拍摄于 2026年11月1日 10:00\n※ 拍摄于 2026-11-01 10:00，与记录的时间相差约 4 天，请核对"
        in sheet
    )
    assert (
        "会上.jpg\n拍摄于 2026年11月5日 19:42\n" in sheet
        and "会上.jpg\n拍摄于 2026年11月5日 19:42\n※" not in sheet
    )
    no_time = "※ 没有拍摄时间（可能是截图、转发或修改过的图片），请确认是本次拍的"
    assert f"截图.jpg\n添加于 2026年11月5日 21:30\n{no_time}" in sheet
    assert "老照片.jpg\n添加于 2026年11月5日 21:30\n" in sheet and sheet.count("※") == 2
