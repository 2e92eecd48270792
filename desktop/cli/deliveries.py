"""`yici deliveries list | resend | mark-delivered | confirm-upload`: how far each delivery got,
and the decisions only a person can make (send again, it did arrive, the Excel file is uploaded).

forms/ and sync/ modules are imported inside the handlers: building the parser must stay quick.
"""

from __future__ import annotations

from pathlib import Path

from desktop.cli.context import open_session, operator
from desktop.cli.delivery_status import delivery_json, delivery_time, state_title
from desktop.cli.exits import EXIT_OK, EXIT_PENDING, CliError
from desktop.cli.logs import log_to_file
from desktop.cli.output import err, print_json, print_table
from desktop.cli.usage import CommandTree, positive


def add_commands(tree: CommandTree) -> None:
    """Register `yici deliveries ...`."""
    deliveries = tree.group("deliveries", "推送：查看、重新发送、标记已送达、确认已上传导入文件")
    p = tree.action(deliveries, "list", deliveries_list, "列出推送，最新的在前", json=True)
    p.add_argument(
        "--state",
        metavar="S",
        help="状态：pending 待发送、failed 失败、uncertain 可能已发送、"
        "awaiting_upload 待上传、delivered 已送达 等",
    )
    p.add_argument("--target", metavar="T", help="平台名称")
    p.add_argument("--record", metavar="UUID", help="记录编号")
    p.add_argument("--limit", type=positive, default=100, metavar="N", help="最多显示几条（默认 100）")
    p = tree.action(deliveries, "resend", deliveries_resend, "重新发送一条推送（失败或可能已发送的）")
    p.add_argument("id", type=positive, metavar="ID", help="推送编号（见 deliveries list）")
    p = tree.action(
        deliveries,
        "mark-delivered",
        deliveries_mark_delivered,
        "确认一条推送已送达（可能已发送的机器人消息、已上传的 Excel 行）",
    )
    p.add_argument("id", type=positive, metavar="ID", help="推送编号（见 deliveries list）")
    p.add_argument(
        "--force", action="store_true", help="从未发送过的推送也标记为已送达（须同时用 --reason 写明原因）"
    )
    p.add_argument("--reason", default="", metavar="TEXT", help="原因，记入操作记录")
    p = tree.action(
        deliveries,
        "confirm-upload",
        deliveries_confirm_upload,
        "Excel 导入文件已上传到平台：其中的记录标记为已送达，之后的记录写入新文件",
    )
    p.add_argument("target", metavar="TARGET", help="平台名称（xlsx 类型）")
    p.add_argument("--file", metavar="FILE", help="已上传的导入文件（默认：当前的导入文件）")


def _state(text: str | None) -> str | None:
    """A delivery state from its key or its Chinese title."""
    from forms.store import DELIVERY_STATES, STATE_TITLES

    if text is None:
        return None
    by_title = {title: key for key, title in STATE_TITLES.items()}
    state = by_title.get(text, text)
    if state == "needs_attention":
        raise CliError(
            "“需要处理”是平台的状态，不是单条推送的状态：请用 `yici targets list` 或 `yici status` 查看。"
        )
    if state not in DELIVERY_STATES:
        choices = "、".join(f"{key}（{STATE_TITLES[key]}）" for key in DELIVERY_STATES)
        raise CliError(f"推送状态“{text}”无效。可选：{choices}")
    return state


def deliveries_list(args, data_dir: Path) -> int:
    """`yici deliveries list [--state S] [--target T]`: newest first."""
    state = _state(args.state)
    with open_session(data_dir) as session:
        store = session.store
        target_id = store.target(args.target).id if args.target else None
        record_uuid = store.record(args.record).uuid if args.record else None
        rows = store.deliveries(record_uuid=record_uuid, target_id=target_id, state=state, limit=args.limit)
    if args.json:
        print_json([delivery_json(d) for d in rows])
        return EXIT_OK
    print_table(
        ["编号", "记录", "版次", "平台", "状态", "次数", "时间", "平台回复"],
        [
            (
                d.id,
                d.record_uuid[:8],
                d.revision,
                d.target_name,
                state_title(d.state),
                d.attempts,
                delivery_time(d),
                d.message,
            )
            for d in rows
        ],
        "没有符合条件的推送。",
    )
    if len(rows) == args.limit:
        err(f"只显示最新的 {args.limit} 条；可用 --limit 显示更多。")
    return EXIT_OK


def _decided(d, what: str) -> None:
    print(
        f"推送 {d.id}（记录 {d.record_uuid[:8]} 第 {d.revision} 版次 → {d.target_name}）{what}，"
        f"现在：{state_title(d.state)}。"
    )


def deliveries_resend(args, data_dir: Path) -> int:
    """`yici deliveries resend ID`: send again (a failed or uncertain delivery)."""
    with open_session(data_dir) as session:
        d = session.store.resend(args.id, operator(args, session))
    _decided(d, "已重新排队")
    err("运行 `yici sync` 立即发送。")
    return EXIT_OK


def deliveries_mark_delivered(args, data_dir: Path) -> int:
    """`yici deliveries mark-delivered ID [--force --reason TEXT]`: the operator confirms it
    arrived; one that was never sent needs --force and a reason, kept in the audit."""
    from forms.store import NeverSent, never_sent

    reason = args.reason.strip()
    with open_session(data_dir) as session:
        store = session.store
        d = store.delivery(args.id)
        if never_sent(d) and not (args.force and reason):
            raise _never_sent(d, args.force)
        try:
            d = store.mark_delivered(args.id, operator(args, session), reason=reason)
        except NeverSent as exc:  # it changed meanwhile
            raise _never_sent(exc.delivery, args.force) from None
    _decided(d, "已标记为已送达" + (f"（原因：{reason}）" if reason else ""))
    return EXIT_OK


def _never_sent(d, forced: bool) -> CliError:
    what = (
        f"推送 {d.id}（记录 {d.record_uuid[:8]} 第 {d.revision} 版次 → {d.target_name}）还从未发送过"
        f"（{state_title(d.state)}，发送 0 次），没有标记。"
    )
    if forced:
        return CliError(what, '请用 --reason 写明原因，例如 --reason "已在平台网页上手工录入"。')
    return CliError(
        what + "标记为已送达表示您已用别的办法把这条记录报给了平台，标记后不会再自动发送它。",
        '如确实如此，请加上 --force 和 --reason "原因"（原因会记入操作记录）；'
        "想让程序把它发出去，请运行 `yici sync`。",
    )


def deliveries_confirm_upload(args, data_dir: Path) -> int:
    """`yici deliveries confirm-upload TARGET [--file F]`: the Excel batch was uploaded; its rows
    become delivered and the next rows start a new file."""
    from sync.engine import Deliverer
    from sync.kinds import KIND_TITLES
    from sync.lock import SyncBusy

    if args.file and not Path(args.file).is_file():
        raise CliError(f"找不到导入文件：{args.file}")
    with open_session(data_dir) as session:
        target = session.store.target(args.target)
        if target.kind != "xlsx":
            raise CliError(
                f"平台“{target.name}”是{KIND_TITLES.get(target.kind, target.kind)}，"
                "不是 Excel 导入文件，不需要确认上传。"
            )
        log_to_file(data_dir)
        deliverer = Deliverer(session.store)
        try:
            confirmed = deliverer.confirm_upload(target.id, operator(args, session), args.file)
        except SyncBusy as exc:
            raise CliError(exc.message, code=EXIT_PENDING) from None
        finally:
            deliverer.http.close()
        left = session.store.delivery_counts().get(target.name, {}).get("awaiting_upload", 0)
        unconfirmed = [
            (row, key, why)
            for rows, why in ((confirmed.missing, "不在文件中"), (confirmed.changed, "在 Excel 里被改动过"))
            for row, key in rows
        ]
        named = [(row, why, _record_named(session.store, key)) for row, key, why in sorted(unconfirmed)]
        left -= len(named)  # those are named below, not in other files
    if confirmed.path is None:
        print(f"平台“{target.name}”没有待上传的导入文件。")
    else:
        print(
            f"已确认上传 {confirmed.path.name}：{confirmed.delivered} 条记录标记为已送达"
            f"（文件中核对无误的共 {confirmed.rows} 行）。之后的记录会写入新的导入文件。"
        )
    if named:
        err(f"以下 {len(named)} 行没有标记为已送达，请核对平台上的数据：")
        for row, why, record in named:
            err(f"  原第 {row} 行（{record}）{why}")
        err(
            "确认平台上已有正确数据后，可用 `yici deliveries mark-delivered 编号` 标记；"
            "需要重新导出时用 `yici deliveries resend 编号`。"
        )
    if left:
        err(
            f"还有 {left} 条在其他导入文件里等待上传；可用 "
            f"`yici deliveries list --target {target.name} --state awaiting_upload` 查看，"
            f"上传后用 --file 指定文件确认。"
        )
    return EXIT_OK


def _record_named(store, key: str) -> str:
    """How a person finds the record behind an Excel row: its summary, revision and delivery id."""
    uuid, _, rest = key.partition(":")
    revision, _, target_id = rest.partition(":")
    try:
        record = store.record(uuid)
    except Exception:  # noqa: BLE001 - a key from the file that names no record here
        return f"记录 {uuid[:8]}"
    found = [
        d.id
        for d in store.deliveries(record_uuid=uuid)
        if str(d.revision) == revision and str(d.target_id) == target_id
    ]
    where = f"，推送编号 {found[0]}" if found else ""
    return f"{record.summary or uuid[:8]}，第 {revision} 版{where}"
