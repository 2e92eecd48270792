"""Where a data folder's attachments live and what they are named: `attachments/<ab>/<sha256>`,
the SHA-256 of the plain content (the file itself is sealed, forms/store/attachments.py)."""

from __future__ import annotations

import re
from pathlib import Path

ATTACHMENT_FOLDER = "attachments"
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def attachment_file(data_dir: Path, sha256: str) -> Path:
    """Where the content with this SHA-256 lives (whether or not it is there)."""
    return data_dir / ATTACHMENT_FOLDER / sha256[:2] / sha256
