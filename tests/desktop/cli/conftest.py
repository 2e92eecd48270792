"""Fixtures for the command-line tests: a branch with a roster, the platforms' test servers, and
`cli`, which runs `yici` and keeps every output so a test can prove no secret was ever printed.

Every `yici` subprocess here gets the test keyring (a file in tmp_path, never the developer's
keychain), the operator 测试员 and no proxy, unless a test says otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.desktop.cli.helpers import DT_TOKEN, ROSTER_CSV, SECRETS, SIGN, TOKEN
from tests.helpers import ok
from tests.sync.rest_server import PlatformServer
from tests.sync.robot_servers import DingTalkServer

REPO = Path(__file__).resolve().parents[3]
# helpers.MEETING as --set options: a committee meeting that can be finalized.
MEETING_ARGS = [
    "--set",
    "meeting_type=支部委员会",
    "--set",
    "title=十一月支部委员会",
    "--set",
    "held_at=2026-11-05T09:00",
    "--set",
    "topics=研究冬季防火",
    "--set",
    "content=传达上级精神，部署冬季防火。",
]


@pytest.fixture
def yici_env(yici_env, tmp_path):
    """The shared subprocess environment plus the test keyring; no proxy may catch 127.0.0.1."""
    env = {k: v for k, v in yici_env.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env.update(
        PYTHONPATH=str(REPO),
        PYTHON_KEYRING_BACKEND="tests.desktop.file_keyring.FileKeyring",
        YICI_TEST_KEYRING_FILE=str(tmp_path / "keyring.json"),
        NO_PROXY="127.0.0.1,localhost",
        YICI_OPERATOR="测试员",
    )
    return env


class Cli:
    """Runs `yici`, keeps every output so the test can prove no secret was ever printed."""

    def __init__(self, yici, data_dir: Path):
        self.yici, self.data_dir, self.outputs = yici, data_dir, []

    def __call__(self, *args, code: int = 0, input: str | None = None, env: dict | None = None):
        result = self.yici(*args, input=input, env=env)
        self.outputs.append(result.stdout + result.stderr)
        assert result.returncode == code, (
            f"yici {' '.join(map(str, args))}: exit {result.returncode}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}"
        )
        assert "Traceback" not in result.stdout + result.stderr
        return result

    def json(self, *args, code: int = 0):
        return json.loads(self(*args, "--json", code=code).stdout)

    def record(self) -> str:
        return self(
            "records", "new", "sanhui-yike", "--branch", "HX01", *MEETING_ARGS, "--final"
        ).stdout.strip()

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


@pytest.fixture
def branch(yici, tmp_path):
    """A branch 红星村党支部 (code HX01) with a roster of four, 张三 the secretary."""
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER_CSV, encoding="utf-8")
    ok(yici("branches", "add", "红星村党支部", "--code", "HX01"))
    ok(yici("members", "import", "HX01", roster))
    return "红星村党支部"
