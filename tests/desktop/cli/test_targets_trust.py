"""The command line keeps secrets where they were entered for: a new address (by `targets edit`
or a deployment profile) drops them and stops the platform; a profile never changes a platform
without `--accept-changes`; options are checked by name and value; a platform's own errors
show even without a keyring; a plain-file keyring is never chosen on its own. Subprocesses,
a real platform server on 127.0.0.1, the test file keyring."""

from __future__ import annotations

import json

from tests.desktop.cli.conftest import MEETING_ARGS
from tests.desktop.cli.helpers import DT_TOKEN, TOKEN, keyring
from tests.helpers import passphrase_file

PROFILE = """\
yici_profile: 1
targets:
  - name: 接口
    kind: rest
    url: {url}
    options:
      auth: bearer
"""


def test_a_new_address_by_edit_or_profile_drops_the_secrets(cli, platform, tmp_path):
    cli(
        "targets",
        "add",
        "接口",
        "--kind",
        "rest",
        "--url",
        f"{platform.url}/api/records",
        "--option",
        "auth=bearer",
    )
    cli("targets", "secret", "接口", input=TOKEN)
    assert list(keyring(tmp_path).values()) == [TOKEN]

    # The same host, port and scheme: the secret stays.
    cli("targets", "edit", "接口", "--url", f"{platform.url}/api/v2/records")
    assert list(keyring(tmp_path).values()) == [TOKEN]

    # A profile that moves it: listed, refused without --accept-changes, nothing changed.
    other = platform.url.replace("127.0.0.1", "localhost")
    (tmp_path / "moved.yaml").write_text(PROFILE.format(url=f"{other}/api/records"), encoding="utf-8")
    refused = cli("profile", "import", "moved.yaml", code=1)
    assert "接口地址" in refused.stderr and "--accept-changes" in refused.stderr
    assert "发送地址改变" in refused.stderr
    assert cli.json("targets", "list")[0]["url"] == f"{platform.url}/api/v2/records"
    assert list(keyring(tmp_path).values()) == [TOKEN]

    accepted = cli("profile", "import", "moved.yaml", "--accept-changes")
    assert "Traceback" not in accepted.stderr
    (listed,) = cli.json("targets", "list")
    assert listed["url"] == f"{other}/api/records" and listed["state"] == "needs_attention"
    assert "平台地址已改变" in listed["attention"] and listed["secrets"]["token"]["set"] is False
    assert keyring(tmp_path) == {}  # deleted from the keyring, not just unreachable

    # Entered again for the new address; then `targets edit` to another port drops it again.
    cli("targets", "secret", "接口", input=TOKEN)
    assert cli.json("targets", "list")[0]["state"] == "ok"
    moved = cli("targets", "edit", "接口", "--url", "https://county.example.gov.cn/api")
    assert "平台地址已改变" in moved.stderr and keyring(tmp_path) == {}
    cli.assert_no_secrets()


def test_unknown_options_and_bad_values_are_refused(cli):
    refused = cli(
        "targets",
        "add",
        "x",
        "--kind",
        "rest",
        "--url",
        "https://a.example/api",
        "--option",
        "atuh=bearer",
        code=1,
    )
    assert "atuh" in refused.stderr and "auth" in refused.stderr  # names the ones it knows
    refused = cli(
        "targets",
        "add",
        "x",
        "--kind",
        "rest",
        "--url",
        "https://a.example/api",
        "--option",
        "auth=basic",
        code=1,
    )
    assert "auth" in refused.stderr and "bearer" in refused.stderr
    assert (
        "timeout"
        in cli("targets", "add", "x", "--kind", "dingtalk", "--option", "timeout=soon", code=1).stderr
    )
    assert cli.json("targets", "list") == []
    cli("targets", "add", "群", "--kind", "dingtalk", "--option", "keyword=党建")
    assert "at_al" in cli("targets", "edit", "群", "--option", "at_al=yes", code=1).stderr
    cli("targets", "edit", "群", "--option", "at_all=是")
    assert cli.json("targets", "list")[0]["options"] == {"keyword": "党建", "at_all": "是"}


def test_without_a_keyring_a_targets_own_errors_still_show(cli, tmp_path):
    template = tmp_path / "broken.j2"
    template.write_text("{% if %}", encoding="utf-8")
    cli("targets", "add", "群", "--kind", "dingtalk", "--template", template, code=1)
    cli("targets", "add", "接口", "--kind", "rest", "--url", "https://a.example/api", "--option", "auth=hmac")
    no_keyring = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    listed = cli("targets", "list", env=no_keyring)
    assert "app_key" in listed.stdout and "钥匙串" in listed.stderr
    (item,) = json.loads(cli("targets", "list", "--json", env=no_keyring).stdout)
    assert any("app_key" in p for p in item["problems"])


def test_plain_http_is_warned_about_and_needs_an_allowance(cli):
    cli(
        "targets",
        "add",
        "县内网",
        "--kind",
        "rest",
        "--url",
        "http://10.20.30.40/api",
        "--option",
        "auth=bearer",
    )
    listed = cli("targets", "list")
    assert "明文 http" in listed.stdout and "allow_plain_http" in listed.stdout
    cli("targets", "edit", "县内网", "--option", "allow_plain_http=是")
    assert "已允许明文 http" in cli("targets", "list").stdout
    assert "已允许明文 http" in cli("status").stdout


def test_a_platform_a_handover_file_added_gets_nothing_until_a_person_checked_it(cli, platform, tmp_path):
    # The other laptop (or a hand-made file) names a platform that needs no secret.
    other = ("--data-dir", tmp_path / "other")
    cli(*other, "branches", "add", "红星村党支部", "--code", "HX01", "--secretary", "张三")
    url = f"{platform.url}/api/records"
    cli(*other, "targets", "add", "外来平台", "--kind", "rest", "--url", url, "--option", "auth=none")
    cli(*other, "records", "new", "sanhui-yike", "--branch", "HX01", *MEETING_ARGS, "--final")
    cli(*other, "export", tmp_path / "handover.zip", "--passphrase-file", passphrase_file(tmp_path))

    cli("import", tmp_path / "handover.zip", "--passphrase-file", passphrase_file(tmp_path))
    cli.record()  # and this laptop's own records from now on
    # A sync a person starts retries what waits, but never lifts the hold on a platform nobody
    # here has looked at: nothing reaches it.
    held = cli("sync", code=4)
    assert "交接文件" in held.stdout + held.stderr
    assert "交接文件" in cli.json("targets", "list")[0]["attention"]
    assert platform.seen == []

    # A person looked at it (`targets edit`, or entering its secret): now it is sent to.
    cli("targets", "edit", "外来平台")
    cli.yici("sync")
    assert platform.seen


def test_a_robot_with_a_sound_webhook_lists_no_problem(cli):
    cli("targets", "add", "钉钉群", "--kind", "dingtalk")
    webhook = f"https://oapi.dingtalk.com/robot/send?access_token={DT_TOKEN}"
    cli("targets", "secret", "钉钉群", "--name", "webhook", input=webhook)
    (listed,) = cli.json("targets", "list")
    assert listed["secrets"]["webhook"]["set"] and listed["problems"] == []
    assert "设置有误" not in cli("targets", "list").stdout
    # A webhook that really is wrong still shows.
    cli("targets", "secret", "钉钉群", "--name", "webhook", input="https://oapi.dingtalk.com/robot/send")
    assert any("令牌" in p for p in cli.json("targets", "list")[0]["problems"])
