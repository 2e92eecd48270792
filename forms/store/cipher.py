"""Opening a database file with its key: the one place that applies the data key (SQLCipher 4
with its defaults, a raw 256-bit key, so no key derivation on every open), plus sealing small
payloads and whole files with a key by the same cipher.

Every file of a data folder is opened through `connect`. A file that still begins with SQLite's
plain header (written by a Yici before encryption, or a backup from then) is opened without a
key, only to be read or encrypted (forms/store/encrypting.py).

`seal`/`unseal` keep a payload (a wrapped key, an attachment) as a SQLCipher database of its
own: AES-256 in CBC mode with an HMAC-SHA512 on every page, the same cipher and the same
OpenSSL as the database itself, so no second cryptography library is needed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlite3

SQLITE_HEADER = b"SQLite format 3\x00"
KEY_BYTES = 32
PART_BYTES = 1 << 20  # a sealed file is kept in parts of 1 MiB: photos are read part by part

# SQLCipher writes its own complaints (a page whose HMAC fails) to stderr: that would reach the
# command line's output. The store turns every failure into a message of its own.
_quiet = sqlite3.connect(":memory:")
_quiet.execute("PRAGMA cipher_log_level = NONE")
# Every page's HMAC with SHA-256 rather than SQLCipher 4's SHA-512: processors since about 2017
# compute SHA-256 in hardware, and a finalize (about 13 pages written) costs 1.38x the plain
# store's time instead of 1.53x (tests/benchmarks/bench_encryption.py). For every file this
# process opens or makes: databases, sealed attachments, the key file's seals, backups.
_quiet.execute("PRAGMA cipher_default_hmac_algorithm = HMAC_SHA256")
_quiet.close()


def is_plain(path: str | Path) -> bool:
    """True when the file begins with SQLite's plain header (not encrypted)."""
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def key_pragma(key: bytes) -> str:
    """The `PRAGMA key` value for a raw key: SQLCipher then skips its passphrase derivation."""
    if len(key) != KEY_BYTES:
        raise ValueError("a data key is 32 bytes")
    return f"\"x'{key.hex()}'\""


def connect(
    path: str | Path,
    key: bytes | None,
    *,
    mode: str = "rwc",
    timeout: float = 5.0,
    check_same_thread: bool = True,
    isolation_level: str | None = "",
) -> sqlite3.Connection:
    """Open `path` (URI mode `ro`, `rw` or `rwc`) and apply `key` (None: a plain file). A key that
    does not fit shows at the first read as sqlite3.DatabaseError "file is not a database"."""
    conn = sqlite3.connect(
        f"{Path(path).resolve().as_uri()}?mode={mode}",
        uri=True,
        timeout=timeout,
        check_same_thread=check_same_thread,
        isolation_level=isolation_level,
    )
    if key is not None:
        conn.execute(f"PRAGMA key = {key_pragma(key)}")
    return conn


def connect_file(path: str | Path, key: bytes | None, **kwargs) -> sqlite3.Connection:
    """`connect`, with no key for a file that is still plain (an old backup, a file being upgraded)."""
    return connect(path, None if is_plain(path) else key, **kwargs)


def fits(path: str | Path, key: bytes | None) -> bool:
    """Does `key` open the database at `path` (None: is it a readable plain file)?"""
    try:
        conn = connect(path, key, mode="ro")
    except sqlite3.Error:
        return False
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def export_encrypted(source: sqlite3.Connection, dest: Path, key: bytes) -> None:
    """Write everything on `source` (plain or encrypted) into the new file `dest`, encrypted with
    `key` (sqlcipher_export; user_version, which it leaves out, copied by hand)."""
    version = source.execute("PRAGMA user_version").fetchone()[0]
    source.execute(f"ATTACH DATABASE ? AS encrypted KEY {key_pragma(key)}", [str(dest)])
    try:
        source.execute("SELECT sqlcipher_export('encrypted')")
        source.execute(f"PRAGMA encrypted.user_version = {int(version)}")
    finally:
        source.execute("DETACH DATABASE encrypted")


# -- sealed payloads and files -----------------------------------------------------------------


def _write_sealed(path: Path, key: bytes, parts: Iterator[bytes]) -> None:
    conn = connect(path, key, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")  # a new file, renamed into place when whole
        conn.execute("BEGIN")
        conn.execute("CREATE TABLE part(n INTEGER PRIMARY KEY, data BLOB NOT NULL)")
        for n, data in enumerate(parts):
            conn.execute("INSERT INTO part(n, data) VALUES (?, ?)", [n, data])
        conn.execute("COMMIT")
    finally:
        conn.close()


def seal_to(path: Path, key: bytes, parts: Iterator[bytes]) -> None:
    """Write `parts` into the new file `path`, sealed with `key` (the caller renames it into
    place, so a power cut never leaves half a file under its name)."""
    _write_sealed(path, key, parts)
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def read_sealed(path: str | Path, key: bytes) -> Iterator[bytes]:
    """The parts of a sealed file, in order. Raises sqlite3.DatabaseError when `key` does not fit
    or the file was changed (every page carries its HMAC)."""
    conn = connect(path, key, mode="ro")
    try:
        for (data,) in conn.execute("SELECT data FROM part ORDER BY n"):
            yield bytes(data)
    finally:
        conn.close()


def seal(key: bytes, payload: bytes) -> bytes:
    """`payload` sealed with `key`, as bytes (a wrapped key in the key file)."""
    with tempfile.TemporaryDirectory(prefix="yici-seal-") as work:
        path = Path(work) / "sealed"
        _write_sealed(path, key, iter([payload]))
        return path.read_bytes()


def unseal(key: bytes, sealed: bytes) -> bytes | None:
    """What `seal` sealed, or None when `key` does not open it."""
    with tempfile.TemporaryDirectory(prefix="yici-seal-") as work:
        path = Path(work) / "sealed"
        path.write_bytes(sealed)
        try:
            return b"".join(read_sealed(path, key))
        except sqlite3.DatabaseError:
            return None
