"""Attachments: files in `<data_dir>/attachments/<ab>/<sha256>`, stored once per content, with
a row per record that names them. Each file is sealed with the data key (forms/store/cipher.py);
its name stays the SHA-256 of the plain content, so content addressing (the hub, handovers,
duplicates) is unchanged. Readers get the plain bytes from `attachment_bytes`."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from forms.atomic import fsync_folder
from forms.file_lock import FileLock, try_lock_file
from forms.i18n import tr
from forms.store.attachment_names import ATTACHMENT_FOLDER, SHA256, attachment_file
from forms.store.cipher import PART_BYTES, read_sealed, seal_to, sqlite3
from forms.store.connection import Connection
from forms.store.errors import NotAllowed, NotFound, StoreError, guarded
from forms.store.records import get_record
from forms.store.rows import Attachment
from forms.store.times import timestamp


def _chunks(handle: BinaryIO) -> Iterable[bytes]:
    return iter(lambda: handle.read(PART_BYTES), b"")


def store_file(data_dir: Path, source: bytes | str | Path, key: bytes) -> tuple[str, int]:
    """Seal the content into the attachments folder under its (plain) SHA-256; (sha256, size).

    Atomic like forms.atomic.write_atomically (temporary file, fsync, rename), so a power cut
    never leaves half a photo; written here because the name is known only once the content
    has been read, and reading a large photo twice to learn it first would double the work."""
    folder = data_dir / ATTACHMENT_FOLDER
    folder.mkdir(exist_ok=True)
    import hashlib  # here: it loads OpenSSL, which opening a folder does not need

    digest, size = hashlib.sha256(), 0
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".incoming-")
    os.close(fd)
    try:
        src: BinaryIO | None = None
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
            chunks: Any = [data[i : i + PART_BYTES] for i in range(0, len(data), PART_BYTES)] or [b""]
        else:
            src = open(source, "rb")
            chunks = _chunks(src)

        def parts() -> Iterator[bytes]:
            nonlocal size
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                yield chunk

        try:
            seal_to(Path(tmp), key, parts())
        finally:
            if src is not None:
                src.close()
        sha = digest.hexdigest()
        target = attachment_file(data_dir, sha)
        target.parent.mkdir(exist_ok=True)
        if target.exists():
            os.unlink(tmp)
        else:
            os.replace(tmp, target)
            fsync_folder(target.parent)
        return sha, size
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_file(path: Path, sha256: str, key: bytes) -> bytes:
    """The plain content of a stored file. One not yet sealed (an upgrade still under way,
    forms/store/encrypting.py) is read as it is when its SHA-256 is its name."""
    try:
        return b"".join(read_sealed(path, key))
    except sqlite3.DatabaseError:
        import hashlib

        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() == sha256:
            return data
        raise StoreError(
            tr(
                "附件文件 {name} 无法解密（不是用这个数据文件夹的密钥加密的，或已损坏）。"
                " / The attachment cannot be decrypted."
            ).format(name=path.name)
        ) from None


_opened: list[Path] = []  # folders of plain copies handed to other programs, removed at exit
_held: list[FileLock] = []  # their "in use" locks, held while this process runs
OPEN_PREFIX = "yici-open-"
IN_USE = ".in-use"
STALE_AFTER = 60  # seconds: a folder just made is locked by its process within this time


def _remove_opened() -> None:
    for held in _held:
        held.release()
    for folder in _opened:
        shutil.rmtree(folder, ignore_errors=True)


def remove_stale_copies() -> int:
    """At start: remove the folders of plain copies that a run of this user killed before it
    could remove them (nobody holds their "in use" lock any more). How many were removed."""
    removed = 0
    for folder in Path(tempfile.gettempdir()).glob(OPEN_PREFIX + "*"):
        try:
            info = folder.lstat()
            mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
            if folder.is_symlink() or not folder.is_dir() or not mine or folder in _opened:
                continue
            # Only folders whose process marked them "in use" (a lock file): a folder without
            # one may belong to a process that never locks, and is left alone.
            if time.time() - info.st_mtime < STALE_AFTER or not (folder / IN_USE).is_file():
                continue
            held = try_lock_file(folder / IN_USE)
        except OSError:
            continue
        if held is None:
            continue  # a Yici that is running still shows these copies
        held.release()
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


@contextlib.contextmanager
def plain_copies(purpose: str) -> Iterator[Path]:
    """A private temporary folder for plain copies another program reads (the files a browser
    uploads), removed when the block ends; if the process is killed first, the next start
    removes it (remove_stale_copies), as it is marked "in use" while the block runs."""
    folder = Path(tempfile.mkdtemp(prefix=f"{OPEN_PREFIX}{purpose}-"))
    held = None
    try:
        held = try_lock_file(folder / IN_USE)
        yield folder
    finally:
        if held is not None:
            held.release()
        shutil.rmtree(folder, ignore_errors=True)


class AttachmentsMixin(Connection):
    """Store methods for a record's files."""

    @guarded
    def add_attachment(
        self, uuid: str, path_or_bytes: bytes | str | Path, name: str | None = None
    ) -> Attachment:
        """Attach a file (path or bytes) to a record; stored once per content."""
        record = get_record(self.db, uuid)
        if record.status == "void":
            raise NotAllowed(tr("已作废的记录不能再添加附件。 / A void record takes no attachments."))
        if name is None:
            if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
                raise NotAllowed(tr("请给附件起个文件名。 / An attachment needs a name."))
            name = Path(path_or_bytes).name
        try:
            sha, size = store_file(self.data_dir, path_or_bytes, self.key)
        except OSError as exc:
            # Only a path can be the missing file; for bytes it is the data folder that is gone,
            # and the message must not print the bytes.
            if isinstance(exc, FileNotFoundError) and isinstance(path_or_bytes, (str, Path)):
                raise NotFound(
                    tr("找不到要添加的文件：{path_or_bytes}。 / File not found.").format(
                        path_or_bytes=path_or_bytes
                    )
                ) from exc
            raise StoreError(
                tr(
                    "无法保存附件“{name}”：{strerror}。请检查磁盘空间和文件夹权限。"
                    " / Could not store the attachment."
                ).format(name=name, strerror=exc.strerror)
            ) from exc
        with self._write() as db:
            db.execute(
                "INSERT OR IGNORE INTO attachments(sha256, record_uuid, name, size, "
                "added_at) VALUES (?, ?, ?, ?, ?)",
                [sha, record.uuid, name, size, timestamp()],
            )
        return Attachment(sha, name, size, record.uuid)

    @guarded
    def attachments(self, uuid: str) -> list[Attachment]:
        """A record's attachments, in the order they were added."""
        record = get_record(self.db, uuid)
        return [
            Attachment(*r)
            for r in self.db.execute(
                "SELECT sha256, name, size, record_uuid FROM attachments WHERE record_uuid = ? ORDER BY id",
                [record.uuid],
            )
        ]

    @guarded
    def attachment_times(self, uuid: str) -> dict[str, str]:
        """When each of a record's files was added to it: sha256 -> stored time (a printed
        photo without its own taken time says this one)."""
        return {
            r[0]: r[1]
            for r in self.db.execute(
                "SELECT sha256, added_at FROM attachments WHERE record_uuid = ? ORDER BY id", [uuid]
            )
        }

    def attachment_path(self, sha256: str) -> Path:
        """Where an attachment's sealed file is (NotFound if it is not there): read it with
        `attachment_bytes`."""
        sha = str(sha256).lower()
        path = attachment_file(self.data_dir, sha) if SHA256.match(sha) else None
        if path is None or not path.is_file():
            raise NotFound(tr("附件文件不存在：{sha256}。 / Attachment file missing.").format(sha256=sha256))
        return path

    def attachment_bytes(self, sha256: str) -> bytes:
        """An attachment's plain content (NotFound if it is not there)."""
        return read_file(self.attachment_path(sha256), str(sha256).lower(), self.key)

    def attachment_copy(self, sha256: str) -> Path:
        """A plain copy of an attachment for another program (an image viewer) or Qt's image
        reader, in a private temporary folder removed when this process ends (or, after a run
        that was killed, at the next start: remove_stale_copies). Not protected while it exists:
        docs/SECURITY.md says so."""
        if not _opened:
            folder = Path(tempfile.mkdtemp(prefix=OPEN_PREFIX))
            _opened.append(folder)
            atexit.register(_remove_opened)
            held = try_lock_file(folder / IN_USE)  # a later start leaves it alone while held
            if held is not None:
                _held.append(held)
        sha = str(sha256).lower()
        path = _opened[0] / sha
        if not path.is_file():
            path.write_bytes(self.attachment_bytes(sha))
        return path
