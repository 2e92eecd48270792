"""The person at the terminal during a browser run or a recipe trial: progress lines on stderr,
pauses answered with Enter (q stops), and the closing report.

Without a terminal to answer on, a pause stops the run with a clear message: a captcha or a USB
key needs someone at the laptop.
"""

from __future__ import annotations

import sys

from desktop.cli.output import err


class TerminalPerson:
    """`Person` for sync/browser/session.py, speaking through stdin/stderr."""

    def __init__(self) -> None:
        self.said_no_terminal = False

    def say(self, text: str) -> None:
        err(f"… {text}")

    def pause(self, text: str) -> bool:
        if not sys.stdin or not sys.stdin.isatty():
            err(f"需要有人在浏览器中操作：{text}")
            err("这里没有可以回答的终端，录入已停止。请在有人值守时运行（终端里按回车继续）。")
            self.said_no_terminal = True
            return False
        err(f"➤ {text}")
        try:
            answer = input("完成后按回车继续（输入 q 回车停止）：")
        except EOFError:
            return False
        return answer.strip().lower() not in ("q", "quit", "停止")

    def stopped(self) -> bool:
        """Ctrl+C is how a person stops at the terminal: nothing to poll."""
        return False
