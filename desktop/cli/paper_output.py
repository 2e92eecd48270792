"""Writing PDFs from the command line: where (a file, or a folder for several), and the writing
itself on Qt's offscreen platform (desktop/paper/headless.py), so no display is needed.

Qt is imported only when a PDF is written: the rest of the command line stays Qt-free.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.exits import CliError

if TYPE_CHECKING:
    from forms.paper import Paper


def pdf_target(path: Path) -> Path:
    """The PDF file to write: its folder must exist, and it must be a new or an ordinary file (the
    PDF takes its name by a rename, which would put it in place of a pipe or a device)."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise CliError(f"“{path}”是一个文件夹。请在 --pdf 后写一个文件名，例如 {path / '台账.pdf'}")
    if path.exists() and not path.is_file():
        raise CliError(f"“{path}”不是普通文件（是管道或设备）。请在 --pdf 后写一个 PDF 文件名，例如 台账.pdf")
    if not path.parent.is_dir():
        raise CliError(f"文件夹“{path.parent}”不存在。请先建好它，或换一个位置。")
    return path


def safe_file_name(name: str) -> str:
    """`name` without the characters Windows and Linux refuse in a file name."""
    return "".join("_" if c in '\\/:*?"<>|' or ord(c) < 32 else c for c in name).strip(" .") or "yici"


def write_pdf_headless(paper: Paper, path: Path) -> int:
    """Write `paper` to `path`; the number of pages. A disk that refuses is said plainly."""
    from desktop.paper.headless import paper_application

    paper_application()
    from desktop.paper.pdf import write_pdf

    try:
        return write_pdf(paper, path)
    except OSError as exc:
        raise CliError(
            f"无法写入 PDF 文件“{path}”：{exc.strerror or exc}。请检查文件夹能否写入、磁盘是否已满。"
        ) from exc
