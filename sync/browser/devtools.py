"""The browser the cadre already has, started and spoken to over the Chrome DevTools Protocol.

`find_program` looks for Edge or Chrome on Windows and Chromium, Chrome or Edge on Linux (or the
program YICI_BROWSER names: the UOS and Kylin browsers are Chromium-based and speak the same
protocol). `Browser` starts it with a fresh profile folder and `--remote-debugging-port=0`, reads
the port it chose from DevToolsActivePort, and sends commands and waits for events as JSON over
one WebSocket (sync/browser/websocket.py). Nothing is downloaded, nothing leaves 127.0.0.1 but
what the page itself loads, so it works on an intranet with no internet.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from forms.i18n import tr
from sync.browser.websocket import WebSocket, WebSocketClosed

# Every browser Yici started and has not closed: ended when Yici ends, so quitting the window in
# the middle of a run does not leave a browser logged in to the platform.
_OPEN: weakref.WeakSet[Browser] = weakref.WeakSet()


@atexit.register
def _end_open_browsers() -> None:
    for browser in list(_OPEN):
        browser.kill()


# On PATH on Linux, most usual first (Debian/UOS `chromium`, Ubuntu `chromium-browser`, …).
LINUX_NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
    "microsoft-edge-stable",
    # Chromium-based browsers of the 信创 desktops' app stores (360 and 奇安信's secure browsers);
    # any other (the UOS browser included) is named with YICI_BROWSER.
    "browser360-cn-stable",
    "qaxbrowser-safe-stable",
)
# Under Program Files or the user's LocalAppData on Windows: Edge comes with Windows 10 and 11.
WINDOWS_PLACES = (
    ("Microsoft", "Edge", "Application", "msedge.exe"),
    ("Google", "Chrome", "Application", "chrome.exe"),
    ("Chromium", "Application", "chrome.exe"),
)
# What every start says, for the cadre and for tests: no first-run pages, nothing phoning home.
COMMON_ARGS = (
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",
    "--disable-features=Translate,MediaRouter",  # no bubble over the platform's form
)
# The fresh profile's settings: no "save this password?" (the password lives in the keyring only)
# and no offer to translate the platform's pages.
QUIET_PREFERENCES = {
    "credentials_enable_service": False,
    "profile": {"password_manager_enabled": False},
    "translate": {"enabled": False},
}
START_SECONDS = 60


class BrowserProblem(Exception):
    """The browser could not be found, started or spoken to; `message` is for a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BrowserGone(BrowserProblem):
    """The browser was closed (by the person, or it ended)."""


class TooSlow(BrowserProblem):
    """The browser did not answer, or the awaited event did not come, in time."""


def _windows_candidates(environ: dict[str, str]) -> Iterable[Path]:
    roots = [
        environ.get(name) for name in ("ProgramFiles(x86)", "ProgramFiles", "ProgramW6432", "LOCALAPPDATA")
    ]
    for place in WINDOWS_PLACES:
        for root in roots:
            if root:
                yield Path(root, *place)


def find_program(environ: dict[str, str] | None = None, platform: str = sys.platform) -> str | None:
    """The browser program to drive, or None: YICI_BROWSER when it names a program, else the
    first of Edge/Chrome (Windows) or Chromium/Chrome/Edge (elsewhere) found."""
    environ = dict(os.environ if environ is None else environ)
    named = environ.get("YICI_BROWSER", "").strip()
    if named:
        found = shutil.which(named) or (named if Path(named).is_file() else None)
        if found:
            return found
    if platform.startswith("win"):
        for candidate in _windows_candidates(environ):
            if candidate.is_file():
                return str(candidate)
        return shutil.which("msedge") or shutil.which("chrome")
    for name in LINUX_NAMES:
        found = shutil.which(name, path=environ.get("PATH"))
        if found:
            return found
    return None


def own_args(environ: dict[str, str] | None = None) -> list[str]:
    """What this machine adds to every start: `--no-sandbox` when Yici runs as root (Chromium
    refuses to start as root otherwise: a kiosk or a container, never a cadre's own account),
    and YICI_BROWSER_ARGS, which IT may set (a proxy, an intranet's host rules)."""
    environ = dict(os.environ if environ is None else environ)
    extra = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    return extra + environ.get("YICI_BROWSER_ARGS", "").split()


def not_found_message() -> str:
    """What a person reads when no browser was found, saying what to do."""
    return tr(
        "找不到可用的浏览器（Edge、Chrome 或 Chromium）。请安装其中之一，"
        "或在环境变量 YICI_BROWSER 中写明浏览器程序的完整路径"
    )


class Browser:
    """One browser process with a fresh profile folder, and the DevTools connection to it.

    `headless` for tests; the cadre gets a visible window. `extra_args` are added to the start
    (tests use them to keep every host but 127.0.0.1 unreachable). The profile folder is removed
    on `close` when Yici made it, so no cookie or typed value stays behind.
    """

    def __init__(
        self,
        program: str | None = None,
        folder: Path | None = None,
        *,
        headless: bool = False,
        extra_args: Iterable[str] = (),
        timeout: float = 30,
    ):
        program = program or find_program()
        if program is None:
            raise BrowserProblem(not_found_message())
        self.timeout = timeout
        self._own_folder = folder is None
        self.folder = Path(tempfile.mkdtemp(prefix="yici-browser-")) if folder is None else folder
        self.profile = self.folder / "profile"
        (self.profile / "Default").mkdir(parents=True, exist_ok=True)
        (self.profile / "Default" / "Preferences").write_text(json.dumps(QUIET_PREFERENCES), encoding="utf-8")
        self.log_path = self.folder / "browser.log"
        args = [program, *COMMON_ARGS, *(("--headless",) if headless else ()), *own_args(), *extra_args]
        args += [f"--user-data-dir={self.profile}", "--remote-debugging-port=0", "about:blank"]
        with self.log_path.open("wb") as log:
            try:
                self.process = subprocess.Popen(
                    args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
                )
            except OSError as exc:
                self._forget_folder()
                raise BrowserProblem(
                    tr("无法启动浏览器 {program}：{reason}").format(
                        program=program, reason=exc.strerror or exc
                    )
                ) from None
        self._id = 0
        self.events: list[dict[str, Any]] = []
        self._first_tab_taken = False
        _OPEN.add(self)
        try:
            self.ws = WebSocket(self._endpoint(), timeout=timeout)
        except BaseException:
            self.process.kill()
            self.process.wait(20)
            self._forget_folder()
            raise

    def _endpoint(self) -> str:
        """ws://127.0.0.1:PORT/PATH from DevToolsActivePort, once the browser has written it."""
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                lines = port_file.read_text().split()
            except OSError:
                lines = []
            if len(lines) >= 2:
                return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
            if self.process.poll() is not None or time.monotonic() > deadline:
                tail = self.log_path.read_text(errors="replace")[-500:].strip()
                raise BrowserProblem(
                    tr("浏览器没有启动：{tail}").format(tail=tail or self.process.returncode)
                )
            time.sleep(0.1)

    # --------------------------------------------------------------------------- the protocol

    def _next(self, deadline: float, what: str) -> dict[str, Any]:
        slow = TooSlow(tr("浏览器没有及时回应（{what}）").format(what=what))
        left = deadline - time.monotonic()
        if left <= 0:
            raise slow
        self.ws.settimeout(left)
        try:
            return json.loads(self.ws.receive())
        except TimeoutError:
            raise slow from None
        except (WebSocketClosed, OSError):
            raise BrowserGone(tr("浏览器已关闭")) from None

    def call(self, method: str, tab: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command (to a tab when `tab` is given) and wait for its answer; events
        that come meanwhile are kept in `events` for `wait_for`."""
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if tab:
            message["sessionId"] = tab
        try:
            self.ws.send(json.dumps(message))
        except OSError:
            raise BrowserGone(tr("浏览器已关闭")) from None
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._next(deadline, method)
            if answer.get("id") == self._id:
                if "error" in answer:
                    raise BrowserProblem(f"{method}: {answer['error'].get('message', answer['error'])}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_for(
        self,
        event: str,
        tab: str | None = None,
        timeout: float | None = None,
        where: Callable[[dict[str, Any]], bool] | None = None,
    ) -> dict[str, Any]:
        """The first kept or coming event of this name (from this tab when `tab` is given,
        and matching `where`), taken out of `events`."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)

        def fits(seen: dict[str, Any]) -> bool:
            return (
                seen.get("method") == event
                and (tab is None or seen.get("sessionId") == tab)
                and (where is None or where(seen))
            )

        while True:
            for n, seen in enumerate(self.events):
                if fits(seen):
                    return self.events.pop(n)
            self.events.append(self._next(deadline, event))

    def forget(self, event: str, tab: str | None = None) -> None:
        """Drop kept events of this name (before an action whose own event is awaited)."""
        self.events = [
            e
            for e in self.events
            if not (e.get("method") == event and (tab is None or e.get("sessionId") == tab))
        ]

    def new_tab(self, url: str = "about:blank") -> str:
        """A tab (the window's first, empty one the first time; a new one after) and the id the
        protocol knows it by from now on."""
        pages = [t for t in self.call("Target.getTargets")["targetInfos"] if t.get("type") == "page"]
        if not self._first_tab_taken and pages:
            target = pages[0]["targetId"]
        else:
            target = self.call("Target.createTarget", url=url)["targetId"]
        self._first_tab_taken = True
        return self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]

    # ------------------------------------------------------------------------------- closing

    def close(self) -> None:
        """Close the browser (politely, then by force) and remove the profile Yici made."""
        try:
            self.call("Browser.close")
        except BrowserProblem:
            pass
        self.ws.close()
        self._stop_process()
        self._forget_folder()
        _OPEN.discard(self)

    def kill(self) -> None:
        """End the browser at once (the app is quitting in the middle of a run)."""
        if self.process.poll() is None:
            self.process.kill()

    def _stop_process(self) -> None:
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(20)

    def _forget_folder(self) -> None:
        if self._own_folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
