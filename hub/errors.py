"""How the hub says no: `Refused` carries the status, a Chinese message and extra fields, and
becomes one JSON answer, {"error": message, ...}, the same shape for every refusal."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response


class Refused(Exception):
    """An answer other than success: status, message for a person, extra JSON fields, headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.extra = extra

    def response(self) -> Response:
        """The JSON answer (HEAD gets no body but the same status and headers)."""
        return JSONResponse({"error": self.message, **self.extra}, self.status, headers=self.headers)


async def refused_handler(request: Request, exc: Exception) -> Response:
    """Starlette exception handler for `Refused`."""
    assert isinstance(exc, Refused)
    return exc.response()
