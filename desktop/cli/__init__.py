"""The `yici` command line: everything the app does, headless, for IT staff and scripts.

`yici` alone opens the desktop window; every other command works on the data folder without Qt
(PySide6 is imported only by desktop.app, for the window), so scripts start fast and run on
servers. Exit codes: 0 ok, 1 bad input, 2 usage error, 3 deliveries pending, 4 something needs
attention (exits.py).

One module per command group, named after the command, each adding its own commands to the
parser (`add_commands`) and holding their handlers, `handler(args, data_dir) -> exit code`:
forms.py, branches.py (branches, members), records.py (reading a record aloud: record_text.py;
reading what is typed for one: record_input.py; printing one: paper_output.py), book.py (the 台账
PDF, also through paper_output.py), targets.py (reading what is typed for a target:
target_input.py; what it still needs: target_status.py; its test: target_test.py), sync.py,
deliveries.py, copying.py (`yici copy`: typing a record into a platform by hand), browsing.py
(`yici browser`: Yici filling a platform's web form; the person at the terminal:
browser_person.py), deploy.py
(profile, backup, restore, export, import), status.py, hub.py (the township hub). What they
share lives in usage.py (parser, option values), output.py (tables, JSON, stderr), exits.py
(exit codes, errors, crash report), context.py (the open data folder, lookups), logs.py and
delivery_status.py; no command module imports another. Imports are absolute, so inside this
package `forms.…` and `sync.…` are always the core packages. Building the parser loads only the
standard library, these modules and forms/version.py: each handler imports forms/ and sync/ when
it runs, so `--help` and `--version` stay quick. `yici` alone (the window) builds no parser and
loads no command module.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.output import err, use_utf8_streams

if TYPE_CHECKING:
    import argparse

DESCRIPTION = "一次 Yici：离线录入一次，联网后送达各个平台。不带命令运行时打开桌面窗口。"
EPILOG = """\
数据文件夹：--data-dir，否则环境变量 YICI_DATA_DIR，否则程序旁的 yici-data 文件夹，否则用户数据目录。
录入人：--operator，否则环境变量 YICI_OPERATOR，否则设置里的录入人，否则系统登录名。
退出码：0 成功，1 输入有误，2 用法错误，3 还有待发送的记录，4 有需要处理的问题。
例子：
  yici branches add 红星村党支部 --secretary 张三
  yici members import 红星村党支部 名册.xlsx
  yici records new sanhui-yike --branch 红星村党支部 --data 会议.json --final
  yici records list --month 2026-11 --json
  yici targets add 镇党委钉钉群 --kind dingtalk --forms sanhui-yike
  yici targets secret 镇党委钉钉群 --name webhook < webhook.txt
  yici sync --watch --interval 300
  yici hub join https://10.1.2.3:8470 --code K7QX-4MCT-HW9A-R3PD"""

# What `yici` with no command accepts (the window); anything else goes through the parser.
WINDOW_OPTIONS = ("--data-dir", "--operator")


def command_modules() -> tuple:
    """The command modules, in the order `yici --help` lists them."""
    from desktop.cli import (
        book,
        branches,
        browsing,
        copying,
        deliveries,
        deploy,
        forms,
        hub,
        keys,
        photos,
        records,
        status,
        sync,
        targets,
    )

    return (
        forms,
        branches,
        records,
        book,
        targets,
        sync,
        deliveries,
        copying,
        browsing,
        deploy,
        status,
        hub,
        photos,
        keys,
    )


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree; each leaf names its handler as 'module:function'."""
    import argparse

    from desktop.cli.usage import CommandTree, VersionAction
    from forms.command_line import Parser

    # Options every command accepts after its name as well as before it; SUPPRESS keeps a value
    # given before the command when it is not repeated after.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="数据文件夹")
    common.add_argument("--operator", metavar="NAME", default=argparse.SUPPRESS, help="录入人姓名")

    parser = Parser(prog="yici", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("-V", "--version", action=VersionAction, help="显示版本号并退出")
    parser.add_argument("--data-dir", metavar="DIR", default=None, help="数据文件夹")
    parser.add_argument("--operator", metavar="NAME", default=None, help="录入人姓名")
    tree = CommandTree(parser.add_subparsers(dest="command", title="命令", metavar="命令"), common)
    for module in command_modules():
        module.add_commands(tree)
    return parser


def window_options(argv: list[str]) -> dict[str, str] | None:
    """The options of `yici` opening the window (only --data-dir and --operator, as `NAME VALUE`
    or `NAME=VALUE`), or None when `argv` holds anything else (a command, --help, a mistake):
    then the full parser reads it. The window thus starts without building the command tree."""
    found: dict[str, str] = {}
    rest = list(argv)
    while rest:
        name, equals, value = rest.pop(0).partition("=")
        if name not in WINDOW_OPTIONS:
            return None
        if not equals:
            if not rest or rest[0].startswith("-"):
                return None  # the parser says what is missing
            value = rest.pop(0)
        found[name[2:].replace("-", "_")] = value
    return found


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code (the console script passes it to sys.exit)."""
    use_utf8_streams()
    window = window_options(sys.argv[1:] if argv is None else argv)
    data_dir = None
    try:
        # Inside the `try`: Ctrl+C or SIGTERM while the parser is being built says 已中断 too.
        args = build_parser().parse_args(argv) if window is None else None
        from forms.datafolder import resolve_data_dir

        # The window installs the target kinds itself, after its first paint.
        if window is not None:
            data_dir = resolve_data_dir(window.get("data_dir"))
            return open_window(data_dir)
        assert args is not None
        if args.command is None:
            data_dir = resolve_data_dir(args.data_dir)
            return open_window(data_dir)
        from desktop.cli.context import ask_at_terminal, require_data_for
        from forms.store.keys import set_asker
        from sync.kinds import install as install_target_kinds  # here: --help loads no sync/

        install_target_kinds()  # forms/ learns the target kinds (forms/target_kinds.py)
        set_asker(ask_at_terminal)  # without a keyring, the data folder's passphrase

        data_dir = resolve_data_dir(args.data_dir)
        require_data_for(args.handler, data_dir)
        module, name = args.handler.split(":")
        return getattr(importlib.import_module(module), name)(args, data_dir)
    except BrokenPipeError:
        from desktop.cli.exits import EXIT_OK

        # The reader stopped early (`yici records list | head`): nothing to report. Point stdout
        # at devnull so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        from desktop.cli.exits import EXIT_INTERRUPTED

        err("已中断。")
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last line of defence: a message, never a traceback
        from desktop.cli.exits import EXIT_ATTENTION, failed

        code = failed(exc, data_dir, sys.argv[1:] if argv is None else argv)
        # A database refused or found damaged needs a person: exit 4, like other attention.
        return EXIT_ATTENTION if getattr(exc, "needs_attention", False) else code


def open_window(data_dir: Path) -> int:
    """`yici` with no command: the desktop app, the only path that imports Qt."""
    from desktop.cli.exits import EXIT_BAD_INPUT

    display = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    if sys.platform.startswith("linux") and not any(os.environ.get(name) for name in display):
        # Qt would abort the process without a word; say it in Chinese instead.
        err(
            "没有图形界面（找不到显示器），无法打开桌面窗口。",
            "在服务器或远程终端上请使用命令行：运行 `yici --help` 查看命令。",
        )
        return EXIT_BAD_INPUT
    try:
        from desktop.app import run
    except ImportError as exc:
        err(
            f"无法打开桌面窗口：{exc}",
            "桌面界面没有安装完整（或缺少 Qt）。命令行仍可使用：运行 `yici --help` 查看命令。",
        )
        return EXIT_BAD_INPUT
    return run(data_dir)
