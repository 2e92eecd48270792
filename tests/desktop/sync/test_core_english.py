"""In English the window shows English messages made in forms/ and sync/ too: the keyring line,
a store refusal, a delivery note. The same screens in Chinese are unchanged."""

from __future__ import annotations

import pytest
import requests

from desktop import errors
from desktop.i18n import install_language, remove_language
from desktop.targets_dialog import TargetsDialog
from forms.store import NotAllowed
from sync.answers import transport_failure


@pytest.fixture
def english(qapp):
    install_language(qapp, "en")
    yield
    remove_language(qapp)


def test_keyring_line_in_english(qtbot, session, no_keyring, english):
    page = TargetsDialog(session)
    qtbot.addWidget(page)
    assert "This computer has no usable system keyring" in page.keyring_line.text()
    assert "钥匙串" not in page.keyring_line.text()


def test_keyring_line_names_the_keyring_in_english(qtbot, session, memory_keyring, english):
    page = TargetsDialog(session)
    qtbot.addWidget(page)
    assert page.keyring_line.text().startswith("System keyring: ")


def test_store_refusal_in_english(session, english):
    with pytest.raises(NotAllowed) as refused:
        session.store.add_branch(" ")
    assert errors.user_message(refused.value) == "A branch needs a name."


def test_delivery_note_in_english(english):
    attempt = transport_failure(requests.exceptions.ConnectionError("refused"))
    assert attempt.message == (
        "Cannot reach the platform (perhaps offline); retrying automatically later (connection failed)"
    )


def test_the_same_in_chinese(qtbot, session, no_keyring, qapp):
    install_language(qapp, "zh_CN")
    page = TargetsDialog(session)
    qtbot.addWidget(page)
    assert "此电脑没有可用的系统钥匙串" in page.keyring_line.text()
    with pytest.raises(NotAllowed) as refused:
        session.store.add_branch(" ")
    assert errors.user_message(refused.value) == "支部名称不能为空。"
    attempt = transport_failure(requests.exceptions.ConnectionError("refused"))
    assert attempt.message == "无法连接平台（可能离线），稍后自动重试 (connection failed)"
