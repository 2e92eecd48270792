"""A smaller libicudata for the bundle: ICU's data for Chinese and English only.

    python packaging/linux/icu_data.py LIBICUDATA [--dry-run]

Qt's libraries in the PySide6 wheel link ICU, whose data library (libicudata.so.73) holds every
language's locale data, collation, calendars and units and ~200 legacy character sets: 30 MiB,
a fifth of the bundle. Qt asks ICU for collation (QCollator), case mapping, text boundaries and
character sets; Yici speaks Chinese and English. So the data package inside the library is
rewritten without the locale data of other languages (ICU then falls back to root, as for any
locale it lacks), transliterators, the dictionaries of Thai, Lao, Burmese and Khmer word
breaking, and the character sets other than the Chinese ones; everything that is not one
language's (Unicode properties, normalization, time zones, res_index files, the CJK dictionary)
stays. The new library exports the same symbol (icudtNN_dat) under the same soname.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

# A locale's file: "zh_Hans_CN.res", "coll/de.res", "unit/sr_Latn.res".
LOCALE = re.compile(r"^(?:[a-z]+/)?([a-z]{2,3})(?:_[A-Za-z0-9]+)*\.res$")
KEPT_LANGUAGES = {"zh", "en"}
DROPPED_TREES = ("translit/",)
DROPPED_DICTIONARIES = {"thaidict.dict", "laodict.dict", "burmesedict.dict", "khmerdict.dict"}
# Chinese character sets: GB 18030, GBK (ibm-1386, windows-936), EUC-CN (ibm-1383), Big5 (ibm-950,
# windows-950), EUC-TW (euc-tw, ibm-964), ISO-2022-CN's (cns-11643, iso-ir-165).
KEPT_CHARSETS = re.compile(
    r"^(gb18030|ibm-1386_|windows-936-|ibm-1383_|ibm-950_|windows-950-|euc-tw-|ibm-964_|cns-11643-|iso-ir-165)"
)


def _items(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """(the header, [(name, data)]) of an ICU common data package (.dat)."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD":
        raise ValueError("not ICU common data")
    toc = header_size
    (count,) = struct.unpack_from("<I", blob, toc)
    offsets = [struct.unpack_from("<II", blob, toc + 4 + 8 * k) for k in range(count)]
    items = []
    for k, (name_at, data_at) in enumerate(offsets):
        name = blob[toc + name_at : blob.index(b"\0", toc + name_at)].decode("ascii")
        end = offsets[k + 1][1] if k + 1 < count else len(blob) - toc
        items.append((name, blob[toc + data_at : toc + end]))
    return blob[:header_size], items


def _package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """An ICU common data package of `items` (kept in ICU's sorted order, data 16-aligned)."""
    names = b"".join(n.encode("ascii") + b"\0" for n, _ in items)
    table = 4 + 8 * len(items)
    data_start = (table + len(names) + 15) & ~15
    entries, chunks, name_at, data_at = [], [], table, data_start
    for name, data in items:
        entries.append(struct.pack("<II", name_at, data_at))
        name_at += len(name) + 1
        padded = data + b"\0" * (-len(data) % 16)
        chunks.append(padded)
        data_at += len(padded)
    body = struct.pack("<I", len(items)) + b"".join(entries) + names
    body += b"\0" * (data_start - len(body))
    return header + body + b"".join(chunks)


def keep(name: str) -> bool:
    path = name.split("/", 1)[1] if "/" in name else name  # without "icudt73l/"
    if path.startswith(DROPPED_TREES) or path.rsplit("/", 1)[-1] in DROPPED_DICTIONARIES:
        return False
    if path.endswith(".cnv"):
        return bool(KEPT_CHARSETS.search(path))
    match = LOCALE.match(path)
    if match and not path.endswith(("res_index.res", "pool.res")):
        return match.group(1) in KEPT_LANGUAGES
    return True


def _symbol(library: Path) -> tuple[str, int, int]:
    """(name, file offset, size) of the icudtNN_dat object in the library."""
    out = subprocess.run(
        ["objdump", "-T", "-h", str(library)], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"^([0-9a-f]+) g\s+DO \.rodata\s+([0-9a-f]+)\s+(icudt\d+_dat)$", out, re.M)
    section = re.search(r"^\s*\d+ \.rodata\s+[0-9a-f]+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", out, re.M)
    if not match or not section:
        raise ValueError(f"{library}: no icudtNN_dat in .rodata")
    address, size, name = int(match.group(1), 16), int(match.group(2), 16), match.group(3)
    vma, file_offset = int(section.group(1), 16), int(section.group(2), 16)
    return name, address - vma + file_offset, size


def trim(library: Path, cc: list[str], dry_run: bool = False) -> tuple[int, int]:
    """Rewrite `library` with the trimmed data; (bytes before, bytes after)."""
    name, offset, size = _symbol(library)
    blob = library.read_bytes()[offset : offset + size]
    header, items = _items(blob)
    kept = [(n, d) for n, d in items if keep(n)]
    data = _package(header, kept)
    before = library.stat().st_size
    if dry_run:
        return before, before - len(blob) + len(data)
    soname = library.name
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "data.bin").write_bytes(data)
        (Path(tmp) / "data.S").write_text(
            f"\t.section .rodata\n\t.globl {name}\n\t.type {name}, @object\n\t.balign 16\n{name}:\n"
            f'\t.incbin "data.bin"\n\t.size {name}, . - {name}\n\t.section .note.GNU-stack,"",@progbits\n'
        )
        subprocess.run(
            [
                *cc,
                "-shared",
                "-nostdlib",
                "-Wl,--strip-all",
                f"-Wl,-soname,{soname}",
                "-o",
                "out.so",
                "data.S",
            ],
            cwd=tmp,
            check=True,
        )
        out = Path(tmp) / "out.so"
        out.replace(library)
    return before, library.stat().st_size


if __name__ == "__main__":
    target = Path(sys.argv[1])
    before, after = trim(target, ["cc"], dry_run="--dry-run" in sys.argv)
    print(f"{target.name}: {before / 2**20:.1f} MiB -> {after / 2**20:.1f} MiB")
