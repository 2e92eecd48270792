"""`yici copy list | show | photos | entered | problem`: records a person types into a platform by
hand (a `copy` target): what waits, a record's values in the platform's order, its photos in a
folder for upload, and the person's word that it was entered or what went wrong.

forms/ and sync/ modules are imported inside the handlers: building the parser must stay quick.
"""

from __future__ import annotations

from pathlib import Path

from desktop.cli.context import open_session, operator
from desktop.cli.delivery_status import delivery_json, delivery_time, state_title
from desktop.cli.exits import EXIT_OK, CliError
from desktop.cli.output import err, print_json, print_table
from desktop.cli.usage import CommandTree, positive


def add_commands(tree: CommandTree) -> None:
    """Register `yici copy ...`."""
    copy = tree.group("copy", "手工录入：待录入的记录、按平台顺序逐项显示、导出照片、确认已录入")
    tree.action(copy, "list", copy_list, "列出等待在平台上手工录入的记录", json=True)
    p = tree.action(copy, "show", copy_show, "按平台上的顺序显示一条记录要录入的内容", json=True)
    p.add_argument("id", type=positive, metavar="ID", help="推送编号（见 copy list）")
    p = tree.action(copy, "photos", copy_photos, "把记录的照片复制到文件夹，准备上传（原件不动）")
    p.add_argument("id", type=positive, metavar="ID", help="推送编号（见 copy list）")
    p.add_argument("--to", metavar="DIR", help="导出到哪个文件夹（默认：平台设置里的 folder）")
    p = tree.action(copy, "entered", copy_entered, "已在平台上录入：标记为已送达（记下谁、何时）")
    p.add_argument("id", type=positive, metavar="ID", help="推送编号（见 copy list）")
    p = tree.action(copy, "problem", copy_problem, "录入遇到问题：标记为失败，原因记入操作记录")
    p.add_argument("id", type=positive, metavar="ID", help="推送编号（见 copy list）")
    p.add_argument("--reason", required=True, metavar="TEXT", help="遇到了什么问题")


def _record_title(store, uuid: str) -> str:
    try:
        record = store.record(uuid)
        branch = store.branch(record.branch_id).name
    except Exception:  # noqa: BLE001 - a record gone from this laptop: its id
        return uuid[:8]
    return " · ".join(p for p in (branch, record.occurred_on or "", record.summary) if p)


def _entry(store, delivery_id: int):
    """The delivery's values to type, or a CliError when it is not a `copy` delivery."""
    from sync.copy import entry

    d = store.delivery(delivery_id)
    target = store.target(d.target_id)
    if target.kind not in ("copy", "browser"):  # a web form's record can be typed by hand too
        raise CliError(
            f"推送 {d.id} 发往“{target.name}”，不是手工录入的平台。",
            "手工录入的推送见 `yici copy list`。",
        )
    return entry(store, d)


def copy_list(args, data_dir: Path) -> int:
    """`yici copy list`: what waits to be typed in, oldest first."""
    with open_session(data_dir) as session:
        store = session.store
        rows = [(d, _record_title(store, d.record_uuid)) for d in store.entries_waiting()]
        kinds = {store.target(d.target_id).kind for d, _ in rows}
    if args.json:
        print_json([{**delivery_json(d), "title": title} for d, title in rows])
        return EXIT_OK
    print_table(
        ["编号", "记录", "平台", "等待自"],
        [(d.id, title, d.target_name, delivery_time(d)) for d, title in rows],
        "没有待录入的记录。",
    )
    if rows:
        err("用 `yici copy show 编号` 按平台顺序显示要录入的内容。")
    if any(store_kind == "browser" for store_kind in kinds):
        err("网页表单平台的记录也可以让一次在浏览器中填写：`yici browser run`。")
    return EXIT_OK


def copy_show(args, data_dir: Path) -> int:
    """`yici copy show ID`: the values in the platform's order, each under its label."""
    from sync.copy_photos import attached

    with open_session(data_dir) as session:
        store = session.store
        found = _entry(store, args.id)
        title = _record_title(store, found.delivery.record_uuid)
        files = len(attached(found.item))
    if args.json:
        print_json(
            {
                "id": found.delivery.id,
                "target": found.delivery.target_name,
                "state": found.delivery.state,
                "record_uuid": found.delivery.record_uuid,
                "problem": found.problem or None,
                "fields": [
                    {"label": v.label, "value": v.text, "problem": v.problem or None} for v in found.values
                ],
                "files": files,
            }
        )
        return EXIT_OK
    print(f"{title} → {found.delivery.target_name}（{state_title(found.delivery.state)}）")
    if found.problem:
        raise CliError(
            found.problem, f"请用 `yici targets edit {found.delivery.target_name} --fields 文件` 改正。"
        )
    for number, value in enumerate(found.values, 1):
        text = f"⚠ {value.problem}" if value.problem else value.text
        lines = text.split("\n") or [""]
        print(f"{number}. {value.label}：{lines[0]}")
        for line in lines[1:]:
            print(f"   {line}")
    if files:
        err(f"有 {files} 个照片或文件：用 `yici copy photos {args.id} --to 文件夹` 导出后上传。")
    err(
        f"录好后运行 `yici copy entered {args.id}`；"
        f"录不进去时运行 `yici copy problem {args.id} --reason 原因`。"
    )
    return EXIT_OK


def copy_photos(args, data_dir: Path) -> int:
    """`yici copy photos ID [--to DIR]`: the record's files copied to a folder for upload."""
    from sync.copy_photos import export_photos

    with open_session(data_dir) as session:
        store = session.store
        found = _entry(store, args.id)
        folder = args.to or (found.target.options or {}).get("folder")
        if not folder:
            raise CliError("请用 --to 指定导出到哪个文件夹（或在平台设置里写 folder）。")
        record = store.record(found.delivery.record_uuid)
        try:
            paths = export_photos(found.item, Path(folder), record.occurred_on)
        except OSError as exc:
            raise CliError(f"无法导出到 {folder}：{exc.strerror or exc}") from None
    if not paths:
        print("这条记录没有照片或文件。")
        return EXIT_OK
    print(f"已导出 {len(paths)} 个文件到 {paths[0].parent}：")
    for path in paths:
        print(f"  {path.name}")
    return EXIT_OK


def copy_entered(args, data_dir: Path) -> int:
    """`yici copy entered ID`: typed in; delivered, with who and when in the audit."""
    from sync.copy import shown_text

    with open_session(data_dir) as session:
        store = session.store
        found = _entry(store, args.id)
        if found.problem:
            raise CliError(found.problem)
        d = store.mark_entered(args.id, operator(args, session), shown=shown_text(found.values))
    print(
        f"推送 {d.id}（记录 {d.record_uuid[:8]} → {d.target_name}）已标记为已录入，"
        f"现在：{state_title(d.state)}。"
    )
    return EXIT_OK


def copy_problem(args, data_dir: Path) -> int:
    """`yici copy problem ID --reason TEXT`: could not type it in; failed, with the reason."""
    with open_session(data_dir) as session:
        store = session.store
        _entry(store, args.id)
        d = store.report_entry_problem(args.id, operator(args, session), args.reason)
    print(
        f"推送 {d.id}（记录 {d.record_uuid[:8]} → {d.target_name}）已记下问题，现在：{state_title(d.state)}。"
    )
    err(f"问题解决后可运行 `yici deliveries resend {d.id}` 重新放回待录入。")
    return EXIT_OK
