"""How a command ends: the exit codes scripts rely on, the error that carries a message for the
person, and what becomes of any other error (a message, or a crash report in the log file).

Standard library only at import: every command, `--help` included, loads it.
"""

from __future__ import annotations

import datetime
import tempfile
import traceback
from pathlib import Path

from desktop.cli.logs import log_path
from desktop.cli.output import err
from desktop.failures import UserError, user_message
from forms.version import app_version

# Exit codes scripts can rely on (DESIGN §8); 130 is the shell's own code for Ctrl+C.
EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_PENDING, EXIT_ATTENTION = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130


class CliError(UserError):
    """Bad input, with the Chinese message to print; exits with `code` (1 unless said otherwise)."""

    def __init__(self, *lines: str, code: int = EXIT_BAD_INPUT):
        super().__init__("\n".join(lines))
        self.code = code


def failed(exc: Exception, data_dir: Path | None, argv: list[str]) -> int:
    """Tell the person what went wrong and return the exit code; a bug gets a crash report."""
    message = user_message(exc)
    if message is None:
        return report_crash(exc, data_dir, argv)
    err(message)
    return exc.code if isinstance(exc, CliError) else EXIT_BAD_INPUT


def report_crash(exc: BaseException, data_dir: Path | None, argv: list[str]) -> int:
    """An unexpected error: a short Chinese note on stderr, the traceback in the log file."""
    from forms.secrecy import mask_url_secrets  # only on a crash: start-up stays quick

    log = log_path(data_dir or tempfile.gettempdir())
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as f:
            # argv or the error may hold a URL token
            f.write(
                mask_url_secrets(
                    f"--- {datetime.datetime.now().isoformat(timespec='seconds')} "
                    f"yici {app_version('（未知版本）')} {argv!r}\n"
                )
            )
            f.write(mask_url_secrets("".join(traceback.format_exception(exc))))
        where = f"详细信息已写入日志文件 {log}"
    except OSError:
        where = "日志文件也无法写入"
    err(
        f"出错了：程序内部错误（{type(exc).__name__}: {mask_url_secrets(str(exc))}）。",
        f"{where}，请把它发给技术支持人员。/ Internal error; see the log file.",
    )
    return EXIT_BAD_INPUT
