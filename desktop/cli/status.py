"""`yici status`: records per state, then every platform with its deliveries per state, and the
exit code scripts act on.

forms/ and sync/ modules are imported inside the handler: building the parser must stay quick.
"""

from __future__ import annotations

from pathlib import Path

from desktop.cli.context import open_session
from desktop.cli.delivery_status import ATTENTION_STATES, PENDING_STATES, delivery_exit_code
from desktop.cli.output import STATUS_LABELS, pairs, print_json, print_table
from desktop.cli.usage import CommandTree


def add_commands(tree: CommandTree) -> None:
    """Register `yici status`."""
    tree.command("status", status, "各状态的记录数（以及各平台的发送情况）", json=True)


def status(args, data_dir: Path) -> int:
    """`yici status`: records per state, then every platform with its deliveries per state.

    Exit 3 while deliveries are on their way and 4 when something needs a person (a platform
    stopped, a delivery failed or possibly sent), so scripts can act.
    """
    from forms import target_kinds
    from forms.store import DELIVERY_STATES, STATE_TITLES
    from sync.kinds import KIND_TITLES
    from sync.secret_binding import plain_http_warning
    from sync.secrets import keyring_status

    with open_session(data_dir) as session:
        records = {s: session.store.count_records(status=s) for s in STATUS_LABELS}
        targets = session.store.targets()
        counts = session.store.delivery_counts()
    code = delivery_exit_code(targets, counts)
    # What is wrong in each platform's own settings, and the plain-http warning: without reading
    # any secret, so they show even when there is no keyring.
    settings = {t.name: target_kinds.settings_problems(t.config()) for t in targets}
    warnings = {t.name: plain_http_warning(t) for t in targets}
    uses_keyring = any(target_kinds.secret_names(t.kind) for t in targets if t.enabled)
    keyring_ok, keyring_words = keyring_status() if uses_keyring else (True, "")
    live = [t for t in targets if t.enabled]
    totals = {
        state: sum(counts.get(t.name, {}).get(state, 0) for t in live)
        for state in ATTENTION_STATES + PENDING_STATES
    }
    if args.json:
        print_json(
            {
                "data_dir": str(data_dir),
                "records": records,
                "deliveries": counts,
                "targets": [
                    {
                        "name": t.name,
                        "kind": t.kind,
                        "enabled": t.enabled,
                        "state": "needs_attention" if t.attention else "ok",
                        "attention": t.attention,
                        "problems": settings[t.name],
                        "plain_http": warnings[t.name],
                        "deliveries": counts.get(t.name, {}),
                    }
                    for t in targets
                ],
                "keyring_problem": None if keyring_ok else keyring_words,
                "pending": totals["pending"] + totals["sending"],
                "awaiting_upload": totals["awaiting_upload"],
                "awaiting_entry": totals["awaiting_entry"],
                "failed": totals["failed"],
                "uncertain": totals["uncertain"],
                "needs_attention": [t.name for t in live if t.attention],
                "exit_code": code,
            }
        )
        return code
    print(pairs([("数据文件夹", data_dir)] + [(STATUS_LABELS[s], n) for s, n in records.items()]))
    if not targets:
        print("\n还没有配置平台。可用 `yici targets add 名称 --kind dingtalk` 添加。")
        return code
    used = {state for c in counts.values() for state, n in c.items() if n}
    states = [s for s in DELIVERY_STATES if s in used]
    print()
    print_table(
        ["平台", "类型", "状态"] + [STATE_TITLES[s] for s in states],
        [
            [
                t.name,
                KIND_TITLES.get(t.kind, t.kind),
                "已停用" if not t.enabled else ("需要处理" if t.attention else "正常"),
            ]
            + [counts.get(t.name, {}).get(s, 0) for s in states]
            for t in targets
        ],
        "",
    )
    for t in live:
        if t.attention:
            print(f"⚠ {t.name} 需要处理：{t.attention}")
        for line in settings[t.name]:
            print(f"⚠ {t.name} 设置有误：{line}")
        if warnings[t.name]:
            print(f"⚠ {t.name}：{warnings[t.name]}")
    if not keyring_ok:
        print(f"⚠ {keyring_words}")
    if totals["failed"]:
        print(f"⚠ {totals['failed']} 条发送失败：`yici deliveries list --state failed` 查看原因。")
    if totals["uncertain"]:
        print(f"⚠ {totals['uncertain']} 条可能已发送，请确认：`yici deliveries list --state uncertain`。")
    waiting = totals["pending"] + totals["sending"]
    if waiting:
        print(f"还有 {waiting} 条待发送：运行 `yici sync` 发送。")
    if totals["awaiting_upload"]:
        print(
            f"{totals['awaiting_upload']} 条已写入 Excel 导入文件，等待上传；"
            "上传后运行 `yici deliveries confirm-upload 平台名称`。"
        )
    if totals["awaiting_entry"]:
        print(f"{totals['awaiting_entry']} 条等待在平台上手工录入：`yici copy list` 查看。")
    return code
