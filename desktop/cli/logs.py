"""The command line's log file, <data folder>/logs/yici-cli.log: the delivery engine's log lines
and the crash reports, with every URL token masked, never on the person's screen in English.
"""

from __future__ import annotations

from pathlib import Path

LOG_NAME = "yici-cli.log"


def log_path(data_dir: Path | str) -> Path:
    """Where the command line logs for this data folder."""
    return Path(data_dir) / "logs" / LOG_NAME


def log_to_file(data_dir: Path) -> None:
    """Send the engine's log lines (targets stopped, recoveries, a kind's bug) to the log file."""
    # Here, not at the top, for start-up speed: every command loads this module, few log.
    import logging
    import logging.handlers

    from forms.secrecy import MaskingFormatter

    logger = logging.getLogger("yici")
    if logger.handlers:
        return
    try:
        path = log_path(data_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
