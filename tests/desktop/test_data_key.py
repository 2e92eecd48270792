"""The window and the data key: the recovery key shown at each start until the person confirms it
is written down, and a key that does not fit never loops (the recovery key is asked for, or the
person may quit)."""

from __future__ import annotations

import pytest

import desktop.app as app_module
from desktop.session import Session
from forms.store import keys


@pytest.fixture(autouse=True)
def no_exit(qapp, monkeypatch):
    """Starter.finish leaves the application's event loop; these tests run none of their own."""
    monkeypatch.setattr(qapp, "exit", lambda code: None)


@pytest.fixture
def folder(tmp_path):
    """A new data folder with an operator (no first-run questions); its key just made."""
    folder = tmp_path / "data"
    s = Session.open(folder)
    s.operator = "张晓梅"
    s.close()
    return folder


def opened(qapp, qtbot, folder):
    starter = app_module.Starter(qapp, folder)
    qtbot.waitUntil(lambda: starter.session is not None, timeout=10_000)
    return starter


def test_the_recovery_key_is_shown_at_each_start_until_confirmed(folder, qapp, qtbot):
    recovery = keys.recovery_key(folder)
    starter = opened(qapp, qtbot, folder)
    try:
        box = starter.recovery_box
        assert recovery in box.informativeText()
        next(b for b in box.buttons() if "稍后" in b.text()).click()
    finally:
        starter.close()
    assert keys.read_key_file(folder).unconfirmed  # closed without confirming: asked again
    starter = opened(qapp, qtbot, folder)
    try:
        box = starter.recovery_box
        assert recovery in box.informativeText()
        box.confirm_button.click()
    finally:
        starter.close()
    assert not keys.read_key_file(folder).unconfirmed
    starter = opened(qapp, qtbot, folder)
    try:
        assert starter.recovery_box is None
    finally:
        starter.close()
