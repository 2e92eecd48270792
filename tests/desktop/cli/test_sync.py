"""`yici sync` end to end: the command line in subprocesses, real platform servers
on 127.0.0.1 in this process, a file keyring only these tests use. Every end-to-end test ends by
checking that no secret value appears in anything the commands printed or in any file of the
data folder (fixture `cli`)."""

from __future__ import annotations

import argparse
import re
import signal
import subprocess
import sys

import pytest

from sync.lock import try_lock
from tests.desktop.cli.helpers import SIGN, TOKEN, free_port


def test_sync_delivers_to_rest_and_dingtalk(cli, platform, dingtalk):
    cli(
        "targets",
        "add",
        "平台",
        "--kind",
        "rest",
        "--url",
        f"{platform.url}/api/records",
        "--option",
        "auth=bearer",
        "--option",
        "remote_id_path=data.id",
    )
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
    assert "全部已送达" in cli("sync").stdout  # nothing left: nothing sent again
    assert len(platform.records) == 1 and len(dingtalk.accepted) == 2

    status = cli.json("status")
    assert status["records"]["final"] == 1 and status["pending"] == 0 and status["needs_attention"] == []
    assert status["deliveries"] == {"平台": {"delivered": 1}, "钉钉群": {"delivered": 1}}
    shown = cli("records", "show", uuid[:8]).stdout
    section = shown[shown.index("送达情况") :]
    assert "平台" in section and "钉钉群" in section and section.count("已送达") == 2
    assert "钉钉已接收" in section and "R123" in section  # the platform's own id and words
    record = cli.json("records", "show", uuid)
    assert {(d["target"], d["state"]) for d in record["deliveries"]} == {
        ("平台", "delivered"),
        ("钉钉群", "delivered"),
    }


def test_sync_offline_and_wrong_token(cli, platform, tmp_path):
    # A platform that is not there: pending, exit 3, with the next retry time.
    cli(
        "targets", "add", "离线平台", "--kind", "rest", "--url", f"http://127.0.0.1:{free_port()}/api/records"
    )
    cli.record()
    offline = cli("sync", code=3)
    assert re.search(r"离线平台：送达 0、重试 1.*还有 1 条待发送，下次重试", offline.stdout), offline.stdout
    pending = cli.json("deliveries", "list", "--state", "待发送")
    assert [d["target"] for d in pending] == ["离线平台"] and pending[0]["attempts"] == 1

    # Wrong token: the target stops (needs attention), exit 4, status says so.
    cli(
        "targets",
        "add",
        "平台",
        "--kind",
        "rest",
        "--url",
        f"{platform.url}/api/records",
        "--option",
        "auth=bearer",
    )
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


def test_sync_watch_stops_cleanly_on_ctrl_c(yici_env, cli, platform, tmp_path):
    cli(
        "targets",
        "add",
        "平台",
        "--kind",
        "rest",
        "--url",
        f"{platform.url}/api/records",
        "--option",
        "auth=bearer",
    )
    cli("targets", "secret", "平台", input=TOKEN)
    cli.record()
    watch = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "sync", "--watch", "--interval", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=yici_env,
        cwd=tmp_path,
    )
    try:
        lines = []
        for line in watch.stdout:  # the first (manual) run's summary
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


def test_ctrl_c_while_the_summary_prints_keeps_its_exit_code(tmp_path, monkeypatch):
    # In process, so the Ctrl+C lands exactly while the summary goes out (a subprocess can only
    # hope to hit that moment): the command still ends with the summary's code, not 已中断.
    from desktop.cli import sync as sync_command

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sync_command, "log_to_file", lambda data_dir: None)  # no handler left behind
    monkeypatch.setattr(sync_command, "print", interrupted, raising=False)
    try:
        code = sync_command.sync(argparse.Namespace(target=None, watch=False, interval=60), tmp_path / "data")
    except KeyboardInterrupt:
        pytest.fail("Ctrl+C while the summary printed lost its exit code")
    assert code == 0
