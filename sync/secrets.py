"""Target secrets (tokens, robot secrets, webhook URLs) in the operating system's keyring.

Entries live under service "yici" with username "target-<target id>:<secret name>", e.g.
"target-3:token". The target id (not its name) is used because a target can be renamed while its
secrets stay; when a target is deleted, call `delete_secrets` so a later target that happens to
get the same id does not inherit them.

Whatever backend keyring is configured with is used (keyring's config file,
PYTHON_KEYRING_BACKEND, or its own choice). When there is no usable backend we refuse with
`NoKeyring`: secrets are never written anywhere else, least of all to a plain-text file.
"""

from __future__ import annotations

from collections.abc import Iterable

import keyring
import keyring.errors
from keyring.backends import chainer, fail, null

SERVICE = "yici"

NO_KEYRING_MESSAGE = (
    "此电脑没有可用的系统钥匙串（keyring），无法安全保存密钥。"
    "请安装/启用系统钥匙串（如 GNOME Keyring、KWallet 或 Windows 凭据管理器）后重试。"
)


class NoKeyring(Exception):
    """No usable system keyring: secrets cannot be kept safely. `message` is for the user."""

    def __init__(self, message: str = NO_KEYRING_MESSAGE):
        super().__init__(message)
        self.message = message


class KeyringFailed(NoKeyring):
    """The keyring exists but refused this operation (locked, D-Bus gone, access denied)."""


def _target_id(target) -> int:
    """A TargetConfig (or anything with .id) or a bare integer target id; never a name."""
    target_id = getattr(target, "id", target)
    if isinstance(target_id, bool) or not isinstance(target_id, int):
        raise TypeError(f"secrets are keyed by target id: pass the target or its id, not {target_id!r}")
    return target_id


def _username(target, name: str) -> str:
    return f"target-{_target_id(target)}:{name}"


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
    names = _backend_names(keyring.get_keyring())
    if not names:
        return False, NO_KEYRING_MESSAGE
    return True, "系统钥匙串：" + "、".join(names)


def _backend():
    backend = keyring.get_keyring()
    if not _backend_names(backend):
        raise NoKeyring()
    return backend


def _failed(exc: Exception) -> KeyringFailed:
    return KeyringFailed(
        f"系统钥匙串无法使用（{type(exc).__name__}: {exc}）。请解锁或重新启用系统钥匙串后重试。"
    )


def set_secret(target, name: str, value: str) -> None:
    """Keep `value` as the target's secret `name`; raises NoKeyring when it cannot be kept safely."""
    backend = _backend()
    try:
        backend.set_password(SERVICE, _username(target, name), value)
    except (keyring.errors.KeyringError, NotImplementedError) as exc:
        raise _failed(exc) from exc


def get_secret(target, name: str) -> str | None:
    """The target's secret `name`, or None when it was never set."""
    backend = _backend()
    try:
        return backend.get_password(SERVICE, _username(target, name))
    except keyring.errors.KeyringError as exc:
        raise _failed(exc) from exc


def delete_secrets(target, names: Iterable[str]) -> None:
    """Forget these secrets of the target; missing ones are fine."""
    backend = _backend()
    for name in names:
        try:
            backend.delete_password(SERVICE, _username(target, name))
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise _failed(exc) from exc


def secrets_for(target, names: Iterable[str]) -> dict[str, str]:
    """{name: value} for those of `names` that are set (unset ones are left out)."""
    found = {}
    for name in names:
        value = get_secret(target, name)
        if value:
            found[name] = value
    return found
