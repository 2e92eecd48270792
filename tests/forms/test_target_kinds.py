"""The target-kind registry: forms/ learns which kinds exist and what they need from what the
app installs at start, never by importing sync/."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

import pytest

from forms import target_kinds
from forms.store import NotAllowed, Store, TargetConfig
from forms.target_kinds import KindEntry, KindsNotInstalled
from sync import kinds
from sync import secrets as keyring_secrets
from sync.kind import TargetConfig as KindsTargetConfig
from tests.conftest import REPO


@dataclass
class FakeKind:
    secret_names: tuple[str, ...] = ("webhook", "sign_secret")
    required_secrets: tuple[str, ...] = ("webhook",)
    options: tuple = ()

    def config_problems(self, target, secrets):
        return [] if secrets.get("webhook") else [f"{target.name}：请填写 Webhook"]

    def settings_problems(self, target):
        return []

    def addresses(self, target):
        return []


class ByOptions(FakeKind):
    def required_secrets_for(self, options):
        return ("token",) if options.get("auth") == "bearer" else ()


@pytest.fixture
def fake_kinds():
    """Two made-up kinds whose code is 'loaded' on demand, and a keyring holding one secret."""
    loaded = []

    def loader(kind):
        def load():
            loaded.append(kind)
            return kind

        return load

    target_kinds.install(
        [
            KindEntry("robot", "群机器人", loader(FakeKind())),
            KindEntry("api", "平台接口", loader(ByOptions())),
        ],
        secret_is_set=lambda store, target, name: (target.id, name) == (7, "sign_secret"),
    )
    return loaded


def test_nothing_installed_is_a_program_error_not_a_guess(tmp_path):
    target_kinds.uninstall()
    assert not target_kinds.is_installed()
    with pytest.raises(KindsNotInstalled, match="sync.kinds.install"):
        target_kinds.kind_names()
    with Store.open(tmp_path) as store:
        with pytest.raises(KindsNotInstalled):
            store.add_target("县平台", "rest", url="https://county.example/api")
        assert store.targets() == []  # everything else in the store works as before


def test_names_and_titles_load_no_kind_code(fake_kinds):
    assert target_kinds.kind_names() == ("robot", "api")
    assert target_kinds.is_kind("api") and not target_kinds.is_kind("fax")
    assert target_kinds.kind_title("robot") == "群机器人" and target_kinds.kind_title("fax") == "fax"
    assert fake_kinds == []


def test_secrets_and_config_checks_come_from_the_kind(fake_kinds):
    assert target_kinds.secret_names("robot") == ("webhook", "sign_secret")
    assert target_kinds.required_secrets("robot", {"auth": "bearer"}) == ("webhook",)
    assert target_kinds.required_secrets("api", {"auth": "bearer"}) == ("token",)
    assert target_kinds.required_secrets("api", {}) == ()
    assert target_kinds.secret_names("fax") == () and target_kinds.required_secrets("fax") == ()
    config = TargetConfig(id=7, name="镇党委群", kind="robot")
    assert target_kinds.config_problems(config) == ["镇党委群：请填写 Webhook"]
    assert target_kinds.config_problems(config, {"webhook": "https://x"}) == []
    assert "未知的平台类型" in target_kinds.config_problems(TargetConfig(id=8, name="传真", kind="fax"))[0]
    assert target_kinds.secret_is_set(None, config, "sign_secret")
    assert not target_kinds.secret_is_set(None, config, "webhook")


def test_the_store_refuses_a_kind_nobody_installed(fake_kinds, tmp_path):
    with Store.open(tmp_path) as store:
        store.add_target("镇党委群", "robot")
        with pytest.raises(NotAllowed, match="未知的平台类型“rest”，可选：robot, api"):
            store.add_target("县平台", "rest")


def test_the_apps_installer_knows_every_kind_and_rests_auth_secrets():
    kinds.install()
    names = ("rest", "dingtalk", "wecom", "feishu", "xlsx", "copy", "browser", "hub")
    assert target_kinds.kind_names() == names
    assert target_kinds.kind_title("dingtalk") == "钉钉群机器人"
    assert target_kinds.required_secrets("hub") == ("device_token",)
    assert target_kinds.required_secrets("rest", {"auth": "bearer"}) == ("token",)
    assert target_kinds.required_secrets("rest", {"auth": " HMAC "}) == ("app_secret",)
    assert target_kinds.required_secrets("rest", {}) == ()
    assert target_kinds.required_secrets("dingtalk") == ("webhook",)
    assert target_kinds.secret_names("wecom") == ("webhook",)


def test_the_apps_installer_asks_the_keyring_whether_a_secret_is_set(memory_keyring, tmp_path):
    kinds.install()
    with Store.open(tmp_path) as store:
        robot = store.add_target("镇党委群", "dingtalk")
        webhook = "https://oapi.dingtalk.com/robot/send?access_token=x"
        keyring_secrets.set_secret(store, robot, "webhook", webhook)
        assert target_kinds.secret_is_set(store, robot, "webhook")
        assert not target_kinds.secret_is_set(store, robot, "sign_secret")


def test_the_apps_installer_says_not_set_without_a_keyring(monkeypatch, tmp_path):
    kinds.install()

    def no_keyring(store, target, names):
        raise keyring_secrets.NoKeyring()

    monkeypatch.setattr(keyring_secrets, "secrets_for", no_keyring)
    with Store.open(tmp_path) as store:
        robot = store.add_target("镇党委群", "dingtalk")
        assert target_kinds.secret_is_set(store, robot, "webhook") is False


def test_the_store_hands_out_the_config_the_kinds_read():
    assert KindsTargetConfig is TargetConfig


def test_installing_at_start_loads_no_kind_and_no_keyring():
    code = (
        "import sys\nfrom sync import kinds\nkinds.install()\n"
        "heavy = ('sync.rest', 'sync.xlsx', 'sync.dingtalk', 'sync.secrets', 'keyring', "
        "'openpyxl', 'requests', 'sqlite_utils')\n"
        "print(sorted(m for m in sys.modules if m in heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
