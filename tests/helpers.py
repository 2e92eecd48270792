"""Helpers more than one room's tests use: a small form, a branch with a roster, and checks on
what a `yici` subprocess returned. Fixtures live in tests/conftest.py; these are plain functions."""

from __future__ import annotations

import subprocess

# A one-field form that is not in the built-in library.
VISIT_FORM = """\
id: visit-note
version: 1
title: 走访小记
fields:
  - key: visited_on
    label: 走访日期
    type: date
    required: true
"""


def add_red_star(store):
    """Branch 红星村党支部 (code HX01, secretary 张三) with 张三 (书记, phone) and 李四; returns it."""
    red = store.add_branch("红星村党支部", code="HX01", secretary="张三")
    store.add_member(red.id, "张三", role="书记", phone="13800138000")
    store.add_member(red.id, "李四")
    return red


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    """Assert exit 0 and no traceback, showing the output when not."""
    assert result.returncode == 0, (
        f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    )
    assert "Traceback" not in result.stderr
    return result


def bad(result: subprocess.CompletedProcess, code: int = 1) -> subprocess.CompletedProcess:
    """Assert a clean refusal: the exit code, a message on stderr, and no traceback anywhere."""
    assert result.returncode == code, (
        f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    )
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip()
    return result


def keyring_name(store, target, name: str) -> str:
    """The keyring username under which `store`'s data folder keeps `target`'s secret `name`."""
    return f"folder-{store.data_folder_id()}/target-{target.uid}:{name}"


def open_database(path, data_dir=None, **kwargs):
    """A connection to a data folder's database file, or a copy of it (a backup), with the
    folder's data key, as a test pokes at it from outside the store (sqlite3.connect's role).
    The folder is `data_dir`, else the file's folder, else (for backups/…) the one above."""
    from pathlib import Path

    from forms.store import cipher, keys

    path = Path(path)
    if cipher.is_plain(path):
        return cipher.connect(path, None, **kwargs)  # from before encryption
    if data_dir is None:
        data_dir = path.parent if keys.key_file_path(path.parent).is_file() else path.parent.parent
    key = keys.unlocked(Path(data_dir)) or keys.unlock(Path(data_dir))
    return cipher.connect_file(path, key, **kwargs)


# The passphrase the tests export handover files with (`yici export` needs one).
HANDOVER_PASSPHRASE = "交接用的口令 2026"


def open_export_database(work):
    """The database of an export unpacked into `work`, opened with the key HANDOVER_PASSPHRASE
    gives (a test changing an export by hand, as an attacker with the passphrase could)."""
    import json
    from pathlib import Path

    from forms.store import cipher, keys

    manifest = json.loads((Path(work) / "manifest.json").read_text(encoding="utf-8"))
    found = manifest["cipher"]
    key = keys.derive(HANDOVER_PASSPHRASE, bytes.fromhex(found["salt"]), found.get("n"))
    return cipher.connect(Path(work) / "yici.db", key)


def passphrase_file(folder):
    """A file holding HANDOVER_PASSPHRASE, for `yici export|import --passphrase-file`."""
    from pathlib import Path

    path = Path(folder) / "handover-passphrase.txt"
    path.write_text(HANDOVER_PASSPHRASE + "\n", encoding="utf-8")
    return path
