"""sync.http: system trust store, per-target CA files, proxies from the environment, timeouts."""

from __future__ import annotations

import pytest
import requests
import truststore

from sync.answers import transport_failure
from sync.http import DEFAULT_TIMEOUT, Http
from sync.kind import ATTENTION, TRANSIENT
from tests.sync.rest_server import PlatformServer, make_tls_files

TOKEN = "tok-3f9a7c1e55"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def tls(tmp_path):
    ca_file, context = make_tls_files(tmp_path)
    with PlatformServer(token=TOKEN, ssl_context=context) as server:
        yield server, ca_file


@pytest.fixture
def http():
    client = Http()
    yield client
    client.close()


def test_a_private_ca_is_not_trusted_without_its_file(tls, http):
    server, _ = tls
    with pytest.raises(requests.exceptions.SSLError) as caught:
        http.request("GET", f"{server.url}/api/ping", headers=AUTH)
    attempt = transport_failure(caught.value)
    assert attempt.outcome == ATTENTION
    assert "证书" in attempt.message


def test_the_target_ca_file_is_trusted_on_top_of_the_system_store(tls, http):
    server, ca_file = tls
    response = http.request("GET", f"{server.url}/api/ping", headers=AUTH, ca_file=ca_file)
    assert response.status_code == 200
    assert response.json() == {"code": 0, "msg": "pong"}
    # The CA only helps requests that name it.
    with pytest.raises(requests.exceptions.SSLError):
        http.request("GET", f"{server.url}/api/ping", headers=AUTH)


def test_requests_ca_bundle_from_the_environment_does_not_replace_the_trust_store(tls, http, monkeypatch):
    server, ca_file = tls
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", ca_file)
    with pytest.raises(requests.exceptions.SSLError):
        http.request("GET", f"{server.url}/api/ping", headers=AUTH)


def test_one_cached_adapter_per_ca_file_all_on_truststore(tmp_path, http):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, _ = make_tls_files(tmp_path / "a")
    second, _ = make_tls_files(tmp_path / "b")
    adapter = http._adapter_for(first)
    assert http._adapter_for(first) is adapter
    assert http._adapter_for(second) is not adapter
    assert isinstance(adapter._ssl_context, truststore.SSLContext)
    assert isinstance(http.session.get_adapter("https://example.org")._ssl_context, truststore.SSLContext)


def test_an_unreadable_ca_file_is_a_tls_problem_to_fix(tmp_path, http):
    bad = tmp_path / "not-a-cert.pem"
    bad.write_text("hello")
    with pytest.raises(requests.exceptions.SSLError) as caught:
        http.request("GET", "https://127.0.0.1:9/", ca_file=bad)
    assert transport_failure(caught.value).outcome == ATTENTION


def test_verification_cannot_be_switched_off(http):
    with pytest.raises(ValueError):
        http.request("GET", "https://127.0.0.1:9/", verify=False)


def test_every_request_gets_the_default_timeout(monkeypatch, http):
    seen = []
    original = requests.adapters.HTTPAdapter.send

    def spy(self, request, **kwargs):
        seen.append(kwargs.get("timeout"))
        return original(self, request, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", spy)
    with PlatformServer(token=TOKEN) as server:
        http.request("GET", f"{server.url}/api/ping", headers=AUTH)
        http.request("GET", f"{server.url}/api/ping", headers=AUTH, timeout=(1, 2))
    assert seen == [DEFAULT_TIMEOUT, (1, 2)]
    assert DEFAULT_TIMEOUT == (10.0, 30.0)


def test_a_slow_platform_times_out_and_is_transient():
    with PlatformServer(token=TOKEN, slow_seconds=2) as server, Http(timeout=(2, 0.3)) as http:
        server.flaky("slow")
        with pytest.raises(requests.exceptions.Timeout) as caught:
            http.request("POST", f"{server.url}/api/records", headers=AUTH, json={})
    assert transport_failure(caught.value).outcome == TRANSIENT


def test_proxies_come_from_the_environment(monkeypatch, http):
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    with PlatformServer(token=TOKEN) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("http_proxy", proxy.url)
        http.request("GET", "http://platform.example/api/ping", headers=AUTH)
    # A proxy is asked for the absolute URL.
    assert proxy.seen[-1].path == "http://platform.example/api/ping"


def test_the_environment_is_read_once_per_origin_for_a_few_seconds(monkeypatch, http):
    import sync.http as sync_http

    reads = []
    real = sync_http.get_environ_proxies
    monkeypatch.setattr(sync_http, "get_environ_proxies", lambda url: reads.append(url) or real(url))
    with PlatformServer(token=TOKEN) as server:
        for _ in range(5):
            assert http.request("GET", f"{server.url}/api/ping", headers=AUTH).status_code == 200
    assert len(reads) == 1


def test_a_proxy_switched_on_during_a_drain_is_followed_within_seconds(monkeypatch, http):
    import sync.http as sync_http

    for name in ("NO_PROXY", "no_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    with PlatformServer(token=TOKEN) as server, PlatformServer(token=TOKEN) as proxy:
        ping = f"{server.url}/api/ping"
        http.request("GET", ping, headers=AUTH)
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("http_proxy", proxy.url)
        http.request("GET", ping, headers=AUTH)
        assert proxy.seen == []  # still what was read a moment ago
        monkeypatch.setattr(sync_http, "ENVIRONMENT_SECONDS", 0.0)  # ... and now it is stale
        http.request("GET", ping, headers=AUTH)
    assert proxy.seen[-1].path == ping


def test_a_netrc_login_is_still_sent(monkeypatch, tmp_path, http):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1\nlogin zhang\npassword pw-netrc-42\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    with PlatformServer(token=TOKEN) as server:
        http.request("GET", f"{server.url}/api/ping")
    assert server.seen[-1].headers["authorization"].startswith("Basic ")


def test_kept_cookies_and_default_headers_are_merged_as_requests_does(http):
    http.session.cookies.set("sid", "c00kie", domain="127.0.0.1", path="/")
    with PlatformServer(token=TOKEN) as server:
        http.request("GET", f"{server.url}/api/ping", headers=AUTH)
        first = server.seen[-1].headers
        http.request("GET", f"{server.url}/api/ping", headers={**AUTH, "User-Agent": None})
        second = server.seen[-1].headers
    assert "sid=c00kie" in first["cookie"]
    assert first["user-agent"].startswith("python-requests/")
    assert not second.get("user-agent", "").startswith("python-requests/")  # None removes it


def test_a_url_is_prepared_once_and_a_bad_one_fails_every_time(monkeypatch, http):
    prepared = []
    real = requests.PreparedRequest.prepare_url

    def counting(self, url, params):
        prepared.append(url)
        return real(self, url, params)

    monkeypatch.setattr(requests.PreparedRequest, "prepare_url", counting)
    with PlatformServer(token=TOKEN) as server:
        url = f"{server.url}/api/ping?来源=一次"  # percent-encoded on the way, each time
        for _ in range(3):
            http.request("GET", url, headers=AUTH)
        paths = [seen.path for seen in server.seen]
    assert prepared == [url]
    assert paths == ["/api/ping?%E6%9D%A5%E6%BA%90=%E4%B8%80%E6%AC%A1"] * 3
    for _ in range(2):
        with pytest.raises(requests.exceptions.InvalidURL):
            http.request("GET", "http://", headers=AUTH)
