"""The data key of a data folder: made at setup, kept in the OS keyring, wrapped for recovery.

The key is 32 random bytes; SQLCipher takes it raw (forms/store/cipher.py). It lives in the
operating system's keyring (service "yici", entry "data-key/<key id>"), so a cadre never types
it. `yici-key.json` beside the database holds only wrapped copies and a check value, never the
key itself:

- `recovery`: the key sealed with a key derived (scrypt) from the recovery key, which is shown
  once at setup for printing and opens the data on another laptop or after the keyring is lost;
- `passphrase`: the key sealed with a key derived from a passphrase, where there is no keyring
  (or when YICI_PASSPHRASE_FILE names one at setup);
- `shown`: the recovery key sealed with the data key, so it can be shown again on request;
- `recovery_unconfirmed`: the recovery key is shown at every start until the person confirms it
  is written down (a process killed after making the key still shows it next time).

The file's format, the wrapping and the folder's key lock are in forms/store/key_file.py.

Once unlocked, a key stays in this process's memory until it ends: data in memory while Yici
runs is not protected (docs/SECURITY.md says what is and is not).
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import keyring.errors

from forms import keychain
from forms.i18n import tr
from forms.store import key_file
from forms.store.cipher import KEY_BYTES, seal, unseal
from forms.store.errors import BackupKeyNeeded, BackupKeyWrong, KeyNeeded, KeyProblem, WrongKey
from forms.store.key_file import KEY_FILE as KEY_FILE
from forms.store.key_file import KeyFile as KeyFile
from forms.store.key_file import check_value, unwrap, wrap
from forms.store.key_file import folder_lock as folder_lock
from forms.store.key_file import key_file_path as key_file_path
from forms.store.key_file import read_key_file as read_key_file
from forms.store.key_file import write_key_file as write_key_file
from forms.store.recovery_key import new_recovery_key, normal_recovery_key

PASSPHRASE_ENV = "YICI_PASSPHRASE_FILE"
MIN_PASSPHRASE = 8

# What this process has unlocked, by key id (see the module docstring).
_unlocked: dict[str, bytes] = {}
# How a passphrase is asked for: set by the shells (the terminal, the window). `purpose` is
# "open" or "new"; None back means nobody answered.
Asker = Callable[[str, Path], str | None]
_asker: Asker | None = None


def set_asker(asker: Asker | None) -> None:
    """Install how a passphrase is asked for (the command line's terminal, the window's dialog)."""
    global _asker
    _asker = asker


# -- the keyring ---------------------------------------------------------------------------------


def _entry(key_id: str) -> str:
    return f"data-key/{key_id}"


def _from_keyring(key_id: str) -> bytes | None:
    try:
        value = keychain.usable_backend().get_password(keychain.SERVICE, _entry(key_id))
    except (keychain.NoKeyring, keyring.errors.KeyringError, NotImplementedError):
        return None
    try:
        return bytes.fromhex(value) if value else None
    except ValueError:
        return None


def to_keyring(key_id: str, key: bytes) -> bool:
    """Keep the key in the OS keyring; False when there is none usable."""
    try:
        keychain.usable_backend().set_password(keychain.SERVICE, _entry(key_id), key.hex())
        return True
    except (keychain.NoKeyring, keyring.errors.KeyringError, NotImplementedError):
        return False


def keyring_usable() -> bool:
    try:
        keychain.usable_backend()
        return True
    except keychain.NoKeyring:
        return False


# -- passphrases ---------------------------------------------------------------------------------


def _passphrase(purpose: str, data_dir: Path) -> str | None:
    """From the file YICI_PASSPHRASE_FILE names (its first line, without the line break, as
    --passphrase-file reads it), else asked (terminal or window), else None."""
    named = os.environ.get(PASSPHRASE_ENV, "").strip()
    if named:
        try:
            lines = Path(named).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyProblem(
                tr("无法读取口令文件 {path}（{exc}）。 / Cannot read the passphrase file.").format(
                    path=named, exc=exc
                )
            ) from exc
        if not lines or not lines[0]:
            raise KeyNeeded(
                tr(
                    "口令文件 {path}（环境变量 {env}）的第一行是空的。请把口令写在这个文件的第一行后再试。"
                    " / The passphrase file's first line is empty."
                ).format(path=named, env=PASSPHRASE_ENV)
            )
        return lines[0]
    return _asker(purpose, data_dir) if _asker is not None else None


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyProblem(
            tr("口令太短：至少 {n} 个字符。 / The passphrase is too short.").format(n=MIN_PASSPHRASE)
        )


# -- making and unlocking ------------------------------------------------------------------------


@dataclass
class NewKey:
    """A data key just made: the key and its recovery key, to be shown once for printing."""

    key: bytes
    recovery_key: str


def create(data_dir: Path, *, plain_left: bool = False) -> NewKey:
    """Make the folder's data key and key file; the key goes into the OS keyring, or, without
    one, is wrapped with a passphrase (YICI_PASSPHRASE_FILE, else asked). KeyNeeded when there
    is neither: nothing is written then. `plain_left`: files of an upgrade are still plain."""
    data_dir = Path(data_dir)
    if key_file_path(data_dir).exists():  # never a second key for a folder (the caller holds folder_lock)
        raise KeyProblem(
            tr(
                "数据文件夹 {data_dir} 已经有钥匙文件，没有再做新的密钥，也没有改动任何数据。"
                " / The folder already has a key file; no new key was made."
            ).format(data_dir=data_dir)
        )
    key, key_id, recovery = os.urandom(KEY_BYTES), secrets.token_hex(16), new_recovery_key()
    in_keyring = keyring_usable()
    passphrase = _passphrase("new", data_dir) if not in_keyring or os.environ.get(PASSPHRASE_ENV) else None
    if not in_keyring and not passphrase:
        raise KeyNeeded(
            tr(
                "此电脑没有可用的系统钥匙串，一次无法替你保管数据密钥，也没有设置口令。"
                "请在窗口中设置一个口令，或用环境变量 {env} 指定口令文件后再试。"
                " / No keyring and no passphrase: the data key cannot be kept."
            ).format(env=PASSPHRASE_ENV)
        )
    wraps = {"recovery": wrap(key, normal_recovery_key(recovery), "sha256")}
    if passphrase:
        check_new_passphrase(passphrase)
        wraps["passphrase"] = wrap(key, passphrase)
    shown = base64.b64encode(seal(key, recovery.encode())).decode()
    # The keyring entry first: a process killed before the key file is written leaves only an
    # unused entry, never a key file whose key nobody can have (or whose recovery key nobody saw).
    if not (in_keyring and to_keyring(key_id, key)) and "passphrase" not in wraps:
        raise KeyNeeded(tr(keychain.NO_KEYRING_MESSAGE))
    data_dir.mkdir(parents=True, exist_ok=True)
    made = KeyFile(key_id, check_value(key), wraps, shown, plain_left, unconfirmed=True)
    write_key_file(data_dir, made)
    _unlocked[key_id] = key
    return NewKey(key, recovery)


def unlocked(data_dir: Path) -> bytes | None:
    """The folder's key when this process has unlocked it already (nothing is asked)."""
    try:
        found = read_key_file(data_dir)
    except KeyProblem:
        return None
    return _unlocked.get(found.key_id) if found else None


def unlock(data_dir: Path) -> bytes:
    """The folder's data key: from this process's memory, the OS keyring, or the passphrase.
    Raises KeyNeeded (nothing opens it here) or WrongKey; a refusal changes nothing."""
    data_dir = Path(data_dir)
    found = read_key_file(data_dir)
    if found is None:
        raise KeyNeeded(
            tr(
                "数据文件夹 {data_dir} 缺少钥匙文件 {name}，加密的数据无法打开。"
                "请从原来的位置（或U盘上的整个数据文件夹）把 {name} 复制回来。"
                " / The key file is missing; the encrypted data cannot be opened."
            ).format(data_dir=data_dir, name=KEY_FILE)
        )
    if found.key_id in _unlocked:
        return _unlocked[found.key_id]
    key = _from_keyring(found.key_id)
    if key is not None and check_value(key) != found.check:
        raise WrongKey(
            tr(
                "系统钥匙串里这个数据文件夹的密钥与数据不符，没有打开也没有改动任何数据。"
                "请用恢复密钥打开：yici key unlock --recovery-key。 / The keyring's key does not fit."
            ),
            "keyring",
        )
    if key is None and "passphrase" in found.wraps:
        passphrase = _passphrase("open", data_dir)
        if not passphrase:
            raise KeyNeeded(
                tr(
                    "数据文件夹 {data_dir} 要用口令打开，但没有得到口令"
                    "（不在终端里运行，也没有指定口令文件）。"
                    "请在终端（命令行窗口）里运行并输入口令，"
                    "或用环境变量 {env} 指定口令文件（口令写在第一行）。"
                    "忘了口令时，可凭打印的恢复密钥打开："
                    'yici --data-dir "{data_dir}" key unlock --recovery-key'
                    " / This folder opens with its passphrase: type it at a terminal"
                    " or name a passphrase file."
                ).format(data_dir=data_dir, env=PASSPHRASE_ENV)
            )
        if passphrase:
            key = unwrap(found.wraps["passphrase"], passphrase)
            if key is None and os.environ.get(PASSPHRASE_ENV, "").strip():
                raise WrongKey(
                    tr(
                        "口令文件 {path}（环境变量 {env}）里的口令不对，数据没有打开，也没有任何改动。"
                        "请改正口令文件，或去掉这个环境变量后再打开、手工输入口令。"
                        " / The passphrase in the passphrase file is wrong."
                    ).format(path=os.environ[PASSPHRASE_ENV].strip(), env=PASSPHRASE_ENV),
                    "passphrase-file",
                )
            if key is None:
                raise WrongKey(
                    tr("口令不对，数据没有打开，也没有任何改动。请重新输入。 / Wrong passphrase."), "typed"
                )
    if key is None:
        raise KeyNeeded(
            tr(
                "这台电脑的系统钥匙串里没有数据文件夹 {data_dir} 的密钥（换了电脑，或钥匙串被清空）。"
                '请用打印的恢复密钥打开：yici --data-dir "{data_dir}" key unlock --recovery-key'
                " / This computer's keyring has no key for this data folder; use the recovery key."
            ).format(data_dir=data_dir)
        )
    _unlocked[found.key_id] = key
    return key


def unlock_with_recovery(data_dir: Path, recovery_key: str, passphrase: str | None = None) -> bool:
    """Open the folder with its recovery key and keep the key for this computer: in the OS
    keyring, else wrapped with `passphrase` (needed then). True when the keyring took it."""
    data_dir = Path(data_dir)
    found = read_key_file(data_dir)
    if found is None:
        unlock(data_dir)  # says that the key file is missing
        raise AssertionError("unreachable")
    key = unwrap(found.wraps.get("recovery", {}), normal_recovery_key(recovery_key))
    if key is None or check_value(key) != found.check:
        raise WrongKey(
            tr(
                "恢复密钥与这个数据文件夹不符，没有打开也没有改动任何数据。"
                "请确认这是这个数据文件夹的恢复密钥。 / The recovery key does not fit this data folder."
            )
        )
    stored = to_keyring(found.key_id, key)
    if not stored:
        if not passphrase:
            raise KeyNeeded(
                tr(
                    "此电脑没有可用的系统钥匙串。请同时设置一个口令（--passphrase-file），以后用它打开数据。"
                    " / No keyring here: give a passphrase to keep the key."
                )
            )
        check_new_passphrase(passphrase)
        found.wraps["passphrase"] = wrap(key, passphrase)
        write_key_file(data_dir, found)
    _unlocked[found.key_id] = key
    return stored


def recovery_key(data_dir: Path) -> str:
    """The folder's recovery key, to show again (the caller has confirmed the operator)."""
    key = unlock(data_dir)
    found = read_key_file(data_dir)
    text = unseal(key, base64.b64decode(found.shown)) if found and found.shown else None
    if text is None:
        raise KeyProblem(tr("钥匙文件里没有可以显示的恢复密钥。 / No recovery key to show."))
    return text.decode()


def unconfirmed_recovery_key(data_dir: Path, key: bytes) -> str | None:
    """The folder's recovery key while the person has not yet said it is written down (the
    shells show it then, at every start), else None."""
    found = read_key_file(data_dir)
    if found is None or not found.unconfirmed or not found.shown:
        return None
    text = unseal(key, base64.b64decode(found.shown))
    return text.decode() if text else None


def confirm_recovery_key(data_dir: Path) -> None:
    """The person has written the recovery key down (or printed it): it is no longer shown."""
    found = read_key_file(data_dir)
    if found is not None and found.unconfirmed:
        found.unconfirmed = False
        write_key_file(data_dir, found)


def mark_plain_left(data_dir: Path, left: bool) -> None:
    """Note in the key file whether an upgrade still has plain files to encrypt."""
    found = read_key_file(data_dir)
    if found is not None and found.plain_left != left:
        found.plain_left = left
        write_key_file(data_dir, found)


def adopt(folder: Path, key: bytes) -> None:
    """A folder of this process's own (an export being imported) opened with `key`: a key file
    with only its check, and the key held in memory, never in the keyring."""
    key_id = secrets.token_hex(16)
    write_key_file(Path(folder), KeyFile(key_id, check_value(key), {}))
    _unlocked[key_id] = key


def derive(passphrase: str, salt: bytes, n: int | None = None) -> bytes:
    """A key from a passphrase a person chose (exports), by scrypt of cost `n` (default: the key
    file's)."""
    return key_file.derive(passphrase, salt, n=n)


def key_for_file(path: Path, own: bytes | None, recovery: str | None = None) -> bytes | None:
    """The key a database file is encrypted with: None for a plain one (from before encryption),
    that of the data folder the file is a backup of when it is another folder (copied whole from
    another laptop) that can be unlocked here, that of the key file beside it (`<backup>.key.json`,
    `yici backup --to`) opened by this keyring or the `recovery` key, else this folder's own `own`
    (whether it fits is for the caller's check to say)."""
    from forms.store.cipher import fits, is_plain

    path = Path(path)
    if is_plain(path) or not path.is_file():
        return None
    if own is not None and fits(path, own):
        return own
    for folder in (path.parent, path.parent.parent):
        if key_file_path(folder).is_file():
            try:
                other = unlock(folder)
            except KeyProblem:
                continue
            if fits(path, other):
                return other
    side = key_file.read_key_file_at(key_file.side_key_file(path))
    if side is not None:
        return _side_key(path, side, recovery)
    return own


def _side_key(path: Path, side: KeyFile, recovery: str | None) -> bytes:
    """The key of a backup copied elsewhere, from its key file `side`: this process's or this
    keyring's when the key id matches, else the recovery key's."""
    key = _unlocked.get(side.key_id) or _from_keyring(side.key_id)
    if key is not None and check_value(key) == side.check:
        return key
    if not recovery:
        raise BackupKeyNeeded(
            tr(
                "备份 {path} 是用另一台电脑（或另一个数据文件夹）的密钥加密的，需要那个数据文件夹的恢复密钥。"
                '请加上 --recovery-key 再运行：yici restore "{path}" --recovery-key'
                " / This backup needs its folder's recovery key: add --recovery-key."
            ).format(path=path)
        )
    try:
        typed = normal_recovery_key(recovery)
    except WrongKey as exc:  # mistyped (its check fails): for this backup, type it again
        raise BackupKeyWrong(str(exc)) from None
    key = unwrap(side.wraps.get("recovery", {}), typed)
    if key is None or check_value(key) != side.check:
        raise BackupKeyWrong(
            tr(
                "恢复密钥与这个备份不符，没有恢复，也没有改动任何数据。请确认这是做这个备份的数据文件夹的恢复密钥。"
                " / The recovery key does not fit this backup."
            )
        )
    return key
