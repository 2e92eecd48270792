"""Attachments on their way to the township hub: content-addressed by SHA-256, so a file the hub
holds is never sent (HEAD first), and a large one goes in parts that resume where the hub's
upload stands (`Upload-Offset`) after a cut line, a killed laptop or a restarted hub.

Each part is one PUT of at most PART_SIZE bytes with `Content-Range`; the hub commits each part
on its own, so a run stopped between parts loses nothing, and a part cut off in the middle is
sent again from the offset the hub reports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from forms.i18n import tr
from sync.hub_client import NOT_THE_HUB_MESSAGE, REVOKED_MESSAGE, HubProblem, call, hub_error
from sync.kind import ATTENTION, PERMANENT, TRANSIENT, Attempt

PART_SIZE = 1 << 20  # bytes per PUT: a part lost on a village line costs at most this much again
_OFFSET_RETRIES = 5  # "not where the upload stands" answers in a row before giving up this run


def _offset(response: Any) -> int:
    try:
        return max(0, int(response.headers.get("Upload-Offset") or 0))
    except ValueError:
        return 0


def _refused(response: Any) -> Attempt:
    if response.status_code == 401:
        return Attempt(ATTENTION, tr(REVOKED_MESSAGE))
    if response.status_code == 413:
        return Attempt(PERMANENT, tr("附件太大，乡镇平台不接收：{error}").format(error=hub_error(response)))
    if 300 <= response.status_code < 400:
        return Attempt(TRANSIENT, tr(NOT_THE_HUB_MESSAGE).format(status=response.status_code))
    if response.status_code >= 500 or response.status_code in (408, 429):
        return Attempt(
            TRANSIENT, tr("乡镇平台暂时不可用，稍后重试 (HTTP {status})").format(status=response.status_code)
        )
    return Attempt(PERMANENT, tr("乡镇平台拒收附件：{error}").format(error=hub_error(response)))


class Uploader:
    """Puts a record's files on the hub, counting what it sent (for the tests and the payload)."""

    def __init__(self, http: Any, base: str, token: str, ca_file: str | None, read: Callable[[str], bytes]):
        self.http, self.base, self.token, self.ca_file, self.read = http, base, token, ca_file, read
        self.sent_bytes = 0
        self.uploaded: list[str] = []  # sha256 of the files this uploader sent (parts or whole)

    def _call(self, method: str, sha: str, **kwargs: Any) -> Any:
        path = f"/attachments/{sha}"
        return call(self.http, method, self.base, path, token=self.token, ca_file=self.ca_file, **kwargs)

    def ensure(self, sha: str, *, force: bool = False) -> Attempt | None:
        """Make sure the hub holds the file `sha`: None when it does (sent now or before), else
        why not (an Attempt). `force`: the hub said it is missing, do not trust a HEAD cache."""
        head = self._call("HEAD", sha)
        if head.status_code == 200 and not force:
            return None
        if head.status_code not in (200, 404):
            return _refused(head)
        offset = 0 if head.status_code == 200 else _offset(head)
        try:
            content = self.read(sha)
        except (OSError, LookupError) as exc:
            return Attempt(
                PERMANENT, tr("本机找不到附件文件 {sha}，无法上传：{exc}").format(sha=sha[:12], exc=exc)
            )
        return self._send(sha, content, offset)

    def _send(self, sha: str, content: bytes, offset: int) -> Attempt | None:
        total, refusals, restarted = len(content), 0, False
        while True:
            if total == 0:
                answer = self._call("PUT", sha, data=b"")
            else:
                offset = min(offset, total - 1)
                end = min(total, offset + PART_SIZE)
                answer = self._call(
                    "PUT", sha, data=content[offset:end],
                    headers={"Content-Range": f"bytes {offset}-{end - 1}/{total}",
                             "Content-Type": "application/octet-stream"},
                )  # fmt: skip
                self.sent_bytes += end - offset
            if sha not in self.uploaded:
                self.uploaded.append(sha)
            if answer.status_code in (200, 201):
                return None
            if answer.status_code == 202:
                offset, refusals = _offset(answer), 0
                continue
            if answer.status_code == 409 and refusals < _OFFSET_RETRIES:
                offset, refusals = _offset(answer), refusals + 1
                continue
            if answer.status_code == 422 and not restarted:
                offset, restarted = 0, True  # what the hub joined was not this file: once more, whole
                continue
            if answer.status_code == 422:
                return Attempt(
                    PERMANENT,
                    tr("附件 {sha} 上传后与它的 SHA-256 不符，本机的文件可能已损坏。").format(sha=sha[:12]),
                )
            return _refused(answer)


__all__ = ["PART_SIZE", "HubProblem", "Uploader"]
