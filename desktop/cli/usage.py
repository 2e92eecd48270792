"""The parser machinery every command module uses: argparse in Chinese (help, usage errors that
exit 2, `--version`), the values options take (a month, a count, a record state), and
`CommandTree`, through which each command module adds its commands to `yici`.

Standard library only at import (plus forms/version.py, which needs nothing else): `--help`
and `--version` load nothing heavier.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from desktop.cli.exits import EXIT_OK, EXIT_USAGE
from desktop.cli.output import STATUS_LABELS
from forms.version import app_version

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


class Formatter(argparse.RawDescriptionHelpFormatter):
    """Help with a Chinese `用法：` prefix; descriptions keep their line breaks."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _format_action(self, action):
        # List the commands themselves, without argparse's extra line naming their metavar.
        if isinstance(action, argparse._SubParsersAction):
            return "".join(self._format_action(a) for a in action._get_subactions())
        return super()._format_action(action)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese and exits 2 on a usage error."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message):
        # Only now, on a usage error: the masking module is not needed to parse a good command.
        from forms.secrecy import mask_url_secrets

        self.print_usage(sys.stderr)
        # A webhook pasted in the wrong place must not come back in the error message.
        message = mask_url_secrets(translate_usage_error(message))
        self.exit(EXIT_USAGE, f"用法错误：{message}\n运行 `{self.prog} --help` 查看用法。\n")


class VersionAction(argparse.Action):
    """`--version`, looked up only when asked (reading package metadata is not free)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"yici {app_version('（未知版本）')}")
        parser.exit(EXIT_OK)


# --- the values options take ------------------------------------------------------------------------


def month(text: str) -> str:
    """`--month`: YYYY-MM."""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError(f"月份 {text!r} 应写成 YYYY-MM，例如 2026-11")
    return text


def positive(text: str) -> int:
    """A count or an id: a whole number from 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} 应是正整数")
    return int(text)


def seconds(text: str) -> int:
    """An interval: at least 5 seconds."""
    if not text.isdigit() or int(text) < 5:
        raise argparse.ArgumentTypeError(f"{text!r} 应是不少于 5 的秒数")
    return int(text)


def record_status(text: str) -> str:
    """A record state as stored, or in the Chinese words the tables print."""
    by_label = {label: key for key, label in STATUS_LABELS.items()}
    status = by_label.get(text, text)
    if status not in STATUS_LABELS:
        raise argparse.ArgumentTypeError(f"状态 {text!r} 无效，可选：{', '.join(STATUS_LABELS)}")
    return status


# --- the command tree ---------------------------------------------------------------------------------

# `handler(args, data_dir)`: the parsed command and the data folder it works on.
Handler = Callable[[argparse.Namespace, Path], int]


class CommandTree:
    """Adds commands to `yici`: groups (`yici records ...`) with their actions, and single commands
    (`yici sync`). Every command accepts --data-dir and --operator after its name too."""

    def __init__(self, commands, common: argparse.ArgumentParser):
        self.commands = commands
        self.common = common

    def group(self, name: str, help: str):
        """A command group; add its actions with `action(group, ...)`."""
        sub = self.commands.add_parser(name, help=help, description=help)
        return sub.add_subparsers(dest="action", title="操作", metavar="操作", required=True)

    def action(self, group, name: str, handler: Handler, help: str, *, json: bool = False):
        """One action of a group (`yici records new`), run by `handler(args, data_dir)`."""
        return self._runs(
            group.add_parser(name, help=help, description=help, parents=[self.common]), handler, json
        )

    def command(
        self, name: str, handler: Handler, help: str, *, description: str | None = None, json: bool = False
    ):
        """A command without actions (`yici sync`), run by `handler(args, data_dir)`."""
        sub = self.commands.add_parser(
            name, help=help, description=description or help, parents=[self.common]
        )
        return self._runs(sub, handler, json)

    @staticmethod
    def _runs(parser: argparse.ArgumentParser, handler: Handler, json: bool):
        # Named "module:function" rather than held: the frozen-app check lists every handler's
        # module from the parser (tests/packaging/test_bundle.py).
        parser.set_defaults(handler=f"{handler.__module__}:{handler.__name__}")
        if json:
            parser.add_argument("--json", action="store_true", help="以 JSON 输出，便于脚本处理")
        return parser
