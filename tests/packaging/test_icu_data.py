"""Qt's ICU data cut down to Chinese and English (packaging/linux/icu_data.py, docs/IT.md §9).

Runs in every test run, on the ICU library of the PySide6 installed here; the bundles' own copy is
checked in test_bundle.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging" / "linux"))
import icu_data  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux bundles only")


def _installed_icu() -> Path:
    pyside = pytest.importorskip("PySide6")
    found = sorted(Path(pyside.__file__).parent.glob("Qt/lib/libicudata.so.*"))
    if not found:
        pytest.skip("this PySide6 carries no ICU")
    return found[0]


def test_what_is_kept():
    kept = [
        "root.res", "zh_Hans_CN.res", "en_GB.res", "coll/zh.res", "brkitr/cjdict.dict", "res_index.res",
        "coll/res_index.res", "pool.res", "unames.icu", "nfc.nrm", "zoneinfo64.res", "gb18030.cnv",
        "windows-936-2000.cnv", "cnvalias.icu", "supplementalData.res",
    ]  # fmt: skip
    dropped = [
        "de.res", "coll/ja.res", "unit/sr_Latn.res", "translit/el.res", "brkitr/thaidict.dict",
        "ibm-943_P15A-2003.cnv", "icu-internal-compound-d1.cnv", "zone/fr_CA.res",
    ]  # fmt: skip
    kept = [f"icudt73l/{name}" for name in kept]
    dropped = [f"icudt73l/{name}" for name in dropped]
    assert [n for n in kept if not icu_data.keep(n)] == []
    assert [n for n in dropped if icu_data.keep(n)] == []


def test_the_package_is_rewritten_item_for_item():
    """Every kept item comes back byte for byte from the rewritten package, in ICU's order."""
    name, offset, size = icu_data._symbol(_installed_icu())
    blob = _installed_icu().read_bytes()[offset : offset + size]
    header, items = icu_data._items(blob)
    kept = [(n, d) for n, d in items if icu_data.keep(n)]
    assert 100 < len(kept) < len(items)
    again_header, again = icu_data._items(icu_data._package(header, kept))
    assert again_header == header and [n for n, _ in again] == [n for n, _ in kept]
    assert all(
        new[: len(old)] == old and len(new) - len(old) < 16
        for (_, old), (_, new) in zip(kept, again, strict=True)
    )


def test_qt_sorts_chinese_names_by_pinyin_with_the_trimmed_library(tmp_path):
    """Qt loads the rewritten library in place of the wheel's and still collates Chinese."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("needs a C compiler")
    library = tmp_path / _installed_icu().name
    shutil.copy2(_installed_icu(), library)
    before, after = icu_data.trim(library, [cc])
    assert after < before / 2
    script = (
        "from PySide6.QtCore import QCollator, QLocale\n"
        "names = ['张三', '李四', '王五', '赵六', '阿明']\n"
        "print(sorted(names, key=QCollator(QLocale('zh_CN')).sortKey))\n"
        f"print(any({str(library)!r} in line for line in open('/proc/self/maps')))\n"
    )
    env = dict(os.environ, LD_LIBRARY_PATH=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["['阿明', '李四', '王五', '张三', '赵六']", "True"], out
