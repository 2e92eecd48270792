"""A real headless Chromium for the township page's tests, driven over the DevTools protocol.

Debian's `chromium` is started with `--headless --remote-debugging-port=0` in a fresh profile
folder; it writes the port it chose into that folder (DevToolsActivePort). The protocol is JSON
over one WebSocket; the few dozen lines of WebSocket client below (RFC 6455: a handshake, masked
text frames out, frames in) are all it takes, so the tests need no browser-automation package
(and none that downloads a browser of its own). Nothing outside 127.0.0.1 can be reached: every
other host name fails to resolve.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def chromium() -> str | None:
    """The Chromium program on this machine, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


WHY_NOT = "Chromium 不在本机：请安装 Debian 的 chromium 包（./dev 会安装）"


class WebSocket:
    """A WebSocket client of the smallest kind: text messages both ways."""

    def __init__(self, url: str, timeout: float = 30):
        parts = urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET {parts.path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        self._buffer = b""
        while b"\r\n\r\n" not in self._buffer:
            self._fill()
        head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
        accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
        if not head.startswith(b"HTTP/1.1 101") or accept.encode() not in head:
            raise ConnectionError(f"not a WebSocket: {head[:200]!r}")

    def _fill(self) -> None:
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("the browser closed the connection")
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
        self._frame(0x1, text.encode())

    def receive(self) -> str:
        parts = []
        while True:
            first, second = self._take(2)
            n = second & 0x7F
            if n == 126:
                n = int.from_bytes(self._take(2), "big")
            elif n == 127:
                n = int.from_bytes(self._take(8), "big")
            payload = self._take(n)
            opcode = first & 0x0F
            if opcode == 0x8:
                raise ConnectionError("the browser closed the WebSocket")
            if opcode == 0x9:
                self._frame(0xA, payload)  # pong
                continue
            if opcode in (0x0, 0x1, 0x2):
                parts.append(payload)
                if first & 0x80:
                    return b"".join(parts).decode()

    def close(self) -> None:
        self.sock.close()


class Browser:
    """One headless Chromium with one page, spoken to over the DevTools protocol."""

    def __init__(self, folder: Path):
        program = chromium()
        assert program is not None, WHY_NOT
        profile = folder / "profile"
        profile.mkdir(parents=True)
        self.log = (folder / "chromium.log").open("wb")
        self.process = subprocess.Popen(
            [
                program,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-dev-shm-usage",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                "--lang=zh-CN",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                f"--user-data-dir={profile}",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and len(port_file.read_text().split()) >= 2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Chromium did not start: {(folder / 'chromium.log').read_text()[-2000:]}")
            time.sleep(0.1)
        port, path = port_file.read_text().split()[:2]
        self.ws = WebSocket(f"ws://127.0.0.1:{port}{path}")
        self._id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank", session=False)["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True, session=False)[
            "sessionId"
        ]
        for domain in ("Page", "Network", "Runtime"):
            self.call(f"{domain}.enable")

    def call(self, method: str, session: bool = True, **params) -> dict:
        """Send one command and wait for its answer (events meanwhile are kept in `events`)."""
        self._id += 1
        message: dict = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        while True:
            answer = json.loads(self.ws.receive())
            if answer.get("id") == self._id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_for(self, event: str, timeout: float = 30) -> dict:
        """The first kept or coming event of this name (taken out of `events`)."""
        deadline = time.monotonic() + timeout
        while True:
            for n, seen in enumerate(self.events):
                if seen.get("method") == event:
                    return self.events.pop(n)
            if time.monotonic() > deadline:
                raise TimeoutError(event)
            self.events.append(json.loads(self.ws.receive()))

    def size(self, width: int, height: int) -> None:
        """The window's inner size in CSS pixels (a screen of 1024×768 and so on)."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def load(self, action) -> None:
        """Do `action` (a navigation, a click) and wait until the page it leads to has loaded."""
        self.events = [e for e in self.events if e.get("method") != "Page.loadEventFired"]
        action()
        self.wait_for("Page.loadEventFired")

    def goto(self, url: str) -> None:
        self.load(lambda: self.call("Page.navigate", url=url))

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page (the page itself runs no script)."""
        answer = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in answer:
            raise RuntimeError(f"{expression}: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def type_into(self, selector: str, text: str) -> None:
        """Focus a field and type `text` into it as a keyboard's input method would."""
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        self.call("Input.insertText", text=text)

    def click(self, selector: str) -> None:
        """A mouse click in the middle of an element."""
        box = self.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
            " return [r.left + r.width / 2, r.top + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    def screenshot(self, path: Path, full: bool = False) -> Path:
        """A PNG of the window (`full`: of the whole page)."""
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=full)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def cookies(self, url: str) -> list[dict]:
        return self.call("Network.getCookies", urls=[url])["cookies"]

    def close(self) -> None:
        try:
            self.call("Browser.close", session=False)
        except (OSError, RuntimeError):
            pass
        self.ws.close()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(20)
        self.log.close()
