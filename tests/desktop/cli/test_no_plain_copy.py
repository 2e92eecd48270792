"""No plain copy anywhere (docs/SECURITY.md, "Encryption at rest"): after a record with a
household's name, an ID number and a photo has been typed, finalized, backed up, synced and
exported through the real `yici`, no file in the data folder (database, -wal, journal, backups,
attachments, logs, temporary copies), no export and no temporary file Yici left holds the text,
the ID number or the photo's bytes."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from tests.helpers import passphrase_file

HOUSEHOLD = "王秘密大爷"
ID_NUMBER = "11010519491231002X"


def photo_bytes() -> bytes:
    """A real JPEG whose pixels are noise, so any piece of its bytes is its own."""
    import io
    import random

    from PIL import Image

    rng = random.Random(15)
    image = Image.frombytes("RGB", (64, 64), bytes(rng.randrange(256) for _ in range(64 * 64 * 3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def plain_hits(root: Path, needles: list[bytes], skip: set[Path]) -> list[str]:
    hits = []
    for path in root.rglob("*") if root.is_dir() else [root]:
        if not path.is_file() or path in skip:
            continue
        data = path.read_bytes()
        for needle in needles:
            if needle in data:
                hits.append(f"{path}: {needle[:20]!r}")
    return hits


def test_no_file_yici_writes_holds_a_record_in_plain_text(cli, data_dir, tmp_path):
    started = time.time()
    photo = tmp_path / "source-photo.jpg"
    picture = photo_bytes()
    photo.write_bytes(picture)
    uuid = cli(
        "records",
        "new",
        "ruhu-zoufang",
        "--branch",
        "红星村党支部",
        "--set",
        f"household_head={HOUSEHOLD}",
        "--set",
        f"household_idcard={ID_NUMBER}",
        "--set",
        "visited_at=2026-11-05 10:00",
        "--attach",
        f"photos={photo}",
    ).stdout.strip()
    cli("records", "show", uuid)
    cli("records", "list", "--json")
    cli("backup")
    cli("sync")
    export = tmp_path / "handover.zip"
    cli("export", export, "--passphrase-file", passphrase_file(tmp_path))
    assert export.is_file() and (data_dir / "yici.db").is_file() and list((data_dir / "backups").iterdir())
    assert list((data_dir / "attachments").rglob("*"))
    middle = len(picture) // 2
    needles = [
        HOUSEHOLD.encode(),
        ID_NUMBER.encode(),
        HOUSEHOLD.encode("utf-16-le"),
        picture[middle : middle + 48],
    ]
    skip = {photo}
    assert plain_hits(tmp_path, needles, skip) == []
    leftovers = [p for p in Path(tempfile.gettempdir()).glob("yici-*") if p.stat().st_mtime >= started - 1]
    assert [hit for p in leftovers for hit in plain_hits(p, needles, skip)] == []
