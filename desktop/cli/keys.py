"""`yici key recovery | unlock`: the data folder's recovery key shown again after confirming the
operator (or confirmed as written down), and a folder opened with it where this computer's
keyring has no key for it.

The recovery key is read from the terminal or standard input, never from the command line
(shell history, the process list), and written only to a terminal or to a file the person names:
never into output a script or service would keep in its logs. forms/ modules are imported inside
the handlers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from desktop.cli.context import open_session, passphrase_from, read_line
from desktop.cli.exits import EXIT_OK, CliError
from desktop.cli.output import err
from desktop.cli.usage import CommandTree


def add_commands(tree: CommandTree) -> None:
    """Register `key recovery` and `key unlock`."""
    key = tree.group("key", "数据加密的密钥：查看恢复密钥，凭恢复密钥在这台电脑上打开数据")
    p = tree.action(key, "recovery", key_recovery, "确认录入人后再次显示恢复密钥（请打印保存）")
    p.add_argument(
        "--confirm",
        action="store_true",
        help="恢复密钥已经抄写或打印好：以后不再每次提醒",
    )
    p.add_argument(
        "--to-file",
        metavar="F",
        help="不在终端时：把恢复密钥写进这个新文件（抄好后请删除它）",
    )
    p = tree.action(key, "unlock", key_unlock, "系统钥匙串里没有密钥时（换了电脑），凭恢复密钥打开数据")
    p.add_argument(
        "--recovery-key",
        action="store_true",
        required=True,
        help="从终端或标准输入读入恢复密钥（不要写在命令行上）",
    )
    p.add_argument(
        "--passphrase-file",
        metavar="F",
        help="这台电脑没有系统钥匙串时：以后打开数据用的口令，从这个文件读入（第一行）",
    )


def key_recovery(args, data_dir: Path) -> int:
    """`yici key recovery`: the person types the operator's name as the folder's settings have
    it; then the key is shown on the terminal (or written to --to-file), and the showing is kept
    in the audit. `--confirm`: the key is written down, stop showing it at every command."""
    from forms.store.keys import confirm_recovery_key, read_key_file, recovery_key

    if args.confirm:
        if read_key_file(data_dir) is None:
            raise CliError("这个数据文件夹还没有密钥。", "先运行一个命令（如 `yici status`）让一次建立数据。")
        confirm_recovery_key(data_dir)
        print("好的：恢复密钥已抄写或打印好，以后不再每次提醒。需要时可用 `yici key recovery` 再次查看。")
        return EXIT_OK
    target = Path(args.to_file).expanduser() if args.to_file else None
    if target is None and not sys.stdout.isatty():
        raise CliError(
            "恢复密钥只显示在终端（命令行窗口）里，不写进日志或别的程序的输出。",
            "请在终端里直接运行 `yici key recovery`，或用 `--to-file 文件` 写进一个文件（抄好后删除它）。",
        )
    if target is not None and target.exists():
        raise CliError(f"文件 {target} 已经存在，没有写入。", "请换一个新的文件名。")
    with open_session(data_dir, show_recovery=False) as session:
        who = session.operator.strip()
        if not who:
            raise CliError(
                "这个数据文件夹还没有保存录入人姓名，无法确认身份，没有显示恢复密钥。",
                "请先在一次窗口的“设置”里填写录入人（或用 `yici profile import` 导入写有录入人的"
                "部署配置），再运行这个命令。",
            )
        typed = read_line("显示恢复密钥前请确认身份：请输入设置里的录入人姓名：").strip()
        if typed != who:
            raise CliError("录入人姓名不符，没有显示恢复密钥。", "请由这台电脑的录入人本人操作。")
        text = recovery_key(session.data_dir)
        session.store.add_audit("recovery_key_shown", who)
    if target is not None:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text + "\n")
        err(f"恢复密钥已写入 {target}。请打印或抄写后删除这个文件，妥善保管恢复密钥。")
        return EXIT_OK
    print(text)
    err("这是这个数据文件夹的恢复密钥。请打印或抄写后妥善保管，不要和电脑放在一起，也不要发到群里。")
    err("抄好后请运行 `yici key recovery --confirm`（如果还没有确认过）。")
    return EXIT_OK


def key_unlock(args, data_dir: Path) -> int:
    """`yici key unlock --recovery-key`: open the folder with its recovery key and keep the key in
    this computer's keyring (or, without one, behind the passphrase given)."""
    from forms.store.keys import unlock_with_recovery

    passphrase = passphrase_from(args.passphrase_file)
    text = read_line("请输入恢复密钥（8 组，每组 4 个字母或数字）：")
    in_keyring = unlock_with_recovery(data_dir, text, passphrase)
    with open_session(data_dir) as session:
        records, branches = session.store.count_records(), len(session.store.branches())
    where = "系统钥匙串" if in_keyring else "口令（以后打开时输入，或用 YICI_PASSPHRASE_FILE 指定口令文件）"
    print(f"已用恢复密钥打开数据：支部 {branches} 个，记录 {records} 条。密钥已保存到这台电脑的{where}。")
    return EXIT_OK
