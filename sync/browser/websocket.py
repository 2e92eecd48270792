"""The smallest WebSocket client (RFC 6455) the DevTools protocol needs: text messages both ways.

A handshake, masked frames out, frames in (pings answered, fragments joined). The browser listens
on 127.0.0.1 only, so there is no TLS and no proxy; a library for this would add to the installer
what a hundred lines do.
"""

from __future__ import annotations

import base64
import hashlib
import os
import socket
from urllib.parse import urlsplit

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_MESSAGE = 64 << 20  # a full-page screenshot is a few megabytes; more is a broken peer


class WebSocketClosed(ConnectionError):
    """The other side closed the connection (the browser quit or was closed by the person)."""


class WebSocket:
    """One client connection to ws://HOST:PORT/PATH carrying text messages."""

    def __init__(self, url: str, timeout: float = 30):
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        self._buffer = b""
        while b"\r\n\r\n" not in self._buffer:
            self._fill()
        head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
        accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
        if not head.startswith(b"HTTP/1.1 101") or accept.encode() not in head:
            self.sock.close()
            raise ConnectionError(f"not a WebSocket: {head[:200]!r}")

    def settimeout(self, seconds: float | None) -> None:
        """How long `receive` waits for the next bytes before socket.timeout (None: for ever)."""
        self.sock.settimeout(seconds)

    def _fill(self) -> None:
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise WebSocketClosed("the browser closed the connection")
        self._buffer += chunk

    def _take(self, n: int) -> bytes:
        while len(self._buffer) < n:
            self._fill()
        taken, self._buffer = self._buffer[:n], self._buffer[n:]
        return taken

    def _frame(self, opcode: int, payload: bytes) -> None:
        n = len(payload)
        head = bytes([0x80 | opcode])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 1 << 16:
            head += bytes([0x80 | 126]) + n.to_bytes(2, "big")
        else:
            head += bytes([0x80 | 127]) + n.to_bytes(8, "big")
        mask = os.urandom(4)
        masked = (int.from_bytes(payload, "big") ^ int.from_bytes((mask * (n // 4 + 1))[:n], "big")).to_bytes(
            n, "big"
        )
        self.sock.sendall(head + mask + masked)

    def send(self, text: str) -> None:
        """Send one text message."""
        self._frame(0x1, text.encode())

    def receive(self) -> str:
        """The next text message (pings are answered on the way)."""
        parts: list[bytes] = []
        size = 0
        while True:
            first, second = self._take(2)
            n = second & 0x7F
            if n == 126:
                n = int.from_bytes(self._take(2), "big")
            elif n == 127:
                n = int.from_bytes(self._take(8), "big")
            size += n
            if size > MAX_MESSAGE:
                raise ConnectionError(f"a message over {MAX_MESSAGE} bytes")
            payload = self._take(n)
            opcode = first & 0x0F
            if opcode == 0x8:
                raise WebSocketClosed("the browser closed the WebSocket")
            if opcode == 0x9:
                self._frame(0xA, payload)  # pong
                continue
            if opcode in (0x0, 0x1, 0x2):
                parts.append(payload)
                if first & 0x80:
                    return b"".join(parts).decode()

    def close(self) -> None:
        """Close the connection (the browser keeps running until told to close)."""
        try:
            self.sock.close()
        except OSError:
            pass
