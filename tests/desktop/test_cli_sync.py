"""`yici targets / sync / status / deliveries` end to end: the command line in subprocesses,
real platform servers on 127.0.0.1 in this process, a file keyring only these tests use.

Every test ends by checking that no secret value appears in anything the commands printed or in
any file of the data folder (database, WAL, logs, exports).
"""
from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from forms.store import Store
from sync.lock import try_lock
from tests.sync.rest_server import PlatformServer
from tests.sync.robot_servers import DingTalkServer

REPO = Path(__file__).resolve().parents[2]
TOKEN = "tok-3f9a7c1e55"                    # PlatformServer's bearer token
DT_TOKEN = "dt-token-5d1c8e27a9b34f60"      # the access token inside the DingTalk webhook
SIGN = "SEC7f3a9b1c2d4e5f60718293a4b5c6d7e8"
SECRETS = (TOKEN, DT_TOKEN, SIGN)
MEETING = ["--set", "meeting_type=支部委员会", "--set", "title=十一月支部委员会",
           "--set", "held_at=2026-11-05T09:00", "--set", "topics=研究冬季防火",
           "--set", "content=传达上级精神，部署冬季防火。"]


@pytest.fixture
def yici_env(yici_env, tmp_path):
    """The shared subprocess environment plus the test keyring; no proxy may catch 127.0.0.1."""
    env = {k: v for k, v in yici_env.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env.update(PYTHONPATH=str(REPO), PYTHON_KEYRING_BACKEND="tests.desktop.file_keyring.FileKeyring",
               YICI_TEST_KEYRING_FILE=str(tmp_path / "keyring.json"), NO_PROXY="127.0.0.1,localhost",
               YICI_OPERATOR="测试员")
    return env


class Cli:
    """Runs `yici`, keeps every output so the test can prove no secret was ever printed."""

    def __init__(self, yici, data_dir: Path):
        self.yici, self.data_dir, self.outputs = yici, data_dir, []

    def __call__(self, *args, code: int = 0, input: str | None = None, env: dict | None = None):
        result = self.yici(*args, input=input, env=env)
        self.outputs.append(result.stdout + result.stderr)
        assert result.returncode == code, (f"yici {' '.join(map(str, args))}: exit {result.returncode}\n"
                                           f"stdout: {result.stdout}\nstderr: {result.stderr}")
        assert "Traceback" not in result.stdout + result.stderr
        return result

    def json(self, *args, code: int = 0):
        return json.loads(self(*args, "--json", code=code).stdout)

    def record(self) -> str:
        return self("records", "new", "sanhui-yike", "--branch", "HX01", *MEETING, "--final").stdout.strip()

    def assert_no_secrets(self) -> None:
        for text in self.outputs:
            for secret in SECRETS:
                assert secret not in text, f"secret printed: {text}"
        for path in self.data_dir.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                for secret in SECRETS:
                    assert secret.encode() not in data, f"secret in {path}"


@pytest.fixture
def cli(yici, data_dir):
    run = Cli(yici, data_dir)
    run("branches", "add", "红星村党支部", "--code", "HX01", "--secretary", "张三")
    yield run
    run.assert_no_secrets()


@pytest.fixture
def platform():
    with PlatformServer(token=TOKEN) as server:
        yield server


@pytest.fixture
def dingtalk():
    server = DingTalkServer(token=DT_TOKEN, secret=SIGN)
    yield server
    server.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def keyring(tmp_path: Path) -> dict:
    path = tmp_path / "keyring.json"
    return json.loads(path.read_text(encoding="utf-8")).get("yici", {}) if path.exists() else {}


# --- targets -------------------------------------------------------------------------------------------

def test_targets_add_list_edit_remove(cli, dingtalk, tmp_path):
    webhook = dingtalk.webhook
    # A robot's webhook carries its token: never an option or --url, and never echoed back.
    refused = cli("targets", "add", "钉钉群", "--kind", "dingtalk", "--url", webhook, code=1)
    assert "targets secret 钉钉群 --name webhook" in refused.stderr
    assert "钉钉" in cli("targets", "add", "x", "--kind", "dingding", code=1).stderr
    assert "找不到表单" in cli("targets", "add", "x", "--kind", "rest", "--forms", "nope", code=1).stderr
    assert "找不到支部" in cli("targets", "add", "x", "--kind", "rest", "--branches", "无此支部", code=1).stderr
    assert "KEY=VALUE" in cli("targets", "add", "x", "--kind", "rest", "--option", "auth", code=1).stderr
    assert "是密钥" in cli("targets", "add", "x", "--kind", "rest", "--option", f"token={TOKEN}", code=1).stderr
    assert "带密钥的网址" in cli("targets", "add", "x", "--kind", "dingtalk", "--option", f"url={webhook}", code=1).stderr
    assert "带有密钥" in cli("targets", "add", "x", "--kind", "rest",
                           "--url", f"http://127.0.0.1/api?access_token={TOKEN}", code=1).stderr
    broken = tmp_path / "broken.j2"
    broken.write_text("{% if %}", encoding="utf-8")
    cli("targets", "add", "x", "--kind", "dingtalk", "--template", broken, code=1)
    template = tmp_path / "message.j2"
    template.write_text("## {{ form_title }}\n{{ branch }}", encoding="utf-8")

    added = cli("targets", "add", "钉钉群", "--kind", "dingtalk", "--forms", "三会一课",
                "--branches", "HX01", "--template", template, "--option", "keyword=党建")
    assert "已添加平台" in added.stdout and "targets secret 钉钉群 --name webhook" in added.stderr
    cli("targets", "add", "接口", "--kind", "rest", "--url", "http://127.0.0.1:9/api/records",
        "--option", "auth=bearer")
    cli("targets", "add", "接口", "--kind", "rest", code=1)        # the name is taken

    # Secrets: from stdin, into the keyring only; unknown names and empty input refused.
    assert "sign_secret" in cli("targets", "secret", "钉钉群", "--name", "nope", input="x", code=1).stderr
    assert "空" in cli("targets", "secret", "钉钉群", input="\n", code=1).stderr
    # Typed on the command line by mistake: refused, and not echoed back (checked at the end).
    assert "不能写在命令行上" in cli("targets", "secret", "钉钉群", webhook, code=1).stderr
    assert "access_token=***" in cli("targets", "add", "y", "--kind", "dingtalk", webhook, code=2).stderr
    saved = cli("targets", "secret", "钉钉群", input=webhook + "\n")        # default name: webhook
    assert "webhook" in saved.stdout and "access_token=" in saved.stdout
    cli("targets", "secret", "钉钉群", "--name", "sign_secret", input=SIGN)
    cli("targets", "secret", "接口", input=TOKEN + "\r\n")                 # default name: token
    stored = keyring(tmp_path)
    assert stored["target-1:webhook"] == webhook and stored["target-1:sign_secret"] == SIGN
    assert stored["target-2:token"] == TOKEN

    # No usable keyring: a clear refusal, nothing stored anywhere.
    no_keyring = cli("targets", "secret", "接口", input="another-token-123",
                     env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}, code=1)
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

    cli("targets", "edit", "钉钉群", "--disable", "--forms", "", "--option", "keyword=", "--option", "at_all=true")
    robot = {t["name"]: t for t in cli.json("targets", "list")}["钉钉群"]
    assert not robot["enabled"] and robot["forms"] == [] and robot["options"] == {"at_all": "true"}
    cli("targets", "edit", "钉钉群", "--url", webhook, code=1)
    cli("targets", "edit", "nope", "--enable", code=1)

    removed = cli("targets", "remove", "钉钉群")
    assert "密钥已从系统钥匙串删除" in removed.stdout
    assert [t["name"] for t in cli.json("targets", "list")] == ["接口"]
    assert set(keyring(tmp_path)) == {"target-2:token"}
    cli("targets", "test", "钉钉群", code=1)


# --- sync ------------------------------------------------------------------------------------------------

def test_sync_delivers_to_rest_and_dingtalk(cli, platform, dingtalk):
    cli("targets", "add", "平台", "--kind", "rest", "--url", f"{platform.url}/api/records",
        "--option", "auth=bearer", "--option", "remote_id_path=data.id")
    cli("targets", "secret", "平台", input=TOKEN)
    cli("targets", "add", "钉钉群", "--kind", "dingtalk")
    cli("targets", "secret", "钉钉群", "--name", "webhook", input=dingtalk.webhook)

    # The robot has 加签 on: without the signing secret the platform refuses, and says why.
    unsigned = cli("targets", "test", "钉钉群", code=4)
    assert "310000" in unsigned.stderr and "加签" in unsigned.stderr
    cli("targets", "secret", "钉钉群", "--name", "sign_secret", input=SIGN)
    tested = cli("targets", "test", "钉钉群")
    assert "钉钉已接收" in tested.stdout and len(dingtalk.accepted) == 1
    assert "连接测试成功" in cli("targets", "test", "平台").stdout and platform.records == {}

    uuid = cli.record()
    assert cli.json("status", code=3)["pending"] == 2
    synced = cli("sync")
    assert re.search(r"平台：送达 1、重试 0、失败 0", synced.stdout), synced.stdout
    assert re.search(r"钉钉群：送达 1", synced.stdout)
    assert [r.payload["uuid"] for r in platform.records.values()] == [uuid]
    assert len(dingtalk.accepted) == 2 and "十一月支部委员会" in dingtalk.accepted[1]["markdown"]["text"]
    assert "全部已送达" in cli("sync").stdout                 # nothing left: nothing sent again
    assert len(platform.records) == 1 and len(dingtalk.accepted) == 2

    status = cli.json("status")
    assert status["records"]["final"] == 1 and status["pending"] == 0 and status["needs_attention"] == []
    assert status["deliveries"] == {"平台": {"delivered": 1}, "钉钉群": {"delivered": 1}}
    shown = cli("records", "show", uuid[:8]).stdout
    section = shown[shown.index("送达情况"):]
    assert "平台" in section and "钉钉群" in section and section.count("已送达") == 2
    assert "钉钉已接收" in section and "R123" in section          # the platform's own id and words
    record = cli.json("records", "show", uuid)
    assert {(d["target"], d["state"]) for d in record["deliveries"]} == {("平台", "delivered"),
                                                                          ("钉钉群", "delivered")}


def test_sync_offline_and_wrong_token(cli, platform, tmp_path):
    # A platform that is not there: pending, exit 3, with the next retry time.
    cli("targets", "add", "离线平台", "--kind", "rest", "--url", f"http://127.0.0.1:{free_port()}/api/records")
    cli.record()
    offline = cli("sync", code=3)
    assert re.search(r"离线平台：送达 0、重试 1.*还有 1 条待发送，下次重试", offline.stdout), offline.stdout
    pending = cli.json("deliveries", "list", "--state", "待发送")
    assert [d["target"] for d in pending] == ["离线平台"] and pending[0]["attempts"] == 1

    # Wrong token: the target stops (needs attention), exit 4, status says so.
    cli("targets", "add", "平台", "--kind", "rest", "--url", f"{platform.url}/api/records", "--option", "auth=bearer")
    cli("targets", "secret", "平台", input="wrong-token-000")
    assert "1 条" in cli("targets", "queue", "平台").stdout
    refused = cli("sync", "--target", "平台", code=4)
    assert "需要处理" in refused.stdout and "认证" in refused.stdout and platform.records == {}
    status = cli.json("status", code=4)
    assert status["needs_attention"] == ["平台"] and status["pending"] == 2
    assert {t["name"]: t["state"] for t in status["targets"]} == {"离线平台": "ok", "平台": "needs_attention"}
    assert "需要处理" in cli("targets", "list").stdout
    assert "需要处理" in cli("status", code=4).stdout

    # The right token clears the stop; the record goes out; the offline one keeps the exit at 3.
    assert "已解除" in cli("targets", "secret", "平台", input=TOKEN).stdout
    cli("sync", "--target", "平台")
    assert len(platform.records) == 1
    cli("status", code=3)

    # Another process is syncing this folder: say so, exit 3, touch nothing.
    held = try_lock(cli.data_dir)
    try:
        assert "正在同步" in cli("sync", code=3).stderr
    finally:
        held.release()
    # Disabling the offline platform: nothing left that scripts need to wait for.
    cli("targets", "edit", "离线平台", "--disable")
    cli("status")


def test_deliveries_resend_and_mark_delivered(cli, dingtalk):
    cli("targets", "add", "钉钉群", "--kind", "dingtalk")
    cli("targets", "secret", "钉钉群", input=dingtalk.webhook)
    cli("targets", "secret", "钉钉群", "--name", "sign_secret", input=SIGN)
    first, second = cli.record(), cli.record()

    # The robot refuses one message outright (an unknown code): failed, exit 4; then resent.
    dingtalk.codes_next = [(40035, "缺少参数 json")]
    failed = cli("sync", code=4)
    assert "失败 1" in failed.stdout and len(dingtalk.accepted) == 1
    [bad] = cli.json("deliveries", "list", "--state", "failed")
    assert "40035" in bad["message"]
    cli("deliveries", "mark-delivered", 999, code=1)
    cli("deliveries", "list", "--state", "nonsense", code=1)
    assert "已重新排队" in cli("deliveries", "resend", bad["id"]).stdout
    cli("sync")
    assert len(dingtalk.accepted) == 2
    cli("deliveries", "resend", bad["id"], code=1)             # delivered: nothing to resend

    # A crash while sending: the robot cannot dedupe, so the next sync asks a person.
    third = cli.record()
    store = Store.open(cli.data_dir)
    try:
        [queued] = store.deliveries(record_uuid=third)
        store.mark_sending([queued.id])
    finally:
        store.close()
    recovered = cli("sync", code=4)
    assert "可能已发送" in recovered.stdout and len(dingtalk.accepted) == 2     # not resent silently
    [uncertain] = cli.json("deliveries", "list", "--state", "uncertain")
    assert uncertain["record_uuid"] == third
    assert cli.json("status", code=4)["uncertain"] == 1
    assert "已标记为已送达" in cli("deliveries", "mark-delivered", uncertain["id"]).stdout
    cli("status")
    assert {first, second, third} == {d["record_uuid"] for d in cli.json("deliveries", "list", "--state", "delivered")}
    assert "确认已送达" in cli("records", "show", third).stdout


def test_xlsx_target_then_confirm_upload(cli, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    exports = tmp_path / "exports"
    cli("targets", "add", "导入表", "--kind", "xlsx", "--option", f"folder={exports}",
        "--option", "columns=会议名称=title;支部=branch;召开日期=held_at[:10]")
    assert "导出文件夹可写" in cli("targets", "test", "导入表").stdout
    uuids = [cli.record(), cli.record()]
    written = cli("sync", code=3)                       # in the file, not yet on the platform
    assert "待上传 2" in written.stdout and "confirm-upload 导入表" in written.stdout
    [batch] = [p for p in exports.glob("*.xlsx")]
    rows = list(openpyxl.load_workbook(batch).active.values)
    assert rows[0] == ("会议名称", "支部", "召开日期")
    assert rows[1:] == [("十一月支部委员会", "红星村党支部", "2026-11-05")] * 2
    waiting = cli.json("deliveries", "list", "--target", "导入表", "--state", "awaiting_upload")
    assert {d["record_uuid"] for d in waiting} == set(uuids)

    confirmed = cli("deliveries", "confirm-upload", "导入表")
    assert "2 条记录标记为已送达" in confirmed.stdout and batch.name in confirmed.stdout
    assert cli.json("status")["deliveries"] == {"导入表": {"delivered": 2}}
    cli.record()
    cli("sync", code=3)
    assert len(list(exports.glob("*.xlsx"))) == 2       # the next rows started a new file
    cli("targets", "add", "接口", "--kind", "rest", "--url", "http://127.0.0.1:9/api")
    assert "不是 Excel" in cli("deliveries", "confirm-upload", "接口", code=1).stderr


def test_sync_watch_stops_cleanly_on_ctrl_c(yici_env, cli, platform, tmp_path):
    cli("targets", "add", "平台", "--kind", "rest", "--url", f"{platform.url}/api/records",
        "--option", "auth=bearer")
    cli("targets", "secret", "平台", input=TOKEN)
    cli.record()
    watch = subprocess.Popen([sys.executable, "-m", "desktop.cli", "sync", "--watch", "--interval", "5"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                             env=yici_env, cwd=tmp_path)
    try:
        lines = []
        for line in watch.stdout:                       # the first (manual) run's summary
            lines.append(line)
            if "平台：" in line:
                break
        watch.send_signal(signal.SIGINT)
        out, errors = watch.communicate(timeout=30)
    finally:
        if watch.poll() is None:
            watch.kill()
    cli.outputs.append("".join(lines) + out + errors)
    assert watch.returncode == 0, errors
    assert "送达 1" in "".join(lines) and "已停止自动同步" in errors and "Traceback" not in errors
    assert len(platform.records) == 1
