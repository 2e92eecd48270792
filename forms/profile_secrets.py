"""Which keyring secrets a target needs before it can deliver, and which this laptop lacks.

Names only, never values: a profile lists them so the cadre knows what to enter after an import
(`yici targets secret 平台名 --name 密钥名`). The kinds say what they need (forms/target_kinds.py).
"""

from __future__ import annotations

from forms import target_kinds
from forms.store import Store, Target


def secrets_needed(store: Store, target: Target) -> list[str]:
    """Names of the keyring secrets a target needs before it can deliver (never their values):
    what the kind requires with these options (rest: the one its `auth` calls for), and
    optional ones already set on this laptop (e.g. a robot's 加签 `sign_secret`)."""
    names = list(target_kinds.required_secrets(target.kind, target.options))
    for name in target_kinds.secret_names(target.kind):
        if name not in names and target_kinds.secret_is_set(store, target, name):
            names.append(name)
    return names


def missing_secrets(store: Store, target: Target, names: list[str]) -> list[str]:
    """Which of `names` this laptop's keyring does not hold for the target (all, without a keyring)."""
    return [name for name in names if not target_kinds.secret_is_set(store, target, name)]
