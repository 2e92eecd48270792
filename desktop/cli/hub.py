"""`yici hub …`: the township hub from this laptop — join with a one-time code, see where it
stands, pull what the township publishes, list and resolve conflicts, take a branch's records
over from the hub (docs/HUB.md, "The laptop side").

Named after the command; the work is in sync/ (hub_join, hub_pull, hub_handover) and the store
(conflicts), imported inside the handlers so that building the parser stays quick.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from desktop.cli.context import open_session, operator, record_form
from desktop.cli.exits import EXIT_ATTENTION, EXIT_OK, CliError
from desktop.cli.logs import log_to_file
from desktop.cli.output import err, pairs, print_json, print_table
from desktop.cli.usage import CommandTree

LOCK_WAIT = 30.0  # seconds a pull or handover waits for a sync already running in this folder


def add_commands(tree: CommandTree) -> None:
    """Register `yici hub join|status|pull|conflicts|resolve|handover`."""
    hub = tree.group("hub", "乡镇平台：加入、查看、更新设置、处理冲突、交接支部记录")
    p = tree.action(hub, "join", join, "用乡镇管理员给的登记码加入乡镇平台")
    p.add_argument("url", metavar="URL", help="乡镇平台的地址，例如 https://10.1.2.3:8470")
    p.add_argument("--code", required=True, metavar="CODE", help="一次性登记码，例如 K7QX-4MCT-HW9A-R3PD")
    p.add_argument("--name", metavar="DEVICE_NAME", help="本机在乡镇平台上的名称（默认：计算机名）")
    p.add_argument("--ca-file", metavar="FILE", help="乡镇平台的 CA 证书文件（内网自签证书时）")
    p.add_argument("--allow-plain-http", action="store_true", help="允许明文 http（仅限可信的内网）")
    tree.action(hub, "status", status, "本机与乡镇平台的情况", json=True)
    tree.action(hub, "pull", pull, "现在从乡镇平台更新支部、名册、表单和平台设置")
    tree.action(hub, "conflicts", conflicts, "列出与乡镇平台冲突的记录（两个版本对比）", json=True)
    p = tree.action(hub, "resolve", resolve, "处理一条冲突：保留本机的版本，或采用乡镇平台的版本")
    p.add_argument("uuid", metavar="UUID", help="记录编号（前 8 位即可）")
    p.add_argument("--keep", required=True, choices=("mine", "theirs"), help="mine 保留本机；theirs 采用平台")
    p = tree.action(hub, "handover", handover, "从乡镇平台取回一个支部的全部记录（交接到本机）")
    p.add_argument("branch", metavar="BRANCH", help="支部名称")


def _http():
    from sync.http import Http  # requests + truststore: only for the commands that go out

    return Http()


def join(args, data_dir: Path) -> int:
    """`yici hub join URL --code CODE`: join, then a first pull."""
    from sync.hub_join import JoinProblem
    from sync.hub_join import join as join_hub

    log_to_file(data_dir)
    with open_session(data_dir) as session, _http() as http:
        try:
            joined = join_hub(
                session.store, args.url, args.code, device_name=args.name, ca_file=args.ca_file,
                allow_plain_http=args.allow_plain_http, operator=operator(args, session), http=http,
            )  # fmt: skip
        except JoinProblem as problem:
            raise CliError(problem.message) from None
    print(f"已加入乡镇平台 {joined.target.url}（平台名称“{joined.target.name}”）。")
    print(f"  本机的支部：{'、'.join(joined.branches) or '（无）'}")
    if joined.queued:
        print(f"  已有 {joined.queued} 条定稿记录排队，运行 `yici sync` 发送到乡镇平台。")
    if joined.pulled is not None:
        print(f"  {joined.pulled.line()}")
    for warning in joined.warnings:
        err(f"注意：{warning}")
    return EXIT_OK


def status(args, data_dir: Path) -> int:
    """`yici hub status`: the hub, this device, its branches, what waits, open conflicts."""
    from sync.hub_pull import hub_state

    with open_session(data_dir) as session:
        store = session.store
        target = store.hub_target()
        if target is None:
            if args.json:
                print_json({"joined": False})
            else:
                print(
                    "本机没有加入乡镇平台。加入：`yici hub join 地址 --code 登记码`（登记码向乡镇管理员要）。"
                )
            return EXIT_OK
        state = hub_state(store, target)
        counts = store.delivery_counts().get(target.name, {})
        open_conflicts = len(store.hub_conflicts())
    facts: dict[str, Any] = {
        "joined": True, "target": target.name, "url": target.url, "device": state.get("device"),
        "branches": target.branches, "cursor": state.get("cursor", 0), "pulled_at": state.get("pulled_at"),
        "attention": target.attention, "enabled": target.enabled, "deliveries": counts,
        "conflicts": open_conflicts,
    }  # fmt: skip
    code = EXIT_ATTENTION if (target.attention or open_conflicts) else EXIT_OK
    if args.json:
        print_json(facts)
        return code
    waiting = counts.get("pending", 0) + counts.get("sending", 0)
    print(
        pairs(
            [
                ("乡镇平台", f"{target.url}（{target.name}{'' if target.enabled else '，已停用'}）"),
                ("本机名称", state.get("device") or "-"),
                ("支部", "、".join(target.branches) or "（无）"),
                ("上次更新设置", state.get("pulled_at") or "还没有"),
                ("待发送", waiting),
                ("已送达", counts.get("delivered", 0)),
                ("冲突", f"{open_conflicts}（`yici hub conflicts` 查看）" if open_conflicts else 0),
            ]
        )
    )
    if target.attention:
        print(f"⚠ 需要处理：{target.attention}")
    return code


def pull(args, data_dir: Path) -> int:
    """`yici hub pull`: bring down what the township publishes now."""
    from sync.hub_client import HubProblem
    from sync.hub_pull import pull as pull_hub
    from sync.lock import sync_lock

    log_to_file(data_dir)
    with open_session(data_dir) as session, _http() as http, sync_lock(data_dir, timeout=LOCK_WAIT):
        try:
            report = pull_hub(session.store, http, catalog=session.catalog)
        except HubProblem as problem:
            raise CliError(problem.message, code=EXIT_ATTENTION if problem.revoked else 1) from None
    if report is None:
        raise CliError("本机没有加入乡镇平台。加入：`yici hub join 地址 --code 登记码`。")
    print(report.line())
    return EXIT_OK


def _value(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def conflicts(args, data_dir: Path) -> int:
    """`yici hub conflicts`: each record whose correction the hub refused, both versions' differences."""
    from forms.conflict_fields import differing_fields

    with open_session(data_dir) as session:
        found = session.store.hub_conflicts()
        shown = []
        for c in found:
            try:
                form = record_form(session, session.store.record(c.record_uuid))
            except Exception:  # noqa: BLE001 - a form that cannot be read still lists its keys
                form = None
            given = c.theirs.get("data")
            theirs: dict = given if isinstance(given, dict) else {}
            shown.append((c, differing_fields(form, c.local, theirs)))
    if args.json:
        print_json(
            [
                {"uuid": c.record_uuid, "local_revision": c.local_revision, "refused_revision": c.revision,
                 "theirs": c.theirs, "found_at": c.found_at,
                 "fields": [{"key": d.key, "label": d.label, "mine": d.mine, "theirs": d.theirs}
                            for d in diff]}
                for c, diff in shown
            ]
        )  # fmt: skip
        return EXIT_ATTENTION if found else EXIT_OK
    if not found:
        print("没有与乡镇平台冲突的记录。")
        return EXIT_OK
    for c, diff in shown:
        print(f"记录 {c.record_uuid[:8]}  {c.summary}")
        print(
            f"  本机：第 {c.local_revision} 版 ｜ 乡镇平台：第 {c.theirs.get('revision')} 版"
            f"（{c.theirs.get('operator') or '-'}，{c.theirs.get('finalized_at') or '-'}）"
        )
        print_table(["字段", "本机", "乡镇平台"], [(d.label, _value(d.mine), _value(d.theirs)) for d in diff],
                    "  （内容相同，只是版本不同）")  # fmt: skip
        print(f"  处理：yici hub resolve {c.record_uuid[:8]} --keep mine  或  --keep theirs")
    return EXIT_ATTENTION


def resolve(args, data_dir: Path) -> int:
    """`yici hub resolve UUID --keep mine|theirs`: a new revision with the chosen version."""
    with open_session(data_dir) as session:
        record, _ = session.records.resolve_hub_conflict(args.uuid, args.keep, operator(args, session))
    kept = "本机的版本" if args.keep == "mine" else "乡镇平台的版本"
    if record.status == "void":
        print(f"已采用乡镇平台的版本：记录 {record.uuid[:8]} 已作废（{record.void_reason}）。")
    else:
        print(f"已保留{kept}：记录 {record.uuid[:8]} 现为第 {record.revision} 版，运行 `yici sync` 发送。")
    return EXIT_OK


def handover(args, data_dir: Path) -> int:
    """`yici hub handover BRANCH`: every record of the branch from the hub into this data folder."""
    from sync.hub_client import HubProblem
    from sync.hub_handover import handover as take_over
    from sync.lock import sync_lock

    log_to_file(data_dir)
    with open_session(data_dir) as session, _http() as http, sync_lock(data_dir, timeout=LOCK_WAIT):
        try:
            report = take_over(session.store, http, args.branch, operator(args, session))
        except HubProblem as problem:
            raise CliError(problem.message, code=EXIT_ATTENTION if problem.revoked else 1) from None
    print(
        f"已从乡镇平台取回支部“{report.branch}”的记录：新增 {report.added} 条，更新 {report.updated} 条，"
        f"原有 {report.unchanged} 条，下载附件 {report.files} 个。"
    )
    for warning in report.warnings:
        err(f"注意：{warning}")
    if report.conflicts:
        err(f"{len(report.conflicts)} 条记录与本机的版本不同，请运行 `yici hub conflicts` 处理。")
        return EXIT_ATTENTION
    return EXIT_OK
