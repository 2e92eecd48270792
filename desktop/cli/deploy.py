"""`yici profile export | import`, `backup`, `restore`, `export`, `import`: setting laptops up
from a deployment profile, keeping their data safe, and the whole-folder handover to a new laptop.

forms/ modules are imported inside the handlers: building the parser must stay quick.
"""

from __future__ import annotations

from pathlib import Path

from desktop.cli.context import open_session, operator, passphrase_from, read_line, tell_recovery_key
from desktop.cli.exits import EXIT_OK, CliError
from desktop.cli.output import err, print_table
from desktop.cli.target_status import tidy_keyring
from desktop.cli.usage import CommandTree


def add_commands(tree: CommandTree) -> None:
    """Register `profile export|import`, `backup`, `restore`, `export` and `import`."""
    profile = tree.group("profile", "部署配置：导出/导入支部、平台（不含密钥）、表单等设置")
    p = tree.action(profile, "export", profile_export, "把本机的配置导出为 YAML 文件（不含任何密钥）")
    p.add_argument("file", metavar="FILE", help="要写入的 .yaml 文件")
    p.add_argument("--with-rosters", action="store_true", help="同时导出各支部的名册")
    p = tree.action(profile, "import", profile_import, "导入部署配置（可重复导入；有错则什么都不导入）")
    p.add_argument("file", metavar="FILE", help="部署配置 .yaml 文件")
    p.add_argument(
        "--accept-changes",
        action="store_true",
        help="允许修改本机已有的平台（不加时，若配置文件会修改已有平台，只列出改动，什么都不导入）",
    )

    p = tree.command("backup", backup, "立即备份数据库（默认放在数据文件夹的 backups 中），输出备份文件路径")
    p.add_argument("--to", metavar="FILE", help="备份到这个文件（或文件夹）")
    p.add_argument("--list", action="store_true", help="列出已有的备份")
    p = tree.command("restore", restore, "从备份文件恢复数据库（先自动备份当前数据）")
    p.add_argument("file", metavar="FILE", help="备份文件（.db）")
    p.add_argument(
        "--recovery-key",
        action="store_true",
        help="另一台电脑的备份：从终端或标准输入读入那个数据文件夹的恢复密钥（不要写在命令行上）",
    )
    p = tree.command("export", export, "把全部数据导出为一个加密文件，用于换电脑或工作交接（不含密钥）")
    p.add_argument("file", metavar="FILE", help="要写入的 .zip 文件")
    p.add_argument(
        "--passphrase-file", metavar="F", help="导出文件的口令从这个文件读入（至少 8 个字符；导入时要用）"
    )
    p = tree.command("import", import_, "导入 `yici export` 生成的文件，与本机数据合并（不会重复）")
    p.add_argument("file", metavar="FILE", help="导出文件（.zip）")
    p.add_argument("--passphrase-file", metavar="F", help="导出时设置的口令，从这个文件读入")


# --------------------------------------------------------------------------------- profiles


def profile_export(args, data_dir: Path) -> int:
    """`yici profile export FILE [--with-rosters]`."""
    from forms.profile import export_profile, write_profile

    with open_session(data_dir) as session:
        text = export_profile(session.store, session.catalog, with_rosters=args.with_rosters)
        counts = (len(session.store.branches()), len(session.store.targets()))
    path = write_profile(args.file, text)
    print(
        f"已导出部署配置：{path}（支部 {counts[0]} 个，平台 {counts[1]} 个"
        + ("，含名册" if args.with_rosters else "")
        + "）。"
    )
    print("文件中没有任何密钥；导入后请按提示在每台电脑上录入各平台的密钥。")
    return EXIT_OK


def profile_import(args, data_dir: Path) -> int:
    """`yici profile import FILE [--accept-changes]`: idempotent; a bad file imports nothing
    (FILE:LINE messages); changes to existing platforms are listed and need --accept-changes."""
    from forms.profile import ProfileChanges, ProfileProblem, import_profile, read_profile

    try:
        profile = read_profile(args.file)
    except ProfileProblem as exc:
        raise CliError(str(exc)) from None
    with open_session(data_dir) as session:
        try:
            report = import_profile(
                session.store, session.catalog, profile=profile, accept_changes=args.accept_changes
            )
        except ProfileProblem as exc:
            raise CliError(str(exc)) from None
        except ProfileChanges as exc:
            raise CliError(
                str(exc),
                f"请核对以上改动；确认无误后运行 `yici profile import {args.file} --accept-changes`。",
            ) from None
        tidy_keyring(session.store)  # secrets made for an address the profile changed
    if report.changed:
        for label in report.added:
            print(f"新增：{label}")
        for label in report.updated:
            print(f"更新：{label}")
        if report.unchanged:
            print(f"没有变化的项目：{len(report.unchanged)} 个")
        print(f"已导入部署配置：{args.file}")
    else:
        print(f"没有变化：{args.file} 中的 {len(report.unchanged)} 项与本机一致。")
    _tell_secrets(report.secrets)
    return EXIT_OK


def _tell_secrets(secrets: list[tuple[str, list[str]]]) -> None:
    if not secrets:
        return
    print()
    print("以下平台还需要录入密钥（配置文件和导出文件中都不含密钥）：")
    for target, names in secrets:
        for name in names:
            print(f"  请用 `yici targets secret {target} --name {name}` 录入密钥（平台“{target}”的 {name}）")


# ---------------------------------------------------------------------------------- backups


def backup(args, data_dir: Path) -> int:
    """`yici backup [--to FILE] [--list]`: prints the backup's path."""
    from forms.store import KIND_TITLES, list_backups, manual_backup

    if args.list:
        rows = [
            (b.made_at, KIND_TITLES.get(b.kind, b.kind), f"{b.size / 1024 / 1024:.1f} MB", b.path)
            for b in list_backups(data_dir)
        ]
        print_table(["时间", "类型", "大小", "文件"], rows, "还没有备份。运行 `yici backup` 立即备份一次。")
        return EXIT_OK
    with open_session(data_dir) as session:
        path = manual_backup(session.store, args.to)
    print(path)
    err(f"已备份数据库。需要时可用 `yici restore {path}` 恢复。")
    if args.to:
        err(
            f"备份旁边的 {path.name}.key.json 是它的钥匙文件（只有加密过的密钥，没有密钥本身），"
            "请和备份放在一起；"
            "在另一台电脑上恢复时要用它和恢复密钥：`yici restore 备份文件 --recovery-key`。"
        )
    return EXIT_OK


def restore(args, data_dir: Path) -> int:
    """`yici restore FILE`: check the backup (the file and every record in it), back up or set
    aside the current data, swap the file in."""
    from forms.recovery import restore as restore_file

    recovery = None
    if args.recovery_key:
        recovery = read_line("请输入做这个备份的数据文件夹的恢复密钥（8 组，每组 4 个字母或数字）：")
    result = restore_file(data_dir, args.file, recovery)
    c = result.contents
    print(
        f"已从 {result.source} 恢复数据："
        f"支部 {c.branches} 个，记录 {c.records} 条（其中已定稿 {c.final} 条）。"
    )
    if result.previous_backup is not None:
        print(f"恢复前的数据已备份到：{result.previous_backup}（如需撤销，可用 `yici restore` 恢复这个文件）")
    if result.recovery_key:
        tell_recovery_key(result.recovery_key)
    if result.set_aside is not None:
        print(f"原来位置上的文件（空的、损坏的或不属于这个文件夹的）已移到：{result.set_aside}，没有删除。")
    return EXIT_OK


# --------------------------------------------------------------------------------- handover

_ORDER = ("支部", "名册成员", "平台", "表单", "表单版本", "记录", "附件", "推送", "操作记录", "设置")


def _counted(counts: dict) -> str:
    keys = [k for k in _ORDER if counts.get(k)] + [k for k in counts if k not in _ORDER and counts[k]]
    return "，".join(f"{k} {counts[k]}" for k in keys)


def export(args, data_dir: Path) -> int:
    """`yici export FILE --passphrase-file F`: everything (no secrets) in one zip for another
    laptop, encrypted with the passphrase the person chose."""
    from forms.handover import export_all

    passphrase = _export_passphrase(args.passphrase_file, new=True)
    with open_session(data_dir) as session:
        summary = export_all(session.store, args.file, passphrase or "")
    c = summary.counts
    print(f"已导出全部数据到：{summary.path}")
    print(
        f"支部 {c['branches']} 个，名册 {c['members']} 人，记录 {c['records']} 条"
        f"（已定稿 {c['final']} 条），附件 {c['attachments']} 个，"
        f"自装表单 {c['forms']} 个，平台 {c['targets']} 个。"
    )
    print(
        "文件已用你设置的口令加密，不含密钥。请把口令另外告诉接收的人（不要和文件放在一起）。"
        f"在新电脑上运行 `yici import {summary.path.name} --passphrase-file 口令文件` 导入。"
    )
    return EXIT_OK


def _export_passphrase(file: str | None, *, new: bool) -> str | None:
    """--passphrase-file, else typed at the terminal (twice for a new one); an export needs one."""
    import getpass
    import sys

    passphrase = passphrase_from(file)
    if passphrase is None and sys.stdin.isatty():
        passphrase = getpass.getpass("导出文件的口令：")
        if new and getpass.getpass("再输入一次：") != passphrase:
            raise CliError("两次输入的口令不一样，没有导出。")
    if passphrase is None and new:
        raise CliError(
            "导出文件要用口令加密，请设置口令。",
            "例如 `yici export 交接.zip --passphrase-file 口令.txt`（文件第一行是口令，至少 8 个字符）。",
        )
    return passphrase


def import_(args, data_dir: Path) -> int:
    """`yici import FILE`: merge an export into this data folder; twice changes nothing."""
    from forms.handover import import_all
    from forms.profile import missing_secrets, secrets_needed

    passphrase = _export_passphrase(args.passphrase_file, new=False)
    with open_session(data_dir) as session:
        summary = import_all(session.store, session.catalog, args.file, operator(args, session), passphrase)
        secrets = []
        for target in session.store.targets():
            missing = missing_secrets(session.store, target, secrets_needed(session.store, target))
            if missing and target.name in summary.new_targets:
                secrets.append((target.name, missing))
    for warning in summary.warnings:
        err(f"注意：{warning}")
    source = summary.manifest.get("app_version", "?")
    if summary.changed:
        if summary.added:
            print(f"新增：{_counted(summary.added)}")
        if summary.updated:
            print(f"更新：{_counted(summary.updated)}")
        print(
            f"已导入 {args.file}（由一次 {source} 于 {summary.manifest.get('exported_at', '?')} 导出）。"
            "已在原电脑送达的记录不会再次发送。"
        )
    else:
        print(f"没有变化：{args.file} 中的数据本机都已经有了。")
    _tell_secrets(secrets)
    return EXIT_OK
