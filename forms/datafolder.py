"""Where the data folder is (DESIGN §6): one place decides, so the shells and tests agree."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

ENV_VAR = "YICI_DATA_DIR"
PORTABLE_FOLDER = "yici-data"


def resolve_data_dir(explicit: str | Path | None = None) -> Path:
    """The data folder: `explicit`, else $YICI_DATA_DIR, else a `yici-data` folder beside the
    program (portable mode, e.g. on a USB stick), else the user's data folder.

    The folder is not created here; `Store.open` creates it when it first writes.
    """
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    program_dir = _program_dir()
    if program_dir is not None and (program_dir / PORTABLE_FOLDER).is_dir():
        return program_dir / PORTABLE_FOLDER
    return Path(platformdirs.user_data_dir("Yici", appauthor=False))


def _program_dir() -> Path | None:
    """The folder holding the program: the executable when frozen (PyInstaller), else the
    launching script's folder (`sys.argv[0]`); None when run as `python -c`/`-m` or embedded."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    script = sys.argv[0] if sys.argv else ""
    if not script or script in ("-c", "-m") or not Path(script).exists():
        return None
    return Path(script).resolve().parent
