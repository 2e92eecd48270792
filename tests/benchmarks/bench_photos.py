"""Attaching 50 phone photos (4000×3000 JPEG with EXIF, made here), beside plain Pillow opening and
thumbnailing the same files in the same run.

Not part of the default test run. Run as a script (exit code 1 when a target is missed):
    .venv/bin/python tests/benchmarks/bench_photos.py
or through pytest: .venv/bin/pytest tests/benchmarks/bench_photos.py -s

Yici: forms.photos.examine_photo on each file — its bytes read and SHA-256'd, the facts (time,
offset, GPS, orientation, camera), the 256-bit perceptual hash and a 256-pixel JPEG thumbnail
turned upright, from one reduced decode. Baseline: Pillow alone, Image.open, im.thumbnail((256,
256)) (which decodes reduced too) and the thumbnail saved as JPEG; no EXIF read, nothing turned,
no hashes. Each side runs in a fresh process, interleaved RUNS times; the time is the loop over
the 50 files (imports excluded), the memory the peak resident size (VmHWM) the loop added to the
process. Targets: time ≤ 1.5× Pillow's; memory bounded: the loop adds at most MEMORY_BOUND_MB,
however many photos (nothing is kept from one photo to the next).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PHOTOS = 50
SCENES = 5  # each photographed from 10 places, so no two files are the same
SIZE = (4000, 3000)
RUNS = 3
TARGET = 1.5
MEMORY_BOUND_MB = 100

_MEASURE = r"""
import json, sys, time
from pathlib import Path
def resident(field):
    return int([l.split()[1] for l in open("/proc/self/status") if l.startswith(field)][0])
paths = sorted(Path(FOLDER).glob("*.jpg"))
"""

YICI = (
    _MEASURE
    + r"""
sys.path.insert(0, ROOT)
from forms.photos import examine_photo
before = resident("VmRSS")
started = time.perf_counter()
found = [examine_photo(path) for path in paths]
seconds = time.perf_counter() - started
placed = sum(photo.facts.position is not None for photo in found)
print(json.dumps({"seconds": seconds, "added_kb": resident("VmHWM") - before, "placed": placed,
                  "thumbnail_bytes": sum(len(photo.thumbnail) for photo in found)}))
"""
)

PILLOW = (
    _MEASURE
    + r"""
import io
from PIL import Image
before = resident("VmRSS")
started = time.perf_counter()
thumbnails = []
for path in paths:
    with Image.open(path) as image:
        image.thumbnail((256, 256))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82)
        thumbnails.append(out.getvalue())
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "added_kb": resident("VmHWM") - before,
                  "thumbnail_bytes": sum(map(len, thumbnails))}))
"""
)


def make_photos(folder: Path) -> int:
    """PHOTOS phone JPEGs with EXIF (time and offset, GPS, camera; every third held sideways)."""
    from tests.forms.photos.making import camera_exif, gps_at, jpeg, scene, shot

    total = 0
    for s in range(SCENES):
        place = scene(s, (4800, 3600), noise=0.12)
        for n in range(PHOTOS // SCENES):
            exif = camera_exif(
                taken=f"2026:09:10 14:{n:02d}:00",
                gps=gps_at(30.27 + s / 100, 120.15 + n / 1000),
                orientation=6 if n % 3 == 0 else 1,
            )
            picture = shot(place, SIZE, dx=(n - 5) * 60, dy=(n % 4) * 40)
            data = jpeg(picture, exif, quality=90, orientation=6 if n % 3 == 0 else 1)
            (folder / f"IMG_{s}{n:02d}.jpg").write_bytes(data)
            total += len(data)
    return total


def _child(code: str, **names) -> dict:
    prelude = "".join(f"{k} = {v!r}\n" for k, v in names.items())
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}
    result = subprocess.run(
        [sys.executable, "-c", prelude + code], capture_output=True, text=True, env=env, timeout=900, cwd=ROOT
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"making {PHOTOS} phone photos…", flush=True)
        size = make_photos(folder)
        yici, pillow = [], []
        for n in range(RUNS + 1):  # the first round warms the disk cache and compiled modules
            pair = [(yici, YICI), (pillow, PILLOW)]
            for runs, code in pair if n % 2 else reversed(pair):
                figures = _child(code, ROOT=str(ROOT), FOLDER=str(folder))
                if n:
                    runs.append(figures)
        return {"yici": yici, "pillow": pillow, "bytes": size}


def report(figures: dict) -> list[str]:
    yici, pillow = figures["yici"], figures["pillow"]

    def med(runs, key):
        return statistics.median(r[key] for r in runs)

    seconds_y, seconds_p = med(yici, "seconds"), med(pillow, "seconds")
    ratio = seconds_y / seconds_p
    added_y, added_p = med(yici, "added_kb") / 1024, med(pillow, "added_kb") / 1024
    each = figures["bytes"] / PHOTOS / 1e6
    print(f"\nattaching {PHOTOS} photos {SIZE[0]}×{SIZE[1]}, {each:.1f} MB each (median of {RUNS})")
    print(
        f"  time          Yici {seconds_y:6.2f} s ({seconds_y / PHOTOS * 1000:.0f} ms a photo)"
        f"   Pillow alone {seconds_p:6.2f} s ({seconds_p / PHOTOS * 1000:.0f} ms)"
    )
    print(f"    ratio {ratio:.2f}× (target ≤ {TARGET}×)")
    print(f"  memory added  Yici {added_y:6.1f} MB   Pillow alone {added_p:6.1f} MB")
    print(f"    bound {MEMORY_BOUND_MB} MB")
    print(f"  photos with a place read: {yici[0]['placed']} of {PHOTOS}")
    missed = []
    if ratio > TARGET:
        missed.append(f"attaching time {ratio:.2f}× > {TARGET}×")
    if added_y > MEMORY_BOUND_MB:
        missed.append(f"attaching memory {added_y:.0f} MB > {MEMORY_BOUND_MB} MB")
    if yici[0]["placed"] != PHOTOS:
        missed.append("not every photo's place was read")
    return missed


def test_bench_photos():
    """pytest entry (benchmarks are not in the default run: tests/benchmarks is ignored)."""
    assert report(run()) == []


if __name__ == "__main__":
    missed = report(run())
    for line in missed:
        print("MISSED:", line)
    sys.exit(1 if missed else 0)
