"""What the laptop does when the address it joined answers as no hub would: a network's login page
(a captive portal) put in front of the hub, or a redirect to another host. A record is delivered to
the hub only when the hub itself says it stored it; the device token never goes to another host.
Real HTTP on 127.0.0.1 and `localhost` (two host names: a redirect between them changes host)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from forms.store import DELIVERED
from sync.hub_client import HubProblem
from sync.hub_handover import handover
from sync.hub_join import JoinProblem, join
from tests.hub.laptop import BRANCH, laptop_at

TOKEN = "fake-hub-token-0123456789abcdefghijklmnop"


class _Server:
    """A tiny HTTP server in a thread: `answer(handler, body)` answers each request; every request
    is kept in `seen` as (method, path, headers, body)."""

    def __init__(self, answer):
        seen: list[tuple[str, str, dict, bytes]] = []

        class Handler(BaseHTTPRequestHandler):
            def handle_one(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(size) if size else b""
                seen.append((self.command, self.path, dict(self.headers), body))
                answer(self, body)

            do_GET = do_POST = do_PUT = do_HEAD = handle_one

            def log_message(self, *args) -> None:
                pass

        self.seen = seen
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"", **headers: str) -> None:
    handler.send_response(status)
    for name, value in {"Content-Length": str(len(body)), **headers}.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def portal():
    """A network's login page: 200 with HTML for whatever is asked."""
    server = _Server(
        lambda h, body: _send(h, 200, "<html>请先登录上网</html>".encode(), Content_Type="text/html")
    )
    yield server
    server.close()


def _fake_hub(elsewhere: str):
    """A 'hub' that lets a laptop join, then sends every other request to `elsewhere` (307: the
    same method and body)."""

    def answer(handler: BaseHTTPRequestHandler, body: bytes) -> None:
        if handler.path == "/api/v1/join":
            joined = {"device_id": 1, "token": TOKEN, "branches": [{"uid": "a" * 32, "name": BRANCH}]}
            _send(handler, 201, json.dumps(joined).encode(), Content_Type="application/json")
        else:
            _send(handler, 307, Location=elsewhere + handler.path)

    return _Server(answer)


@pytest.mark.parametrize("elsewhere", ["portal", "portal on another host"])
def test_a_record_is_delivered_only_when_the_hub_itself_stored_it(
    tmp_path, memory_keyring, portal, elsewhere
):
    host = "127.0.0.1" if elsewhere == "portal" else "localhost"
    hub = _fake_hub(f"http://{host}:{portal.port}")
    laptop = laptop_at(tmp_path / "laptop")
    try:
        join(laptop.store, f"http://127.0.0.1:{hub.port}", "AAAA-BBBB-CCCC-DDDD", http=laptop.http)
        record = laptop.final(1)
        laptop.sync()
        target = laptop.store.hub_target()
        assert target is not None
        [delivery] = [d for d in laptop.store.deliveries(target_id=target.id) if d.record_uuid == record.uuid]
        assert delivery.state != DELIVERED, delivery.message
        assert "乡镇平台" in (delivery.message or "")
        # The token went to the hub's address only, never along a redirect to another port or host.
        assert all(TOKEN not in json.dumps(headers) for _, _, headers, _ in portal.seen)
    finally:
        laptop.close()
        hub.close()


def test_a_hub_that_names_no_branch_never_gets_every_branch(tmp_path, memory_keyring):
    # A hub target with no branch filter would take every branch's records: a join or a pull
    # that names no branch of this laptop leaves the laptop's other branches out of it.
    given: list[dict] = []

    def answer(handler: BaseHTTPRequestHandler, body: bytes) -> None:
        if handler.path == "/api/v1/join":
            joined = {"device_id": 1, "token": TOKEN, "branches": given}
            _send(handler, 201, json.dumps(joined).encode(), Content_Type="application/json")
        elif handler.path.startswith("/api/v1/pull"):
            pulled = {
                "cursor": 1,
                "reset": False,
                "branch_uids": [],
                "branches": [],
                "forms": [],
                "settings": [],
            }
            _send(handler, 200, json.dumps(pulled).encode(), Content_Type="application/json")
        else:
            _send(handler, 500)

    hub = _Server(answer)
    laptop = laptop_at(tmp_path / "laptop", branches=(BRANCH, "本机自己的支部"))
    try:
        laptop.final(1)
        with pytest.raises(JoinProblem, match="支部"):
            join(laptop.store, f"http://127.0.0.1:{hub.port}", "AAAA-BBBB-CCCC-DDDD", http=laptop.http)
        assert not laptop.store.deliveries()
        given.append({"uid": "a" * 32, "name": BRANCH})
        join(laptop.store, f"http://127.0.0.1:{hub.port}", "AAAA-BBBB-CCCC-DDDD", http=laptop.http)
        laptop.final(2, branch="本机自己的支部")
        laptop.sync()  # its pull names no branch
        target = laptop.store.hub_target()
        assert target is not None and target.branches == [BRANCH]
        queued = {
            laptop.store.record(d.record_uuid).branch_id for d in laptop.store.deliveries(target_id=target.id)
        }
        assert queued == {laptop.branch_id()}
    finally:
        laptop.close()
        hub.close()


def test_a_handover_writes_no_file_outside_its_folder_whatever_the_hub_calls_it(tmp_path, memory_keyring):
    # A file's name on the laptop is its SHA-256: a hub that lists an attachment as a path
    # (absolute, or climbing out with ..) must not make the laptop write there.
    source = laptop_at(tmp_path / "elsewhere")
    shape = source.store.hub_revision(source.final(1).uuid, 1)
    source.close()
    assert shape is not None
    outside = tmp_path / "outside"
    outside.mkdir()
    shape["attachments"] = [
        {"sha256": str(outside / "absolute.txt"), "name": "a.jpg"},
        {"sha256": "../../../../../../../.." + str(outside / "climbed.txt"), "name": "b.jpg"},
    ]
    shape["branch_uid"], shape["change"] = "a" * 32, 1

    def answer(handler: BaseHTTPRequestHandler, body: bytes) -> None:
        if handler.path == "/api/v1/join":
            joined = {"device_id": 1, "token": TOKEN, "branches": [{"uid": "a" * 32, "name": BRANCH}]}
            _send(handler, 201, json.dumps(joined).encode(), Content_Type="application/json")
        elif handler.path.startswith("/api/v1/records"):
            listing = {"revisions": [shape], "cursor": 1, "more": False, "reset": False}
            _send(handler, 200, json.dumps(listing).encode(), Content_Type="application/json")
        elif handler.path.startswith("/api/v1/pull"):
            _send(handler, 500)
        else:
            _send(handler, 200, b"written by the hub")

    hub = _Server(answer)
    laptop = laptop_at(tmp_path / "laptop")
    try:
        join(laptop.store, f"http://127.0.0.1:{hub.port}", "AAAA-BBBB-CCCC-DDDD", http=laptop.http)
        try:
            report = handover(laptop.store, laptop.http, BRANCH, "张干事")
        except HubProblem:
            report = None
        assert list(outside.iterdir()) == []
        assert report is None or report.added == 0
        assert laptop.store.record_here(shape["uuid"]) is None
    finally:
        laptop.close()
        hub.close()
