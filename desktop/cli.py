"""The `yici` command line: everything the app does, headless, for IT staff and scripts.

`yici` alone opens the desktop window; every other command works on the data folder without Qt
(PySide6 is imported only by desktop.app), so scripts start fast and run on servers.
Exit codes: 0 ok, 1 bad input, 2 usage error, 3 deliveries pending, 4 something needs attention.
The commands themselves live in desktop/cli_setup.py, desktop/cli_records.py,
desktop/cli_targets.py (targets), desktop/cli_sync.py (sync, deliveries) and
desktop/cli_deploy.py, and are imported only when run, so `--help` and `--version` load nothing
but the standard library (and forms/version.py, which needs nothing else).
"""
from __future__ import annotations

import argparse
import datetime
import importlib
import os
import re
import sys
import tempfile
import traceback
from pathlib import Path

from desktop.cli_output import STATUS_LABELS, err, use_utf8_streams
from desktop.cli_session import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, CliError
from forms.version import app_version

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
  yici sync --watch --interval 300"""

# argparse's own messages are English; these say the same in Chinese (most specific first).
_USAGE_MESSAGES = [
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)", r"参数 \1 的值 \2 无效，可选：\3"),
    (r"argument (.*?): expected one argument", r"参数 \1 后面需要跟一个值"),
    (r"argument (.*?): invalid int value: (.*)", r"参数 \1 的值 \2 不是整数"),
    (r"argument (.*?): invalid (\w+) value: (.*)", r"参数 \1 的值 \3 无效"),
    (r"argument (.*?): not allowed with argument (.*)", r"参数 \1 不能和 \2 一起使用"),
    (r"ambiguous option: (.*?) could match (.*)", r"选项 \1 有歧义，可能是：\2"),
    (r"argument (.*?): (.*)", r"参数 \1：\2"),
]


def translate_usage_error(message: str) -> str:
    """argparse's English error text in Chinese; unknown messages pass through unchanged."""
    for pattern, replacement in _USAGE_MESSAGES:
        if re.fullmatch(pattern, message, flags=re.S):
            return re.sub(pattern, replacement, message, flags=re.S)
    return message


_URL_QUERY_VALUE = re.compile(r"([?&][A-Za-z_]+=)[^&\s'\")]+")
_URL_HOOK_PATH = re.compile(r"(/hook/)[^/?\s'\")]+")


def mask_url_tokens(text: str) -> str:
    """Query values and /hook/ tokens of any URL in `text` as ***: a webhook pasted in the wrong
    place must not come back in an error message (same rule as sync.answers.mask_url_secrets,
    which would load requests just to print a usage error)."""
    return _URL_HOOK_PATH.sub(r"\1***", _URL_QUERY_VALUE.sub(r"\1***", text))


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Help with a Chinese `用法：` prefix; descriptions keep their line breaks."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _format_action(self, action):
        # List the commands themselves, without argparse's extra line naming their metavar.
        if isinstance(action, argparse._SubParsersAction):
            return "".join(self._format_action(a) for a in action._get_subactions())
        return super()._format_action(action)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese and exits 2 on a usage error."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message):
        self.print_usage(sys.stderr)
        message = mask_url_tokens(translate_usage_error(message))
        self.exit(EXIT_USAGE, f"用法错误：{message}\n"
                              f"运行 `{self.prog} --help` 查看用法。\n")


class _VersionAction(argparse.Action):
    """`--version`, looked up only when asked (reading package metadata is not free)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"yici {app_version('（未知版本）')}")
        parser.exit(EXIT_OK)


def _month(text: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError(f"月份 {text!r} 应写成 YYYY-MM，例如 2026-11")
    return text


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} 应是正整数")
    return int(text)


def _seconds(text: str) -> int:
    if not text.isdigit() or int(text) < 5:
        raise argparse.ArgumentTypeError(f"{text!r} 应是不少于 5 的秒数")
    return int(text)


def _status(text: str) -> str:
    # Accept the Chinese words the tables print as well as the stored ones.
    by_label = {label: key for key, label in STATUS_LABELS.items()}
    status = by_label.get(text, text)
    if status not in STATUS_LABELS:
        raise argparse.ArgumentTypeError(f"状态 {text!r} 无效，可选：{', '.join(STATUS_LABELS)}")
    return status


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree; each leaf names its handler as 'module:function'."""
    # Options every command accepts after its name as well as before it; SUPPRESS keeps a value
    # given before the command when it is not repeated after.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="数据文件夹")
    common.add_argument("--operator", metavar="NAME", default=argparse.SUPPRESS, help="录入人姓名")

    parser = _Parser(prog="yici", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("-V", "--version", action=_VersionAction, help="显示版本号并退出")
    parser.add_argument("--data-dir", metavar="DIR", default=None, help="数据文件夹")
    parser.add_argument("--operator", metavar="NAME", default=None, help="录入人姓名")
    commands = parser.add_subparsers(dest="command", title="命令", metavar="命令")

    def group(name: str, help: str):
        sub = commands.add_parser(name, help=help, description=help)
        return sub.add_subparsers(dest="action", title="操作", metavar="操作", required=True)

    def leaf(actions, name: str, handler: str, help: str, *, json: bool = False):
        sub = actions.add_parser(name, help=help, description=help, parents=[common])
        sub.set_defaults(handler=handler)
        if json:
            sub.add_argument("--json", action="store_true", help="以 JSON 输出，便于脚本处理")
        return sub

    forms = group("forms", "表单：查看、检查、安装表单定义")
    leaf(forms, "list", "desktop.cli_setup:forms_list", "列出可用的表单", json=True)
    p = leaf(forms, "check", "desktop.cli_setup:forms_check", "检查表单文件（YAML）有没有错误")
    p.add_argument("files", nargs="+", metavar="FILE", help="表单文件")
    p = leaf(forms, "add", "desktop.cli_setup:forms_add", "检查并安装一个表单（或表单的新版本）到数据文件夹")
    p.add_argument("file", metavar="FILE", help="表单文件")

    branches = group("branches", "支部：添加、列出")
    p = leaf(branches, "add", "desktop.cli_setup:branches_add", "添加支部")
    p.add_argument("name", metavar="NAME", help="支部名称")
    p.add_argument("--code", metavar="C", help="支部编号")
    p.add_argument("--secretary", metavar="NAME", help="支部书记姓名（同时加入名册）")
    leaf(branches, "list", "desktop.cli_setup:branches_list", "列出支部", json=True)

    members = group("members", "名册：添加、导入、列出支部成员")
    p = leaf(members, "add", "desktop.cli_setup:members_add", "把一个人加入支部名册")
    p.add_argument("branch", metavar="BRANCH", help="支部名称或编号")
    p.add_argument("name", metavar="NAME", help="姓名")
    p.add_argument("--role", metavar="R", default="党员", help="职务：书记、副书记、委员、党员、预备党员（默认党员）")
    p.add_argument("--phone", metavar="P", help="手机号码")
    p = leaf(members, "import", "desktop.cli_setup:members_import", "从 CSV 或 Excel 文件导入名册（有错则一条也不导入）")
    p.add_argument("branch", metavar="BRANCH", help="支部名称或编号")
    p.add_argument("file", metavar="FILE", help=".csv 或 .xlsx 文件")
    p = leaf(members, "list", "desktop.cli_setup:members_list", "列出支部名册", json=True)
    p.add_argument("branch", metavar="BRANCH", help="支部名称或编号")

    records = group("records", "记录：新建、修改草稿、定稿、更正、作废、删除草稿、列出、查看")

    def values_options(p):
        p.add_argument("--data", metavar="FILE|-", help="字段值，JSON 对象（文件路径，或 - 表示从标准输入读取）")
        p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                       help="设置一个字段的值，可重复")

    p = leaf(records, "new", "desktop.cli_records:new", "新建一条记录，只输出它的编号（UUID）")
    p.add_argument("form", metavar="FORM", help="表单 id，例如 sanhui-yike")
    p.add_argument("--branch", required=True, metavar="B", help="支部名称或编号")
    values_options(p)
    p.add_argument("--final", action="store_true", help="直接定稿（有错误则不保存）")
    p = leaf(records, "edit", "desktop.cli_records:edit", "修改草稿的字段值")
    p.add_argument("uuid", metavar="UUID", help="记录编号（可用前 8 位以上）")
    values_options(p)
    p = leaf(records, "finalize", "desktop.cli_records:finalize", "把草稿定稿")
    p.add_argument("uuid", metavar="UUID", help="记录编号（可用前 8 位以上）")
    p = leaf(records, "correct", "desktop.cli_records:correct", "更正已定稿的记录（生成新的修订版本）")
    p.add_argument("uuid", metavar="UUID", help="记录编号")
    values_options(p)
    p.add_argument("--note", default="", metavar="TEXT", help="更正说明")
    p = leaf(records, "void", "desktop.cli_records:void", "作废记录（保留在库中）")
    p.add_argument("uuid", metavar="UUID", help="记录编号")
    p.add_argument("--reason", required=True, metavar="TEXT", help="作废原因")
    p = leaf(records, "delete", "desktop.cli_records:delete", "删除草稿（已定稿的记录只能作废）")
    p.add_argument("uuid", metavar="UUID", help="记录编号")
    p = leaf(records, "list", "desktop.cli_records:list_", "列出记录，最新的在前", json=True)
    p.add_argument("--branch", metavar="B", help="支部名称或编号")
    p.add_argument("--form", metavar="F", help="表单 id")
    p.add_argument("--status", type=_status, metavar="S", help="状态：draft 草稿、final 已定稿、void 已作废")
    p.add_argument("--month", type=_month, metavar="YYYY-MM", help="开会/走访所在的月份")
    p.add_argument("--text", metavar="T", help="包含这段文字")
    p.add_argument("--limit", type=_positive, default=100, metavar="N", help="最多显示几条（默认 100）")
    p = leaf(records, "show", "desktop.cli_records:show", "查看一条记录：字段、修订历史、操作记录", json=True)
    p.add_argument("uuid", metavar="UUID", help="记录编号（可用前 8 位以上）")

    targets = group("targets", "平台：添加、修改、保存密钥、测试、删除要送达的平台")

    def target_options(p):
        p.add_argument("--url", metavar="U", help="平台接口地址（仅 rest；群机器人的 Webhook 地址是密钥，"
                                                  "请用 `targets secret` 保存）")
        p.add_argument("--forms", metavar="F,..", help="只发送这些表单（id 或名称，逗号分隔；空 = 全部）")
        p.add_argument("--branches", metavar="B,..", help="只发送这些支部（名称或编号，逗号分隔；空 = 全部）")
        p.add_argument("--template", metavar="FILE", help="消息/请求体模板（Jinja2，UTF-8 文件）")
        p.add_argument("--option", dest="options", action="append", default=[], metavar="K=V",
                       help="平台设置，可重复，例如 --option auth=bearer、--option keyword=党建")

    p = leaf(targets, "add", "desktop.cli_targets:targets_add", "添加一个平台（不含密钥）")
    p.add_argument("name", metavar="NAME", help="平台名称（自己起，例如 镇党委钉钉群）")
    p.add_argument("--kind", required=True, metavar="K",
                   help="类型：rest（平台接口）、dingtalk（钉钉）、wecom（企业微信）、feishu（飞书）、xlsx（Excel 导入文件）")
    target_options(p)
    p = leaf(targets, "edit", "desktop.cli_targets:targets_edit",
             "修改平台设置（同时解除“需要处理”状态）；--option K= 删除该设置")
    p.add_argument("name", metavar="NAME", help="平台名称")
    target_options(p)
    switch = p.add_mutually_exclusive_group()
    switch.add_argument("--enable", action="store_true", help="启用")
    switch.add_argument("--disable", action="store_true", help="停用（同步时跳过）")
    leaf(targets, "list", "desktop.cli_targets:targets_list", "列出平台：设置、状态、密钥是否已设置、推送数", json=True)
    p = leaf(targets, "secret", "desktop.cli_targets:targets_secret",
             "从标准输入读取一个密钥，保存到系统钥匙串（不会写入数据文件夹）")
    p.add_argument("target", metavar="NAME", help="平台名称")
    p.add_argument("--name", dest="secret_name", metavar="KEY",
                   help="密钥名称：webhook、sign_secret（机器人）；token、api_key、app_secret（rest）。默认为该平台必需的那个")
    # Catches a secret typed on the command line, so it is refused without being echoed back.
    p.add_argument("typed", nargs="*", help=argparse.SUPPRESS)
    p = leaf(targets, "test", "desktop.cli_targets:targets_test", "发一条测试消息，显示平台的回复")
    p.add_argument("name", metavar="NAME", help="平台名称")
    p = leaf(targets, "remove", "desktop.cli_targets:targets_remove", "删除平台（未发出的推送取消，密钥从钥匙串删除）")
    p.add_argument("name", metavar="NAME", help="平台名称")
    p = leaf(targets, "queue", "desktop.cli_targets:targets_queue", "把已定稿的记录排队发往这个平台（新加的平台补发）")
    p.add_argument("name", metavar="NAME", help="平台名称")

    p = commands.add_parser("sync", help="立即发送待发送的记录，并显示结果", parents=[common],
                            description="立即发送待发送的记录，并显示每个平台的结果。"
                                        "退出码：0 全部送达，3 还有待发送，4 有需要处理的问题。")
    p.set_defaults(handler="desktop.cli_sync:sync")
    p.add_argument("--target", metavar="NAME", help="只同步这个平台")
    p.add_argument("--watch", action="store_true", help="持续运行：之后每隔 --interval 秒自动同步，按 Ctrl+C 停止")
    p.add_argument("--interval", type=_seconds, default=60, metavar="SECONDS", help="--watch 的间隔秒数（默认 60）")

    deliveries = group("deliveries", "推送：查看、重新发送、标记已送达、确认已上传导入文件")
    p = leaf(deliveries, "list", "desktop.cli_sync:deliveries_list", "列出推送，最新的在前", json=True)
    p.add_argument("--state", metavar="S", help="状态：pending 待发送、failed 失败、uncertain 可能已发送、"
                                                "awaiting_upload 待上传、delivered 已送达 等")
    p.add_argument("--target", metavar="T", help="平台名称")
    p.add_argument("--record", metavar="UUID", help="记录编号")
    p.add_argument("--limit", type=_positive, default=100, metavar="N", help="最多显示几条（默认 100）")
    p = leaf(deliveries, "resend", "desktop.cli_sync:deliveries_resend", "重新发送一条推送（失败或可能已发送的）")
    p.add_argument("id", type=_positive, metavar="ID", help="推送编号（见 deliveries list）")
    p = leaf(deliveries, "mark-delivered", "desktop.cli_sync:deliveries_mark_delivered",
             "确认一条推送已送达（可能已发送的机器人消息、已上传的 Excel 行）")
    p.add_argument("id", type=_positive, metavar="ID", help="推送编号（见 deliveries list）")
    p = leaf(deliveries, "confirm-upload", "desktop.cli_sync:deliveries_confirm_upload",
             "Excel 导入文件已上传到平台：其中的记录标记为已送达，之后的记录写入新文件")
    p.add_argument("target", metavar="TARGET", help="平台名称（xlsx 类型）")
    p.add_argument("--file", metavar="FILE", help="已上传的导入文件（默认：当前的导入文件）")

    # profile export|import, backup, restore, export, import (stdlib-only module; handlers lazy)
    from desktop.cli_deploy import add_commands as add_deploy_commands
    add_deploy_commands(commands, group, leaf, common)

    p = commands.add_parser("status", help="各状态的记录数（以及各平台的发送情况）",
                            description="各状态的记录数（以及各平台的发送情况）", parents=[common])
    p.set_defaults(handler="desktop.cli_setup:status")
    p.add_argument("--json", action="store_true", help="以 JSON 输出，便于脚本处理")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code (the console script passes it to sys.exit)."""
    use_utf8_streams()
    args = build_parser().parse_args(argv)
    data_dir = None
    try:
        from forms.datafolder import resolve_data_dir
        from sync.kinds import install as install_target_kinds  # here: --help loads no sync/

        install_target_kinds()   # forms/ learns the target kinds (forms/target_kinds.py)
        data_dir = resolve_data_dir(args.data_dir)
        if args.command is None:
            return open_window(data_dir)
        module, name = args.handler.split(":")
        return getattr(importlib.import_module(module), name)(args, data_dir)
    except BrokenPipeError:
        # The reader stopped early (`yici records list | head`): nothing to report. Point stdout
        # at devnull so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        err("已中断。")
        return 130
    except Exception as exc:  # the last line of defence: a message, never a traceback
        message = user_message(exc)
        if message is None:
            return report_crash(exc, data_dir, sys.argv[1:] if argv is None else argv)
        err(message)
        return exc.code if isinstance(exc, CliError) else EXIT_BAD_INPUT


def open_window(data_dir: Path) -> int:
    """`yici` with no command: the desktop app, the only path that imports Qt."""
    display = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    if sys.platform.startswith("linux") and not any(os.environ.get(name) for name in display):
        # Qt would abort the process without a word; say it in Chinese instead.
        err("没有图形界面（找不到显示器），无法打开桌面窗口。",
            "在服务器或远程终端上请使用命令行：运行 `yici --help` 查看命令。")
        return EXIT_BAD_INPUT
    try:
        from desktop.app import run
    except ImportError as exc:
        err(f"无法打开桌面窗口：{exc}",
            "桌面界面没有安装完整（或缺少 Qt）。命令行仍可使用：运行 `yici --help` 查看命令。")
        return EXIT_BAD_INPUT
    return run(data_dir)


_OS_ERRORS = [(FileNotFoundError, "找不到文件"), (PermissionError, "没有权限"),
              (IsADirectoryError, "这是文件夹，不是文件")]


def user_message(exc: BaseException) -> str | None:
    """The Chinese message for an error caused by the input or the data folder, else None.

    Errors raised by forms/ (StoreError, FormProblem, RecordInvalid, UnknownForm, ...) carry a
    message written for the user; so do our own CliError and the file and value errors below.
    """
    if isinstance(exc, UnicodeDecodeError):
        return "文件不是 UTF-8 编码的文本。请用记事本等另存为 UTF-8 后再试。/ The file is not UTF-8 text."
    if isinstance(exc, OSError):
        what = next((text for kind, text in _OS_ERRORS if isinstance(exc, kind)), "文件操作失败")
        where = f"：{exc.filename}" if exc.filename else ""
        return f"{what}{where}（{exc.strerror or exc}）。请检查路径和权限后再试。"
    module = type(exc).__module__ or ""
    if isinstance(exc, (ValueError, CliError)) or module.startswith("forms."):
        text = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        return str(text) or f"输入有误（{type(exc).__name__}）。"
    return None


def report_crash(exc: BaseException, data_dir: Path | None, argv: list[str]) -> int:
    """An unexpected error: a short Chinese note on stderr, the traceback in the log file."""
    log = Path(data_dir or tempfile.gettempdir()) / "logs" / "yici-cli.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as f:
            from sync.masking import mask_url_secrets   # argv or the error may hold a URL token
            f.write(mask_url_secrets(f"--- {datetime.datetime.now().isoformat(timespec='seconds')} "
                                     f"yici {app_version('（未知版本）')} {argv!r}\n"))
            f.write(mask_url_secrets("".join(traceback.format_exception(exc))))
        where = f"详细信息已写入日志文件 {log}"
    except OSError:
        where = "日志文件也无法写入"
    from sync.masking import mask_url_secrets
    err(f"出错了：程序内部错误（{type(exc).__name__}: {mask_url_secrets(str(exc))}）。",
        f"{where}，请把它发给技术支持人员。/ Internal error; see the log file.")
    return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
