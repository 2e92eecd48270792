"""Reading Yici's PDFs as anyone else would: with poppler's command-line tools."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

TOOLS = ("pdftotext", "pdfinfo", "pdffonts", "pdfimages", "pdftoppm")


def require_poppler() -> None:
    """The printing tests need poppler-utils (./dev installs it): fail loudly, never skip."""
    missing = [t for t in TOOLS if shutil.which(t) is None]
    assert not missing, f"poppler's tools are missing ({', '.join(missing)}): apt-get install poppler-utils"


def _run(*args: str | Path) -> str:
    require_poppler()
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, encoding="utf-8", check=True, timeout=120
    ).stdout


def info(pdf: Path) -> dict[str, str]:
    """pdfinfo's fields (Pages, Page size, Title…)."""
    return dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in _run("pdfinfo", pdf).splitlines())
    )


def pages(pdf: Path) -> int:
    return int(info(pdf)["Pages"])


def page_sizes(pdf: Path) -> set[str]:
    """The size of every page, as pdfinfo names it ("595.28 x 841.89 pts (A4)")."""
    out = _run("pdfinfo", "-f", "1", "-l", str(pages(pdf)), pdf)
    return {m.group(1).strip() for m in re.finditer(r"Page\s+\d+ size:\s*(.+)", out)}


def text(pdf: Path, page: int | None = None, *, layout: bool = False) -> str:
    """The text, in reading order (one page, or all); with `layout`, lines as they stand on the
    page (a table's row on one line)."""
    span = ["-f", str(page), "-l", str(page)] if page else []
    return _run("pdftotext", *span, *(["-layout"] if layout else []), "-enc", "UTF-8", pdf, "-")


def flat(pdf: Path, page: int | None = None) -> str:
    """The text with every line break and space taken out: wrapped lines read as one."""
    return re.sub(r"\s+", "", text(pdf, page))


def body(pdf: Path, page: int) -> str:
    """What a person reads in the text area of one page (below the running head, above the page
    number), flat: Qt leaves the line before each page's first one in the file, clipped out of
    sight, and pdftotext would read it (it ignores clipping), so only the visible area is read."""
    top, bottom = 66, 842 - 66  # points: the margins (15 mm) and the head and foot bands (8 mm)
    area = ["-x", "0", "-y", str(top), "-W", "595", "-H", str(bottom - top), "-r", "72"]
    span = ["-f", str(page), "-l", str(page)]
    return re.sub(r"\s+", "", _run("pdftotext", *span, *area, "-enc", "UTF-8", pdf, "-"))


def fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' rows: name, type and whether each is embedded."""
    rows = _run("pdffonts", pdf).splitlines()[2:]
    out = []
    for row in rows:
        parts = row.split()
        # name type... encoding emb sub uni object ID: the three yes/no columns come before the id.
        out.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return out


def images(pdf: Path) -> list[tuple[int, int]]:
    """(width, height) in pixels of every picture in the PDF."""
    rows = _run("pdfimages", "-list", pdf).splitlines()[2:]
    return [(int(r.split()[3]), int(r.split()[4])) for r in rows if r.split()[2] == "image"]


def render(pdf: Path, page: int, out: Path, dpi: int = 60) -> Path:
    """One page as a PNG (to look at)."""
    stem = out.with_suffix("")
    _run("pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-singlefile", pdf, stem)
    return stem.with_suffix(".png")
