"""Which operating-system keyring Yici may use, shared by the data key (forms/store/keys.py) and
the platforms' secrets (sync/secrets.py).

Only an operating-system keychain is used: a backend that keeps secrets in a plain or merely
encoded file (keyrings.alt's PlaintextKeyring, EncryptedKeyring and their kin) is never chosen
automatically; it is used only when an administrator names it (PYTHON_KEYRING_BACKEND or
keyring's keyringrc.cfg). With no usable backend the callers hear `NoKeyring`: nothing is written
anywhere else.
"""

from __future__ import annotations

import configparser
import os
from typing import Any

import keyring
import keyring.backend
import keyring.core
import keyring.errors
from keyring.backends import chainer, fail, null

from forms.i18n import tr, tr_noop

SERVICE = "yici"
BACKEND_ENV = "PYTHON_KEYRING_BACKEND"

NO_KEYRING_MESSAGE = tr_noop(
    "此电脑没有可用的系统钥匙串（keyring），无法安全保存密钥。"
    "请安装/启用系统钥匙串（如 GNOME Keyring、KWallet 或 Windows 凭据管理器）后重试。"
)

# Backends that keep secrets in a file of their own, in plain text or merely encoded: never
# chosen automatically (Debian-based systems may have keyrings.alt installed).
_FILE_MODULES = ("keyrings.alt.file", "keyrings.alt.file_base", "keyrings.alt.pyfs", "keyring.backends.file")
_FILE_CLASSES = ("FileBacked", "PlaintextKeyring", "EncryptedKeyring", "CryptFileKeyring")


class NoKeyring(Exception):
    """No usable system keyring: secrets cannot be kept safely. `message` is for the user."""

    def __init__(self, message: str | None = None):
        message = message or tr(NO_KEYRING_MESSAGE)
        super().__init__(message)
        self.message = message


class KeyringFailed(NoKeyring):
    """The keyring exists but refused this operation (locked, D-Bus gone, access denied)."""


# -- which backend ----------------------------------------------------------------------------


def is_file_backend(backend: Any) -> bool:
    """Does this backend keep secrets in a file of its own (plain text or merely encoded)?"""
    for cls in type(backend).__mro__:
        module = getattr(cls, "__module__", "") or ""
        if module.startswith(_FILE_MODULES):
            return True
        if cls.__name__ in _FILE_CLASSES and module.startswith(("keyring", "keyrings")):
            return True
    return isinstance(getattr(type(backend), "file_path", None), property)


def _not_a_file(backend: Any) -> bool:
    return not is_file_backend(backend)


def named_backend() -> str | None:
    """The backend an administrator named for keyring (PYTHON_KEYRING_BACKEND, else keyring's
    own keyringrc.cfg), or None when keyring is left to choose."""
    named = os.environ.get(BACKEND_ENV, "").strip()
    if named:
        return named
    config = configparser.RawConfigParser()
    try:
        config.read(keyring.core._config_path(), encoding="utf-8")
        return config.get("backend", "default-keyring").strip() or None
    except (configparser.Error, OSError, UnicodeDecodeError, AttributeError):
        return None


def _chained(backend: Any) -> list[Any]:
    return list(backend.backends) if isinstance(backend, chainer.ChainerBackend) else [backend]


def _current() -> Any:
    """keyring's backend, chosen the way Yici allows: a file-backed one only when named."""
    backend = keyring.core._keyring_backend  # set by keyring's own detection or set_keyring
    if named_backend():
        return backend if backend is not None else keyring.get_keyring()
    if backend is None or any(is_file_backend(b) for b in _chained(backend)):
        # keyring's own detection, with the file-backed backends left out (None when only
        # those are there: then fail.Keyring, i.e. no keyring).
        keyring.core.init_backend(limit=_not_a_file)
        backend = keyring.get_keyring()
    return backend


def _backend_names(backend) -> list[str] | None:
    """Names of the backends that would hold secrets, or None when none is usable."""
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        return None
    if isinstance(backend, chainer.ChainerBackend):
        names: list[str] = []
        for chained in backend.backends:
            names.extend(_backend_names(chained) or [])
        return names or None
    try:
        if type(backend).priority <= 0:
            return None
    except Exception:  # noqa: BLE001 - a backend says "not here" by raising from priority
        return None
    return [getattr(backend, "name", type(backend).__name__)]


def keyring_status() -> tuple[bool, str]:
    """(usable, a plain Chinese sentence saying where secrets are kept or why they cannot be)."""
    names = _backend_names(_current())
    if not names:
        return False, tr(NO_KEYRING_MESSAGE)
    named = tr("（由管理员指定）") if named_backend() else ""
    return True, tr("系统钥匙串：") + "、".join(names) + named


def usable_backend():
    backend = _current()
    if not _backend_names(backend):
        raise NoKeyring()
    return backend


def failed(exc: Exception) -> KeyringFailed:
    return KeyringFailed(
        tr("系统钥匙串无法使用（{error_type}: {exc}）。请解锁或重新启用系统钥匙串后重试。").format(
            error_type=type(exc).__name__, exc=exc
        )
    )
