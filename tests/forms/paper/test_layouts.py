"""Print layouts (forms/paper/layouts.py): found beside their form, compiled in the bounded
sandbox, and a broken one named by file and line in Chinese, never a traceback."""

from __future__ import annotations

import time

import pytest

from forms.catalog import Catalog
from forms.loader import load_form
from forms.paper.layouts import (
    GENERIC_LAYOUT,
    LayoutProblem,
    check_layout,
    find_layout,
    load_layout,
    render_layout,
)
from forms.paper.page_context import sample_context, sample_data
from forms.paper.record_page import record_page

CUSTOM = """\
id: cunmin-huiyi
version: 1
title: 村民代表会议
fields:
  - key: held_at
    label: 召开时间
    type: datetime
    required: true
  - key: host
    label: 主持人
    type: member
  - key: summary
    label: 会议纪要
    type: longtext
"""


def custom_form(folder, layout: str | None = None, name: str = "cunmin"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.yaml").write_text(CUSTOM, encoding="utf-8")
    if layout is not None:
        (folder / f"{name}.print.html").write_text(layout, encoding="utf-8")
    return load_form(folder / f"{name}.yaml")


def test_a_form_finds_its_layout_beside_it_else_the_generic_one(tmp_path):
    with_layout = custom_form(tmp_path / "a", "<p>{{ values.summary }}</p>")
    without = custom_form(tmp_path / "b")
    assert find_layout(with_layout) == tmp_path / "a" / "cunmin.print.html"
    assert find_layout(without) == GENERIC_LAYOUT
    catalog = Catalog()
    for form in catalog.all():
        assert find_layout(form, catalog).name == f"{form.id}.print.html"


def test_a_syntax_error_is_named_by_file_and_line(tmp_path):
    form = custom_form(tmp_path, "<p>\n{{ values.summary }}\n{% if %}\n</p>")
    layout = tmp_path / "cunmin.print.html"
    problems = check_layout(layout, form)
    assert [(p.file, p.line) for p in problems] == [(str(layout), 3)]
    assert str(problems[0]).startswith(f"{layout}:3: 打印版式写法有误")
    assert "yici forms check" in problems[0].message
    with pytest.raises(LayoutProblem) as caught:
        load_layout(layout)
    assert str(caught.value) == str(problems[0])


def test_an_unknown_filter_is_named_by_line(tmp_path):
    form = custom_form(tmp_path, "<p>\n{{ values.summary | shout }}</p>")
    (problem,) = check_layout(tmp_path / "cunmin.print.html", form)
    assert problem.line == 2 and "shout" in problem.message


def test_a_value_the_layout_does_not_expect_fails_at_print_time_with_its_line(setup, tmp_path):
    layout = (
        "<html><body>\n<p>{{ values.summary }}</p>\n<p>{{ values.held_at.raw.year() }}</p>\n</body></html>"
    )
    form = custom_form(tmp_path / "custom", layout)
    problems = check_layout(tmp_path / "custom" / "cunmin.print.html", form)
    assert [p.line for p in problems] == [3]
    assert "打印时版式出错" in problems[0].message and "请修改版式文件的这一行" in problems[0].message

    setup.catalog.add(form)
    record, _ = setup.records.new(
        "cunmin-huiyi", setup.branch.id, {"held_at": "2026-11-05T19:00"}, "欧阳晓明"
    )
    with pytest.raises(LayoutProblem) as caught:
        record_page(setup.store, setup.catalog, record)
    assert str(caught.value).startswith(f"{tmp_path / 'custom' / 'cunmin.print.html'}:3: 打印时版式出错")
    # The person can still print, in the generic layout.
    assert "2026年11月5日 19:00" in record_page(setup.store, setup.catalog, record, generic=True).html


def test_a_layout_cannot_run_away_or_read_other_files(tmp_path):
    form = custom_form(tmp_path / "big", "<p>\n{% set s = 'x' * 10 ** 9 %}{{ s }}</p>")
    (problem,) = check_layout(tmp_path / "big" / "cunmin.print.html", form)
    assert problem.line == 2 and "结果太大" in problem.message and "请精简版式文件" in problem.message

    loops = "<p>\n{% for i in range(100000) %}{% for j in range(1000) %}x{% endfor %}{% endfor %}</p>"
    form = custom_form(tmp_path / "loop", loops)
    started = time.monotonic()
    (problem,) = check_layout(tmp_path / "loop" / "cunmin.print.html", form)
    assert time.monotonic() - started < 30  # each of the check's trial prints stops within seconds
    assert "请精简版式文件" in problem.message

    form = custom_form(tmp_path / "include", '<p>\n{% include "/etc/passwd" %}</p>')
    (problem,) = check_layout(tmp_path / "include" / "cunmin.print.html", form)
    assert problem.line == 2 and "passwd" in problem.message
    assert "common.print.html" in problem.message  # what may be taken in, not "a value unexpected"

    form = custom_form(tmp_path / "attr", "{{ values.__class__.__mro__ }}")
    assert check_layout(tmp_path / "attr" / "cunmin.print.html", form) == []  # undefined: nothing printed
    page = render_layout(load_layout(tmp_path / "attr" / "cunmin.print.html"), sample_context(form, {}))
    assert "object" not in page


def test_a_layout_that_is_not_utf8_or_is_missing_says_so(tmp_path):
    form = custom_form(tmp_path, "")
    layout = tmp_path / "cunmin.print.html"
    layout.write_bytes("<p>会议</p>".encode("gb18030"))
    (problem,) = check_layout(layout, form)
    assert problem.line == 0 and "UTF-8" in problem.message
    layout.unlink()
    (problem,) = check_layout(layout, form)
    assert "无法读取打印版式文件" in problem.message


def test_shared_parts_keep_their_markup_when_joined_and_values_stay_text(tmp_path):
    layout = (
        '{% import "common.print.html" as paper %}'
        "{{ paper.person(values.host) ~ '<i>' }}|{{ values.summary ~ '<i>' }}|{{ values.summary }}"
    )
    form = custom_form(tmp_path, layout)
    data = {"host": "<b>王</b>", "summary": "第一行<b>\n第二行"}
    page = render_layout(load_layout(tmp_path / "cunmin.print.html"), sample_context(form, data))
    assert page == (
        "&lt;b&gt;王&lt;/b&gt;&lt;i&gt;|第一行&lt;b&gt;\n第二行&lt;i&gt;|第一行&lt;b&gt;<br/>第二行"
    )


@pytest.mark.parametrize("form_id", sorted(f.id for f in Catalog().all()))
def test_every_built_in_layout_and_the_generic_one_pass_the_check(form_id):
    catalog = Catalog()
    form = catalog.get(form_id)
    assert check_layout(find_layout(form, catalog), form) == []
    assert check_layout(GENERIC_LAYOUT, form) == []


def test_the_generic_layout_shows_groups_repeats_and_only_what_the_answers_ask(tmp_path):
    form = Catalog().get("ruhu-zoufang")
    data = sample_data(form)
    data["problems"] = [
        {"category": "住房安全", "description": "屋顶漏雨", "needs_follow_up": "否", "follow_up_by": None},
        {"category": "医疗健康", "description": "慢性病", "needs_follow_up": "是", "follow_up_by": "王建国"},
    ]
    page = render_layout(load_layout(GENERIC_LAYOUT), sample_context(form, data))
    assert '<td colspan="2" class="section">走访对象</td>' in page
    assert "发现的问题（2 项）" in page and "屋顶漏雨" in page and "慢性病" in page
    assert page.count("王建国") == 1  # the follow-up person of the row that needs one only

    lesson = Catalog().get("sanhui-yike")
    page = render_layout(
        load_layout(GENERIC_LAYOUT), sample_context(lesson, sample_data(lesson, {"meeting_type": "党课"}))
    )
    assert "授课人" in page and "会议议题" not in page and "党小组名称" not in page


def test_a_layout_shows_no_picture_but_the_records_photos(setup, tmp_path):
    layout = (
        '<img src="/etc/hosts"><img width="9" SRC=file:///etc/passwd><img src="https://example.com/x.png">'
        '{% for p in photos %}<img src="{{ p.src }}">{% endfor %}'
    )
    folder = tmp_path / "custom"
    folder.mkdir()
    (folder / "cunmin.yaml").write_text(
        CUSTOM + "  - key: photos\n    label: 照片\n    type: photos\n", encoding="utf-8"
    )
    (folder / "cunmin.print.html").write_text(layout, encoding="utf-8")
    setup.catalog.add(load_form(folder / "cunmin.yaml"))
    record, _ = setup.records.new(
        "cunmin-huiyi", setup.branch.id, {"held_at": "2026-11-05T19:00"}, "欧阳晓明"
    )
    photo = setup.attach(record.uuid, "会场.jpg", b"photo")
    setup.records.save_draft(record.uuid, {"held_at": "2026-11-05T19:00", "photos": [photo]}, "欧阳晓明")
    paper = record_page(setup.store, setup.catalog, record.uuid)
    assert list(paper.images) == [f"photo-{photo['sha256']}"]
    assert f'<img src="photo-{photo["sha256"]}">' in paper.html
    assert "/etc/" not in paper.html and "example.com" not in paper.html
