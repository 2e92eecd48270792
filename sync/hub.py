"""Kind `hub`: record revisions to the township hub (docs/HUB.md), exactly once.

One delivery is one final revision of a record, sent whole: its values at that revision, its
audit lines and its files (forms/store/hub_revisions.py builds it; `Outgoing.full_revision`
reads it). Files go first, each only when the hub lacks it (sync/hub_upload.py), then the
revision. The hub is idempotent on (uuid, revision), so a retry after a crash or a lost answer
is harmless ("already").

A 409 means the hub's latest revision of the record is not the one this revision corrects:
- the hub lacks earlier revisions of ours (they were superseded here before they went, or the
  laptop joined after they were made): those are sent first, then this one;
- the hub already has this revision or a later one of ours: delivered;
- another laptop corrected the record: a conflict. The hub's version is kept in the store
  (`Attempt.conflict`), the delivery ends failed, and a person resolves it (`yici hub conflicts`).

Options: `ca_file` (a CA trusted on top of the system's), `allow_plain_http` (a county intranet
with no TLS), `timeout` (seconds to wait for an answer). Secret: `device_token`, entered by
`yici hub join`, bound to the hub's address like every secret. Photos go as stored, EXIF
included (`sends_originals`: the township's own evidence store; docs/PHOTOS.md).
"""

from __future__ import annotations

import json
import os
from typing import Any

from forms.i18n import tr
from sync.hub_client import NOT_THE_HUB_MESSAGE, REVOKED_MESSAGE, TOKEN, HubProblem, call, checked, hub_error
from sync.hub_upload import Uploader
from sync.kind import (
    ATTENTION,
    DELIVERED,
    PERMANENT,
    PLAIN_HTTP,
    TRANSIENT,
    Attempt,
    Option,
    Outgoing,
    TargetConfig,
    seconds,
    web_address,
)

OPTIONS = (Option("ca_file"), PLAIN_HTTP, Option("timeout", check=seconds))
DEFAULT_TIMEOUT = (10.0, 60.0)  # a revision with a large form source on a slow line


def _timeout(target: TargetConfig) -> tuple[float, float]:
    try:
        read = float(target.options.get("timeout") or 0)
    except ValueError:
        read = 0.0
    return (DEFAULT_TIMEOUT[0], read) if read > 0 else DEFAULT_TIMEOUT


def _same(theirs: dict | None, ours: dict | None) -> bool:
    """Is the hub's revision the very one of ours (same status, values and void reason)?"""
    if not theirs or not ours:
        return False
    keys = ("status", "data", "void_reason")
    return all(theirs.get(k) == ours.get(k) for k in keys)


def conflict_message(shape: dict, current: dict) -> str:
    """What a person reads when another laptop corrected the record first."""
    return tr(
        "另一台电脑已更正过这条记录（乡镇平台上是第 {theirs} 版，{operator}，{at}），"
        "本机的这次更正没有送到乡镇平台。"
        "请运行 `yici hub conflicts` 比较两个版本，再用 `yici hub resolve {uuid} --keep mine`（保留本机）"
        "或 `--keep theirs`（采用平台）决定；也可以在窗口里处理。"
    ).format(
        theirs=current.get("revision"),
        operator=current.get("operator") or tr("未知录入人"),
        at=current.get("finalized_at") or "",
        uuid=str(shape.get("uuid", ""))[:8],
    )


class _Push:
    """One delivery's conversation with the hub."""

    def __init__(self, item: Outgoing, http: Any):
        self.item, self.http = item, http
        self.base = item.target.url or ""
        self.token = item.secrets.get(TOKEN, "")
        self.ca_file = item.target.options.get("ca_file") or None
        self.timeout = _timeout(item.target)
        read = item.attachment or (lambda sha: b"")
        self.uploader = Uploader(http, self.base, self.token, self.ca_file, read)

    def ours(self, hub: int) -> dict | None:
        assert self.item.full_revision is not None
        return self.item.full_revision(hub)

    def post(self, shape: dict) -> Any:
        return call(self.http, "POST", self.base, "/records", token=self.token, ca_file=self.ca_file,
                    json=shape, timeout=self.timeout)  # fmt: skip

    def send(self, shape: dict, *, fill: bool = True) -> Attempt:
        """Files first, then the revision; the answer read into an Attempt."""
        for file in shape["attachments"]:
            failed = self.uploader.ensure(file["sha256"])
            if failed is not None:
                return failed
        answer = self.post(shape)
        if answer.status_code == 422 and (checked_body := _body(answer)).get("missing"):
            for sha in checked_body["missing"]:  # the hub lost them since (a restore): once more
                failed = self.uploader.ensure(str(sha), force=True)
                if failed is not None:
                    return failed
            answer = self.post(shape)
            if answer.status_code == 422 and _body(answer).get("missing"):
                return Attempt(
                    TRANSIENT, tr("乡镇平台仍缺少附件，稍后重试：{error}").format(error=hub_error(answer))
                )
        return self.read(shape, answer, fill)

    def read(self, shape: dict, answer: Any, fill: bool) -> Attempt:
        status, number = answer.status_code, shape["revision"]
        if status in (200, 201) and (
            _body(answer).get("status") not in ("stored", "already")
            or _body(answer).get("uuid") != shape["uuid"]
        ):
            return Attempt(TRANSIENT, tr(NOT_THE_HUB_MESSAGE).format(status=status))
        if 300 <= status < 400:
            return Attempt(TRANSIENT, tr(NOT_THE_HUB_MESSAGE).format(status=status))
        if status in (200, 201):
            said = tr("乡镇平台已有这一版，未重复保存") if status == 200 else tr("乡镇平台已接收")
            return Attempt(
                DELIVERED,
                f"{said}（{tr('第 {number} 版').format(number=number)}）",
                remote_id=f"{shape['uuid']}:{number}",
            )
        if status == 401:
            return Attempt(ATTENTION, tr(REVOKED_MESSAGE))
        if status == 403:
            return Attempt(
                PERMANENT,
                tr(
                    "乡镇平台不接收支部“{branch}”的记录：这台电脑没有这个支部的权限，请联系乡镇管理员（{error}）"
                ).format(branch=self.item.branch, error=hub_error(answer)),
            )
        if status == 409:
            return self.stale(shape, _body(answer).get("current"), fill)
        if status == 408 or status == 429 or status >= 500:
            from sync.answers import retry_after_seconds

            return Attempt(
                TRANSIENT,
                tr("乡镇平台暂时不可用，稍后重试 (HTTP {status})").format(status=status),
                retry_after=retry_after_seconds(answer),
            )
        return Attempt(PERMANENT, tr("乡镇平台拒收：{error}").format(error=hub_error(answer)))

    def stale(self, shape: dict, current: Any, fill: bool) -> Attempt:
        """409: fill in our revisions the hub lacks, say delivered when it has ours already, or
        keep the other laptop's version as a conflict."""
        current = current if isinstance(current, dict) else None
        base = int(shape["base_revision"])
        have = int(current.get("revision") or 0) if current else 0
        if fill and have < base and (current is None or _same(current, self.ours(have))):
            for number in range(have + 1, base + 1):
                earlier = self.ours(number)
                if earlier is None:
                    break
                result = self.send(earlier, fill=False)
                if result.outcome != DELIVERED:
                    return result
            else:
                return self.send(shape, fill=False)
        if current is not None and have >= int(shape["revision"]) and _same(current, self.ours(have)):
            return Attempt(
                DELIVERED,
                tr("乡镇平台已有本机更新的版本（第 {number} 版）").format(number=have),
                remote_id=f"{shape['uuid']}:{shape['revision']}",
            )
        if current is None:
            return Attempt(PERMANENT, tr("乡镇平台缺少这条记录之前的版本，本机也没有，无法补发。"))
        return Attempt(PERMANENT, conflict_message(shape, current), conflict=current)


def _body(answer: Any) -> dict:
    try:
        body = answer.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class HubKind:
    """The township hub: record revisions with their audit and files (see the module docstring)."""

    name = "hub"
    idempotent = True
    secret_names = (TOKEN,)
    required_secrets = (TOKEN,)
    rate_limits: tuple[tuple[int, float], ...] = ()
    options = OPTIONS
    # The stored files themselves, EXIF and all (sync/photo_copies.py, docs/PHOTOS.md): the hub is
    # the township's evidence store, keeps files under their SHA-256 and checks each upload
    # against it, and gives them back whole when a laptop is replaced.
    sends_originals = True

    def settings_problems(self, target: TargetConfig) -> list[str]:
        """The hub's address and CA file, whatever the token."""
        found = []
        problem = web_address(target.url or "") if target.url else tr("缺少乡镇平台的地址")
        if problem:
            found.append(tr("乡镇平台地址：{problem}").format(problem=problem))
        ca_file = target.options.get("ca_file")
        if ca_file and not os.path.isfile(ca_file):
            found.append(tr("CA 证书文件不存在：{ca_file}").format(ca_file=ca_file))
        return found

    def config_problems(self, target: TargetConfig, secrets: dict[str, str]) -> list[str]:
        """Settings, and the device token a join leaves in the keyring."""
        found = self.settings_problems(target)
        if not secrets.get(TOKEN):
            found.append(
                tr(
                    "本机还没有乡镇平台的令牌：请向乡镇管理员要登记码，"
                    "运行 `yici hub join 地址 --code 登记码`"
                )
            )
        return found

    def addresses(self, target: TargetConfig) -> list[str]:
        """The hub's address: records and the token go there only."""
        return [target.url] if target.url else []

    def send(self, item: Outgoing, http: Any) -> Attempt:
        """Deliver one revision; never raises for network or hub errors."""
        shape = item.full_revision(None) if item.full_revision else None
        if shape is None:
            return Attempt(PERMANENT, tr("找不到这一版记录的内容，无法发送到乡镇平台"))
        if not shape.get("branch_uid"):
            return Attempt(
                PERMANENT,
                tr(
                    "支部“{branch}”不在乡镇平台上：请联系乡镇管理员把它加给这台电脑，再运行 `yici sync`"
                ).format(branch=item.branch),
            )
        push = _Push(item, http)
        shown = {k: v for k, v in shape.items() if k not in ("form_source", "audit")}
        payload = f"POST {push.base}/api/v1/records\n\n{json.dumps(shown, ensure_ascii=False)}"
        try:
            attempt = push.send(shape)
        except HubProblem as problem:
            attempt = problem.attempt or Attempt(TRANSIENT, problem.message)
        attempt.payload = payload
        return attempt

    def send_test(self, target: TargetConfig, secrets: dict[str, str], http: Any) -> Attempt:
        """Knock with the token: the hub says which device this is and its branches."""
        found = self.config_problems(target, secrets)
        if found:
            return Attempt(ATTENTION, "；".join(found))
        try:
            answer = call(http, "GET", target.url or "", "", token=secrets[TOKEN],
                          ca_file=target.options.get("ca_file") or None)  # fmt: skip
            body = checked(answer, what=tr("连接测试"))
        except HubProblem as problem:
            if problem.revoked:
                return Attempt(ATTENTION, problem.message)
            return problem.attempt or Attempt(PERMANENT, problem.message)
        if body.get("service") != "yici-hub":
            return Attempt(PERMANENT, tr("这个地址的回答不是乡镇平台的：请核对地址。"))
        return Attempt(
            DELIVERED,
            tr("连接测试成功：本机在乡镇平台上是“{device}”，支部：{branches}").format(
                device=body.get("device") or "?",
                branches="、".join(body.get("branches") or []) or tr("（无）"),
            ),
        )


KIND = HubKind()

__all__ = ["HubKind", "KIND", "OPTIONS", "conflict_message"]
