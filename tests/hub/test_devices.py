"""Laptops enrol with a one-time code, join for a token, and lose it when revoked; admins get
argon2 passwords. Real PostgreSQL, the hub served over HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import hashlib
import io
import re

import psycopg

from hub.admins import check_password
from hub.cli import main
from hub.tokens import CODE_ALPHABET
from tests.hub.conftest import enrolled, joined, sql

CODE = re.compile(rf"^[{CODE_ALPHABET}]{{4}}(-[{CODE_ALPHABET}]{{4}}){{3}}$")


def test_enrol_prints_a_one_time_code_and_creates_the_branches(hub_db, capsys):
    assert (
        main(
            [
                "enrol",
                "--database",
                hub_db,
                "--name",
                "张三的电脑",
                "--branches",
                "红星村党支部，东风村党支部",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out.splitlines()
    assert "7 天内有效" in out[0] and CODE.match(out[1]), out
    branches = sql(hub_db, "SELECT name, length(uid) FROM branches ORDER BY name")
    assert branches == [("东风村党支部", 32), ("红星村党支部", 32)]
    # Only a hash of the code is kept.
    stored = sql(hub_db, "SELECT code_hash FROM devices")[0][0]
    assert out[1] not in stored and out[1].replace("-", "") not in stored


def test_join_gives_a_token_and_the_branches_once(hub):
    code = enrolled(hub.database, "张三的电脑", ["红星村党支部", "东风村党支部"])
    typed = code.lower().replace("-", " ")  # read aloud and typed by hand
    answer = hub.post("/api/v1/join", json={"code": typed, "device_name": "ZHANGSAN-PC"})
    assert answer.status_code == 201, answer.text
    joined_as = answer.json()
    assert len(joined_as["token"]) >= 43
    assert sorted(b["name"] for b in joined_as["branches"]) == ["东风村党支部", "红星村党支部"]
    uids = {uid for (uid,) in sql(hub.database, "SELECT uid FROM branches")}
    assert {b["uid"] for b in joined_as["branches"]} == uids
    # The token works; the database keeps only its hash.
    assert hub.get("/api/v1/pull", joined_as["token"]).status_code == 200
    assert sql(hub.database, "SELECT token_hash, joined_as FROM devices")[0][1] == "ZHANGSAN-PC"
    assert joined_as["token"] not in sql(hub.database, "SELECT token_hash FROM devices")[0][0]

    again = hub.post("/api/v1/join", json={"code": code, "device_name": "另一台"})
    assert again.status_code == 403
    assert "已经用过" in again.json()["error"]


def test_an_expired_code_is_refused(hub):
    code = enrolled(hub.database, "张三的电脑", ["红星村党支部"])
    sql(hub.database, "UPDATE devices SET code_expires_at = now() - interval '1 second'")
    answer = hub.post("/api/v1/join", json={"code": code, "device_name": "x"})
    assert answer.status_code == 403
    assert "过期" in answer.json()["error"]
    assert sql(hub.database, "SELECT token_hash FROM devices") == [(None,)]


def test_enrolling_again_before_joining_replaces_the_code(hub):
    first = enrolled(hub.database, "张三的电脑", ["红星村党支部"])
    second = enrolled(hub.database, "张三的电脑", ["东风村党支部"])
    assert hub.post("/api/v1/join", json={"code": first, "device_name": "x"}).status_code == 403
    answer = hub.post("/api/v1/join", json={"code": second, "device_name": "x"})
    assert [b["name"] for b in answer.json()["branches"]] == ["东风村党支部"]
    assert sql(hub.database, "SELECT count(*) FROM devices") == [(1,)]


def test_a_joined_device_cannot_be_enrolled_twice(hub, capsys):
    joined(hub, "张三的电脑")
    assert (
        main(["enrol", "--database", hub.database, "--name", "张三的电脑", "--branches", "红星村党支部"]) == 1
    )
    assert "yici-hub revoke 张三的电脑" in capsys.readouterr().err


def test_a_revoked_device_gets_401_and_a_chinese_message(hub, capsys):
    token = joined(hub, "张三的电脑")["token"]
    assert main(["revoke", "--database", hub.database, "张三的电脑"]) == 0
    assert "已撤销" in capsys.readouterr().out
    for answer in (
        hub.get("/api/v1/pull", token),
        hub.post("/api/v1/records", token, json={}),
        hub.head("/api/v1/attachments/" + "0" * 64, token),
    ):
        assert answer.status_code == 401
    answer = hub.get("/api/v1/pull", token)
    assert "撤销" in answer.json()["error"] and answer.json()["revoked"] is True
    assert main(["revoke", "--database", hub.database, "张三的电脑"]) == 1
    # After revoking, the same name can be enrolled for a new laptop.
    assert (
        main(["enrol", "--database", hub.database, "--name", "张三的电脑", "--branches", "红星村党支部"]) == 0
    )


def test_requests_without_a_valid_token_get_401(hub):
    assert hub.get("/api/v1/pull").status_code == 401
    answer = hub.get("/api/v1/pull", "not-a-token")
    assert answer.status_code == 401 and "凭据无效" in answer.json()["error"]
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_admin_password_from_stdin_is_argon2_hashed(hub_db, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("乡镇-Passw0rd\n"))
    assert main(["admin", "add", "王书记", "--database", hub_db]) == 0
    assert "已保存管理员“王书记”" in capsys.readouterr().out
    (stored,) = sql(hub_db, "SELECT password_hash FROM admins WHERE name = '王书记'")[0]
    assert stored.startswith("$argon2id$") and "乡镇-Passw0rd" not in stored
    assert hashlib.sha256("乡镇-Passw0rd".encode()).hexdigest() not in stored

    async def check(password: str) -> bool:
        async with await psycopg.AsyncConnection.connect(hub_db) as conn:
            return await check_password(conn, "王书记", password)

    assert asyncio.run(check("乡镇-Passw0rd")) is True
    assert asyncio.run(check("乡镇-passw0rd")) is False
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["admin", "add", "王书记", "--database", hub_db]) == 1
    assert "至少 8 个字符" in capsys.readouterr().err
