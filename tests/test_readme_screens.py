"""The README's screenshots: every picture it shows exists, none is left unused, all stay light,
and tools/screenshots.py builds its sample data folder (long names, a 支部委员会 draft) without X."""

from __future__ import annotations

import re
from pathlib import Path

import keyring

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SCREENS = ROOT / "docs" / "screens"


def shown() -> list[str]:
    return re.findall(r"!\[[^\]]*\]\((docs/[^)]+\.png)\)", README.read_text(encoding="utf-8"))


def test_every_picture_in_the_readme_exists_and_all_are_small():
    pictures = shown()
    assert len(pictures) == 8  # four windows, at 1366×768 标准 and 1024×768 特大
    assert [p for p in pictures if not (ROOT / p).is_file()] == []
    assert sum((ROOT / p).stat().st_size for p in pictures) < 1_500_000


def test_no_picture_in_docs_is_left_unshown():
    kept = {p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").rglob("*.png")}
    assert kept == set(shown())


def test_the_sample_folder_is_built_without_a_display(tmp_path):
    from desktop.session import Session
    from tools.screenshots import COMMITTEE, ROSTER, build_sample

    previous = keyring.get_keyring()
    try:
        ids = build_sample(tmp_path / "data", "xlarge")
    finally:
        keyring.set_keyring(previous)
    session = Session.open(tmp_path / "data")
    try:
        store = session.store
        assert store.get_setting("font_size") == "xlarge"
        assert session.operator  # no first-run questions in the pictures
        names = {m.name for m in store.members(ids["branch"])}
        assert {n for n, _, _ in ROSTER} <= names
        assert max(len(n) for n in names) >= 10 and any("·" in n for n in names)
        committee = store.record(ids["committee"])
        assert committee.data["meeting_type"] == "支部委员会"
        assert committee.data["attendees"] == COMMITTEE[:3]
        assert committee.data["absences"][0]["name"] == COMMITTEE[3]
        assert len(store.targets()) == 2
    finally:
        session.close()
