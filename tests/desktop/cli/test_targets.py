"""`yici targets ...` end to end: the command line in subprocesses, real platform servers
on 127.0.0.1 in this process, a file keyring only these tests use. Every test ends by checking
that no secret value appears in anything the commands printed or in any file of the data folder
(fixture `cli`)."""

from __future__ import annotations

import json

from tests.desktop.cli.helpers import SIGN, TOKEN, keyring


def test_targets_add_list_edit_remove(cli, dingtalk, tmp_path):
    webhook = dingtalk.webhook
    # A robot's webhook carries its token: never an option or --url, and never echoed back.
    refused = cli("targets", "add", "钉钉群", "--kind", "dingtalk", "--url", webhook, code=1)
    assert "targets secret 钉钉群 --name webhook" in refused.stderr
    assert "钉钉" in cli("targets", "add", "x", "--kind", "dingding", code=1).stderr
    # The township hub is joined with a code, never configured by hand (nobody has its token).
    assert (
        "yici hub join"
        in cli("targets", "add", "乡镇", "--kind", "hub", "--url", "https://10.1.2.3", code=1).stderr
    )
    assert "找不到表单" in cli("targets", "add", "x", "--kind", "rest", "--forms", "nope", code=1).stderr
    assert (
        "找不到支部" in cli("targets", "add", "x", "--kind", "rest", "--branches", "无此支部", code=1).stderr
    )
    assert "KEY=VALUE" in cli("targets", "add", "x", "--kind", "rest", "--option", "auth", code=1).stderr
    assert (
        "是密钥" in cli("targets", "add", "x", "--kind", "rest", "--option", f"token={TOKEN}", code=1).stderr
    )
    assert (
        "带密钥的网址"
        in cli("targets", "add", "x", "--kind", "dingtalk", "--option", f"url={webhook}", code=1).stderr
    )
    assert (
        "带有密钥"
        in cli(
            "targets",
            "add",
            "x",
            "--kind",
            "rest",
            "--url",
            f"http://127.0.0.1/api?access_token={TOKEN}",
            code=1,
        ).stderr
    )
    broken = tmp_path / "broken.j2"
    broken.write_text("{% if %}", encoding="utf-8")
    cli("targets", "add", "x", "--kind", "dingtalk", "--template", broken, code=1)
    template = tmp_path / "message.j2"
    template.write_text("## {{ form_title }}\n{{ branch }}", encoding="utf-8")

    added = cli(
        "targets",
        "add",
        "钉钉群",
        "--kind",
        "dingtalk",
        "--forms",
        "三会一课",
        "--branches",
        "HX01",
        "--template",
        template,
        "--option",
        "keyword=党建",
    )
    assert "已添加平台" in added.stdout and "targets secret 钉钉群 --name webhook" in added.stderr
    cli(
        "targets",
        "add",
        "接口",
        "--kind",
        "rest",
        "--url",
        "http://127.0.0.1:9/api/records",
        "--option",
        "auth=bearer",
    )
    cli("targets", "add", "接口", "--kind", "rest", code=1)  # the name is taken

    # Secrets: from stdin, into the keyring only; unknown names and empty input refused.
    assert "sign_secret" in cli("targets", "secret", "钉钉群", "--name", "nope", input="x", code=1).stderr
    assert "空" in cli("targets", "secret", "钉钉群", input="\n", code=1).stderr
    # Typed on the command line by mistake: refused, and not echoed back (checked at the end).
    assert "不能写在命令行上" in cli("targets", "secret", "钉钉群", webhook, code=1).stderr
    assert "access_token=***" in cli("targets", "add", "y", "--kind", "dingtalk", webhook, code=2).stderr
    saved = cli("targets", "secret", "钉钉群", input=webhook + "\n")  # default name: webhook
    assert "webhook" in saved.stdout and "access_token=" in saved.stdout
    cli("targets", "secret", "钉钉群", "--name", "sign_secret", input=SIGN)
    cli("targets", "secret", "接口", input=TOKEN + "\r\n")  # default name: token
    stored = keyring(tmp_path)
    # One data folder's entries, one uid per target: "folder-<id>/target-<uid>:<name>".
    assert len({name.split("/")[0] for name in stored}) == 1
    by_name = {name.rsplit(":", 1)[1]: (name.rsplit(":", 1)[0], value) for name, value in stored.items()}
    assert by_name["webhook"][1] == webhook and by_name["sign_secret"][1] == SIGN
    assert by_name["webhook"][0] == by_name["sign_secret"][0] != by_name["token"][0]
    assert by_name["token"][1] == TOKEN

    # No usable keyring: a clear refusal, nothing stored anywhere.
    no_keyring = cli(
        "targets",
        "secret",
        "接口",
        input="another-token-123",
        env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
        code=1,
    )
    assert "钥匙串" in no_keyring.stderr and "another-token" not in json.dumps(keyring(tmp_path))

    listed = {t["name"]: t for t in cli.json("targets", "list")}
    robot = listed["钉钉群"]
    assert robot["kind"] == "dingtalk" and robot["kind_title"] == "钉钉群机器人"
    assert robot["forms"] == ["sanhui-yike"] and robot["branches"] == ["红星村党支部"]
    assert robot["enabled"] and robot["state"] == "ok" and robot["options"] == {"keyword": "党建"}
    assert robot["secrets"]["webhook"]["set"] and robot["secrets"]["sign_secret"]["set"]
    assert robot["secrets"]["webhook"]["shown"].startswith(dingtalk.origin + "/robot/send?access_token=")
    assert listed["接口"]["secrets"] == {"token": {"set": True, "shown": None}}
    table = cli("targets", "list").stdout
    assert "钉钉群机器人" in table and "已设置" in table and "正常" in table

    cli(
        "targets",
        "edit",
        "钉钉群",
        "--disable",
        "--forms",
        "",
        "--option",
        "keyword=",
        "--option",
        "at_all=true",
    )
    robot = {t["name"]: t for t in cli.json("targets", "list")}["钉钉群"]
    assert not robot["enabled"] and robot["forms"] == [] and robot["options"] == {"at_all": "true"}
    cli("targets", "edit", "钉钉群", "--url", webhook, code=1)
    cli("targets", "edit", "nope", "--enable", code=1)

    removed = cli("targets", "remove", "钉钉群")
    assert "密钥已从系统钥匙串删除" in removed.stdout
    assert [t["name"] for t in cli.json("targets", "list")] == ["接口"]
    assert list(keyring(tmp_path).values()) == [TOKEN]
    cli("targets", "test", "钉钉群", code=1)
