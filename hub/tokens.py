"""The secrets the hub hands out: one-time enrolment codes and device tokens, and the hashes
that are all the database keeps of them (SHA-256: both are long random values, so a slow hash
adds nothing; admin passwords, chosen by people, get argon2 in hub/admins.py).
"""

from __future__ import annotations

import hashlib
import secrets

# Enrolment codes are read aloud and typed by hand: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_GROUPS = 4
CODE_GROUP_LENGTH = 4  # 16 characters of 25 letters: about 74 bits


def new_code() -> str:
    """A one-time enrolment code, e.g. 'K7QX-4MCT-HW9A-R3PD'."""
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH)) for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


def normalized_code(text: str) -> str:
    """A code as typed (lower case, spaces, dashes) in the one form it is hashed in."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def code_hash(code: str) -> str:
    """What the database keeps of an enrolment code."""
    return hashlib.sha256(("code:" + normalized_code(code)).encode()).hexdigest()


def new_token() -> str:
    """A device token: 32 random bytes, URL-safe base64."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps of a device token."""
    return hashlib.sha256(("token:" + token).encode()).hexdigest()
