"""A new user's decisions on the command line, in the real `yici`: marking a delivery that was
never sent needs --force and a reason kept in the audit; re-importing an unchanged roster says
nothing changed; a second 书记 is warned about, naming both."""

from __future__ import annotations

import json

from tests.desktop.cli.helpers import MEETING, ROSTER_CSV, SIGN


def test_mark_delivered_on_a_delivery_never_sent_needs_force_and_a_reason(cli, dingtalk):
    cli("targets", "add", "钉钉群", "--kind", "dingtalk")  # no webhook yet: nothing can go
    uuid = cli.record()
    [pending] = cli.json("deliveries", "list")
    assert pending["state"] == "pending" and pending["attempts"] == 0

    refused = cli("deliveries", "mark-delivered", pending["id"], code=1)
    assert "还从未发送过（待发送，发送 0 次），没有标记" in refused.stderr
    assert "--force" in refused.stderr and "--reason" in refused.stderr and "yici sync" in refused.stderr
    refused = cli("deliveries", "mark-delivered", pending["id"], "--force", code=1)
    assert "请用 --reason 写明原因" in refused.stderr
    cli("deliveries", "mark-delivered", pending["id"], "--reason", "已手工录入", code=1)  # --force too
    cli("deliveries", "mark-delivered", pending["id"], "--force", "--reason", "  ", code=1)
    assert cli.json("deliveries", "list")[0]["state"] == "pending"

    done = cli("deliveries", "mark-delivered", pending["id"], "--force", "--reason", "已在群里手工发了通知")
    assert "已标记为已送达（原因：已在群里手工发了通知）" in done.stdout
    assert cli.json("deliveries", "list")[0]["state"] == "delivered"
    [entry] = [a for a in cli.json("records", "show", uuid)["audit"] if a["action"] == "marked_delivered"]
    assert entry["detail"]["reason"] == "已在群里手工发了通知" and entry["detail"]["never_sent"] is True
    assert entry["operator"] == "测试员"
    assert "reason=已在群里手工发了通知" in cli("records", "show", uuid).stdout
    assert dingtalk.received == 0


def test_reimporting_an_unchanged_roster_says_nothing_changed(cli, tmp_path):
    roster = tmp_path / "名册.csv"
    roster.write_text(ROSTER_CSV, encoding="utf-8")
    first = cli("members", "import", "HX01", roster)
    assert "新增 3 人，更新 1 人。" in first.stdout  # 张三 came with the branch, now with a phone
    assert "张三（电话 空→13800138000）" in first.stderr
    again = cli("members", "import", "HX01", roster)
    assert again.stdout.strip() == "名册没有变化：文件中的 4 人都已在 红星村党支部 的名册上，信息相同。"
    assert again.stderr == ""
    roster.write_text(ROSTER_CSV.replace("王五,党员,", "王五,委员,13700000000"), encoding="utf-8")
    changed = cli("members", "import", "HX01", roster)
    assert "新增 0 人，更新 1 人，3 人没有变化" in changed.stdout
    assert "王五（职务 党员→委员，电话 空→13700000000）" in changed.stderr


def test_a_second_secretary_is_warned_about_naming_both(cli, tmp_path):
    roster = tmp_path / "名册.csv"
    roster.write_text("姓名,职务\n张三,书记\n李四,书记\n王五,党员\n", encoding="utf-8")
    imported = cli("members", "import", "HX01", roster)
    assert "⚠ 名册上有 2 位书记：张三、李四。一个支部只有一位书记" in imported.stderr
    members = json.loads(cli("members", "list", "HX01", "--json").stdout)
    assert [m["role"] for m in members] == ["书记", "书记", "党员"]  # warned, still imported
    listed = cli("members", "list", "HX01")
    assert "⚠ 名册上有 2 位书记：张三、李四" in listed.stderr and "⚠" not in listed.stdout
    added = cli("members", "add", "HX01", "赵六", "--role", "书记")
    assert "已把 赵六（书记）加入" in added.stdout
    assert "⚠ 名册上有 3 位书记：张三、李四、赵六" in added.stderr
    assert cli("members", "add", "HX01", "钱七").stderr.count("⚠") == 1  # still true, still said


def test_typed_markup_reaches_the_work_group_as_plain_text_through_yici(cli, tmp_path, dingtalk):
    cli("targets", "add", "钉钉群", "--kind", "dingtalk")
    cli("targets", "secret", "钉钉群", "--name", "webhook", input=dingtalk.webhook)
    cli("targets", "secret", "钉钉群", "--name", "sign_secret", input=SIGN)
    values = tmp_path / "values.json"
    values.write_text(
        json.dumps(
            {
                **MEETING,
                "title": "十一月\n# [点我](http://evil.example) <font color=warning>红</font> @all",
                "content": "第一条\n> 引用 ![图](http://evil.example/x.png)\n- 列表 <@zhangsan>",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    cli("records", "new", "sanhui-yike", "--branch", "HX01", "--data", values, "--final")
    assert "钉钉群：送达 1" in cli("sync").stdout
    [body] = dingtalk.accepted
    text = body["markdown"]["text"]
    lines = text.splitlines()
    assert lines[0].startswith("### ")  # the template's own heading is live
    # The single-line title stays on its label's line, every markup character a full-width twin.
    [title] = [line for line in lines if "会议名称" in line]
    assert title.endswith("十一月 ＃ ［点我］(http：//evil.example) ＜font color=warning＞红＜/font＞ ＠all")
    # The long text keeps its lines; none of them starts a quote or a list.
    assert "＞ 引用 !［图］(http：//evil.example/x.png)" in lines and "－ 列表 ＜＠zhangsan＞" in lines
    for word in ("](", "<font", "<@", "@all", "http://", "\n#", "\n>"):
        assert word not in text, word
    assert body["at"] == {"atMobiles": [], "isAtAll": False}
