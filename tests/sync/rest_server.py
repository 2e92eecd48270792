"""A real platform REST API on 127.0.0.1 for tests, with a flaky mode.

    POST /api/records        create; needs a Bearer token, an API key or a valid Yici HMAC
                             signature; a repeated Idempotency-Key gets the same id, no new record
    PUT  /api/records/<id>   update a record
    GET  /api/ping           auth check
    POST /api/records {"test": true}   answered without creating anything

Answers look like {"code": 0, "msg": "ok", "data": {"id": "R123"}}; a payload without uuid gets
400 {"code": 40001, "msg": "字段缺失"}. Flaky mode plays a script of faults (500, 502, 503,
429 with Retry-After, slow answers, connection resets, and "lost": the record is taken, then
the connection is reset before the answer goes out).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import socket
import ssl
import struct
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FAULTS = ("500", "502", "503", "429", "slow", "reset", "lost")
# Also playable by script: "409" (same key still in progress), "moved" (301 to another address).
SCRIPTED_ONLY = ("409", "moved")


@dataclass
class Record:
    """One record the platform holds."""

    id: str
    key: str | None
    payload: dict
    files: dict[str, bytes] = field(default_factory=dict)  # name -> bytes
    updates: list[dict] = field(default_factory=list)


@dataclass
class Seen:
    """One request as it arrived, and what we did with it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    action: str = "ok"
    status: int | None = None


class PlatformServer:
    """Start with `with PlatformServer() as server:`; `server.url` is the base URL."""

    def __init__(
        self,
        *,
        token: str = "tok-3f9a7c1e55",
        api_key: str = "key-b81d2e07aa",
        app_key: str = "yici-app",
        app_secret: str = "sec-5e2c9d8f41b7",
        api_key_header: str = "X-API-Key",
        ssl_context: ssl.SSLContext | None = None,
        slow_seconds: float = 1.5,
        retry_after: int = 7,
    ):
        self.token, self.api_key, self.api_key_header = token, api_key, api_key_header
        self.app_key, self.app_secret = app_key, app_secret
        self.ssl_context = ssl_context
        self.slow_seconds = slow_seconds
        self.retry_after = retry_after
        self.records: dict[str, Record] = {}
        self.by_key: dict[str, str] = {}
        self.seen: list[Seen] = []
        self.script: list[str] = []  # faults to play, one per request to /api/records
        self.random_faults: tuple[random.Random, float, tuple[str, ...]] | None = None
        self.business_error: tuple[int, str] | None = None  # 200 but {"code": X, "msg": Y}
        self.nonces: set[str] = set()
        self._next_id = 123
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> PlatformServer:
        server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        server.daemon_threads = True
        server.block_on_close = False
        if self.ssl_context is not None:
            server.socket = self.ssl_context.wrap_socket(server.socket, server_side=True)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> PlatformServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def url(self) -> str:
        scheme = "https" if self.ssl_context is not None else "http"
        return f"{scheme}://127.0.0.1:{self._server.server_address[1]}"

    # -- what tests look at ---------------------------------------------------------------------
    @property
    def request_count(self) -> int:
        return len(self.seen)

    def records_with_key(self, key: str) -> list[Record]:
        return [r for r in self.records.values() if r.key == key]

    def flaky(self, *faults: str) -> None:
        """Play these faults on the next requests to /api/records, then behave."""
        unknown = [f for f in faults if f not in FAULTS + SCRIPTED_ONLY]
        assert not unknown, unknown
        self.script = list(faults)

    def flaky_random(self, seed: int, rate: float = 0.5, faults: tuple[str, ...] = FAULTS) -> None:
        """Each request to /api/records fails with probability `rate`, with a seeded random fault."""
        self.random_faults = (random.Random(seed), rate, faults)

    def next_fault(self) -> str:
        with self._lock:
            if self.script:
                return self.script.pop(0)
            if self.random_faults:
                rng, rate, faults = self.random_faults
                if rng.random() < rate:
                    return rng.choice(faults)
            return "ok"

    # -- the platform's rules -------------------------------------------------------------------
    def authorised(self, method: str, path: str, headers: dict[str, str], body: bytes) -> bool:
        if headers.get("authorization") == f"Bearer {self.token}":
            return True
        if headers.get(self.api_key_header.lower()) == self.api_key:
            return True
        if "x-signature" in headers:
            return self.signature_ok(method, path, headers, body)
        return False

    def signature_ok(self, method: str, path: str, headers: dict[str, str], body: bytes) -> bool:
        """Check X-Signature exactly as Yici's appKey/appSecret scheme defines it."""
        if headers.get("x-app-key") != self.app_key:
            return False
        timestamp, nonce = headers.get("x-timestamp", ""), headers.get("x-nonce", "")
        if not timestamp.isdigit() or abs(int(timestamp) - time.time() * 1000) > 5 * 60 * 1000:
            return False
        text = f"{method}\n{path}\n{timestamp}\n{nonce}\n{hashlib.sha256(body).hexdigest()}"
        expected = base64.b64encode(
            hmac.new(self.app_secret.encode(), text.encode(), hashlib.sha256).digest()
        ).decode()
        if not hmac.compare_digest(expected, headers.get("x-signature", "")):
            return False
        with self._lock:
            if nonce in self.nonces:  # a replayed signature is refused
                return False
            self.nonces.add(nonce)
        return True

    def create(self, key: str | None, payload: dict, files: dict[str, bytes]) -> tuple[str, bool]:
        """(id, created): a known Idempotency-Key gets its record's id back."""
        with self._lock:
            if key and key in self.by_key:
                return self.by_key[key], False
            record_id = f"R{self._next_id}"
            self._next_id += 1
            self.records[record_id] = Record(record_id, key, payload, files)
            if key:
                self.by_key[key] = record_id
            return record_id, True


class _QuietServer(ThreadingHTTPServer):
    """Clients that time out and hang up are part of the test, not errors to print."""

    def handle_error(self, request, client_address) -> None:
        pass


def _files_from_base64(payload: dict) -> dict[str, bytes]:
    return {a["name"]: base64.b64decode(a["base64"]) for a in payload.get("attachments") or []}


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict | None, dict[str, bytes]]:
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + body
    )
    payload, files = None, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name == "payload":
            payload = json.loads(part.get_payload(decode=True).decode("utf-8"))
        elif part.get_filename():
            files[part.get_filename()] = part.get_payload(decode=True)
    return payload, files


def _handler_for(platform: PlatformServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def setup(self) -> None:
            super().setup()
            # Headers and body go out as separate writes; without this, Nagle plus the client's
            # delayed ACK costs ~40 ms per keep-alive request.
            try:
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def do_PUT(self) -> None:
            self._serve("PUT")

        def do_PATCH(self) -> None:
            self._serve("PATCH")

        def _answer(self, status: int, obj: dict, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(obj, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
            self.seen_now.status = status

        def _reset(self) -> None:
            # SO_LINGER 0: close with RST, the way a dropped mobile link or a proxy looks.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            try:
                self.connection.close()
            except OSError:
                pass

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            seen = self.seen_now = Seen(method, self.path, headers, body)
            with platform._lock:
                platform.seen.append(seen)
            path = self.path.split("?", 1)[0]
            fault = platform.next_fault() if path.startswith("/api/records") else "ok"
            seen.action = fault
            if fault in ("500", "502", "503"):
                return self._answer(int(fault), {"code": 50000, "msg": "服务繁忙"})
            if fault == "429":
                return self._answer(
                    429, {"code": 42900, "msg": "请求过于频繁"}, {"Retry-After": str(platform.retry_after)}
                )
            if fault == "reset":
                return self._reset()
            if fault == "409":
                return self._answer(409, {"code": 40900, "msg": "请求处理中"})
            if fault == "moved":
                return self._answer(
                    301,
                    {"code": 30100, "msg": "moved"},
                    {"Location": "https://portal.example/login?token=abcdef123456"},
                )
            if fault == "slow":
                time.sleep(platform.slow_seconds)
            if not platform.authorised(method, self.path, headers, body):
                return self._answer(401, {"code": 40100, "msg": "认证失败"})
            if method == "GET" and path == "/api/ping":
                return self._answer(200, {"code": 0, "msg": "pong"})
            if method == "POST" and path == "/api/records":
                return self._create(headers, body, fault)
            if method in ("PUT", "PATCH") and path.startswith("/api/records/"):
                return self._update(path.rsplit("/", 1)[1], headers, body, fault)
            return self._answer(404, {"code": 40400, "msg": "接口不存在"})

        def _payload(self, headers: dict[str, str], body: bytes) -> tuple[dict | None, dict[str, bytes]]:
            content_type = headers.get("content-type", "")
            try:
                if content_type.startswith("multipart/form-data"):
                    return _parse_multipart(content_type, body)
                payload = json.loads(body.decode("utf-8"))
                return payload, _files_from_base64(payload) if isinstance(payload, dict) else {}
            except (ValueError, KeyError, TypeError):
                return None, {}

        def _create(self, headers: dict[str, str], body: bytes, fault: str) -> None:
            payload, files = self._payload(headers, body)
            if isinstance(payload, dict) and payload.get("test") is True:
                return self._answer(200, {"code": 0, "msg": "连接正常"})
            if not isinstance(payload, dict) or not payload.get("uuid"):
                return self._answer(400, {"code": 40001, "msg": "字段缺失"})
            if platform.business_error:
                code, msg = platform.business_error
                return self._answer(200, {"code": code, "msg": msg})
            record_id, _created = platform.create(headers.get("idempotency-key"), payload, files)
            if fault == "lost":
                return self._reset()
            self._answer(200, {"code": 0, "msg": "ok", "data": {"id": record_id}})

        def _update(self, record_id: str, headers: dict[str, str], body: bytes, fault: str) -> None:
            payload, files = self._payload(headers, body)
            record = platform.records.get(record_id)
            if record is None:
                return self._answer(404, {"code": 40400, "msg": "记录不存在"})
            if not isinstance(payload, dict) or not payload.get("uuid"):
                return self._answer(400, {"code": 40001, "msg": "字段缺失"})
            with platform._lock:
                record.updates.append(payload)
                record.payload = payload
                record.files.update(files)
            if fault == "lost":
                return self._reset()
            self._answer(200, {"code": 0, "msg": "ok", "data": {"id": record_id}})

    return Handler


def make_tls_files(folder) -> tuple[str, ssl.SSLContext]:
    """A throwaway CA (written to folder/ca.pem) and a server context with a cert it signed
    for 127.0.0.1 / localhost: (CA file path, server SSL context)."""
    import datetime
    import ipaddress
    from pathlib import Path

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder = Path(folder)
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Yici Test Intranet CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_file = folder / "ca.pem"
    ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    cert_file, key_file = folder / "server.pem", folder / "server.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return str(ca_file), context
