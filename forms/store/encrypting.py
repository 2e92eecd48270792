"""Upgrading a data folder written before encryption: its database, backups and attachments are
encrypted in place on the first start of a version that encrypts, and none of them is lost.

Order, each step whole or not at all, so a power cut (or a killed process) anywhere leaves a folder
that the next start finishes:

1. the plain database is checkpointed (its -wal folded in and removed);
2. an encrypted backup of it is made and verified (`backups/yici-before-encryption-…`);
3. an encrypted copy is written beside it (sqlcipher_export), verified against the plain one
   (integrity check, the schema, every table's row count), then renamed over it;
4. every plain backup, file set aside in `replaced/` and attachment is encrypted the same way:
   a new file, verified, renamed over the old one;
5. the key file stops saying that plain files are left (`plain_left`).

Until step 5 the key file says so, and every start runs what is left; a file already encrypted
is recognised and skipped. Half-written copies (`.encrypt-*.tmp`) never carry a name Yici reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from forms.atomic import write_atomically
from forms.i18n import tr
from forms.store import keys
from forms.store.attachment_names import ATTACHMENT_FOLDER, SHA256
from forms.store.backup_files import BACKUP_FOLDER
from forms.store.cipher import PART_BYTES, connect, export_encrypted, fits, is_plain, seal_to, sqlite3
from forms.store.errors import StoreError
from forms.store.times import file_stamp
from forms.store.verify import steps_of

DB_NAME = "yici.db"
REPLACED_FOLDER = "replaced"
# Half-written copies a killed process left: plain ones from before, encrypted ones from here.
_LEFTOVERS = (".backup-*.tmp*", ".restore-*.tmp*", ".copy-*.tmp*", ".incoming-*", ".encrypt-*")


class EncryptionFailed(StoreError):
    """An encrypted copy did not match its plain original: nothing was replaced."""


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
    ]
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _encrypted_copy(plain: Path, dest: Path, key: bytes) -> None:
    """Write `plain` encrypted into the new file `dest` and check it holds the same."""
    source = connect(plain, None, mode="ro")
    try:
        expected = _counts(source)
        export_encrypted(source, dest, key)
    finally:
        source.close()
    out = connect(dest, key, mode="ro")
    try:
        found = _counts(out)
        problems = [str(r[0]) for r in out.execute("PRAGMA integrity_check")]
    finally:
        out.close()
    if found != expected or problems != ["ok"]:
        raise EncryptionFailed(
            tr(
                "加密数据库时核对没有通过（{path}），原文件保留不动。请联系技术人员。"
                " / The encrypted copy did not match; the original was kept."
            ).format(path=plain)
        )


def _fold_in_wal(db_path: Path) -> None:
    """Checkpoint the plain database and leave rollback mode, so nothing stays in a -wal file."""
    conn = connect(db_path, None, mode="rw", isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)


def encrypt_database(data_dir: Path, key: bytes) -> None:
    """Steps 1-3 for the folder's database, when it is still plain."""
    db_path = data_dir / DB_NAME
    if not db_path.is_file() or not is_plain(db_path):
        return
    _fold_in_wal(db_path)
    backups = data_dir / BACKUP_FOLDER
    backups.mkdir(exist_ok=True)
    target = backups / f"yici-before-encryption-{file_stamp()}.db"

    conn = connect(db_path, None, mode="ro")
    try:
        empty = not steps_of(conn)  # no schema step ever ran: a first start cut short
    finally:
        conn.close()
    # Verified as it is written: integrity check, every table's rows (a database from before
    # the first schema step, which the full check would refuse, is copied too). An empty file
    # (a first start cut short) has nothing to keep, and a backup would make it look like data.
    if not empty:
        write_atomically(target, lambda partial: _encrypted_copy(db_path, partial, key), prefix=".backup-")
    write_atomically(db_path, lambda partial: _encrypted_copy(db_path, partial, key), prefix=".encrypt-")


def _encrypt_copy_in_place(path: Path, key: bytes) -> None:
    """A plain database file elsewhere in the folder (a backup, one set aside): encrypted in place.
    One that cannot be read as a database is left as it was (it was never a sound copy)."""
    if not is_plain(path):
        return
    try:
        write_atomically(path, lambda partial: _encrypted_copy(path, partial, key), prefix=".encrypt-")
    except (sqlite3.DatabaseError, EncryptionFailed):
        pass  # a damaged file: kept for a person to look at, as before


def _chunks(handle) -> Iterator[bytes]:
    return iter(lambda: handle.read(PART_BYTES), b"")


def _plain_attachment(path: Path) -> bool:
    """A stored file not yet sealed: its content's SHA-256 is its name."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in _chunks(handle):
            digest.update(chunk)
    return digest.hexdigest() == path.name


def encrypt_attachment(path: Path, key: bytes) -> None:
    """Seal one stored file in place, when it is still plain."""
    if fits(path, key) or not _plain_attachment(path):
        return

    def sealed(partial: Path) -> None:
        partial.unlink()  # SQLCipher makes the file itself
        with open(path, "rb") as handle:
            seal_to(partial, key, iter(_chunks(handle)))

    write_atomically(path, sealed, prefix=".encrypt-")


def encrypt_folder(data_dir: Path, key: bytes) -> None:
    """Encrypt whatever in the folder is still plain (the module docstring's steps)."""
    data_dir = Path(data_dir)
    keys.mark_plain_left(data_dir, True)
    encrypt_database(data_dir, key)
    for folder in (data_dir / BACKUP_FOLDER, data_dir / REPLACED_FOLDER):
        for path in sorted(folder.glob("*.db")) if folder.is_dir() else ():
            _encrypt_copy_in_place(path, key)
    attachments = data_dir / ATTACHMENT_FOLDER
    for path in sorted(attachments.glob("*/*")) if attachments.is_dir() else ():
        if path.is_file() and SHA256.match(path.name):
            encrypt_attachment(path, key)
    folders = [data_dir, data_dir / BACKUP_FOLDER, attachments, *attachments.glob("??")]
    for folder in folders:
        for pattern in _LEFTOVERS:
            for path in folder.glob(pattern) if folder.is_dir() else ():
                path.unlink(missing_ok=True)
    keys.mark_plain_left(data_dir, False)
