"""Target secrets (tokens, robot secrets, webhook URLs) in the operating system's keyring.

Entries live under service "yici" with username "folder-<data folder id>/target-<uid>:<name>".
The data folder's id is kept in its database and a target's uid is never reused, so another
data folder on the same account never sees them, removing a target removes only its own, and a
target added after an older backup was restored starts with none. When a person enters a secret
the store remembers where the target sends (`Target.secret_origin`, not secret): the engine
never sends the secrets anywhere else (sync/secret_binding.py).

Entries under the names of earlier versions ("target-<id>:<name>") are moved to the new names
on first use in the data folder that listed them at its upgrade, then deleted, so a second data
folder that shared those names cannot inherit them: it asks for its secrets again. Entries of
removed targets, or of targets whose address changed, are deleted on the keyring's next use
(the store lists them in the same transaction that makes them unreachable).

Which keyring may be used (an operating-system keychain; a plain-file backend only when an
administrator names it; `NoKeyring` otherwise) is forms/keychain.py, shared with the data key.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import keyring.errors

from forms import target_kinds
from forms.keychain import (  # noqa: F401 - the policy's names, as callers have always found them here
    BACKEND_ENV,
    NO_KEYRING_MESSAGE,
    SERVICE,
    KeyringFailed,
    NoKeyring,
    failed,
    is_file_backend,
    keyring_status,
    named_backend,
    usable_backend,
)
from sync import secret_binding

_chores = threading.Lock()  # the drain's threads share a store: one of them does the chores

_backend = usable_backend
_failed = failed


# -- names ------------------------------------------------------------------------------------


def _uid(target) -> str:
    """A Target or TargetConfig's uid; never a name or a bare id (those are reused)."""
    uid = getattr(target, "uid", None)
    if not isinstance(uid, str) or not uid:
        raise TypeError(f"secrets are keyed by the target's uid: pass the store's target, not {target!r}")
    return uid


def _username(folder: str, uid: str, name: str) -> str:
    return f"folder-{folder}/target-{uid}:{name}"


def _old_username(target_id: int, name: str) -> str:
    return f"target-{target_id}:{name}"


def _kind_secret_names(kind_name: str) -> tuple[str, ...]:
    """The entries a kind may have (every kind's, for one this version does not know)."""
    if target_kinds.is_kind(kind_name):
        return target_kinds.secret_names(kind_name)
    return tuple(dict.fromkeys(n for k in target_kinds.kind_names() for n in target_kinds.secret_names(k)))


def _scope(store, backend) -> str:
    """This data folder's id, after its keyring chores (old names moved, leftovers deleted)."""
    folder = store.data_folder_id()
    adopt, forget = store.keyring_chores()
    if adopt or forget:
        with _chores:
            _adopt_old_names(store, backend, folder)
            _forget_leftovers(store, backend, folder)
    return folder


def _adopt_old_names(store, backend, folder: str) -> None:
    """Move this folder's entries from the names of earlier versions, then delete those."""
    adopt, _ = store.keyring_chores()
    if not adopt:
        return
    live = {t.id: t for t in store.targets()}
    try:
        for target_id, uid in adopt:
            target = live.get(target_id)
            if target is None or target.uid != uid:
                continue  # removed, or its address changed since: those entries are not its own
            moved = {}
            for name in _kind_secret_names(target.kind):
                value = backend.get_password(SERVICE, _old_username(target_id, name))
                if value is None:
                    continue
                new_name = _username(folder, uid, name)
                if backend.get_password(SERVICE, new_name) is None:
                    backend.set_password(SERVICE, new_name, value)
                _delete(backend, _old_username(target_id, name))
                moved[name] = value
            if moved and target.secret_origin is None:
                # Bound to where it sends now: for a robot, the host its webhook names.
                store.bind_secrets(
                    target.id, secret_binding.origins_for(target_kinds.addresses(target.config()), moved)
                )
    except (keyring.errors.KeyringError, NotImplementedError) as exc:
        raise _failed(exc) from exc
    store.keyring_chores_done(adopted=True)


def _forget_leftovers(store, backend, folder: str) -> None:
    """Delete the entries of removed targets and of targets whose address changed."""
    _, forget = store.keyring_chores()
    done = []
    try:
        for uid, kind in forget:
            for name in _kind_secret_names(kind):
                _delete(backend, _username(folder, uid, name))
            done.append(uid)
    except (keyring.errors.KeyringError, NotImplementedError) as exc:
        raise _failed(exc) from exc
    finally:
        if done:
            store.keyring_chores_done(forgotten=tuple(done))


def _delete(backend, username: str) -> None:
    try:
        backend.delete_password(SERVICE, username)
    except keyring.errors.PasswordDeleteError:
        pass


# -- a target's secrets -------------------------------------------------------------------------


def secrets_for(store, target, names: Iterable[str]) -> dict[str, str]:
    """{name: value} for those of `names` the target has (unset ones are left out)."""
    backend = _backend()
    folder = _scope(store, backend)
    uid = _uid(target)
    found = {}
    try:
        for name in names:
            value = backend.get_password(SERVICE, _username(folder, uid, name))
            if value:
                found[name] = value
    except keyring.errors.KeyringError as exc:
        raise _failed(exc) from exc
    return found


def get_secret(store, target, name: str) -> str | None:
    """The target's secret `name`, or None when it was never set."""
    return secrets_for(store, target, (name,)).get(name)


def set_secret(store, target, name: str, value: str) -> None:
    """A person entered `value` as the target's secret `name`: keep it in the keyring, bound to
    where the target sends now. Secrets entered for another address are deleted first. Raises
    NoKeyring when it cannot be kept safely."""
    backend = _backend()
    folder = _scope(store, backend)
    current = store.live_target(target.id)  # the uid and address as they are now, not as shown
    names = _kind_secret_names(current.kind)
    held = secrets_for(store, current, names)
    after = {**held, name: value}
    origin = secret_binding.origins_for(target_kinds.addresses(current.config()), after)
    try:
        if current.secret_origin and origin and current.secret_origin != origin:
            for other in held:
                if other != name:
                    _delete(backend, _username(folder, current.uid, other))
        backend.set_password(SERVICE, _username(folder, current.uid, name), value)
    except (keyring.errors.KeyringError, NotImplementedError) as exc:
        raise _failed(exc) from exc
    store.bind_secrets(current.id, origin)


def delete_secrets(store, target, names: Iterable[str] | None = None) -> None:
    """Forget these secrets of the target (all of them by default); missing ones are fine."""
    backend = _backend()
    folder = _scope(store, backend)
    uid = _uid(target)
    try:
        for name in _kind_secret_names(target.kind) if names is None else names:
            _delete(backend, _username(folder, uid, name))
    except keyring.errors.KeyringError as exc:
        raise _failed(exc) from exc


def tidy(store) -> None:
    """Do the keyring's chores now (e.g. right after a target was removed): raises NoKeyring
    when there is no keyring, KeyringFailed when it refused."""
    _scope(store, _backend())


def secret_is_set(store, target, name: str) -> bool:
    """Does the keyring hold this secret of the target? False without a keyring."""
    try:
        return bool(get_secret(store, target, name))
    except NoKeyring:
        return False
