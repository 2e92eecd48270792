"""Upgrading a data folder written before encryption: its database, backups and attachments are
encrypted in place on the first start of a version that encrypts, and none of them is lost.

Order, each step whole or not at all, so a power cut (or a killed process) anywhere leaves a folder
that the next start finishes:

1. the plain database is checkpointed (its -wal folded in and removed);
2. an encrypted backup of it is made and verified (`backups/yici-before-encryption-…`);
3. an encrypted copy is written beside it (sqlcipher_export), verified against the plain one
   (integrity check, the schema, every table's row count), then renamed over it;
4. every plain backup, file set aside in `replaced/` and attachment is encrypted the same way:
   a new file, verified, renamed over the old one; a damaged one (a backup that is no sound
   database, an attachment whose content does not match its name) is sealed whole as an opaque
   `<name>.damaged` and its plain file removed;
5. once no file is left plain, the key file stops saying that plain files are left (`plain_left`).

Until step 5 the key file says so, and every start runs what is left; a file already encrypted
is recognised and skipped. Half-written copies (`.encrypt-*.tmp`) never carry a name Yici reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
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
DAMAGED_SUFFIX = ".damaged"
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
    One that cannot be read as a database (it was never a sound copy) is sealed whole."""
    if not is_plain(path):
        return
    try:
        write_atomically(path, lambda partial: _encrypted_copy(path, partial, key), prefix=".encrypt-")
    except (sqlite3.DatabaseError, EncryptionFailed):
        seal_damaged(path, key)


def _chunks(handle) -> Iterator[bytes]:
    return iter(lambda: handle.read(PART_BYTES), b"")


def _sealed_from(path: Path, key: bytes) -> Callable[[Path], None]:
    """A writer for write_atomically: the bytes of `path`, sealed with `key`."""

    def sealed(partial: Path) -> None:
        partial.unlink()  # SQLCipher makes the file itself
        with open(path, "rb") as handle:
            seal_to(partial, key, iter(_chunks(handle)))

    return sealed


def seal_damaged(path: Path, key: bytes) -> Path:
    """A plain file that is not what its name says (a backup that is no sound database, an
    attachment whose content does not match its name): kept for a person to look at, but sealed
    whole, as an opaque blob, under `<name>.damaged` (a name Yici never reads as data); the plain
    file is removed once the sealed one is in place."""
    target = path.with_name(path.name + DAMAGED_SUFFIX)
    n = 1
    while target.exists():  # one sealed by a run cut short before it removed the plain file
        n += 1
        target = path.with_name(f"{path.name}.{n}{DAMAGED_SUFFIX}")
    write_atomically(target, _sealed_from(path, key), prefix=".encrypt-")
    path.unlink()
    return target


def _plain_attachment(path: Path) -> bool:
    """A stored file not yet sealed: its content's SHA-256 is its name."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in _chunks(handle):
            digest.update(chunk)
    return digest.hexdigest() == path.name


def encrypt_attachment(path: Path, key: bytes) -> None:
    """Seal one stored file in place, when it is still plain; one whose content does not match its
    name is sealed whole as damaged."""
    if fits(path, key):
        return
    if not _plain_attachment(path):
        seal_damaged(path, key)
        return
    write_atomically(path, _sealed_from(path, key), prefix=".encrypt-")


def _plain_files(data_dir: Path, key: bytes) -> list[Path]:
    """Files of the folder still plain: databases with SQLite's plain header, stored files the
    key does not open."""
    databases = [data_dir / DB_NAME]
    for folder in (data_dir / BACKUP_FOLDER, data_dir / REPLACED_FOLDER):
        databases += sorted(folder.glob("*.db")) if folder.is_dir() else []
    left = [p for p in databases if p.is_file() and is_plain(p)]
    attachments = data_dir / ATTACHMENT_FOLDER
    for path in sorted(attachments.glob("*/*")) if attachments.is_dir() else ():
        if path.is_file() and SHA256.match(path.name) and not fits(path, key):
            left.append(path)
    return left


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
    # Only when nothing is left plain (a file that could not be sealed keeps the flag, and the
    # next start tries again).
    if not _plain_files(data_dir, key):
        keys.mark_plain_left(data_dir, False)
