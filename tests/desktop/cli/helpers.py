"""Values and small helpers the command-line tests share (fixtures are in conftest.py)."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

from tests.helpers import VISIT_FORM, ok

LIBRARY = Path(__file__).resolve().parents[3] / "forms" / "library"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ROSTER_CSV = "姓名,职务,电话\n张三,书记,13800138000\n李四,委员,\n王五,党员,\n赵六,预备党员,\n"
# A committee meeting that can be finalized: everything required is given or has a default.
MEETING = {
    "meeting_type": "支部委员会",
    "title": "十一月支部委员会",
    "held_at": "2026-11-05T09:00",
    "topics": "研究冬季防火",
    "content": "传达上级精神，部署冬季防火。",
}

VISIT_V1 = (
    VISIT_FORM
    + """\
  - key: household
    label: 户主
    type: text
    required: true
"""
)
VISIT_V2 = (
    VISIT_V1.replace("version: 1", "version: 2")
    + """\
  - key: note
    label: 备注
    type: longtext
"""
)

TOKEN = "tok-3f9a7c1e55"  # PlatformServer's bearer token
DT_TOKEN = "dt-token-5d1c8e27a9b34f60"  # the access token inside the DingTalk webhook
SIGN = "SEC7f3a9b1c2d4e5f60718293a4b5c6d7e8"
SECRETS = (TOKEN, DT_TOKEN, SIGN)


def new_record(
    yici, tmp_path, values: dict, *extra: str, form: str = "sanhui-yike", branch: str = "红星村党支部"
) -> str:
    data = tmp_path / "values.json"
    data.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    result = ok(yici("records", "new", form, "--branch", branch, "--data", data, *extra))
    assert UUID.match(result.stdout.strip()), result.stdout
    return result.stdout.strip()


def show(yici, uuid: str) -> dict:
    return json.loads(ok(yici("records", "show", uuid, "--json")).stdout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def keyring(tmp_path: Path) -> dict:
    """The platforms' secrets in the test keyring (the data folder's own key left out)."""
    path = tmp_path / "keyring.json"
    found = json.loads(path.read_text(encoding="utf-8")).get("yici", {}) if path.exists() else {}
    return {name: value for name, value in found.items() if not name.startswith("data-key/")}
