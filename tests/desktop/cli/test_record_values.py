"""`yici records new | edit` with values a new user (or a hostile file) gives: malformed absences
named for what is wrong, control characters refused with the field named, drafts saved with their
calculated values as computed. Each runs the real `yici` in a subprocess."""

from __future__ import annotations

import json
import re

import pytest

from tests.desktop.cli.helpers import MEETING, new_record, show
from tests.helpers import bad, ok

BASE = ("records", "new", "sanhui-yike", "--branch", "HX01")


@pytest.mark.parametrize(
    "absences, what",
    [
        ("赵六", None),  # a name alone is an absence without a reason: accepted
        (5, "应为缺席人员列表（姓名和原因）"),
        (["赵六", 5], "第 2 项应为姓名和原因"),
        ([{"reason": "病假"}], "第 1 项缺少姓名（name）"),
        ([{"member": "赵六", "reason": "病假"}], "第 1 项缺少姓名（name），只有 “member”、“reason”"),
        ([{"name": None, "reason": "病假"}], "第 1 项的姓名（name）是空的"),
        ([{"name": ["赵六"], "reason": "病假"}], "第 1 项的姓名（name）应为文字"),
        ([{"name": "赵六", "reason": 7}], "第 1 项（赵六）的原因（reason）应为文字"),
        ([{"name": "不认识的人", "reason": "病假"}], "名册中没有 不认识的人"),
    ],
)
def test_malformed_absences_are_named_for_what_is_wrong(yici, tmp_path, branch, absences, what):
    data = tmp_path / "values.json"
    data.write_text(json.dumps({**MEETING, "absences": absences}, ensure_ascii=False), encoding="utf-8")
    result = yici(*BASE, "--data", data)
    if what is None:
        uuid = ok(result).stdout.strip()
        assert show(yici, uuid)["data"]["absences"] == "赵六"  # a draft keeps what was typed
        return
    result = bad(result)
    assert "缺席人员及原因 (absences)：" in result.stderr and what in result.stderr, result.stderr
    assert "None" not in result.stderr and result.stdout == ""
    assert json.loads(ok(yici("records", "list", "--json")).stdout) == []


def test_malformed_absences_from_set_are_named_too(yici, branch):
    result = bad(yici(*BASE, "--set", 'absences=[{"name": null, "reason": "病假"}]'))
    assert "缺席人员及原因 (absences)：“缺席人员及原因”第 1 项的姓名（name）是空的" in result.stderr
    assert "None" not in result.stderr


def test_control_characters_are_refused_for_every_way_in(yici, tmp_path, branch):
    result = bad(yici(*BASE, "--final", *_meeting_sets(), "--set", "title=十一月\x1b[2J支部委员会"))
    assert "会议名称 (title)：“会议名称”里有看不见的控制字符（第 4 个字符，U+001B）" in result.stderr
    data = tmp_path / "nul.json"
    data.write_text(json.dumps({**MEETING, "content": "传达\u0000上级精神"}), encoding="utf-8")
    result = bad(yici(*BASE, "--final", "--data", data))
    assert "会议内容（记录） (content)：“会议内容（记录）”里有看不见的控制字符" in result.stderr
    assert "U+0000" in result.stderr
    # Bytes that are not UTF-8 (a GBK terminal) are not taken as text either.
    result = bad(yici(*BASE, "--final", *_meeting_sets(), "--set", "title=\udcff\udcfe会议"))
    assert "会议名称 (title)：“会议名称”里有无法识别的字符（第 1 个字符，U+DCFF）" in result.stderr
    assert json.loads(ok(yici("records", "list", "--json")).stdout) == []
    # A draft keeps what was typed and says what to fix before it can be final.
    uuid = new_record(yici, tmp_path, {**MEETING, "place": "村部\u202e楼二"})
    result = bad(yici("records", "finalize", uuid))
    assert "会议地点 (place)：“会议地点”里有看不见的控制字符" in result.stderr and "U+202E" in result.stderr


def _meeting_sets() -> list[str]:
    return [arg for key, value in MEETING.items() for arg in ("--set", f"{key}={value}")]


def test_command_line_drafts_store_calculated_values_as_computed(yici, tmp_path, branch):
    uuid = ok(yici(*BASE, "--set", "attendees=张三,李四", "--set", "absences=王五:病假")).stdout.strip()
    data = show(yici, uuid)["data"]
    assert data["attendees"] == ["张三", "李四"]
    assert data["attend_count"] == 2 and data["absent_count"] == 1  # not the roster's 4 and 0
    ok(yici("records", "edit", uuid, "--set", "attendees=张三", "--set", "absences="))
    data = show(yici, uuid)["data"]
    assert data["attend_count"] == 1 and data["absent_count"] == 0
    # The window saves its drafts through the same step: the calculations it shows are kept.
    ok(yici("records", "edit", uuid, "--set", "attend_count=99"))
    assert show(yici, uuid)["data"]["attend_count"] == 1


def test_stored_control_characters_are_shown_never_obeyed_by_the_terminal(yici, tmp_path, branch):
    # A draft keeps what was typed, a hostile handover file may hold anything: printing it must
    # not clear the screen, retitle the window or hide text behind a carriage return.
    hostile = "会议\x1b[2J\x1b]0;pwned\x07\r假标题\u202e"
    uuid = new_record(yici, tmp_path, {**MEETING, "title": hostile, "meeting_type": hostile})
    shown = "会议\\u001b[2J\\u001b]0;pwned\\u0007 假标题\\u202e"
    for args in (("records", "show", uuid), ("records", "list")):
        out = ok(yici(*args)).stdout
        assert "\x1b" not in out and "\x07" not in out and "\r" not in out and "\u202e" not in out
        assert shown in out, out
    # Scripts get the same value back from --json, with nothing a terminal would obey.
    out = ok(yici("records", "show", uuid, "--json")).stdout
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", out), out
    assert json.loads(out)["data"]["title"] == hostile


def test_messages_and_json_write_control_characters_as_codes(capsys):
    from desktop.cli.output import err, print_json

    err("名册中没有 赵\x1b[2J六\u202e")
    print_json({"name": "赵\x9b六\ud800"})
    out, error = capsys.readouterr()
    assert error == "名册中没有 赵\\u001b[2J六\\u202e\n"
    assert json.loads(out) == {"name": "赵\x9b六\ud800"} and "\x9b" not in out
