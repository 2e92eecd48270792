"""One log line per request: method, path, status, device name and milliseconds. Never a header,
a query string or a body, so no token, enrolment code or record content reaches the log."""

from __future__ import annotations

import logging
import time
from collections.abc import MutableMapping
from typing import Any

log = logging.getLogger("hub.requests")
NOTE = "yici.log"  # the scope key handlers write the device name under


class RequestLog:
    """ASGI middleware writing the request log."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        note: dict[str, Any] = {"status": 500}
        scope[NOTE] = note

        async def sending(message: dict) -> None:
            if message["type"] == "http.response.start":
                note["status"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            log.info(
                "%s %s %s %s %.0fms",
                scope.get("method", "-"),
                scope.get("path", "-"),
                note["status"],
                note.get("device", "-"),
                (time.perf_counter() - started) * 1000,
            )


def note_device(scope: MutableMapping[str, Any], name: str) -> None:
    """Name the device in this request's log line."""
    if NOTE in scope:
        scope[NOTE]["device"] = name


def configure_logging() -> None:
    """Log lines on standard error, with the time: the hub's one log (uvicorn's own included)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("psycopg.pool").setLevel(logging.WARNING)
