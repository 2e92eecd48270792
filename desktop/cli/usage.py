"""The parser machinery every command module uses: argparse in Chinese (forms/command_line.py,
shared with the hub), `--version`, the values options take (a month, a count, a record state), and
`CommandTree`, through which each command module adds its commands to `yici`.

Standard library only at import (plus forms/version.py, which needs nothing else): `--help`
and `--version` load nothing heavier.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path

from desktop.cli.exits import EXIT_OK
from desktop.cli.output import STATUS_LABELS
from forms.version import app_version


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
