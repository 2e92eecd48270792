"""`yici-key.json`, a data folder's key file: its format, the wrapping of the data key with a
secret, and the lock held while a folder's key is made (forms/store/keys.py uses them).

The file holds only wrapped copies of the key and a check value, never the key itself. A copy of
it, `<backup>.key.json`, travels beside each backup copied elsewhere (`yici backup --to`), so the
copy can be restored on another laptop with the recovery key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from forms.atomic import write_atomically
from forms.file_lock import lock_file
from forms.i18n import tr
from forms.store.cipher import KEY_BYTES, seal, unseal
from forms.store.errors import KeyProblem

KEY_FILE = "yici-key.json"
KEY_FORMAT = 1
SIDE_SUFFIX = ".key.json"  # beside a backup copied elsewhere: `<backup>.key.json`
# Held while a folder's key is made and its plain files are encrypted (one process at a time).
KEY_LOCK = ".yici-key.lock"
KEY_LOCK_WAIT = 30 * 60  # seconds: encrypting a large folder of photos takes minutes
# scrypt as the standard library has it; about 0.1 s and 32 MiB on a township laptop.
SCRYPT = {"n": 2**15, "r": 8, "p": 1, "maxmem": 256 * 1024 * 1024, "dklen": KEY_BYTES}


@dataclass
class KeyFile:
    """What `yici-key.json` holds."""

    key_id: str
    check: str
    wraps: dict
    shown: str = ""  # the recovery key, sealed with the data key
    plain_left: bool = False  # an upgrade has files still to encrypt
    # The recovery key was made and the person has not yet said it is written down: it is shown
    # at every start (window) or command (command line) until they do.
    unconfirmed: bool = False

    def as_json(self) -> str:
        return json.dumps(
            {
                "yici_key": KEY_FORMAT,
                "key_id": self.key_id,
                "check": self.check,
                "wraps": self.wraps,
                "shown": self.shown,
                "plain_left": self.plain_left,
                "recovery_unconfirmed": self.unconfirmed,
            },
            indent=2,
        )


def key_file_path(data_dir: Path) -> Path:
    return Path(data_dir) / KEY_FILE


def side_key_file(backup: Path) -> Path:
    """The key file beside a backup copied elsewhere."""
    return Path(f"{backup}{SIDE_SUFFIX}")


def read_key_file_at(path: Path) -> KeyFile | None:
    """The key file at `path`, or None when there is none; KeyProblem when it cannot be read."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        if raw.get("yici_key") != KEY_FORMAT:
            raise ValueError(raw.get("yici_key"))
        return KeyFile(
            str(raw["key_id"]),
            str(raw["check"]),
            dict(raw.get("wraps") or {}),
            str(raw.get("shown") or ""),
            bool(raw.get("plain_left")),
            bool(raw.get("recovery_unconfirmed")),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise KeyProblem(
            tr(
                "数据文件夹的钥匙文件 {path} 无法读取（{exc}）。请不要删除数据文件夹里的任何文件，"
                "联系技术人员。 / The folder's key file cannot be read."
            ).format(path=path, exc=exc)
        ) from exc


def read_key_file(data_dir: Path) -> KeyFile | None:
    """The folder's key file, or None when it has none; KeyProblem when it cannot be read."""
    return read_key_file_at(key_file_path(data_dir))


def write_key_file_at(path: Path, key_file: KeyFile) -> None:
    write_atomically(Path(path), key_file.as_json() + "\n", prefix=".key-")


def write_key_file(data_dir: Path, key_file: KeyFile) -> None:
    write_key_file_at(key_file_path(data_dir), key_file)


def write_side_key_file(data_dir: Path, backup: Path) -> Path:
    """Beside a backup copied elsewhere: the folder's wrapped keys and check value (no flags)."""
    found = read_key_file(data_dir)
    if found is None:
        raise KeyProblem(tr("数据文件夹没有钥匙文件。 / The data folder has no key file."))
    side = KeyFile(found.key_id, found.check, found.wraps, found.shown)
    path = side_key_file(backup)
    write_key_file_at(path, side)
    return path


@contextmanager
def folder_lock(data_dir: Path) -> Iterator[None]:
    """Hold the folder's key lock: making its key and encrypting it happen in one process at a
    time. KeyProblem when another process holds it for longer than KEY_LOCK_WAIT."""
    held = lock_file(Path(data_dir) / KEY_LOCK, timeout=KEY_LOCK_WAIT)
    if held is None:
        raise KeyProblem(
            tr(
                "另一个一次程序正在为数据文件夹 {data_dir} 设置密钥或加密，等了很久还没有完成。"
                "请等它结束（或重新启动电脑）后再打开。"
                " / Another Yici is encrypting this folder; try again later."
            ).format(data_dir=data_dir)
        )
    try:
        yield
    finally:
        held.release()


# -- wrapping the key with a secret --------------------------------------------------------------


def check_value(key: bytes) -> str:
    return hmac.new(key, b"yici data key check", hashlib.sha256).hexdigest()[:32]


def derive(secret: str, salt: bytes, kdf: str = "scrypt", n: int | None = None) -> bytes:
    """A wrapping key from a secret: scrypt (cost `n`, default SCRYPT's) for a passphrase a person
    chose; one SHA-256 for the recovery key, whose 150 random bits need no slowing down."""
    if kdf == "sha256":
        return hashlib.sha256(b"yici recovery key\0" + salt + secret.encode("ascii")).digest()
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, **{**SCRYPT, "n": n or SCRYPT["n"]})


def wrap(key: bytes, secret: str, kdf: str = "scrypt") -> dict:
    salt = os.urandom(16)
    sealed = seal(derive(secret, salt, kdf), key)
    return {"kdf": kdf, "salt": salt.hex(), "sealed": base64.b64encode(sealed).decode()}


def unwrap(wrapped: dict, secret: str) -> bytes | None:
    try:
        sealed = base64.b64decode(wrapped["sealed"])
        if wrapped["kdf"] not in ("scrypt", "sha256"):
            return None
        return unseal(derive(secret, bytes.fromhex(wrapped["salt"]), wrapped["kdf"]), sealed)
    except (KeyError, ValueError, TypeError):
        return None
