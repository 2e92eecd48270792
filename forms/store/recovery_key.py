"""The recovery key as a person reads, prints and types it: 30 random characters of Crockford's
base32 (150 bits) and 2 check characters, in eight groups of four (7K3Q-…); typing slips are
caught by the check before any key is tried."""

from __future__ import annotations

import hashlib
import secrets

from forms.i18n import tr
from forms.store.errors import WrongKey

# Crockford's base32: no I, L, O or U, so nothing reads as another letter on paper.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_CHARS, CHECK_CHARS = 30, 2  # 150 random bits and a 10-bit check against typing slips


def _check_chars(body: str) -> str:
    n = int.from_bytes(hashlib.sha256(body.encode()).digest()[:2], "big") >> 6
    return ALPHABET[n >> 5] + ALPHABET[n & 31]


def new_recovery_key() -> str:
    """A new recovery key, as printed: eight groups of four characters."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RECOVERY_CHARS))
    return grouped(body + _check_chars(body))


def grouped(text: str) -> str:
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def normal_recovery_key(text: str) -> str:
    """The recovery key as typed, checked and normalised (lower case, spaces, O for 0 forgiven);
    WrongKey when it is not one."""
    body = (
        "".join(text.split()).replace("-", "").upper().replace("O", "0").replace("I", "1").replace("L", "1")
    )
    if len(body) != RECOVERY_CHARS + CHECK_CHARS or any(c not in ALPHABET for c in body):
        raise WrongKey(
            tr(
                "恢复密钥的格式不对：应为 8 组、每组 4 个字母或数字（共 32 个）。"
                "请对照打印的恢复密钥重新输入。"
                " / That is not a recovery key (8 groups of 4)."
            )
        )
    if _check_chars(body[:RECOVERY_CHARS]) != body[RECOVERY_CHARS:]:
        raise WrongKey(
            tr(
                "恢复密钥有输错的地方（校验不符）。请对照打印的恢复密钥逐组核对后重新输入。"
                " / The recovery key has a typing mistake."
            )
        )
    return grouped(body)
