"""Where the data folder is (DESIGN §6), and whether a folder can be one: one place decides, so
the shells and tests agree."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from forms.i18n import tr

ENV_VAR = "YICI_DATA_DIR"
PORTABLE_FOLDER = "yici-data"


def resolve_data_dir(explicit: str | Path | None = None) -> Path:
    """The data folder: `explicit`, else $YICI_DATA_DIR, else a `yici-data` folder beside the
    program (portable mode, e.g. on a USB stick), else the user's data folder.

    The folder is not created here; `Store.open` creates it when it first writes (after
    `folder_problem` found nothing wrong with it).
    """
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    program_dir = _program_dir()
    if program_dir is not None and (program_dir / PORTABLE_FOLDER).is_dir():
        return program_dir / PORTABLE_FOLDER
    import platformdirs  # here: ~5 ms, and a folder named on the command line never needs it

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


# Folders of the operating system: never a data folder, nor anything inside them.
_SYSTEM_TREES_POSIX = (
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/proc",
    "/sbin",
    "/sys",
    "/usr",
    "/System",
    "/private/etc",
    "/private/var/db",
)
# Folders that hold other things: never a data folder themselves (a folder inside is fine, e.g.
# /var/lib/yici, /opt/yici/yici-data, /run/media/USER/STICK).
_SYSTEM_FOLDERS_POSIX = (
    "/var",
    "/opt",
    "/run",
    "/srv",
    "/home",
    "/root",
    "/tmp",
    "/mnt",
    "/media",
    "/Users",
    "/Library",
    "/Applications",
    "/Volumes",
    "/private",
    "/var/lib",
)


def _windows_folders() -> tuple[list[str], list[str]]:
    env = os.environ
    trees = [env.get("SystemRoot") or env.get("windir") or r"C:\Windows"]
    folders = [
        env.get(name) or default
        for name, default in (
            ("ProgramFiles", r"C:\Program Files"),
            ("ProgramFiles(x86)", r"C:\Program Files (x86)"),
            ("ProgramData", r"C:\ProgramData"),
        )
    ] + [r"C:\Users"]
    return trees, folders


def system_folder(path: str | Path) -> bool:
    """True for the root of a drive, the person's home folder itself, or a folder of the
    operating system (/etc, /usr, C:\\Windows and what is inside them, /var, Program Files …)."""
    path = Path(os.path.abspath(Path(path).expanduser()))
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        resolved = path
    candidates = {path, resolved}
    if os.name == "nt":
        trees, folders = _windows_folders()
        norm = {os.path.normcase(str(p)).rstrip("\\") for p in candidates}
        tree_names = [os.path.normcase(t).rstrip("\\") for t in trees]
        folder_names = {os.path.normcase(f).rstrip("\\") for f in folders}
        if any(n in folder_names or any(n == t or n.startswith(t + "\\") for t in tree_names) for n in norm):
            return True
    else:
        for p in candidates:
            text = p.as_posix()
            if text in _SYSTEM_FOLDERS_POSIX or any(
                text == t or text.startswith(t + "/") for t in _SYSTEM_TREES_POSIX
            ):
                return True
    home = Path.home()
    return any(p == Path(p.anchor) or p == home for p in candidates)


def folder_problem(path: str | Path) -> str | None:
    """What makes `path` unusable as a data folder, in plain Chinese (with English after), or
    None. A folder that does not exist yet is fine: it is created when first needed."""
    path = Path(path).expanduser()
    if system_folder(path):
        return tr(
            "不能把系统文件夹（或整个磁盘、个人主文件夹）当作数据文件夹：{path}。"
            "请新建一个专用的文件夹，例如“文档\\一次数据”，再用 --data-dir 指定它。"
            " / A system folder cannot be the data folder; make a folder of its own."
        ).format(path=path)
    if path.exists() and not path.is_dir():
        return tr(
            "数据文件夹的位置上是一个文件，不是文件夹：{path}。"
            "请检查 --data-dir（或环境变量 YICI_DATA_DIR）是否写错，应当指向一个文件夹。"
            " / The data folder path is a file, not a folder."
        ).format(path=path)
    if path.is_dir():
        try:
            with os.scandir(path) as entries:
                next(entries, None)
        except PermissionError:
            return tr(
                "没有权限读取数据文件夹：{path}。请让电脑管理员把这个文件夹的读写权限给当前用户，"
                "或换一个文件夹。 / The data folder cannot be read (permission denied)."
            ).format(path=path)
        except OSError as exc:
            return tr("无法读取数据文件夹：{path}（{strerror}）。 / The data folder cannot be read.").format(
                path=path, strerror=exc.strerror or exc
            )
    return None
