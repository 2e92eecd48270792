"""A platform that echoes a secret back, in any form, never gets it stored, logged or shown:
JSON-escaped (`\\/`, `\\u0074`), URL-encoded, in echoed request headers, and cut off by the
server's own truncation. The scrubber runs first, then the text is cut (forms/secrecy.py)."""

from __future__ import annotations

import json
import logging
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from forms.secrecy import FRAGMENT, Scrubber
from sync import secrets as keyring_secrets
from tests.sync.engine_setup import deliverer, loopback_http, village  # noqa: F401

TOKEN = "Tk9/zQ+x7wL2p@Rm5sYv"  # '/', '+' and '@' change under every encoding
WEBHOOK = "https://oapi.dingtalk.com/robot/send?access_token=3c0a8d3e9b7f41c2a6d5e8f09b1c2d3e"


def _pieces(secret: str) -> list[str]:
    return [secret[i : i + FRAGMENT] for i in range(len(secret) - FRAGMENT + 1)]


def _leaks(text: str, secret: str = TOKEN) -> list[str]:
    return [p for p in _pieces(secret) if p in text]


@pytest.mark.parametrize(
    "echo",
    [
        json.dumps({"msg": f"bad token {TOKEN}"}).replace("/", "\\/"),  # as PHP writes "/"
        json.dumps({"msg": TOKEN}, ensure_ascii=True).replace("k", "\\u006b"),
        "token=" + urllib.parse.quote(TOKEN, safe=""),
        "token=" + re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), urllib.parse.quote(TOKEN, safe="")),
        "token=" + urllib.parse.quote_plus(TOKEN),
        "token=" + urllib.parse.quote(urllib.parse.quote(TOKEN, safe=""), safe=""),  # twice
        f"Authorization: Bearer {TOKEN}\r\nHost: x",
        json.dumps({"headers": {"Authorization": f"Bearer {TOKEN}"}}),
        f"you sent {TOKEN[:12]}…",  # the server cut its own echo
        f'{{"msg": "{TOKEN[:6]}',  # cut shorter than a fragment, at the very end
    ],
    ids=[
        "json",
        "unicode",
        "url",
        "url-lower",
        "plus",
        "url-twice",
        "header",
        "json-header",
        "cut",
        "cut-short",
    ],
)
def test_the_scrubber_finds_a_secret_however_it_was_echoed(echo):
    scrubbed = Scrubber([TOKEN])(echo)
    assert _leaks(scrubbed) == [] and TOKEN[:6] not in scrubbed, scrubbed
    assert "***" in scrubbed


def test_a_json_escaped_webhook_loses_its_token():
    echoed = json.dumps({"errmsg": f"invalid url {WEBHOOK}"}).replace("/", "\\/")
    assert "\\/" in echoed
    scrubbed = Scrubber([WEBHOOK])(echoed)
    assert "3c0a8d3e" not in scrubbed and "access_token" not in scrubbed.split("***")[-1]


def test_scrub_first_then_cut():
    text = "x" * 95 + TOKEN
    scrub = Scrubber([TOKEN])
    assert scrub.cut(text, 100) == ("x" * 95 + "***")[:100]
    assert TOKEN[:5] not in scrub.cut(text, 100)


def test_harmless_text_is_left_alone():
    assert (
        Scrubber([TOKEN])('{"code": 0, "msg": "ok"} 100% done + more')
        == '{"code": 0, "msg": "ok"} 100% done + more'
    )


class _Echo(BaseHTTPRequestHandler):
    """Answers 400 with everything it got, in the forms a careless platform uses, cut at 700."""

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        answer = json.dumps(
            {
                "msg": "unauthorised: " + urllib.parse.quote(self.headers.get("Authorization", ""), safe=""),
                "headers": dict(self.headers),
                "path": self.path,
                "body": body,
            }
        )[:700]
        data = answer.encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def echo_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_echoing_platform_never_gets_a_piece_of_the_secret_stored_or_logged(
    village, memory_keyring, loopback_http, echo_server, caplog
):
    target = village.store.add_target(
        "回显平台", "rest", url=f"{echo_server}/api/records", options={"auth": "bearer"}
    )
    keyring_secrets.set_secret(village.store, target, "token", TOKEN)
    village.final(1)
    with caplog.at_level(logging.DEBUG):
        deliverer(village, loopback_http).run()
    (delivery,) = village.store.deliveries(target_id=target.id)
    stopped = village.store.target(target.id)
    for text in (delivery.message or "", stopped.attention or "", caplog.text):
        assert _leaks(text) == [] and urllib.parse.quote(TOKEN, safe="")[:9] not in text, text
    village.store.db.conn.commit()
    for path in village.data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(p.encode() in data for p in _pieces(TOKEN)), path
