"""forms/paper/book.py: a branch's 台账 as one HTML document — what is in it, in which order, with
which anchors and page marks — from a real store filled through the record lifecycle."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from forms.paper import PAGE_OF
from forms.paper.book import branch_book, branch_books, record_anchor, take_images, unwrap
from forms.paper.book_markup import ZERO_WIDTH_SPACE, text
from forms.paper.periods import parse_period
from tests.forms.paper.book_data import MARKUP, NOW, make_year, stand_in_page

MADE_ON = NOW.date()
IN_2026 = ["jan", "feb", "mar", "assembly", "apr", "lecture", "group", "theme-day", "life", "fee", "visit"]
NOT_IN_2026 = ["draft", "voided", "voided-draft", "other-branch", "last-year", "next-year"]
MARK = re.compile(re.escape(PAGE_OF.format(anchor="@")).replace("@", "(.+?)"))


@pytest.fixture
def year(tmp_path, monkeypatch):
    year = make_year(tmp_path, monkeypatch)
    yield year
    year.store.close()


def book(year, tmp_path, *args, **options):
    options.setdefault("record_page", stand_in_page(tmp_path))
    options.setdefault("made_on", MADE_ON)
    return branch_book(year.store, year.catalog, year.branch_id, parse_period(2026, *args), **options)


def printed(paper) -> list[str]:
    """The uuids of the record pages in the book, in order."""
    return re.findall(r"RECORD-PAGE ([0-9a-f-]{36})", paper.html)


def part(paper, anchor: str, until: str | None = None) -> str:
    """The HTML from an anchor to the next one named (or the end), without the invisible break
    points long runs of latin text get (book_markup.text)."""
    start = paper.html.index(f'<a name="{anchor}">')
    end = paper.html.index(f'<a name="{until}">') if until else len(paper.html)
    return paper.html[start:end].replace(ZERO_WIDTH_SPACE, "")


def test_a_years_book_prints_every_final_record_of_the_branch_and_year_grouped_by_form_in_date_order(
    year, tmp_path
):
    paper = book(year, tmp_path)
    # 三会一课 first (the 09:00 meeting of 03-31 before the 15:00 one entered earlier), then
    # 主题党日, 组织生活会, 党费收缴, 入户走访 — the order a 台账 is bound in.
    assert printed(paper) == [year.uuids[name] for name in IN_2026]
    for name in NOT_IN_2026:
        assert year.uuids[name] not in paper.html, name
    for title in ("草稿会议", "第二支部的会", "去年的会", "明年的会", "草稿不要了"):
        assert title not in paper.html


def test_each_record_starts_a_new_page_at_its_anchor_and_each_form_at_its_first_record(year, tmp_path):
    paper = book(year, tmp_path)
    starts = re.findall(
        r'<div style="page-break-before: always">((?:<a name="[^"]+"></a>)+)<div style="font-size: 11pt">'
        r'<p class="rec">RECORD-PAGE ([0-9a-f-]{36})',
        paper.html,
    )
    assert [uuid for _, uuid in starts] == [year.uuids[name] for name in IN_2026]
    for marks, uuid in starts:
        assert f'<a name="{record_anchor(uuid)}"></a>' in marks
    firsts = {uuid: re.findall(r'name="(book-form-[^"]+)"', marks) for marks, uuid in starts}
    assert firsts[year.uuids["jan"]] == ["book-form-sanhui-yike"]
    assert firsts[year.uuids["theme-day"]] == ["book-form-zhuti-dangri"]
    assert firsts[year.uuids["visit"]] == ["book-form-ruhu-zoufang"]
    assert firsts[year.uuids["feb"]] == []


def test_the_contents_list_each_form_and_record_in_order_with_an_anchor_and_a_page_mark(year, tmp_path):
    paper = book(year, tmp_path)
    contents = part(paper, "book-contents", "book-form-sanhui-yike")
    marks = MARK.findall(contents)
    records = [m for m in marks if m.startswith("book-record-")]
    assert records == [record_anchor(year.uuids[name]) for name in IN_2026]
    assert marks[0] == "book-form-sanhui-yike"
    assert marks[-3:] == ["book-voided", "book-cadence", "book-attendance"]
    assert "三会一课（7 条）" in contents and "主题党日（1 条）" in contents
    # The form's row comes before its records and the dates are in the rows.
    assert contents.index("book-form-zhuti-dangri") < contents.index(record_anchor(year.uuids["theme-day"]))
    assert re.search(r"2026-03-31</td><td[^>]*>2026-03-31 支部党员大会 · ", contents)
    # Every mark has its anchor in the HTML and in Paper.anchors, which lists them in HTML order.
    in_html = re.findall(r'<a name="([^"]+)"></a>', paper.html)
    assert paper.anchors == in_html
    assert set(MARK.findall(paper.html)) <= set(paper.anchors)
    assert len(set(paper.anchors)) == len(paper.anchors)


def test_title_and_running_head_name_the_branch_and_period(year, tmp_path):
    paper = book(year, tmp_path, 4)
    assert paper.title == paper.running_head == "第一党支部 · 2026年第四季度 台账"
    assert not paper.draft
    assert "<title>第一党支部 · 2026年第四季度 台账</title>" in paper.html


def test_the_cover_names_branch_period_township_date_and_counts(year, tmp_path):
    year.store.set_setting("township", "青山镇")
    paper = book(year, tmp_path)
    cover = paper.html[: paper.html.index('<a name="book-contents">')]
    for words in (
        "青山镇",
        "第一党支部",
        "台　账",
        "2026年",
        "2026-01-01 至 2026-12-31",
        "张三",
        "6 人",
        "共 11 条：三会一课 7 条、主题党日 1 条、组织生活会 1 条、党费收缴 1 条、入户走访 1 条",
        '<td width="78%" align="left">1 条</td>',
        "2027-01-10",
    ):
        assert words in cover, words
    unnamed = book(year, tmp_path, township="").html  # the caller's word wins over the setting
    assert "所属乡镇" not in unnamed and "青山镇" not in unnamed
    year.store.set_setting("township", "")
    assert "所属乡镇" not in book(year, tmp_path).html


@pytest.mark.parametrize(
    "args, inside, outside",
    [
        ((1,), ["jan", "feb", "mar", "assembly"], ["apr", "lecture"]),
        ((2,), ["apr", "lecture", "group"], ["mar", "assembly", "theme-day"]),
        ((None, 1), ["jan", "mar", "assembly", "apr", "group"], ["theme-day", "fee"]),
        ((None, 2), ["theme-day", "fee", "visit", "life"], ["group", "apr"]),
    ],
)
def test_quarters_and_halves_split_at_their_boundaries(year, tmp_path, args, inside, outside):
    uuids = printed(book(year, tmp_path, *args))
    for name in inside:
        assert year.uuids[name] in uuids, name
    for name in outside:
        assert year.uuids[name] not in uuids, name


def test_voided_records_are_listed_with_their_reason_and_voided_drafts_are_not(year, tmp_path):
    paper = book(year, tmp_path)
    voided = part(paper, "book-voided", "book-cadence")
    assert "2026-06-10" in voided and "2026-06-10 支部委员会 · " in voided
    assert "日期录错，已重新录入" + html.escape(MARKUP) in voided
    assert "草稿不要了" not in voided
    assert "已作废记录（1 条）" in part(paper, "book-contents", "book-form-sanhui-yike")
    assert "已作废记录（1 条）" in paper.html


def test_record_text_never_becomes_markup(year, tmp_path):
    year.store.update_branch(year.branch_id, name="第一<i>党支部</i>")
    paper = book(year, tmp_path)
    assert "<script>" not in paper.html and "<i>" not in paper.html
    escaped = html.escape(MARKUP)
    assert escaped in part(paper, "book-contents", "book-form-sanhui-yike")  # a meeting's name
    assert escaped in part(paper, "book-voided", "book-cadence")  # a void reason
    assert escaped in part(paper, "book-attendance")  # an absence reason
    assert "第一&lt;i&gt;党支部&lt;/i&gt;" in paper.html
    assert paper.running_head == "第一<i>党支部</i> · 2026年 台账"  # painted as text, not HTML


def test_record_pages_lose_their_wrapper_and_bring_their_styles_and_photos(year, tmp_path):
    paper = book(year, tmp_path)
    assert paper.html.count("<html") == paper.html.count("<body") == paper.html.count("<!DOCTYPE") == 1
    assert paper.html.count("p.rec { font-size: 12pt; }") == 1
    assert paper.html.index("p.rec") < paper.html.index("</head>")
    shown = re.findall(r'RECORD-PAGE ([0-9a-f-]{36}).*?<img src="([^"]+)"', paper.html)
    assert len(shown) == len(IN_2026) == len(paper.images)
    for uuid, src in shown:  # each page shows its own photo though every page called it photo-1.jpg
        assert paper.images[src] == tmp_path / f"{uuid}.jpg"


def test_unwrap_keeps_the_body_style_and_takes_the_head_styles():
    body, styles = unwrap(
        "<!DOCTYPE html><HTML><Head><title>x</title><style>td { padding: 2px }</style></head>"
        '<body style="font-size: 12pt" class="page"><table><tr><td>甲</td></tr></table></BODY></html>'
    )
    assert body == '<div style="font-size: 12pt"><table><tr><td>甲</td></tr></table></div>'
    assert styles == ["td { padding: 2px }"]
    assert unwrap("<p>没有外壳</p>") == ("<p>没有外壳</p>", [])


def test_take_images_renames_only_a_name_already_used_for_another_file(tmp_path):
    images = {"a.jpg": tmp_path / "1.jpg"}
    body = take_images(
        {"a.jpg": tmp_path / "2.jpg", "b&c.jpg": tmp_path / "3.jpg"},
        '<img src="a.jpg"/><img src=\'a.jpg\' width="9"/><img src="b&amp;c.jpg"/><p>a.jpg</p>',
        images,
        7,
    )
    assert (
        body == '<img src="r7-a.jpg"/><img src=\'r7-a.jpg\' width="9"/><img src="b&amp;c.jpg"/><p>a.jpg</p>'
    )
    assert images == {
        "a.jpg": tmp_path / "1.jpg",
        "r7-a.jpg": tmp_path / "2.jpg",
        "b&c.jpg": tmp_path / "3.jpg",
    }
    same = take_images({"a.jpg": tmp_path / "1.jpg"}, '<img src="a.jpg"/>', images, 8)
    assert same == '<img src="a.jpg"/>'  # the same file under the same name: shared


def test_a_period_with_nothing_final_still_makes_a_book_with_its_summary_pages(year, tmp_path):
    paper = branch_book(
        year.store, year.catalog, year.branch_id, parse_period(2030), record_page=stand_in_page(tmp_path)
    )
    assert printed(paper) == []
    assert "本期没有已定稿的记录。" in paper.html
    assert paper.anchors == ["book-contents", "book-voided", "book-cadence", "book-attendance"]
    assert "制作日期" in paper.html and "2027-01-10" in paper.html  # the store's clock


def test_several_branches_yield_one_book_each_with_its_own_records(year, tmp_path):
    books = list(
        branch_books(
            year.store,
            year.catalog,
            [year.branch_id, year.other_branch_id],
            parse_period(2026),
            record_page=stand_in_page(tmp_path),
            made_on=MADE_ON,
        )
    )
    assert [branch.name for branch, _ in books] == ["第一党支部", "第二党支部"]
    first, second = books[0][1], books[1][1]
    assert printed(second) == [year.uuids["other-branch"]]
    assert "第二支部的会" in second.html and "第二支部的会" not in first.html
    assert second.running_head == "第二党支部 · 2026年 台账"


def test_long_names_and_texts_may_wrap(year, tmp_path):
    paper = book(year, tmp_path)
    assert "nowrap" not in paper.html.lower() and "white-space" not in paper.html
    assert '<td align="left">阿卜杜热合曼·艾买提江</td>' in paper.html


def test_a_long_unbroken_run_of_latin_text_gets_invisible_break_points():
    url = "https://example.gov.cn/" + "a" * 40
    shown = text(f"见 {url} 第二行\n<b>")
    assert shown.replace(ZERO_WIDTH_SPACE, "") == html.escape(f"见 {url} 第二行") + "<br/>&lt;b&gt;"
    assert all(len(piece) <= 24 for piece in shown.split(" ")[1].split(ZERO_WIDTH_SPACE))
    assert (
        text("阿卜杜热合曼·艾买提江买买提依明·阿不都热西提") == "阿卜杜热合曼·艾买提江买买提依明·阿不都热西提"
    )
    assert text("110101199003074219 13800138000") == "110101199003074219 13800138000"
    assert text(None) == ""


def test_the_real_record_page_is_used_when_none_is_given(year, tmp_path):
    pytest.importorskip("forms.paper.record_page")
    paper = branch_book(year.store, year.catalog, year.branch_id, parse_period(2026, 1), made_on=MADE_ON)
    assert paper.html.count("<html") == paper.html.count("<body") == 1
    for name in ("jan", "feb", "mar", "assembly"):
        assert record_anchor(year.uuids[name]) in paper.anchors
    assert dt.date(2026, 1, 1).isoformat() in paper.html
