"""sync.secrets: the OS keyring only, a plain refusal without one; a kept secret's masked display
(forms.secrecy.masked)."""

from __future__ import annotations

import os

import keyring
import keyring.errors
import pytest
from keyring.backends import chainer, fail, null

from forms.secrecy import masked
from forms.store import Store
from sync import secrets
from sync.kind import TargetConfig
from sync.secrets import NO_KEYRING_MESSAGE, KeyringFailed, NoKeyring
from tests.sync.fake_keyring import MemoryKeyring


class LockedKeyring(MemoryKeyring):
    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service, username, password):
        raise keyring.errors.PasswordSetError("denied")


class EmptyChainer(chainer.ChainerBackend):
    backends = []


@pytest.fixture
def use_keyring():
    """Install a backend for one test and put the previous one back afterwards."""
    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "data") as opened:
        yield opened


@pytest.fixture
def target(store):
    return store.add_target(
        "党建平台", "rest", url="https://dj.example/api/records", options={"auth": "bearer"}
    )


def test_values_round_trip_under_the_folder_and_target_uid(memory_keyring, store, target):
    secrets.set_secret(store, target, "token", "tok-秘密-123456")
    secrets.set_secret(store, target, "app_secret", "s3cr3t-value")
    assert secrets.get_secret(store, target, "token") == "tok-秘密-123456"
    assert secrets.get_secret(store, target, "app_secret") == "s3cr3t-value"
    name = f"folder-{store.data_folder_id()}/target-{target.uid}:token"
    assert memory_keyring.entries[("yici", name)] == "tok-秘密-123456"
    assert secrets.get_secret(store, target, "api_key") is None


def test_a_bare_id_or_a_name_is_refused(memory_keyring, store, target):
    with pytest.raises(TypeError):
        secrets.secrets_for(store, target.id, ("token",))
    with pytest.raises(TypeError):
        secrets.secrets_for(store, TargetConfig(id=target.id, name=target.name, kind="rest"), ("token",))


def test_secrets_for_leaves_out_what_was_never_set(memory_keyring, store, target):
    secrets.set_secret(store, target, "token", "tok-1")
    assert secrets.secrets_for(store, target, ("token", "app_secret", "api_key")) == {"token": "tok-1"}


def test_targets_do_not_share_secrets(memory_keyring, store, target):
    other = store.add_target("党建平台2", "rest", url="https://dj.example/api/records")
    secrets.set_secret(store, target, "token", "first")
    assert secrets.get_secret(store, other, "token") is None


def test_delete_forgets_and_tolerates_missing(memory_keyring, store, target):
    secrets.set_secret(store, target, "token", "tok-1")
    secrets.delete_secrets(store, target, ("token", "app_secret"))
    assert secrets.get_secret(store, target, "token") is None
    assert [name for _, name in memory_keyring.entries if not name.startswith("data-key/")] == []


def test_status_names_the_backend(memory_keyring):
    ok, message = secrets.keyring_status()
    assert ok
    assert message.startswith("系统钥匙串：")
    assert MemoryKeyring.name in message


@pytest.mark.parametrize(
    "backend", [fail.Keyring(), null.Keyring(), EmptyChainer()], ids=["fail", "null", "empty-chainer"]
)
def test_no_usable_keyring_is_refused_plainly(use_keyring, backend, store, target):
    use_keyring(backend)
    assert secrets.keyring_status() == (False, NO_KEYRING_MESSAGE)
    with pytest.raises(NoKeyring) as caught:
        secrets.set_secret(store, target, "token", "tok-1")
    assert caught.value.message == NO_KEYRING_MESSAGE
    assert "钥匙串" in str(caught.value)
    with pytest.raises(NoKeyring):
        secrets.get_secret(store, target, "token")
    with pytest.raises(NoKeyring):
        secrets.secrets_for(store, target, ("token",))


def test_a_chainer_with_backends_is_usable(use_keyring):
    class OneChainer(chainer.ChainerBackend):
        backends = [MemoryKeyring()]

    use_keyring(OneChainer())
    ok, message = secrets.keyring_status()
    assert ok and MemoryKeyring.name in message


def test_a_locked_keyring_says_so_and_is_still_a_no_keyring(use_keyring, store, target):
    use_keyring(LockedKeyring())
    with pytest.raises(KeyringFailed) as caught:
        secrets.set_secret(store, target, "token", "tok-1")
    assert isinstance(caught.value, NoKeyring)
    assert "钥匙串" in caught.value.message
    with pytest.raises(KeyringFailed):
        secrets.get_secret(store, target, "token")


def test_nothing_is_written_to_disk(memory_keyring, tmp_path, monkeypatch, store, target):
    home = tmp_path / "home"
    home.mkdir()
    for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "APPDATA", "LOCALAPPDATA"):
        monkeypatch.setenv(name, str(home))
    monkeypatch.chdir(home)
    secrets.set_secret(store, target, "token", "tok-only-in-memory")
    secrets.get_secret(store, target, "token")
    secrets.delete_secrets(store, target, ("token",))
    assert os.listdir(home) == []


@pytest.mark.parametrize(
    "value, shown",
    [
        (
            "https://oapi.dingtalk.com/robot/send?access_token=ab0123456789abcdefcd",
            "https://oapi.dingtalk.com/robot/send?access_token=ab…cd",
        ),
        (
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa",
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=69…aa",
        ),
        (
            "https://open.feishu.cn/open-apis/bot/v2/hook/0f1e2d3c-aaaa-bbbb-cccc-9a8b7c6d5e4f",
            "https://open.feishu.cn/open-apis/bot/v2/hook/0f…4f",
        ),
        ("https://user:pw@intranet.gov.cn:8443/api?k=short", "https://intranet.gov.cn:8443/api?k=…"),
        ("tok-1234567890abcdef", "to…ef"),
        ("short", "…"),
        ("", ""),
    ],
)
def test_mask_keeps_scheme_and_host_and_hides_tokens(value, shown):
    assert masked(value) == shown
