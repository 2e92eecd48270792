"""Publishing from the township with `yici-hub`: forms (with print layouts), cadence overrides,
platform settings without secrets, branches; each reaches the laptops on their next pull (checked
through GET /api/v1/pull of a real hub) and a file with a problem publishes nothing."""

from __future__ import annotations

import json

from hub.cli import main
from tests.hub.conftest import enrolled, joined, sql

FORM = """\
id: visit-note
version: 1
title: 走访记录
fields:
  - key: visited_on
    label: 走访日期
    type: date
    required: true
  - key: notes
    label: 情况
    type: longtext
"""
LAYOUT = "<h1>{{ form_title }}</h1>\n<p>{{ values.notes }}</p>\n"


def _pull(hub, token: str, since: int = 0) -> dict:
    answer = hub.get("/api/v1/pull", token, params={"since": since})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_form_published_by_file_or_by_id_reaches_the_laptops_with_its_layout(hub, tmp_path, capsys):
    token = joined(hub)["token"]
    cursor = _pull(hub, token)["cursor"]
    form = tmp_path / "visit-note.yaml"
    form.write_text(FORM, encoding="utf-8")
    (tmp_path / "visit-note.print.html").write_text(LAYOUT, encoding="utf-8")
    assert main(["forms", "publish", "--database", hub.database, str(form)]) == 0
    assert "已发布表单 visit-note 第 1 版：走访记录（含打印版式）" in capsys.readouterr().out
    assert main(["forms", "publish", "--database", hub.database, "sanhui-yike"]) == 0  # built in, by id

    pulled = _pull(hub, token, cursor)
    by_id = {f["id"]: f for f in pulled["forms"]}
    assert by_id["visit-note"] == {"id": "visit-note", "version": 1, "source": FORM, "print_layout": LAYOUT}
    assert "三会一课" in by_id["sanhui-yike"]["source"] and "<" in by_id["sanhui-yike"]["print_layout"]

    # The same again changes nothing, so laptops are sent nothing.
    assert main(["forms", "publish", "--database", hub.database, str(form)]) == 0
    assert "无需更改" in capsys.readouterr().out
    assert _pull(hub, token, pulled["cursor"])["forms"] == []
    # A new layout for the same version flows down; the form's text stays.
    (tmp_path / "visit-note.print.html").write_text("<p>{{ values.notes }}</p>", encoding="utf-8")
    assert main(["forms", "publish", "--database", hub.database, str(form)]) == 0
    (again,) = _pull(hub, token, pulled["cursor"])["forms"]
    assert again["print_layout"] == "<p>{{ values.notes }}</p>" and again["source"] == FORM

    capsys.readouterr()
    assert main(["forms", "list", "--database", hub.database]) == 0
    listed = capsys.readouterr().out
    assert "visit-note" in listed and "走访记录" in listed and "三会一课" in listed


def test_a_malformed_form_or_layout_is_named_by_file_and_line_and_nothing_is_published(hub, tmp_path, capsys):
    form = tmp_path / "visit-note.yaml"
    form.write_text(FORM.replace("type: longtext", "type: essay"), encoding="utf-8")
    assert main(["forms", "publish", "--database", hub.database, str(form)]) == 1
    err = capsys.readouterr().err
    assert f"{form}:11:" in err and "essay" in err and "什么都没有发布" in err

    form.write_text(FORM, encoding="utf-8")
    layout = tmp_path / "版式.print.html"
    layout.write_text("<h1>标题</h1>\n{% if values.notes %}\n<p>没有结束</p>\n", encoding="utf-8")
    assert main(["forms", "publish", "--database", hub.database, str(form), "--layout", str(layout)]) == 1
    err = capsys.readouterr().err
    assert f"{layout}:" in err and "什么都没有发布" in err
    assert sql(hub.database, "SELECT count(*) FROM forms") == [(0,)]


def test_a_changed_form_needs_a_new_version(hub, tmp_path, capsys):
    form = tmp_path / "visit-note.yaml"
    form.write_text(FORM, encoding="utf-8")
    assert main(["forms", "publish", "--database", hub.database, str(form)]) == 0
    form.write_text(FORM.replace("title: 走访记录", "title: 入户走访记录"), encoding="utf-8")
    assert main(["forms", "publish", "--database", hub.database, str(form)]) == 1
    assert "version 改为 2" in capsys.readouterr().err
    form.write_text(FORM.replace("version: 1", "version: 2"), encoding="utf-8")
    assert main(["forms", "publish", "--database", hub.database, str(form)]) == 0
    assert sql(hub.database, "SELECT id, version FROM forms ORDER BY version") == [
        ("visit-note", 1),
        ("visit-note", 2),
    ]
    # A built-in form's id and version with other content would lose to the built-in one on laptops.
    from forms.catalog import LIBRARY_DIR

    changed = (LIBRARY_DIR / "dangfei.yaml").read_text(encoding="utf-8").replace("党费", "党费收缴登记", 1)
    (tmp_path / "dangfei.yaml").write_text(changed, encoding="utf-8")
    assert main(["forms", "publish", "--database", hub.database, str(tmp_path / "dangfei.yaml")]) == 1
    assert "内置表单" in capsys.readouterr().err


def test_cadence_overrides_one_by_one_or_from_a_file_reach_the_branch_laptops(hub, tmp_path, capsys):
    token = joined(hub, "张三的电脑", ("红星村党支部", "东风村党支部"))["token"]
    cursor = _pull(hub, token)["cursor"]
    db = hub.database
    assert main(["cadence", "--database", db, "红星村党支部", "sanhui-yike:支部委员会", "quarter"]) == 0
    assert main(["cadence", "--database", db, "红星村党支部", "ruhu-zoufang", "month"]) == 0
    pulled = _pull(hub, token, cursor)
    (red,) = pulled["branches"]
    assert red["name"] == "红星村党支部"
    assert red["cadence"] == {"sanhui-yike:支部委员会": "quarter", "ruhu-zoufang": "month"}

    assert main(["cadence", "--database", db, "红星村党支部", "ruhu-zoufang", "default"]) == 0
    (red,) = _pull(hub, token, pulled["cursor"])["branches"]
    assert red["cadence"] == {"sanhui-yike:支部委员会": "quarter"}

    capsys.readouterr()
    assert main(["cadence", "--database", db, "红星村党支部", "sanhui-yike:支委会", "month"]) == 1
    assert "支部委员会" in capsys.readouterr().err  # names the rules the form has
    assert main(["cadence", "--database", db, "红星村党支部", "no-such-form", "month"]) == 1
    assert main(["cadence", "--database", db, "向阳村党支部", "sanhui-yike", "month"]) == 1
    assert "branches add" in capsys.readouterr().err

    overrides = tmp_path / "周期.yaml"
    overrides.write_text(
        "红星村党支部:\n  sanhui-yike:党课: half-year\n东风村党支部:\n  zhuti-dangri: weekly\n",
        encoding="utf-8",
    )
    assert main(["cadence", "--database", db, "--file", str(overrides)]) == 1
    assert f"{overrides}:4:" in capsys.readouterr().err  # the bad period's line; nothing changed
    overrides.write_text(
        "红星村党支部:\n  sanhui-yike:党课: half-year\n东风村党支部:\n  zhuti-dangri: off\n", encoding="utf-8"
    )
    before = _pull(hub, token)["cursor"]
    assert main(["cadence", "--database", db, "--file", str(overrides)]) == 0
    by_name = {b["name"]: b["cadence"] for b in _pull(hub, token, before)["branches"]}
    # A file replaces each named branch's overrides whole.
    assert by_name == {
        "红星村党支部": {"sanhui-yike:党课": "half-year"},
        "东风村党支部": {"zhuti-dangri": "off"},
    }


def test_platform_settings_are_published_without_secrets_and_anything_secret_is_refused(
    hub, tmp_path, capsys
):
    token = joined(hub)["token"]
    good = tmp_path / "dangjian.yaml"
    good.write_text(
        "url: https://dangjian.example.gov.cn/api/records\nforms: [sanhui-yike]\noptions:\n"
        "  auth: bearer\n  success_path: code\n  success_value: '0'\n",
        encoding="utf-8",
    )
    assert main(["settings", "publish", "--database", hub.database, "县党建平台", "--kind", "rest",
                 "--file", str(good)]) == 0  # fmt: skip
    assert "token" in capsys.readouterr().out  # the secret each laptop must enter itself
    (setting,) = _pull(hub, token)["settings"]
    assert setting["name"] == "县党建平台" and setting["kind"] == "rest"
    assert setting["settings"]["url"] == "https://dangjian.example.gov.cn/api/records"
    assert setting["settings"]["options"]["auth"] == "bearer"
    assert setting["settings"]["secrets_needed"] == ["token"]

    hostile = {
        "options:\n  auth: bearer\n  token: tok-5f1e9a2c77\n": (3, "tok-5f1e9a2c77"),
        "url: https://x.example.gov.cn/api?access_token=abc123def456\n": (1, "abc123def456"),
        "options:\n  app_key: pk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZ\n": (2, "pk_live_9f8e7d6c5b4a"),
        "options:\n  auth: hmac\n  app_secret: s3cr3t-value\n": (3, "s3cr3t-value"),
    }
    for text, (at, secret) in hostile.items():
        bad = tmp_path / "bad.yaml"
        bad.write_text(text, encoding="utf-8")
        assert main(["settings", "publish", "--database", hub.database, "县党建平台", "--kind", "rest",
                     "--file", str(bad)]) == 1, text  # fmt: skip
        err = capsys.readouterr().err
        assert f"{bad}:{at}:" in err and "密钥" in err, err
        assert secret not in err  # the refusal never repeats the secret
    feishu = tmp_path / "feishu.yaml"
    feishu.write_text("url: https://open.feishu.cn/open-apis/bot/v2/hook/0a1b2c3d-4e5f\n", encoding="utf-8")
    assert main(["settings", "publish", "--database", hub.database, "飞书群", "--kind", "feishu",
                 "--file", str(feishu)]) == 1  # fmt: skip
    assert main(["settings", "publish", "--database", hub.database, "别的", "--kind", "fax",
                 "--file", str(good)]) == 1  # fmt: skip
    assert "未知的平台类型" in capsys.readouterr().err
    good.write_text("url: https://dangjian.example.gov.cn/api\noptions:\n  colour: red\n", encoding="utf-8")
    assert main(["settings", "publish", "--database", hub.database, "县党建平台", "--kind", "rest",
                 "--file", str(good)]) == 1  # fmt: skip
    assert "colour" in capsys.readouterr().err  # the kind's own option check, as on a laptop
    rows = sql(hub.database, "SELECT name, settings::text FROM platform_settings")
    assert len(rows) == 1 and "tok-5f1e9a2c77" not in rows[0][1]

    assert main(["settings", "list", "--database", hub.database, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in listed] == ["县党建平台"]


def test_a_renamed_branch_keeps_its_uid_on_the_laptops(hub, capsys):
    db = hub.database
    assert main(["branches", "add", "--database", db, "红星村党支部", "--code", "HX01"]) == 0
    assert main(["branches", "add", "--database", db, "红星村党支部"]) == 1  # already there
    device = joined(hub, "张三的电脑", ("红星村党支部",))
    (uid,) = [b["uid"] for b in device["branches"]]
    cursor = _pull(hub, device["token"])["cursor"]
    assert main(["branches", "rename", "--database", db, "红星村党支部", "红星社区党支部"]) == 0
    (renamed,) = _pull(hub, device["token"], cursor)["branches"]
    assert (renamed["uid"], renamed["name"], renamed["code"]) == (uid, "红星社区党支部", "HX01")
    assert main(["branches", "rename", "--database", db, "没有的支部", "别的名字"]) == 1
    assert main(["branches", "add", "--database", db, "东风村党支部"]) == 0
    assert main(["branches", "rename", "--database", db, "东风村党支部", "红星社区党支部"]) == 1
    capsys.readouterr()
    assert main(["branches", "list", "--database", db, "--json"]) == 0
    listed = {b["name"]: b for b in json.loads(capsys.readouterr().out)}
    assert listed["红星社区党支部"]["uid"] == uid and listed["红星社区党支部"]["devices"] == 1
    assert listed["东风村党支部"]["devices"] == 0


def test_devices_list_says_who_joined_when_they_were_last_seen_and_who_was_revoked(hub, capsys):
    token = joined(hub, "张三的电脑", ("红星村党支部", "东风村党支部"))["token"]
    enrolled(hub.database, "李四的电脑", ["向阳村党支部"])
    joined(hub, "王五的电脑", ("向阳村党支部",))
    assert main(["revoke", "--database", hub.database, "王五的电脑"]) == 0
    assert hub.get("/api/v1/pull", token).status_code == 200
    capsys.readouterr()
    assert main(["devices", "list", "--database", hub.database, "--json"]) == 0
    by_name = {d["name"]: d for d in json.loads(capsys.readouterr().out)}
    assert by_name["张三的电脑"]["branches"] == ["东风村党支部", "红星村党支部"]
    assert by_name["张三的电脑"]["joined"] and by_name["张三的电脑"]["last_seen"]
    assert by_name["李四的电脑"]["joined"] is None and by_name["李四的电脑"]["code_expires"]
    assert by_name["王五的电脑"]["revoked"]
    assert main(["devices", "list", "--database", hub.database]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["电脑", "支部", "加入时间", "最后联系", "状态"]
    rows = {line.split()[0]: line for line in table[1:]}
    assert "有效" in rows["张三的电脑"] and "待加入" in rows["李四的电脑"] and "已撤销" in rows["王五的电脑"]
