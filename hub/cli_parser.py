"""argparse in Chinese for `yici-hub`: help headings, usage errors that exit 2 and say what is
wrong in Chinese (the same wording as the desktop's `yici`, which hub/ must not import)."""

from __future__ import annotations

import argparse
import re
import sys

from forms.secrecy import mask_url_secrets

EXIT_USAGE = 2

_MESSAGES = [
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)", r"参数 \1 的值 \2 无效，可选：\3"),
    (r"argument (.*?): expected one argument", r"参数 \1 后面需要跟一个值"),
    (r"argument (.*?): invalid int value: (.*)", r"参数 \1 的值 \2 不是整数"),
    (r"argument (.*?): (.*)", r"参数 \1：\2"),
]


def chinese(message: str) -> str:
    """argparse's English error text in Chinese; unknown messages pass through unchanged."""
    for pattern, replacement in _MESSAGES:
        if re.fullmatch(pattern, message, flags=re.S):
            return re.sub(pattern, replacement, message, flags=re.S)
    return message


class Formatter(argparse.RawDescriptionHelpFormatter):
    """Help with a Chinese `用法：` prefix; descriptions keep their line breaks."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


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
        self.print_usage(sys.stderr)
        # A database URL with its password typed in the wrong place must not be echoed back.
        self.exit(
            EXIT_USAGE,
            f"用法错误：{mask_url_secrets(chinese(message))}\n运行 `{self.prog} --help` 查看用法。\n",
        )
