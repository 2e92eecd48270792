"""What the township page's tests put on a hub: an administrator, a laptop's branches with
rosters, 三会一课 records pushed through the API as a laptop pushes them, and a logged-in
`requests` session (the login form's CSRF token read from the page, as a browser would)."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import re
import struct
import uuid as uuidlib
import zlib

import psycopg
import requests

from hub.admins import add_admin
from hub.branches import set_roster
from tests.hub.conftest import Hub, joined

ADMIN, PASSWORD = "王书记", "镇里的密码-2026"
RED, EAST = "红星村党支部", "东风村党支部"
ROSTER = [
    ("欧阳晓明", "书记"),
    ("阿卜杜热合曼·艾买提江", "委员"),
    ("买买提依明·阿不都热西提", "党员"),
    ("司马青山", "党员"),
    ("李四", "预备党员"),
]


def admin(database: str, name: str = ADMIN, password: str = PASSWORD) -> None:
    """Add a township administrator as `yici-hub admin add` does."""

    async def go() -> None:
        async with await psycopg.AsyncConnection.connect(database, autocommit=True) as conn:
            await add_admin(conn, name, password)

    asyncio.run(go())


def roster(database: str, branch: str, people=ROSTER) -> None:
    """Replace a branch's roster as `yici-hub roster` does."""
    rows = [{"name": name, "role": role, "phone": None} for name, role in people]

    async def go() -> None:
        async with await psycopg.AsyncConnection.connect(database, autocommit=True) as conn:
            await set_roster(conn, branch, rows)

    asyncio.run(go())


def png(width: int = 64, height: int = 48, rgb: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    """A real PNG picture of one colour (a browser shows it)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def meeting(branch_uid: str, day: dt.date, kind: str = "支部委员会", **changes) -> dict:
    """A final 三会一课 record as a laptop pushes it; `data` entries in `changes` are merged."""
    came = ["欧阳晓明", "阿卜杜热合曼·艾买提江", "司马青山"]
    data = {
        "meeting_type": kind,
        "title": f"{day.month}月{kind}",
        "held_at": f"{day.isoformat()}T19:00",
        "place": "村党群服务中心会议室",
        "host": "欧阳晓明",
        "recorder": "司马青山",
        "expected_count": 5,
        "attendees": came,
        "attend_count": len(came),
        "absences": [
            {"name": "买买提依明·阿不都热西提", "reason": "外出务工"},
            {"name": "李四", "reason": "病假"},
        ],
        "absent_count": 2,
        "topics": "1. 研究冬季防火\n2. 发展党员",
        "content": "会议由书记主持，传达了镇党委的部署。",
        **changes.pop("data", {}),
    }
    body = {
        "uuid": str(uuidlib.uuid4()),
        "branch_uid": branch_uid,
        "form_id": "sanhui-yike",
        "form_version": 3,
        "form_source": None,
        "revision": 1,
        "base_revision": 0,
        "status": "final",
        "data": data,
        "summary": f"{day.month}月{kind}",
        "occurred_on": day.isoformat(),
        "operator": "张三",
        "finalized_at": f"{day.isoformat()}T21:00:00+08:00",
        "void_reason": None,
        "audit": [
            {"at": f"{day.isoformat()}T20:40:00+08:00", "operator": "张三", "action": "created", "note": ""},
            {
                "at": f"{day.isoformat()}T21:00:00+08:00",
                "operator": "张三",
                "action": "finalized",
                "note": "",
            },
        ],
        "attachments": [],
    }
    body.update(changes)
    return body


class Laptop:
    """A joined device: pushes records and photos to the hub."""

    def __init__(self, hub: Hub, branches: tuple[str, ...] = (RED, EAST)):
        answer = joined(hub, "张三的电脑", branches)
        self.hub = hub
        self.token = answer["token"]
        self.uids = {b["name"]: b["uid"] for b in answer["branches"]}

    def push(self, body: dict) -> dict:
        answer = self.hub.post("/api/v1/records", self.token, json=body)
        assert answer.status_code == 201, answer.text
        return body

    def photo(self, content: bytes) -> str:
        sha = hashlib.sha256(content).hexdigest()
        assert self.hub.put(f"/api/v1/attachments/{sha}", self.token, data=content).status_code == 201
        return sha


def login_page(hub: Hub, session: requests.Session) -> str:
    """GET the login page; its CSRF token."""
    page = session.get(hub.url + "/township/login", timeout=30)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def logged_in(hub: Hub, name: str = ADMIN, password: str = PASSWORD) -> requests.Session:
    """A requests session logged in to the township page."""
    session = requests.Session()
    csrf = login_page(hub, session)
    answer = session.post(
        hub.url + "/township/login",
        data={"name": name, "password": password, "csrf": csrf, "next": "/township/"},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 303, answer.text
    return session
