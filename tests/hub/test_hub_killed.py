"""SIGKILL of `yici-hub serve` at the worst moments of a large upload and of a record push: between
parts, in the middle of a part's body, inside the transaction that stores a part, inside the one
that joins the parts and checks the hash, and inside the one that stores a record revision. After
each kill the hub is started again and the laptop's way of resuming (HEAD → Upload-Offset, push
again) ends with the file whole and held once, the revision stored once, and no part left over:
counted in PostgreSQL.

A kill "inside a transaction" is made certain, not hoped for: the test holds a table lock the
hub's next statement needs, waits until PostgreSQL shows the hub's connection waiting on it, and
kills the hub then.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import requests

from tests.hub.conftest import Hub, joined, sql
from tests.hub.revisions import revision

MB = 2**20
FILE = os.urandom(40 * MB)  # a scanned book of minutes, in three parts of at most 16 MB
SHA = hashlib.sha256(FILE).hexdigest()
PATH = f"/api/v1/attachments/{SHA}"
PARTS = [(0, 16 * MB), (16 * MB, 32 * MB), (32 * MB, 40 * MB)]


def _range(start: int, end: int) -> dict:
    return {"Content-Range": f"bytes {start}-{end - 1}/{len(FILE)}"}


def _put(hub: Hub, token: str, part: int) -> requests.Response:
    start, end = PARTS[part]
    return hub.put(PATH, token, _range(start, end), data=FILE[start:end])


def _counts(db: str) -> tuple[int, int, int]:
    """(attachments held, uploads under way, parts kept)."""
    return sql(
        db,
        "SELECT (SELECT count(*) FROM attachments), (SELECT count(*) FROM attachment_uploads), "
        "(SELECT count(*) FROM attachment_parts)",
    )[0]


@contextlib.contextmanager
def _held(db: str, table: str) -> Iterator[None]:
    """Hold `table` so that no one can write to it (reads go on) until the block ends."""
    with psycopg.connect(db) as conn:
        conn.execute(f"LOCK TABLE {table} IN SHARE MODE".encode())
        try:
            yield
        finally:
            conn.rollback()


def _wait_until_blocked(db: str) -> None:
    """Until one of the hub's connections waits on the lock the test holds (at most 30 s)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        waiting = sql(
            db,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'",
        )[0][0]
        if waiting:
            return
        time.sleep(0.05)
    raise AssertionError("the hub never reached the held table")


def _killed_while(hub: Hub, table: str, send) -> None:
    """Send a request in a thread; kill the hub while that request waits inside its transaction."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            send()
        except requests.ConnectionError as exc:
            errors.append(exc)

    with _held(hub.database, table):
        sender = threading.Thread(target=run)
        sender.start()
        _wait_until_blocked(hub.database)
        hub.kill()
        sender.join(30)
    assert errors, "the request was answered: the kill came too late"


def _half_sent(hub: Hub, token: str, part: int) -> socket.socket:
    """A PUT of a part whose body stops halfway, the connection left open."""
    start, end = PARTS[part]
    head = (
        f"PUT {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{hub.port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Range: bytes {start}-{end - 1}/{len(FILE)}\r\nContent-Length: {end - start}\r\n\r\n"
    )
    sock = socket.create_connection(("127.0.0.1", hub.port), timeout=30)
    sock.sendall(head.encode() + FILE[start : start + (end - start) // 2])
    return sock


def _offset(hub: Hub, token: str) -> int:
    answer = hub.head(PATH, token)
    assert answer.status_code == 404, answer.status_code
    return int(answer.headers["Upload-Offset"])


def test_a_hub_killed_anywhere_in_a_large_upload_and_a_push_loses_and_doubles_nothing(hub, tmp_path: Path):
    device = joined(hub)
    token, branch = device["token"], device["branches"][0]["uid"]
    db = hub.database
    started = [hub]

    def again() -> Hub:
        started.append(Hub(db, tmp_path / f"hub-{len(started)}.log").start())
        return started[-1]

    try:
        assert _put(hub, token, 0).status_code == 202
        hub.kill()  # between two parts
        served = again()
        assert _offset(served, token) == 16 * MB

        cut = _half_sent(served, token, 1)  # in the middle of a part's body
        time.sleep(0.5)
        served.kill()
        cut.close()
        served = again()
        assert _offset(served, token) == 16 * MB

        # Inside the transaction that stores a part: nothing of it is kept.
        _killed_while(served, "attachment_parts", lambda: _put(served, token, 1))
        served = again()
        assert _offset(served, token) == 16 * MB and _counts(db) == (0, 1, 1)
        assert _put(served, token, 1).status_code == 202

        # Inside the transaction that joins the parts and checks the hash: the last part is not
        # kept either, and the file is not held.
        _killed_while(served, "attachments", lambda: _put(served, token, 2))
        served = again()
        assert _offset(served, token) == 32 * MB and _counts(db) == (0, 1, 2)
        assert _put(served, token, 2).status_code == 201
        assert sql(db, "SELECT sha256, size, encode(sha256(data), 'hex') FROM attachments") == [
            (SHA, len(FILE), SHA)
        ]
        assert _counts(db) == (1, 0, 0)  # whole, once, and no orphan parts

        # Inside the transaction that stores a record revision (its revision and audit rows
        # written, its attachment rows waiting): nothing of it is kept; pushed again, it is
        # stored once.
        body = revision(branch, attachments=[{"sha256": SHA, "name": "会议记录扫描.pdf"}])
        _killed_while(served, "record_attachments", lambda: served.post("/api/v1/records", token, json=body))
        served = again()
        assert sql(db, "SELECT count(*) FROM record_revisions") == [(0,)]
        stored = served.post("/api/v1/records", token, json=body)
        assert stored.status_code == 201, stored.text
        assert served.post("/api/v1/records", token, json=body).json()["status"] == "already"
        assert served.get(PATH, token).content == FILE
    finally:
        for each in started:
            each.stop()
    assert sql(db, "SELECT count(*) FROM record_revisions WHERE uuid = %s", [body["uuid"]]) == [(1,)]
    assert sql(db, "SELECT count(*) FROM record_audit") == [(len(body["audit"]),)]
    assert sql(db, "SELECT sha256 FROM record_attachments") == [(SHA,)]
    assert sql(db, "SELECT revision FROM records") == [(1,)]
    assert _counts(db) == (1, 0, 0)
