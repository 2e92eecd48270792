"""The targets page's work beside the window: testing a platform and Excel import batches.

`test_target` and `confirm_batch` run through desktop/operations.py, off the main thread: a slow
platform or a running sync never freezes the window. `upload_batches` says which import files
still wait for an upload and `choose_batch` asks which one was uploaded.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from forms.store import Store, Target
    from sync.kind import Attempt
    from sync.report import Confirmed

log = logging.getLogger(__name__)


def test_target(store: Store, target_id: int) -> Attempt:
    """In the background: the engine sends the kind's harmless test message (secrets scrubbed)."""
    from sync.engine import Deliverer
    from sync.http import Http

    http = Http()
    try:
        return Deliverer(store, http=http).test(target_id)
    finally:
        http.close()


def tidy_keyring(store: Store) -> None:
    """Delete the keyring entries no target can reach any more (a removed target's, or those
    made for an address that changed); without a keyring, or when it refuses, they are deleted
    on its next use."""
    from sync import secrets as keyring_secrets

    try:
        keyring_secrets.tidy(store)
    except keyring_secrets.NoKeyring:
        log.warning("keyring entries left for later: no usable keyring now")


def confirm_batch(store: Store, target_id: int, operator: str, path: Path) -> Confirmed:
    """In the background (it may wait for a running sync): close the batch, mark its rows."""
    from sync.engine import Deliverer

    return Deliverer(store, http=_NoHttp()).confirm_upload(target_id, operator, path)


class _NoHttp:
    """Confirming an upload talks to no platform: no HTTP session needed."""

    def close(self) -> None:
        pass


def upload_batches(target: Target, awaiting_keys: set[str]) -> list[tuple[Path, int]]:
    """(batch file, rows in it still awaiting upload) for batches with something to confirm."""
    from sync import xlsx

    found = []
    try:
        for path, _closed in xlsx.batches(target.config()):
            waiting = len(awaiting_keys & set(xlsx.batch_keys(path)))
            if waiting:
                found.append((path, waiting))
    except OSError:
        log.exception("reading the export folder failed")
    return found


def choose_batch(parent: QWidget, batches: list[tuple[Path, int]]) -> Path | None:
    """Which batch file was uploaded, when there is more than one (tests replace this)."""
    from PySide6.QtWidgets import QInputDialog

    labels = [f"{path.name}（{n} 条）" for path, n in batches]
    # Literal strings under the targets page's context, so lupdate files them correctly.
    label, ok = QInputDialog.getItem(
        parent,
        QCoreApplication.translate("TargetsDialog", "确认已上传"),
        QCoreApplication.translate("TargetsDialog", "上传了哪个导入文件？"),
        labels,
        len(labels) - 1,
        False,
    )
    return batches[labels.index(label)][0] if ok else None
