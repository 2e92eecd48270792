"""Joining a township hub with the one-time code its administrator gave (docs/HUB.md): the
device token goes into the keyring, bound to the hub's address, and the hub becomes this data
folder's delivery target of kind `hub`; the hub's branches are matched to the laptop's (by name
the first time, by their hub uid from then on) and a first pull brings what the township
publishes. The command line (`yici hub join`) and the settings window both call `join`.

Nothing is half-joined: the keyring is checked before the code is spent; a token that cannot be
kept leaves no target behind; the target is made disabled and enabled, with its branch filter,
only once everything is in place. One hub per data folder: joining again (a new code, after a
revoke, or another hub) replaces the target cleanly. A wrong code, an unreachable hub and a
certificate the laptop does not trust each get their own sentence.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from typing import Any

import requests

from forms.i18n import tr
from forms.store import NotFound, Store, Target, timestamp
from sync import secrets as keyring_secrets
from sync.answers import json_body, outside
from sync.hub_client import TOKEN, HubProblem, api_url, base_url, hub_error
from sync.hub_pull import STATE, PullReport, pull
from sync.kind import web_address
from sync.secret_binding import plain_http_problem

TARGET_NAME = "乡镇平台"


class JoinProblem(Exception):
    """Joining did not happen; `message` says why and what to do (Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Joined:
    """What joining did."""

    target: Target
    device_id: int
    branches: list[str]  # the local names of the device's branches
    queued: int  # final records queued for the hub
    pulled: PullReport | None = None
    warnings: list[str] = field(default_factory=list)


def _options(ca_file: str | None, allow_plain_http: bool) -> dict[str, str]:
    options = {}
    if ca_file:
        path = os.path.abspath(os.path.expanduser(ca_file))
        if not os.path.isfile(path):
            raise JoinProblem(tr("CA 证书文件不存在：{path}").format(path=path))
        options["ca_file"] = path
    if allow_plain_http:
        options["allow_plain_http"] = "yes"
    return options


def connection_reason(exc: BaseException) -> str:
    """Why a connection failed, in a few words a person can act on (the library's own sentence,
    pool names and all, helps nobody at a township office)."""
    text = str(exc)
    if "Connection refused" in text or "Errno 111" in text:
        return tr("对方拒绝连接：地址或端口不对，或乡镇平台没有运行")
    if "Name or service not known" in text or "getaddrinfo" in text or "NameResolution" in text:
        return tr("找不到这个主机名：请核对地址")
    if "No route to host" in text or "Network is unreachable" in text:
        return tr("网络不通：请检查网线、无线或内网连接")
    return tr("连接失败")


def _ask(http: Any, base: str, code: str, device_name: str, ca_file: str | None) -> dict:
    """POST /api/v1/join: the hub's answer, or JoinProblem saying what went wrong."""
    try:
        answer = http.request(
            "POST",
            api_url(base, "/join"),
            json={"code": code, "device_name": device_name},
            ca_file=ca_file,
            allow_redirects=False,  # the code goes to the address typed, never on to another
        )
    except requests.exceptions.SSLError as exc:
        if "WRONG_VERSION_NUMBER" in str(exc):  # the answer was not TLS: the hub speaks plain http
            plain = "http://" + base.removeprefix("https://")
            raise JoinProblem(
                tr(
                    "乡镇平台 {base} 没有开 https（它用的是明文 http），没有加入：请向乡镇管理员确认地址，"
                    "或改用 {plain}（不是本机时要加 --allow-plain-http）"
                ).format(base=base, plain=plain)
            ) from exc
        raise JoinProblem(
            tr(
                "乡镇平台 {base} 的证书不受本机信任，没有加入。请向乡镇管理员要平台的 CA 证书文件，"
                "加上 --ca-file 文件 再试（TLS：{exc}）"
            ).format(base=base, exc=outside(exc))
        ) from exc
    except requests.exceptions.Timeout as exc:
        raise JoinProblem(
            tr("乡镇平台 {base} 没有回答（超时）：请检查网络后再试。").format(base=base)
        ) from exc
    except requests.RequestException as exc:
        raise JoinProblem(
            tr("无法连接乡镇平台 {base}：请核对地址、检查网络后再试（{why}）").format(
                base=base, why=connection_reason(exc)
            )
        ) from exc
    if answer.status_code == 403:
        raise JoinProblem(
            tr("登记码不对、已用过或已过期，没有加入：请向乡镇管理员要一个新的登记码（{error}）").format(
                error=hub_error(answer)
            )
        )
    body = json_body(answer) or {}
    if answer.status_code != 201 or not isinstance(body.get("token"), str) or not body["token"]:
        if answer.status_code == 422:
            raise JoinProblem(tr("乡镇平台没有接受：{error}").format(error=hub_error(answer)))
        raise JoinProblem(
            tr("这个地址的回答不是乡镇平台的（HTTP {status}）：请核对乡镇平台的地址。").format(
                status=answer.status_code
            )
        )
    return body


def _target_name(store: Store) -> str:
    try:
        taken = store.target(TARGET_NAME)
    except NotFound:
        return TARGET_NAME
    return TARGET_NAME if taken.kind == "hub" else f"{TARGET_NAME}（{timestamp()[:10]}）"


def join(
    store: Store,
    url: str,
    code: str,
    *,
    device_name: str | None = None,
    ca_file: str | None = None,
    allow_plain_http: bool = False,
    operator: str = "-",
    http: Any = None,
) -> Joined:
    """Join the hub at `url` with a one-time `code`; JoinProblem when it did not happen (nothing
    changed then, except that a code the hub took is spent). A first pull follows; its failure
    is a warning, not a failed join."""
    base = base_url(url)
    wrong = web_address(base)
    if wrong:
        raise JoinProblem(tr("乡镇平台地址不对：{problem}").format(problem=wrong))
    options = _options(ca_file, allow_plain_http)
    # The code is a credential too: it goes over plain http only where a person allowed it.
    if plain_http_problem([base], options):
        raise JoinProblem(
            tr(
                "地址 {base} 是明文 http://，登记码和令牌会在网络上不加密地传输，所以没有加入。"
                "请改用 https://；如果县内网只有 http，可加上 --allow-plain-http"
                "（窗口里：勾选“允许明文 http”）"
            ).format(base=base)
        )
    usable, why = keyring_secrets.keyring_status()
    if not usable:
        raise JoinProblem(why + tr("（没有加入，登记码也没有用掉。）"))
    if http is None:
        from sync.http import Http

        http = Http()
    name = (device_name or "").strip() or socket.gethostname() or "yici"
    answer = _ask(http, base, code, name, options.get("ca_file"))
    token = answer["token"]
    existing = store.hub_target()
    same = existing is not None and base_url(existing.url or "") == base
    target = existing if same and existing is not None else None
    try:
        if target is not None:
            target = store.update_target(target.id, url=base, options=options, enabled=False)
        else:
            if existing is not None:
                store.remove_target(existing.id, operator)
            target = store.add_target(_target_name(store), "hub", url=base, options=options, enabled=False)
        keyring_secrets.set_secret(store, target, TOKEN, token)
    except Exception as exc:
        if target is not None and not same:
            store.remove_target(target.id, operator)
        elif target is not None and existing is not None:
            store.update_target(target.id, enabled=existing.enabled)
        message = getattr(exc, "message", None) or str(exc)
        raise JoinProblem(
            tr("令牌没有保存，没有加入：{message}。登记码已用掉，请向乡镇管理员要一个新的登记码。").format(
                message=message
            )
        ) from exc
    warnings: list[str] = []
    uids = []
    with store.transaction():  # enabled with its records queued, or not at all
        for entry in answer.get("branches") or []:
            branch, said = store.apply_hub_branch(entry, roster=False)
            uids.append(str(entry.get("uid")))
            warnings += said
        names = store.hub_branch_names(uids)
        if not names:  # a hub target without a branch filter would take every branch's records
            raise JoinProblem(tr("乡镇平台没有给这台电脑分配任何支部，没有加入：请联系乡镇管理员。"))
        target = store.update_target(target.id, branches=names, enabled=True)
        store.set_target_attention(target.id, None)
        store.set_setting(
            STATE,
            {"target": target.uid, "cursor": 0, "device_id": answer.get("device_id"), "device": name,
             "url": base, "joined_at": timestamp()},
        )  # fmt: skip
        queued = store.queue_existing(target.id, operator)
    joined = Joined(target, int(answer.get("device_id") or 0), names, queued, warnings=warnings)
    try:
        joined.pulled = pull(store, http)
    except HubProblem as problem:
        joined.warnings.append(
            tr("第一次更新设置没有完成，下次同步时会再试：{message}").format(message=problem.message)
        )
    return joined


__all__ = ["JoinProblem", "Joined", "TARGET_NAME", "join"]
