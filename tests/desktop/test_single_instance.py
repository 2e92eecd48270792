"""One Yici per data folder: real processes, started, asked, killed and started again."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalSocket

from desktop.single_instance import instance_key

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and socket files are POSIX")


def launch(data_dir: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def answering(data_dir: Path) -> bool:
    socket = QLocalSocket()
    socket.connectToServer(instance_key(data_dir))
    ok = socket.waitForConnected(200)
    socket.abort()
    return ok


def wait_until(check, process: subprocess.Popen, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while not check():
        assert process.poll() is None, process.communicate(timeout=5)
        assert time.monotonic() < end, "timed out"
        time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.communicate()


def test_key_names_the_folder_not_its_spelling(tmp_path):
    folder = tmp_path / "数据"
    folder.mkdir()
    (tmp_path / "link").symlink_to(folder)
    key = instance_key(folder)
    assert instance_key(tmp_path / "link") == key == instance_key(tmp_path / "x" / ".." / "数据")
    assert instance_key(tmp_path / "别的") != key
    assert str(folder) not in key and key.isascii()


def test_second_start_brings_the_first_forward_and_a_killed_one_does_not_block(tmp_path, yici_env, qapp):
    folder, other_folder = tmp_path / "村里", tmp_path / "镇上"
    first = launch(folder, yici_env)
    started = [first]
    try:
        wait_until(lambda: answering(folder), first)

        second = launch(folder, yici_env)
        _, err = second.communicate(timeout=60)
        assert second.returncode == 0 and "已经打开了这个数据文件夹" in err
        log = folder / "logs" / "yici.log"
        wait_until(lambda: log.exists() and "brought forward" in log.read_text(encoding="utf-8"), first)

        other = launch(other_folder, yici_env)  # another folder: its own Yici
        started.append(other)
        wait_until(lambda: answering(other_folder), other)
        assert first.poll() is None and other.poll() is None

        first.kill()  # SIGKILL: no clean-up at all
        first.wait(timeout=30)
        socket_file = Path(QDir.tempPath()) / instance_key(folder)
        assert socket_file.exists() and not answering(folder)  # what a crash leaves behind
        assert (Path(QDir.tempPath()) / f"{instance_key(folder)}.lock").exists()

        again = launch(folder, yici_env)
        started.append(again)
        wait_until(lambda: answering(folder), again)
        time.sleep(0.5)
        assert again.poll() is None  # it started and holds the folder
    finally:
        for process in started:
            stop(process)
    assert not (Path(QDir.tempPath()) / f"{instance_key(folder)}.lock").exists()  # released on quitting
