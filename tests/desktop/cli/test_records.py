"""`yici records ...` end to end: entering, checking, finalizing, correcting, listing records."""

from __future__ import annotations

import json

from tests.desktop.cli.helpers import MEETING, UUID, new_record, show
from tests.helpers import bad, ok


def test_records_new_from_file_stdin_and_set(yici, tmp_path, branch):
    uuid = new_record(yici, tmp_path, MEETING, "--set", "expected_count=4", "--operator", "小王")
    record = show(yici, uuid)
    assert record["status"] == "draft" and record["operator"] == "小王"
    assert record["data"]["title"] == "十一月支部委员会" and record["data"]["expected_count"] == 4

    values = dict(MEETING, attendees=["张三", "李四", "王五"])
    result = ok(
        yici(
            "records",
            "new",
            "sanhui-yike",
            "--branch",
            "HX01",
            "--data",
            "-",
            "--set",
            'absences=[{"name": "赵六", "reason": "外出务工"}]',
            "--final",
            input=json.dumps(values, ensure_ascii=False),
            env={"YICI_OPERATOR": "老李"},
        )
    )
    uuid = result.stdout.strip()
    assert UUID.match(uuid), result.stdout  # only the uuid on stdout
    record = show(yici, uuid)
    assert record["status"] == "final" and record["operator"] == "老李"
    assert record["data"]["attend_count"] == 3 and record["data"]["host"] == "张三"
    text = ok(yici("records", "show", uuid[:8])).stdout
    assert "实到人员 (attendees)" in text and "张三、李四、王五" in text and "赵六（外出务工）" in text

    uuid = ok(
        yici("records", "new", "sanhui-yike", "--branch", branch, "--set", "title=只有标题")
    ).stdout.strip()
    assert show(yici, uuid)["data"]["title"] == "只有标题"


def test_records_new_final_invalid_saves_nothing(yici, tmp_path, branch):
    result = bad(
        yici(
            "records", "new", "sanhui-yike", "--branch", branch, "--final", "--set", "meeting_type=支部委员会"
        )
    )
    assert result.stdout == ""
    assert "✗ 会议名称 (title)" in result.stderr and "✗ 会议内容（记录） (content)" in result.stderr
    assert json.loads(ok(yici("records", "list", "--json")).stdout) == []


def test_records_new_refuses_bad_values(yici, tmp_path, branch):
    base = ("records", "new", "sanhui-yike", "--branch", branch)
    assert "held_at" in bad(yici(*base, "--set", "nosuch=1")).stderr  # lists the valid keys
    bad(yici(*base, "--set", "title"))
    bad(yici(*base, "--set", "expected_count=很多"))
    assert "名册中没有" in bad(yici(*base, "--set", "host=不认识的人")).stderr
    assert "JSON" in bad(yici(*base, "--data", "-", input="{not json")).stderr
    bad(yici(*base, "--data", "-", input="[1, 2]"))
    bad(yici(*base, "--data", "-", input='{"attendees": [["张三"]]}'))
    bad(yici(*base, "--data", "-", input=json.dumps({"nosuch": 1})))
    bad(yici(*base, "--data", tmp_path / "missing.json"))
    latin = tmp_path / "gbk.json"
    latin.write_bytes('{"title": "会议"}'.encode("gbk"))
    bad(yici(*base, "--data", latin))
    assert "找不到表单" in bad(yici("records", "new", "no-such-form", "--branch", branch)).stderr
    assert "找不到支部" in bad(yici("records", "new", "sanhui-yike", "--branch", "无此支部")).stderr
    assert json.loads(ok(yici("records", "list", "--json")).stdout) == []


def test_record_lifecycle(yici, tmp_path, branch):
    draft = new_record(yici, tmp_path, {"meeting_type": "支部委员会"})
    result = bad(yici("records", "finalize", draft))
    assert "✗ 会议名称 (title)" in result.stderr
    ok(yici("records", "edit", draft, "--data", "-", input=json.dumps(MEETING, ensure_ascii=False)))
    assert "已定稿" in ok(yici("records", "finalize", draft[:8])).stdout

    result = ok(
        yici("records", "correct", draft, "--set", "title=十一月支部委员会（更正）", "--note", "改标题")
    )
    assert "第 2 版次" in result.stdout
    record = show(yici, draft)
    assert record["revision"] == 2 and record["data"]["title"] == "十一月支部委员会（更正）"
    assert [h["revision"] for h in record["history"]] == [1, 2] or [
        h["revision"] for h in record["history"]
    ] == [2, 1]
    actions = [a["action"] for a in record["audit"]]
    assert {"created", "finalized", "corrected"} <= set(actions)
    assert any(f["key"] == "title" and f["label"] == "会议名称" for f in record["fields"])
    text = ok(yici("records", "show", draft)).stdout
    assert "修订历史" in text and "操作记录" in text and "改标题" in text

    assert "只有草稿可以删除" in bad(yici("records", "delete", draft)).stderr
    bad(yici("records", "correct", draft))  # nothing to correct
    bad(yici("records", "void", draft, "--reason", " "))
    ok(yici("records", "void", draft, "--reason", "重复录入"))
    assert show(yici, draft)["status"] == "void"

    other = new_record(yici, tmp_path, MEETING)
    ok(yici("records", "delete", other))
    bad(yici("records", "show", other))
    bad(yici("records", "finalize", "0000"))


def test_records_list_filters(yici, tmp_path, branch):
    ok(yici("branches", "add", "东山村党支部", "--secretary", "陈书记"))
    nov = new_record(yici, tmp_path, MEETING, "--final")
    oct_ = new_record(yici, tmp_path, dict(MEETING, held_at="2026-10-08T09:00", title="十月学习"))
    east = new_record(yici, tmp_path, dict(MEETING, host="陈书记"), branch="东山村党支部")

    def listed(*filters: str) -> set[str]:
        return {r["uuid"] for r in json.loads(ok(yici("records", "list", "--json", *filters)).stdout)}

    assert listed() == {nov, oct_, east}
    assert listed("--branch", "HX01") == {nov, oct_}
    assert listed("--status", "final") == {nov} == listed("--status", "已定稿")
    assert listed("--month", "2026-10") == {oct_}
    assert listed("--form", "zhuti-dangri") == set()
    assert listed("--text", "十月学习") == {oct_}
    assert len(listed("--limit", "1")) == 1
    result = ok(yici("records", "list", "--limit", "2"))
    assert "共 3 条" in result.stderr and "东山村党支部" in result.stdout and "草稿" in result.stdout
    assert "找不到支部" in bad(yici("records", "list", "--branch", "无此支部")).stderr
