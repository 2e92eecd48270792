"""What each part of a built bundle costs on disk: python packaging/sizes.py [dist/yici] [--md].

The parts are the ones the size budget is argued in (docs/IT.md, "Size"): Qt's libraries, ICU,
plugins, the Python bindings, Python itself, each Python package, the fonts, the system libraries
a host build carries. Sizes are MiB as `du` counts them (symlinks count as links).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PARTS = [
    ("Qt: ICU data (libicudata)", r"libicudata"),
    ("Qt: ICU code (libicuuc, libicui18n)", r"libicu"),
    ("Qt: libraries (Core, Gui, Widgets, Network, ...)", r"PySide6/Qt/lib/"),
    ("Qt: plugins", r"PySide6/Qt/plugins/"),
    ("Qt: translations", r"PySide6/Qt/translations/"),
    ("PySide6 bindings and shiboken", r"(PySide6|shiboken6)/|libpyside6|libshiboken6"),
    ("Python: libpython", r"libpython"),
    ("Python: extension modules (ssl, sqlite3, ...)", r"python3\.\d+/lib-dynload/"),
    ("Python: standard library (base_library.zip)", r"base_library\.zip"),
    ("programs (each carries the Python archive)", r"^(yici|Yici|yici-cli\.exe|Yici\.exe)$"),
    (
        "photos: Pillow, pi-heif and the libraries their wheels carry",
        r"^_internal/(PIL|pillow\.libs|pi_heif|_pi_heif)",
    ),
    ("fonts (WenQuanYi Micro Hei)", r"resources/fonts/"),
    ("Yici's data (forms, templates, icons, guide, translations)", r"^_internal/(resources|forms|sync)/"),
]
PACKAGE = re.compile(r"^_internal/([A-Za-z0-9_]+?)(?:\.libs|-[0-9][^/]*\.dist-info)?/")
SYSTEM_LIB = re.compile(r"^_internal/lib[^/]*\.so")


def part_of(relative: str) -> str:
    for name, pattern in PARTS:
        if re.search(pattern, relative):
            return name
    if SYSTEM_LIB.match(relative):
        return "system libraries of the build machine"
    match = PACKAGE.match(relative)
    if match:
        return f"package: {match.group(1).lower()}"
    return "other (" + relative.split("/")[-1] + ")" if "/" not in relative else "other"


def table(bundle: Path) -> list[tuple[str, float]]:
    sizes: dict[str, int] = {}
    for path in bundle.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            continue
        part = part_of(str(path.relative_to(bundle)))
        sizes[part] = sizes.get(part, 0) + path.lstat().st_size
    merged: dict[str, int] = {}
    for part, size in sizes.items():
        small = part.startswith(("package:", "other")) and size < 2**20 / 4
        key = "packages under 0.25 MiB each, and the rest" if small else part
        merged[key] = merged.get(key, 0) + size
    return sorted(((part, size / 2**20) for part, size in merged.items()), key=lambda r: -r[1])


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    bundle = Path(args[0] if args else "dist/yici")
    rows = table(bundle)
    total = sum(size for _, size in rows)
    width = max(len(part) for part, _ in rows)
    for part, size in rows:
        print(f"| {part} | {size:.1f} |" if "--md" in argv else f"{part:<{width}}  {size:6.1f} MiB")
    print(f"| total | {total:.1f} |" if "--md" in argv else f"{'total':<{width}}  {total:6.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
