"""Values stay text in group messages: a record whose values are hostile markup reaches real
DingTalk, WeCom and Feishu robots on 127.0.0.1 as plain text, while the template's own heading,
labels and list stay live. Rendered with a real markdown reader (tests/sync/markdown_view.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.dingtalk import dingtalk
from sync.escaping import TWINS, inert, inert_text
from sync.feishu import feishu
from sync.kind import DELIVERED
from sync.messages import render_message, render_template, template_context
from sync.wecom import wecom
from tests.sync.robot_servers import (
    DingTalkServer,
    FeishuServer,
    WeComServer,
    make_outgoing,
)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from tests.sync.markdown_view import render  # noqa: E402  (Qt after the platform is chosen)

TITLE = (
    "# 标题\n> 引用 [点我](http://evil) ![x](http://evil/x.png) "
    '<font color=warning>红</font> @all <at user_id="all">'
)
CONTENT = (
    "第一行 **加粗** _斜体_ ~~删除~~ `代码`\n"
    "# 第二行\n"
    "    缩进四格\n"
    "- 列表\n"
    "1. 编号\n"
    "---\n"
    "> 引用\n"
    '<font color="warning">红字</font> <@zhangsan> <a href="http://evil">链接</a> <img src=x>\n'
    "http://evil.example/a?b=1 www.evil.com a@b.com &lt;b&gt; | 表 | 格 |\n"
    "|---|---|\n"
    "第\u2028二\u2029段\x00\x1b[31m\u202e反转"
)
HOSTILE = {
    "meeting_type": "支部委员会",
    "title": TITLE,
    "held_at": "2026-03-05T14:30",
    "place": "会议室\n## 二楼",
    "host": "王建国 <@wangjianguo>",
    "expected_count": 5,
    "attendees": ["王建国", "李秀英 [李](http://evil)"],
    "attend_count": 2,
    "absences": [{"name": "周明", "reason": "**病假**\n> 请假条"}],
    "content": CONTENT,
    "decisions": "同意\n# 决议二",
    "topics": "1. 学习\n2. [点我](http://evil)",
}
HOSTILE_CONTEXT = {"branch": "红星村 [支部](http://evil)", "operator": "张干事 <@all>"}
TEMPLATES = "".join(
    (Path(__file__).resolve().parents[2] / "sync" / "templates" / name).read_text(encoding="utf-8")
    for name in ("sanhui-yike.md.j2", "_macros.md.j2")
)
MARKUP_WORDS = ("<font", "<at", "<@", "<a ", "<img", "](", "@all", "http://", "www.", "**加粗", "`代码`")


def hostile(kind: str, secrets: dict, **kw):
    return make_outgoing(kind, secrets, data=dict(HOSTILE), **HOSTILE_CONTEXT, **kw)


def assert_plain_markdown(text: str) -> None:
    """Rendered, the message has the template's heading and bold labels and nothing else live."""
    blocks = render(text)
    assert blocks[0].heading == 3, text  # the template's own heading stays a heading
    assert [b.text for b in blocks if b.heading] == [blocks[0].text], text
    for block in blocks:
        assert not (block.quoted or block.code or block.rule), (block, text)
        for piece in block.pieces:
            assert piece.plain, (piece, block.text)
            if piece.bold and block is not blocks[0]:
                assert re.search(f'["*]{piece.text}["*]', TEMPLATES), piece  # the template's own label
    bold = {p.text for b in blocks for p in b.pieces if p.bold}
    assert {"会议名称", "会议地点", "会议内容", "会议决议"} <= bold  # the template's labels are still bold
    for word in MARKUP_WORDS:
        assert word not in text, word
    for control in ("\x00", "\x1b", "\u202e", "\u2028", "\u2029"):
        assert control not in text
    lines = text.splitlines()
    # A single-line field stays on one line: the whole title is on its label's line.
    (title_line,) = [line for line in lines if "会议名称" in line]
    assert "＃ 标题 ＞ 引用 ［点我］(http：//evil) !［x］(http：//evil/x.png)" in title_line
    assert '＜font color=warning＞红＜/font＞ ＠all ＜at user＿id="all"＞' in title_line
    (place_line,) = [line for line in lines if "会议地点" in line]
    assert place_line.endswith("会议室 ＃＃ 二楼")
    # A longtext keeps its lines, each one inert.
    for line in ("＃ 第二行", "　　缩进四格", "－ 列表", "1． 编号", "－--", "＞ 引用"):
        assert line in lines, line
    assert "第 二 段" not in text and "第\n\n二\n\n段" in text  # line separators are line breaks


def test_hostile_values_reach_dingtalk_as_plain_text(qapp, start_server, http):
    server = start_server(DingTalkServer)
    attempt = dingtalk.send(hostile("dingtalk", {"webhook": server.webhook}), http)
    assert attempt.outcome == DELIVERED, attempt.message
    (body,) = server.accepted
    assert_plain_markdown(body["markdown"]["text"])
    assert body["at"] == {"atMobiles": [], "isAtAll": False}
    assert body["markdown"]["title"].startswith("三会一课·支部委员会｜红星村 ［支部］(http：//evil)")


def test_hostile_values_reach_wecom_as_plain_text(qapp, start_server, http):
    server = start_server(WeComServer)
    attempt = wecom.send(hostile("wecom", {"webhook": server.webhook}), http)
    assert attempt.outcome == DELIVERED, attempt.message
    (text,) = server.markdowns
    assert_plain_markdown(text)
    assert "<font" not in text and "<@" not in text  # WeCom's own tags and mentions


def test_hostile_values_reach_feishu_as_plain_text_nodes(start_server, http):
    server = start_server(FeishuServer)
    attempt = feishu.send(hostile("feishu", {"webhook": server.webhook}), http)
    assert attempt.outcome == DELIVERED, attempt.message
    (body,) = server.accepted
    post = body["content"]["post"]["zh_cn"]
    elements = [el for para in post["content"] for el in para]
    assert {el["tag"] for el in elements} == {"text"}  # no `a`, `at` or `img` from a value
    texts = [el["text"] for el in elements]
    (title_line,) = [t for t in texts if "会议名称" in t]
    # Nothing typed was stripped as if it were markup: the reader sees what was typed.
    assert "＃ 标题 ＞ 引用 ［点我］(http：//evil) !［x］(http：//evil/x.png)" in title_line
    assert "＊＊病假＊＊ ＞ 请假条" in " ".join(texts)
    for word in MARKUP_WORDS:
        assert all(word not in t for t in texts), word
    assert post["title"].startswith("三会一课·支部委员会｜红星村 ［支部］(http：//evil)")


@pytest.mark.parametrize(
    "expression",
    [
        "data.title",
        "data.title ~ ''",
        "data.title | safe",
        "data.title | e",
        "[data.title] | join('、')",
        "record.data.title",
        "data.title | tojson",
        "'%s' | format(data.title)",
    ],
)
def test_a_targets_own_template_cannot_let_a_value_through(qapp, expression):
    template = "### {{ branch }}\n**名称**：{{ " + expression + " }}\n[模板的链接](https://example.org)\n"
    _, text = render_message(hostile("dingtalk", {"webhook": "https://x.invalid/h"}, template=template))
    blocks = render(text)
    links = [p.link for b in blocks for p in b.pieces if p.link]
    assert links == ["https://example.org"], text  # only the template's own link
    assert blocks[0].heading == 3 and not any(b.heading for b in blocks[1:])
    assert "[点我](" not in text and "<font" not in text and "@all" not in text


def test_rest_body_templates_keep_the_values_as_typed():
    item = hostile("rest", {})
    body = render_template("{{ data.title | tojson }}", template_context(item))
    assert "[点我](http://evil)" in body and "@all" in body


def test_ordinary_values_read_as_before():
    _, text = render_message(make_outgoing("dingtalk", {"webhook": "https://x.invalid/h"}))
    assert "- **会议地点**：村党群服务中心会议室" in text
    assert "1. 学习《中国共产党支部工作条例（试行）》\n2. 研究低保户评议名单" in text
    assert "王建国同志传达了上级精神。\n\n与会同志逐户讨论了低保名单。" in text


BLOCK_STARTS = ("#", ">", "-", "+", "=", "*", "`", "<", "|", " ", "\t")


@settings(max_examples=300, deadline=None)
@given(st.text(), st.booleans())
def test_inert_text_has_no_markup_and_is_stable(text, multiline):
    out = inert_text(text, multiline)
    assert not set(out) & set(TWINS), out
    assert "://" not in out
    lines = out.splitlines()
    if not multiline:
        assert len(lines) <= 1
    for line in lines:
        assert not line.startswith(BLOCK_STARTS), line
        assert not (line[:1].isdigit() and any(c in line[:11] for c in ".)")) or not _ordered(line)
    assert inert_text(out, multiline) == out  # made inert once, it stays as it is


def _ordered(line: str) -> bool:
    digits = len(line) - len(line.lstrip("0123456789"))
    return (
        0 < digits <= 9
        and line[digits : digits + 1] in (".", ")")
        and line[digits + 1 : digits + 2] in ("", " ", "\t")
    )


@settings(max_examples=60, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("#>-*_[]()!<>`~|@&:/wh.tp 1\n\t\\=+")) | st.characters(), max_size=60
    )
)
def test_any_typed_title_renders_as_one_plain_line(qapp, text):
    data = dict(HOSTILE, title=text, content=text)
    _, message = render_message(make_outgoing("dingtalk", {"webhook": "https://x.invalid/h"}, data=data))
    for block in render(message)[1:]:
        assert not (block.heading or block.quoted or block.code or block.rule), (text, message)
        assert all(piece.plain for piece in block.pieces), (text, message)


def test_inert_walks_lists_and_dicts_and_leaves_numbers():
    assert inert({"a": ["<b>", 1, None, True]}) == {"a": ["＜b＞", 1, None, True]}
