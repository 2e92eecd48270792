"""Robot messages: default Chinese message per built-in form, overrides, marks, limits."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync import messages
from sync.messages import TemplateProblem, cut_utf8, render_message, render_template, template_context
from tests.sync.robot_servers import BUILTIN_FORMS, form_labels, make_outgoing

SECRETS = {"webhook": "https://example.invalid/hook"}


def message(form_id="sanhui-yike", **kw):
    return render_message(make_outgoing("dingtalk", SECRETS, form_id=form_id, **kw))


@pytest.mark.parametrize("form_id", BUILTIN_FORMS)
def test_each_builtin_form_has_its_own_default_message(form_id):
    assert messages.default_template_name(form_id) == f"{form_id}.md.j2"
    title, text = message(form_id)
    form_title, _ = form_labels(form_id)
    assert title.startswith(form_title) and "红星村党支部" in title
    assert text.splitlines()[0].startswith("### ")
    assert "录入人：张干事" in text and "5d1c7a9e" in text
    for bad in ("None", "Undefined", "{{", "{%"):
        assert bad not in text


@pytest.mark.parametrize("form_id", BUILTIN_FORMS + ("some-local-form",))
def test_every_default_message_renders_with_empty_data(form_id):
    item = make_outgoing("dingtalk", SECRETS, form_id="dangfei", data={})
    item.form_id = form_id
    title, text = render_message(item)
    assert "红星村党支部" in title
    assert "None" not in text and "- **" not in text  # nothing filled, no empty items


def test_sanhui_yike_message_says_what_upper_levels_look_for():
    title, text = message("sanhui-yike")
    assert title == "三会一课·支部委员会｜红星村党支部"
    assert "- **召开时间**：2026-03-05 14:30" in text
    assert "- **会议地点**：村党群服务中心会议室" in text
    assert "实到 4 人 / 应到 5 人（80%）" in text
    assert "周明（外出务工）" in text
    # Topics typed "1. ..." are numbered once, not twice.
    assert "1. 学习《中国共产党支部工作条例（试行）》\n2. 研究低保户评议名单" in text
    assert "- **会议决议**：同意上报低保名单 3 户" in text


def test_household_visit_lists_problems_and_leaves_out_id_card_and_phone():
    _, text = message("ruhu-zoufang")
    assert "【住房安全】厨房屋顶漏雨；处理情况：已报镇里危房改造；需跟进（李秀英，2026-04-01 前）" in text
    assert "三组45号（27.12345, 109.54321）" in text
    assert "110101194001011234" not in text and "13800138000" not in text


def test_other_forms_show_their_key_facts():
    assert "- **金额**：0.20 元" in message("dangfei")[1]
    assert "代缴人：李秀英" in message("dangfei")[1]
    assert "优秀 1 人（王建国）；合格 1 人；基本合格 1 人（赵强）" in message("minzhu-pingyi")[1]
    assert "- **活动内容**：学习、志愿服务" in message("zhuti-dangri")[1]
    assert "1. 学习不够深入\n2. 联系群众不够紧密" in message("zuzhi-shenghuohui")[1]


def test_generic_message_lists_labelled_values_in_form_order():
    item = make_outgoing("dingtalk", SECRETS, form_id="dangfei")
    item.form_id, item.form_title = "cunwu-gongkai", "村务公开"
    item.labels = {"subject": "公开事项", "items": "公开内容", "count": "份数"}
    item.data = {"count": 3, "subject": "2026年一季度财务", "items": ["收入", "支出"], "extra": None}
    title, text = render_message(item)
    assert title == "村务公开｜红星村党支部"
    lines = text.splitlines()
    assert (
        lines.index("- **公开事项**：2026年一季度财务")
        < lines.index("- **公开内容**：收入、支出")
        < lines.index("- **份数**：3")
    )
    assert "extra" not in text


def test_correction_and_void_are_marked_at_the_start():
    title, text = message(is_correction=True, revision=2)
    assert title.startswith("【更正】") and text.startswith("### 【更正】")
    assert "第 2 版" in text
    title, text = message(status="void", is_correction=True, revision=3)
    assert title.startswith("【作废】") and text.startswith("### 【作废】") and "【更正】" not in title


def test_target_template_overrides_the_default_and_is_still_marked():
    title, text = message(
        template="{{ branch }}：{{ data.title }}（实到{{ data.attend_count }}人）",
        is_correction=True,
        revision=2,
    )
    assert text == "【更正】红星村党支部：2026年3月支部委员会（实到4人）"
    assert title == text


def test_template_syntax_error_names_the_line():
    with pytest.raises(TemplateProblem) as info:
        message(template="第一行\n{% if data.title %}\n没有结束")
    assert info.value.line == 3
    assert f"第 {info.value.line} 行" in info.value.message and "模板" in info.value.message


def test_template_runtime_error_names_the_line():
    with pytest.raises(TemplateProblem) as info:
        message(template="标题\n\n{{ data.missing + 1 }}")
    assert info.value.line == 3
    assert "第 3 行" in info.value.message


def test_templates_run_in_the_sandbox_and_cannot_change_the_record():
    text = render_template("{{ data.__class__.__mro__ }}x", {"data": {}})
    assert "class" not in text
    item = make_outgoing("dingtalk", SECRETS)
    with pytest.raises(TemplateProblem):
        render_template("{{ data.update({'title': 'x'}) }}", template_context(item))
    assert item.data["title"] == "2026年3月支部委员会"


def test_template_context_for_rest_body_templates():
    item = make_outgoing("rest", SECRETS, is_correction=True, revision=2)
    ctx = template_context(item)
    for key in (
        "record",
        "data",
        "labels",
        "branch",
        "form_title",
        "operator",
        "revision",
        "is_correction",
        "uuid",
    ):
        assert key in ctx
    body = render_template(
        '{"uuid": {{ uuid | tojson }}, "data": {{ data | tojson }}, '
        '"rev": {{ revision }}, "t": {{ record.form_title | tojson }}}',
        ctx,
    )
    parsed = json.loads(body)
    assert parsed["uuid"] == item.record_uuid and parsed["rev"] == 2 and parsed["t"] == "三会一课"
    assert parsed["data"]["place"] == "村党群服务中心会议室"


def test_check_template_reports_compile_problems_only():
    assert messages.check_template(None) is None
    assert messages.check_template("{{ data.x }}") is None
    assert "第 1 行" in messages.check_template("{{ data.x ")


cjk_and_emoji = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),
        st.sampled_from("aZ09 \n#*-é"),
    ),
    max_size=3000,
)


@settings(max_examples=200, deadline=None)
@given(text=cjk_and_emoji, limit=st.integers(min_value=4, max_value=5000))
def test_cut_stays_within_bytes_on_a_character_boundary(text, limit):
    cut = cut_utf8(text, limit)
    encoded = cut.encode("utf-8")
    assert len(encoded) <= limit
    assert encoded.decode("utf-8") == cut
    if len(text.encode("utf-8")) <= limit:
        assert cut == text
    else:
        assert cut.endswith("…") and text.startswith(cut[:-1])
        # Nothing wasted: one more character would not have fit.
        assert len(cut.encode()) + len(text[len(cut) - 1].encode()) > limit


def test_fit_keeps_the_tail():
    fitted = messages.fit("长" * 5000, 4096, "\n\n（1 张照片超过 2 MB，未在群里发送）")
    assert len(fitted.encode()) <= 4096 and fitted.endswith("未在群里发送）")


def test_a_target_template_is_compiled_once_and_a_broken_one_is_not_remembered():
    source = "### {{ form_title }}\n- {{ data.title }}"
    assert messages.compile_template(source) is messages.compile_template(source)
    broken = "{% if data.title %}没有结束"
    for _ in range(2):  # the second try reports the problem again instead of a cached None
        with pytest.raises(TemplateProblem):
            messages.compile_template(broken)
    assert messages.check_template(broken) is not None
