"""`yici key recovery | unlock`: the data folder's recovery key shown again after confirming the
operator, and a folder opened with it where this computer's keyring has no key for it.

The recovery key is read from the terminal or standard input, never from the command line
(shell history, the process list). forms/ modules are imported inside the handlers.
"""

from __future__ import annotations

import sys
from pathlib import Path

from desktop.cli.context import open_session, operator, passphrase_from
from desktop.cli.exits import EXIT_OK, CliError
from desktop.cli.output import err
from desktop.cli.usage import CommandTree


def add_commands(tree: CommandTree) -> None:
    """Register `key recovery` and `key unlock`."""
    key = tree.group("key", "数据加密的密钥：查看恢复密钥，凭恢复密钥在这台电脑上打开数据")
    tree.action(key, "recovery", key_recovery, "确认录入人后再次显示恢复密钥（请打印保存）")
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
        help="这台电脑没有系统钥匙串时：以后打开数据用的口令，从这个文件读入",
    )


def _line(prompt: str) -> str:
    if sys.stdin.isatty():
        return input(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def key_recovery(args, data_dir: Path) -> int:
    """`yici key recovery`: the person types the operator's name; then the key is shown, and the
    showing is kept in the audit."""
    from forms.store.keys import recovery_key

    with open_session(data_dir) as session:
        who = operator(args, session)
        typed = _line(f"显示恢复密钥前请确认身份：请输入录入人姓名（{who[:1]}…）：").strip()
        if typed != who:
            raise CliError("录入人姓名不符，没有显示恢复密钥。", "请由这台电脑的录入人本人操作。")
        text = recovery_key(session.data_dir)
        session.store.add_audit("recovery_key_shown", who)
    print(text)
    err("这是这个数据文件夹的恢复密钥。请打印或抄写后妥善保管，不要和电脑放在一起，也不要发到群里。")
    return EXIT_OK


def key_unlock(args, data_dir: Path) -> int:
    """`yici key unlock --recovery-key`: open the folder with its recovery key and keep the key in
    this computer's keyring (or, without one, behind the passphrase given)."""
    from forms.store.keys import unlock_with_recovery

    passphrase = passphrase_from(args.passphrase_file)
    text = _line("请输入恢复密钥（8 组，每组 4 个字母或数字）：")
    in_keyring = unlock_with_recovery(data_dir, text, passphrase)
    with open_session(data_dir) as session:
        records, branches = session.store.count_records(), len(session.store.branches())
    where = "系统钥匙串" if in_keyring else "口令（以后打开时输入，或用 YICI_PASSPHRASE_FILE 指定口令文件）"
    print(f"已用恢复密钥打开数据：支部 {branches} 个，记录 {records} 条。密钥已保存到这台电脑的{where}。")
    return EXIT_OK
