"""A year's 台账 for a busy branch (60 meetings, 20 of them with 6 photos), beside Qt printing the
same final HTML in the same run.

Not part of the default test run. Run as a script (exit code 1 when a target is missed):
    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_paper.py
or through pytest: .venv/bin/pytest tests/benchmarks/bench_paper.py -s

Yici: `yici book`'s work in a fresh process — open the data folder, build the book
(forms/paper/book.py: queries, every record page's template, cadence and attendance), lay it out
twice (page numbers for the contents) and write the PDF (desktop/paper/). Baseline: a fresh
process given the book's final HTML (page numbers filled in) and its photos already downscaled,
that only loads them into a QTextDocument and prints it to a QPdfWriter — the least any Qt
program does to print the same pages. Wall time and peak resident memory (VmHWM) of each
process, from its first line, interpreter start and imports included on both sides; medians of
RUNS runs, interleaved so a busy moment on the machine hits both. Targets: ≤ 1.5× for both.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

RUNS = 5
MEETINGS = 60
WITH_PHOTOS = 20
PHOTOS_EACH = 6
TARGET = 1.5
YEAR = 2026

_MEASURE = r"""
import time, json, sys
T0 = time.perf_counter()
def done(**more):
    # VmHWM, this program's peak: ru_maxrss would carry over the parent's from before exec.
    peak = int([l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")][0])
    print(json.dumps({"seconds": time.perf_counter() - T0, "peak_kb": peak, **more}), flush=True)
"""

YICI = (
    _MEASURE
    + r"""
sys.path.insert(0, ROOT)
from pathlib import Path
from desktop.paper.headless import paper_application
paper_application()
from desktop.session import Session
from forms.paper.book import branch_book
from forms.paper.periods import parse_period
from desktop.paper.pdf import write_pdf
session = Session.open(Path(DATA))
branch = session.store.branches()[0]
paper = branch_book(session.store, session.catalog, branch.id, parse_period(YEAR))
pages = write_pdf(paper, Path(OUT))
session.close()
done(pages=pages)
"""
)

BARE = (
    _MEASURE
    + r"""
from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication, QImage, QPdfWriter, QPageLayout, QPageSize, QTextDocument
from PySide6.QtCore import QMarginsF
app = QGuiApplication(["bare"])
html = open(HTML, encoding="utf-8").read()
images = json.load(open(IMAGES, encoding="utf-8"))
document = QTextDocument()
for src, path in images.items():
    document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(src), QImage(path))
document.setHtml(html)
writer = QPdfWriter(OUT)
writer.setResolution(300)
writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                 QMarginsF(25, 15, 15, 15), QPageLayout.Unit.Millimeter))
document.print_(writer)
del writer
done()
"""
)


def _photos(folder: Path) -> list[Path]:
    """Six camera-sized JPEGs with detail (noise does not compress away)."""
    import random

    from PySide6.QtGui import QColor, QImage

    paths = []
    rng = random.Random(11)
    for n in range(PHOTOS_EACH):
        image = QImage(4000, 3000, QImage.Format.Format_RGB32)
        image.fill(QColor.fromHsv(n * 50, 120, 200))
        for _ in range(4000):
            spot = (rng.randrange(4000), rng.randrange(3000))
            image.setPixelColor(*spot, QColor(rng.randrange(0xFFFFFF)))
        path = folder / f"IMG_{n:04d}.jpg"
        assert image.save(str(path), "JPEG", 88)
        paths.append(path)
    return paths


def make_data(folder: Path, photo_folder: Path) -> None:
    """A branch of 40 members with 60 final 三会一课 records in YEAR, 20 of them with 6 photos."""
    from desktop.paper.headless import paper_application

    paper_application()
    from desktop.session import Session

    session = Session.open(folder)
    session.operator = "张晓梅"
    store = session.store
    branch = store.add_branch("依干其乡托万克亚喀艾日克村党支部")
    names = [
        "阿卜杜热合曼·艾买提江",
        "买买提依明·阿不都热西提",
        "古丽米拉·阿不都克力木",
        "欧阳晓明",
        "司马春花",
    ]
    names += [f"党员{n:02d}" for n in range(35)]
    store.add_member(branch.id, names[0], role="书记")
    for name in names[1:]:
        store.add_member(branch.id, name)
    photos = _photos(photo_folder)
    kinds = ["支部委员会", "支部党员大会", "党小组会", "党课"]
    for n in range(MEETINGS):
        month, day = 1 + n // 5, 1 + (n % 5) * 5
        kind = kinds[n % 4]
        values = {
            "meeting_type": kind,
            "title": f"{YEAR}年{month}月第{n % 5 + 1}次{kind}",
            "held_at": f"{YEAR}-{month:02d}-{day:02d}T19:00",
            "place": "村党群服务中心会议室",
            "host": names[0],
            "recorder": names[3],
            "expected_count": len(names),
            "attendees": names[:-3],
            "absences": [{"name": m, "reason": "外出务工"} for m in names[-3:]],
            "topics": "学习上级文件精神\n研究本月工作\n党员发展",
            "content": "书记传达了镇党委会议精神，大家逐项讨论了近期工作安排。" * 12,
            "decisions": "一、按期完成秋冬季防火检查。二、下月召开党员大会。",
            "lecturer": names[1],
            "course_title": "学习党章",
        }
        record, _ = session.records.new("sanhui-yike", branch.id, values, session.operator)
        if n < WITH_PHOTOS:
            attached = [store.add_attachment(record.uuid, p) for p in photos]
            values["photos"] = [{"sha256": a.sha256, "name": a.name} for a in attached]
            session.records.save_draft(record.uuid, values, session.operator)
        session.records.finalize(record.uuid, session.operator)
    session.close()


def final_html(data: Path, out: Path) -> tuple[Path, Path]:
    """The book's HTML with its page numbers filled in, and its photos downscaled into files (the
    baseline's input: what Yici hands Qt, ready-made)."""
    from desktop.paper.pages import _numbered, anchor_pages, lay_out, load_photo
    from desktop.session import Session
    from forms.paper.book import branch_book
    from forms.paper.periods import parse_period

    session = Session.open(data)
    branch = session.store.branches()[0]
    paper = branch_book(session.store, session.catalog, branch.id, parse_period(YEAR))
    session.close()
    layout = lay_out(paper)
    pages = anchor_pages(layout.document, paper.anchors)
    html = _numbered(paper.html, {a: str(p) for a, p in pages.items()})
    images = {}
    for n, (src, path) in enumerate(paper.images.items()):
        small = out / f"photo-{n}.jpg"
        load_photo(path).save(str(small), "JPEG", 90)
        images[src] = str(small)
    (out / "book.html").write_text(html, encoding="utf-8")
    (out / "images.json").write_text(json.dumps(images), encoding="utf-8")
    return out / "book.html", out / "images.json"


def _child(code: str, **names) -> dict:
    prelude = "".join(f"{k} = {v!r}\n" for k, v in names.items())
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": ""}
    result = subprocess.run(
        [sys.executable, "-c", prelude + code], capture_output=True, text=True, env=env, timeout=600, cwd=ROOT
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "photos").mkdir()
        print("filling a busy branch…", flush=True)
        make_data(tmp_path / "data", tmp_path / "photos")
        html, images = final_html(tmp_path / "data", tmp_path)
        yici, bare = [], []
        for n in range(RUNS + 1):  # the first round warms the disk cache and compiled modules
            data, out = str(tmp_path / "data"), str(tmp_path / "y.pdf")
            y = _child(YICI, ROOT=str(ROOT), DATA=data, OUT=out, YEAR=YEAR)
            b = _child(BARE, HTML=str(html), IMAGES=str(images), OUT=str(tmp_path / "b.pdf"))
            if n:
                yici.append(y)
                bare.append(b)
        return {
            "yici": yici,
            "bare": bare,
            "sizes": ((tmp_path / "y.pdf").stat().st_size, (tmp_path / "b.pdf").stat().st_size),
        }


def report(figures: dict) -> list[str]:
    yici, bare = figures["yici"], figures["bare"]

    def med(runs, key):
        return statistics.median(r[key] for r in runs)

    time_ratio = med(yici, "seconds") / med(bare, "seconds")
    memory_ratio = med(yici, "peak_kb") / med(bare, "peak_kb")
    print(f"\na year's 台账: {MEETINGS} meetings, {WITH_PHOTOS} with {PHOTOS_EACH} photos (median of {RUNS})")
    print(f"  pages                 Yici {yici[0]['pages']:>6}")
    seconds_y, seconds_b = med(yici, "seconds"), med(bare, "seconds")
    print(f"  time                  Yici {seconds_y:6.2f} s     Qt alone {seconds_b:6.2f} s")
    print(f"    ratio {time_ratio:.2f}× (target ≤ {TARGET}×)")
    peak_y, peak_b = med(yici, "peak_kb") / 1024, med(bare, "peak_kb") / 1024
    print(f"  peak memory           Yici {peak_y:6.1f} MB    Qt alone {peak_b:6.1f} MB")
    print(f"    ratio {memory_ratio:.2f}× (target ≤ {TARGET}×)")
    size_y, size_b = (size / 1e6 for size in figures["sizes"])
    print(f"  PDF size              Yici {size_y:6.1f} MB    Qt alone {size_b:6.1f} MB")
    missed = []
    if time_ratio > TARGET:
        missed.append(f"book time {time_ratio:.2f}× > {TARGET}×")
    if memory_ratio > TARGET:
        missed.append(f"book memory {memory_ratio:.2f}× > {TARGET}×")
    return missed


def test_bench_paper():
    """pytest entry (benchmarks are not in the default run: tests/benchmarks is ignored)."""
    assert report(run()) == []


if __name__ == "__main__":
    missed = report(run())
    for line in missed:
        print("MISSED:", line)
    sys.exit(1 if missed else 0)
