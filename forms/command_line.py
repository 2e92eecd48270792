"""argparse in Chinese, for both command lines (`yici` and the hub's `yici-hub`): help headings,
a `用法：` line, and usage errors that say what is wrong in Chinese, hide any secret typed into a
URL, and exit 2. Standard library only at import: `--help` must stay quick.
"""

from __future__ import annotations

import argparse
import re
import sys

EXIT_USAGE = 2

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
        # A webhook or a database URL pasted in the wrong place must not come back in the message.
        message = mask_url_secrets(translate_usage_error(message))
        self.exit(EXIT_USAGE, f"用法错误：{message}\n运行 `{self.prog} --help` 查看用法。\n")
