"""Attachments: held once by SHA-256, uploaded in parts that resume after a cut (a killed hub
included), and never held under a hash they do not have. Real PostgreSQL, real HTTP."""

from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.hub.conftest import Hub, joined, sql
from tests.hub.revisions import revision

PHOTO = os.urandom(300_000)
SHA = hashlib.sha256(PHOTO).hexdigest()
PATH = f"/api/v1/attachments/{SHA}"


def _range(start: int, end: int, total: int = len(PHOTO)) -> dict:
    return {"Content-Range": f"bytes {start}-{end - 1}/{total}"}


def _counts(db: str) -> tuple[int, int, int]:
    return sql(
        db,
        "SELECT (SELECT count(*) FROM attachments), (SELECT count(*) FROM attachment_uploads), "
        "(SELECT count(*) FROM attachment_parts)",
    )[0]


def test_an_upload_in_two_parts_and_what_head_says_between(hub):
    token = joined(hub)["token"]
    before = hub.head(PATH, token)
    assert before.status_code == 404 and before.headers["Upload-Offset"] == "0"
    half = 120_000
    first = hub.put(PATH, token, _range(0, half), data=PHOTO[:half])
    assert first.status_code == 202 and first.json() == {"status": "partial", "offset": half}
    between = hub.head(PATH, token)
    assert between.status_code == 404 and between.headers["Upload-Offset"] == str(half)
    last = hub.put(PATH, token, _range(half, len(PHOTO)), data=PHOTO[half:])
    assert last.status_code == 201, last.text
    after = hub.head(PATH, token)
    assert after.status_code == 200 and after.headers["Upload-Offset"] == str(len(PHOTO))
    assert _counts(hub.database) == (1, 0, 0)
    assert bytes(sql(hub.database, "SELECT data FROM attachments")[0][0]) == PHOTO
    # Sent again (a laptop that did not ask first): nothing new is stored.
    assert hub.put(PATH, token, data=PHOTO).json()["status"] == "held"
    assert _counts(hub.database) == (1, 0, 0)


def test_a_part_that_does_not_start_where_the_upload_stands_is_refused_with_the_offset(hub):
    token = joined(hub)["token"]
    assert hub.put(PATH, token, _range(0, 1000), data=PHOTO[:1000]).status_code == 202
    gap = hub.put(PATH, token, _range(2000, 3000), data=PHOTO[2000:3000])
    assert gap.status_code == 409 and gap.headers["Upload-Offset"] == "1000"
    assert gap.json()["offset"] == 1000
    repeat = hub.put(PATH, token, _range(0, 1000), data=PHOTO[:1000])
    assert repeat.status_code == 409 and repeat.json()["offset"] == 1000
    wrong_length = hub.put(PATH, token, _range(1000, 3000), data=PHOTO[1000:2000])
    assert wrong_length.status_code == 400
    assert sql(hub.database, "SELECT received FROM attachment_uploads") == [(1000,)]


def test_a_file_whose_bytes_do_not_have_its_hash_is_refused_and_dropped(hub):
    token = joined(hub)["token"]
    forged = bytearray(PHOTO)
    forged[-1] ^= 0xFF
    assert hub.put(PATH, token, _range(0, 1000), data=bytes(forged[:1000])).status_code == 202
    wrong = hub.put(PATH, token, _range(1000, len(PHOTO)), data=bytes(forged[1000:]))
    assert wrong.status_code == 422 and "SHA-256 不符" in wrong.json()["error"]
    assert _counts(hub.database) == (0, 0, 0)
    assert hub.head(PATH, token).headers["Upload-Offset"] == "0"
    # The right bytes are then taken in one piece.
    assert hub.put(PATH, token, data=PHOTO).status_code == 201


def test_a_bad_address_or_range_is_refused(hub):
    token = joined(hub)["token"]
    assert hub.put("/api/v1/attachments/not-a-hash", token, data=b"x").status_code == 404
    bad = hub.put(PATH, token, {"Content-Range": "bytes=0-9"}, data=PHOTO[:10])
    assert bad.status_code == 400 and "Content-Range" in bad.json()["error"]
    assert hub.put(PATH, data=PHOTO).status_code == 401
    assert _counts(hub.database) == (0, 0, 0)


def _half_sent(hub: Hub, token: str, start: int) -> socket.socket:
    """A PUT of the rest of the photo whose body stops halfway, the connection left open."""
    rest = PHOTO[start:]
    head = (
        f"PUT {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{hub.port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Range: bytes {start}-{len(PHOTO) - 1}/{len(PHOTO)}\r\nContent-Length: {len(rest)}\r\n\r\n"
    )
    sock = socket.create_connection(("127.0.0.1", hub.port), timeout=10)
    sock.sendall(head.encode() + rest[: len(rest) // 2])
    return sock


def test_a_hub_killed_in_mid_upload_resumes_it_and_holds_nothing_twice(hub, tmp_path):
    device = joined(hub)
    token, red = device["token"], device["branches"][0]["uid"]
    part = 100_000
    assert hub.put(PATH, token, _range(0, part), data=PHOTO[:part]).status_code == 202
    cut = _half_sent(hub, token, part)
    time.sleep(0.3)  # let the hub start reading the body: the kill lands inside the request
    hub.kill()
    cut.close()

    again = Hub(hub.database, tmp_path / "hub-again.log").start()
    try:
        status = again.head(PATH, token)
        assert status.status_code == 404 and status.headers["Upload-Offset"] == str(part)
        assert _counts(hub.database) == (0, 1, 1)
        rest = again.put(PATH, token, _range(part, len(PHOTO)), data=PHOTO[part:])
        assert rest.status_code == 201, rest.text
        assert _counts(hub.database) == (1, 0, 0)
        assert again.get(PATH, token).status_code == 404  # no record names it yet

        body = revision(red, attachments=[{"sha256": SHA, "name": "会场.jpg"}])
        assert again.post("/api/v1/records", token, json=body).status_code == 201
        again.kill()  # as if the answer never reached the laptop: it pushes again
    finally:
        again.stop()
    third = Hub(hub.database, tmp_path / "hub-third.log").start()
    try:
        assert third.post("/api/v1/records", token, json=body).json()["status"] == "already"
        assert third.get(PATH, token).content == PHOTO
    finally:
        third.stop()
    assert sql(hub.database, "SELECT count(*) FROM record_revisions") == [(1,)]
    assert sql(hub.database, "SELECT count(*) FROM record_attachments") == [(1,)]
    assert _counts(hub.database) == (1, 0, 0)


def test_the_same_photo_from_four_laptops_at_once_is_held_once(hub):
    tokens = [joined(hub, f"电脑{n}", ("红星村党支部",))["token"] for n in range(4)]
    gate = threading.Barrier(len(tokens))

    def upload(token: str) -> int:
        gate.wait()
        return hub.put(PATH, token, data=PHOTO).status_code

    with ThreadPoolExecutor(len(tokens)) as pool:
        codes = sorted(pool.map(upload, tokens))
    assert codes.count(201) == 1 and set(codes) <= {200, 201}, codes
    assert _counts(hub.database) == (1, 0, 0)
