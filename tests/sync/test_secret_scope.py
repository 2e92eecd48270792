"""A secret goes only where it was entered for: keyring entries belong to one data folder and
one target (whose id is never reused), and are bound to the scheme, host and port the target
sent to when a person entered them. Real stores in tmp_path, real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import shutil

import pytest

from forms.store import Store, restore
from forms.store.target_guards import ADDRESS_CHANGED
from sync import secret_binding
from sync import secrets as keyring_secrets
from sync.kinds import kind_for
from tests.helpers import keyring_name
from tests.sync.engine_setup import deliverer, loopback_http, platform, rest_target, village  # noqa: F401
from tests.sync.rest_server import PlatformServer
from tests.sync.robot_servers import DingTalkServer


def _sent_with(server: PlatformServer, token: str) -> list:
    return [s for s in server.seen if token in str(s.headers) or token.encode() in s.body]


def test_two_data_folders_on_one_account_never_share_secrets(tmp_path, memory_keyring):
    with Store.open(tmp_path / "一") as first, Store.open(tmp_path / "二") as second:
        assert first.data_folder_id() != second.data_folder_id()
        mine = first.add_target("党建平台", "rest", url="https://a.example/api", options={"auth": "bearer"})
        theirs = second.add_target(
            "党建平台", "rest", url="https://a.example/api", options={"auth": "bearer"}
        )
        assert mine.id == theirs.id  # the same id in each folder: ids alone would mix them up
        keyring_secrets.set_secret(first, mine, "token", "first-folder-token")
        # The second folder's new platform does not get the first folder's token.
        assert keyring_secrets.secrets_for(second, theirs, ("token",)) == {}
        keyring_secrets.set_secret(second, theirs, "token", "second-folder-token")
        # Removing the platform in one folder removes only that folder's entry.
        second.remove_target(theirs.id)
        keyring_secrets.tidy(second)
        assert keyring_secrets.get_secret(first, mine, "token") == "first-folder-token"
        kept = [v for (_, name), v in memory_keyring.entries.items() if not name.startswith("data-key/")]
        assert kept == ["first-folder-token"]


def test_a_restored_older_backup_hands_no_old_secret_to_a_new_target(tmp_path, memory_keyring):
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.add_target("旧平台", "rest", url="https://old.example/api", options={"auth": "bearer"})
    backup = tmp_path / "older.db"
    shutil.copyfile(data / "yici.db", backup)
    with Store.open(data) as store:
        later = store.add_target("新平台", "rest", url="https://new.example/api", options={"auth": "bearer"})
        keyring_secrets.set_secret(store, later, "token", "token-of-the-later-target")
    shutil.copyfile(backup, data / "yici.db")  # the older backup restored
    with Store.open(data) as store:
        other = store.add_target("另一个", "rest", url="https://else.example/api", options={"auth": "bearer"})
        assert other.id == later.id  # the same row id again ...
        assert other.uid != later.uid  # ... but never the same keyring name
        assert keyring_secrets.secrets_for(store, other, ("token",)) == {}


def test_a_new_address_drops_the_secrets_and_sends_nothing_there(village, memory_keyring, loopback_http):
    with PlatformServer() as old, PlatformServer(token="token-for-the-new-host") as new:
        target = rest_target(village, old)
        village.final(1)
        deliverer(village, loopback_http).run()
        assert village.states(target.id) == ["delivered"]
        assert keyring_secrets.get_secret(village.store, target, "token") == old.token

        moved = village.store.update_target(
            target.id,
            url=f"{new.url}/api/records",
            options={**target.options, "update_url": f"{new.url}/api/records/{{remote_id}}"},
        )
        assert moved.attention.startswith(ADDRESS_CHANGED) and moved.uid != target.uid
        keyring_secrets.tidy(village.store)
        assert old.token not in memory_keyring.entries.values()  # deleted, not just unreachable
        # Other edits do not end the stop; only entering the secret again does.
        assert village.store.update_target(target.id, enabled=True).attention.startswith(ADDRESS_CHANGED)

        village.final(2)
        summary = deliverer(village, loopback_http).run()
        assert summary.attention == [target.name]
        assert new.request_count == 0 and _sent_with(new, old.token) == []

        keyring_secrets.set_secret(village.store, moved, "token", "token-for-the-new-host")
        assert village.store.target(target.id).attention is None
        deliverer(village, loopback_http).run()
        assert new.request_count == 1 and _sent_with(new, old.token) == []


def test_a_swapped_keyring_entry_never_sends_the_secrets_elsewhere(village, memory_keyring, loopback_http):
    with DingTalkServer() as real, DingTalkServer() as other:
        target = village.store.add_target("钉钉群", "dingtalk")
        keyring_secrets.set_secret(village.store, target, "webhook", real.webhook)
        # Someone with access to the keyring (not through Yici) points the webhook elsewhere.
        name = keyring_name(village.store, village.store.target(target.id), "webhook")
        memory_keyring.entries[("yici", name)] = other.webhook
        village.final(1)
        summary = deliverer(village, loopback_http).run()
        assert summary.attention == ["钉钉群"] and other.received == 0
        assert "重新填写密钥" in village.store.target(target.id).attention


def test_plain_http_needs_the_targets_own_allowance_and_loopback_is_exempt(
    village, memory_keyring, loopback_http
):
    target = village.store.add_target(
        "县内网平台", "rest", url="http://192.0.2.10/api/records", options={"auth": "bearer"}
    )
    keyring_secrets.set_secret(village.store, target, "token", "intranet-token-123456")
    village.final(1)
    summary = deliverer(village, loopback_http).run()
    assert summary.attention == ["县内网平台"]
    stopped = village.store.target(target.id)
    assert "明文 http" in stopped.attention and "allow_plain_http" in stopped.attention
    assert village.states(target.id) == ["pending"]  # nothing was tried
    assert "没有允许" in secret_binding.plain_http_warning(stopped)

    allowed = village.store.update_target(target.id, options={**target.options, "allow_plain_http": "是"})
    kind = kind_for("rest")
    secrets = {"token": "intranet-token-123456"}
    assert secret_binding.sending_problem(allowed, kind, allowed.config(), secrets) is None
    assert "已允许明文 http" in secret_binding.plain_http_warning(allowed)
    loopback = village.store.add_target(
        "本机", "rest", url="http://127.0.0.1:9/api", options={"auth": "bearer"}
    )
    assert secret_binding.plain_http_warning(loopback) is None


@pytest.mark.parametrize("url", ["HTTPS://A.example:443/x", "https://a.example/y"])
def test_an_origin_is_scheme_host_and_port(url):
    from forms.secrecy import origin_of

    assert origin_of(url) == "https://a.example:443"
    assert origin_of("http://a.example:8080/") == "http://a.example:8080"
    assert origin_of("ftp://a.example/") is None


def test_restoring_another_folders_backup_never_hands_over_its_secrets(tmp_path, memory_keyring):
    first, second = tmp_path / "一", tmp_path / "二"
    with Store.open(first) as store:
        robot = store.add_target("镇党委钉钉群", "dingtalk")
        keyring_secrets.set_secret(
            store, robot, "webhook", "https://oapi.dingtalk.com/robot/send?access_token=A1"
        )
        backup = store.backup("manual")
    with Store.open(second) as store:
        own_id = store.data_folder_id()
    restore(second, backup)
    with Store.open(second) as store:
        # The folder keeps its own keyring scope: the first folder's webhook is not its to use ...
        assert store.data_folder_id() == own_id
        restored = store.target("镇党委钉钉群")
        assert keyring_secrets.secrets_for(store, restored, ("webhook",)) == {}
        # ... nor to delete.
        store.remove_target(restored.id)
        keyring_secrets.tidy(store)
    with Store.open(first) as store:
        assert keyring_secrets.get_secret(store, store.target("镇党委钉钉群"), "webhook").endswith("A1")
