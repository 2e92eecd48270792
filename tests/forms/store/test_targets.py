"""Targets follow the one secrets policy (forms/secrecy.py): a credential never goes into the
plain-text settings, whatever its spelling."""

from __future__ import annotations

import pytest

from forms.secrecy import is_secret_name
from forms.store import NotAllowed, Store, secret_problems, url_secret_keys


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path) as s:
        yield s


@pytest.mark.parametrize(
    "name", ["token", "AppSecret", "x_api_key", "session_id", "Cookie", "sign_secret", "webhook", "password"]
)
def test_secret_like_option_names_are_refused_by_fragment(store, name):
    assert is_secret_name(name)
    with pytest.raises(NotAllowed, match="密钥"):
        store.add_target("县平台", "rest", url="https://county.example/api", options={name: "x"})


def test_plain_options_that_merely_look_alike_are_kept(store):
    options = {"auth": "hmac", "app_key": "public-app", "api_key_header": "X-Key", "keyword": "党建"}
    target = store.add_target("县平台", "rest", url="https://county.example/api", options=options)
    assert target.options == options
    assert not any(is_secret_name(name) for name in options)


def test_a_token_in_a_url_is_refused_on_add_and_on_update(store):
    target = store.add_target("县平台", "rest", url="https://county.example/api")
    assert url_secret_keys("https://x.example/api?AccessToken=abc&page=2") == ["AccessToken"]
    assert "AccessToken" in secret_problems("https://x.example/api?AccessToken=abc", None)[0]
    with pytest.raises(NotAllowed, match="AccessToken"):
        store.update_target(target.id, url="https://x.example/api?AccessToken=abc")
    assert store.target(target.id).url == "https://county.example/api"
