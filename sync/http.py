"""The one HTTP client every target kind sends through.

TLS is always verified against the operating system's trust store (truststore), so a
government intranet CA installed by IT on the laptop just works; a target may add its own CA
file on top. Proxies come from the environment / system settings (requests' `trust_env`).
Every request has a timeout. Errors are requests' own exceptions: kinds classify them with
`sync.answers.transport_failure`.

A run that is asked to stop calls `abort()`: every connection of the client is shut down, so a
platform that took the request and never answers lets go at once, and no request that has not
yet written a byte writes one (`Stopped`). Each request's exception says whether any byte of it
was written (`request_sent`): a robot message whose request may have reached the platform must
not be sent again automatically (sync/answers.py).

`REQUESTS_CA_BUNDLE` / `CURL_CA_BUNDLE` are deliberately ignored: trust is the system store plus
the per-target CA file, nothing else, so certifi's bundle never replaces the system's.

requests looks up the proxies and the ~/.netrc login for every request and copies the client's
cookie jar twice per request; on a fast platform that was a fifth of a delivery's cost (on
Windows the proxies come from the registry). Here an origin's proxies and netrc login are read
at most every `ENVIRONMENT_SECONDS`, so a drain still follows a proxy switched on while it runs,
and the cookie jar is read in place.
"""

from __future__ import annotations

import os
import socket
import ssl
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any, ClassVar

import requests
import truststore
from requests.adapters import HTTPAdapter
from requests.sessions import merge_hooks, merge_setting
from requests.structures import CaseInsensitiveDict
from requests.utils import get_environ_proxies, get_netrc_auth
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from forms.i18n import tr
from sync.answers import Stopped

# (connect, read) seconds. A village uplink is slow but a request must never hang forever.
DEFAULT_TIMEOUT = (10.0, 30.0)
# How long an origin's proxies and netrc login, once read from the environment, are reused.
ENVIRONMENT_SECONDS = 2.0


class _Watching:
    """Mixed into urllib3's connections: the client knows every live connection (to shut it
    down on `abort`) and whether a byte of the current request was written."""

    _yici_http: Http

    def connect(self) -> None:
        http = self._yici_http
        http._live.add(self)
        super().connect()  # type: ignore[misc]
        http._local.written = False  # a proxy's CONNECT is not the request
        http._refuse_if_stopped()

    def send(self, data: Any) -> None:
        http = self._yici_http
        if getattr(self, "sock", None) is None:
            self.connect()
        http._refuse_if_stopped()
        http._local.written = True
        super().send(data)  # type: ignore[misc]


def _watched_pools(http: Http) -> dict[str, type]:
    """Connection pools whose connections report to `http` (one set of classes per client)."""
    connection = type("WatchedHTTPConnection", (_Watching, HTTPConnection), {"_yici_http": http})
    secure = type("WatchedHTTPSConnection", (_Watching, HTTPSConnection), {"_yici_http": http})
    return {
        "http": type("WatchedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": connection}),
        "https": type("WatchedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": secure}),
    }


class _WatchedAdapter(HTTPAdapter):
    """An HTTPAdapter whose pools (direct or through an HTTP proxy) are the client's watched ones."""

    def __init__(self, pools: dict[str, type], **kwargs: Any):
        self._pools = pools
        super().__init__(**kwargs)

    def init_poolmanager(self, connections, maxsize, block=False, **pool_kwargs):
        super().init_poolmanager(connections, maxsize, block=block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pools

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):  # SOCKS proxies bring pools of their own
            manager.pool_classes_by_scheme = self._pools
        return manager


class _TrustStoreAdapter(_WatchedAdapter):
    """An adapter whose every pool (direct or via proxy) uses one truststore SSL context."""

    def __init__(self, ssl_context: ssl.SSLContext, pools: dict[str, type], **kwargs: Any):
        self._ssl_context = ssl_context
        super().__init__(pools, **kwargs)

    def init_poolmanager(self, connections, maxsize, block=False, **pool_kwargs):
        pool_kwargs["ssl_context"] = self._ssl_context
        return super().init_poolmanager(connections, maxsize, block=block, **pool_kwargs)

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        proxy_kwargs["ssl_context"] = self._ssl_context
        return super().proxy_manager_for(proxy, **proxy_kwargs)

    def cert_verify(self, conn, url, verify, cert):
        # requests would point urllib3 at certifi's bundle here, which urllib3 then loads into
        # our context on every connection. Trust lives in the context instead; verification
        # stays required whatever `verify` says.
        super().cert_verify(conn, url, False, cert)
        if url.lower().startswith("https"):
            conn.cert_reqs = "CERT_REQUIRED"


def _system_context() -> ssl.SSLContext:
    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


@dataclass(frozen=True)
class _Environment:
    """What the environment says about one origin: its proxies and its ~/.netrc login."""

    proxies: dict[str, str]
    netrc: tuple[str, str] | None
    read_at: float


class _Prepared(requests.PreparedRequest):
    """A PreparedRequest that prepares each URL once: parsing, IDNA and percent-encoding give
    the same answer every time, and a drain sends thousands of requests to one address."""

    _urls: ClassVar[dict[str, str]] = {}  # URL as given -> URL as it travels, for every client

    def prepare_url(self, url, params) -> None:
        if params or not isinstance(url, str):
            super().prepare_url(url, params)
            return
        known = self._urls.get(url)
        if known is not None:
            self.url = known
            return
        super().prepare_url(url, params)  # an invalid URL raises here, and is not kept
        if len(self._urls) > 256:  # update URLs carry a record's id: keep it bounded
            self._urls.clear()
        self._urls[url] = str(self.url)


def _merged_headers(defaults: Any, request: Any) -> CaseInsensitiveDict:
    # requests' merge_setting, without its generic (and slow) mapping checks: the request's
    # headers over the client's defaults, a header set to None removed.
    merged = CaseInsensitiveDict(defaults)
    merged.update(request or {})
    for name in [name for name, value in merged.items() if value is None]:
        del merged[name]
    return merged


class _Session(requests.Session):
    """A Session that picks the adapter for the CA file of the request running on this thread
    and reads the environment (proxies, netrc) through the Http's short-lived cache."""

    def __init__(self, http: Http):
        super().__init__()
        self._http = http

    def get_adapter(self, url: str):
        ca_file = getattr(self._http._local, "ca_file", None)
        if ca_file and url.lower().startswith("https://"):
            return self._http._adapter_for(ca_file)
        return super().get_adapter(url)

    def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
        if request.cookies or request.auth or self.auth or not self.trust_env:
            return super().prepare_request(request)
        # As requests does, minus two copies of the cookie jar (it is only read while the
        # Cookie header is made), the per-request ~/.netrc lookup and re-preparing a known URL.
        prepared = _Prepared()
        prepared.prepare(
            method=str(request.method).upper(),
            url=request.url,
            files=request.files,
            data=request.data,
            json=request.json,
            headers=_merged_headers(self.headers, request.headers),
            params=merge_setting(request.params, self.params) if self.params else request.params,
            auth=self._http._environment(str(request.url)).netrc,
            cookies=self.cookies,
            hooks=merge_hooks(request.hooks, self.hooks),
        )
        return prepared

    def merge_environment_settings(self, url, proxies, stream, verify, cert):
        if proxies or not self.trust_env:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        # REQUESTS_CA_BUNDLE is not read: trust is the system store plus the target's CA file.
        found = dict(self._http._environment(url).proxies)
        return {
            "proxies": merge_setting(found, self.proxies) if self.proxies else found,
            "stream": merge_setting(stream, self.stream),
            "verify": merge_setting(verify, self.verify),
            "cert": merge_setting(cert, self.cert),
        }


class Http:
    """One requests.Session with system-trust TLS, optional per-target CA files and timeouts."""

    def __init__(self, *, timeout: tuple[float, float] | float = DEFAULT_TIMEOUT, pool_maxsize: int = 10):
        self.default_timeout = timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._pool_maxsize = pool_maxsize
        self._ca_adapters: dict[str, _TrustStoreAdapter] = {}
        self._environments: dict[str, _Environment] = {}
        self._live: weakref.WeakSet = weakref.WeakSet()  # connections, to shut down on abort
        self._stops = 0  # how many times `abort` was called: a request started before is stopped
        self._pools = _watched_pools(self)
        self.session = _Session(self)
        self.session.trust_env = True  # system / environment proxies
        adapter = _TrustStoreAdapter(_system_context(), self._pools, pool_maxsize=pool_maxsize)
        self.session.mount("https://", adapter)
        self.session.mount("http://", _WatchedAdapter(self._pools, pool_maxsize=pool_maxsize))

    def request(
        self,
        method: str,
        url: str,
        *,
        ca_file: str | os.PathLike | None = None,
        timeout: tuple[float, float] | float | None = None,
        **requests_kwargs: Any,
    ) -> requests.Response:
        """Send one request; `ca_file` adds a CA to the system trust store for this request.

        Raises requests' exceptions (and ValueError if asked to switch verification off); each
        carries `request_sent`: could any byte of the request have reached the platform? After
        `abort`, the exception is `Stopped`.
        """
        if requests_kwargs.get("verify", True) is not True:
            raise ValueError("TLS verification cannot be switched off; use ca_file= instead")
        requests_kwargs.pop("verify", None)
        local = self._local
        local.ca_file = os.fspath(ca_file) if ca_file else None
        local.stops, local.written = self._stops, False
        try:
            return self.session.request(
                method, url, timeout=timeout or self.default_timeout, **requests_kwargs
            )
        except requests.RequestException as exc:
            sent = bool(local.written)
            if self._stops != local.stops and not isinstance(exc, Stopped):
                stopped = Stopped(tr("已停止同步，请求被中断 (stopped)"))
                stopped.request_sent = sent  # type: ignore[attr-defined]
                raise stopped from exc
            exc.request_sent = sent  # type: ignore[attr-defined]
            raise
        finally:
            local.ca_file = None

    def abort(self) -> None:
        """Stop every request on its way, from any thread: a connection waiting for an answer is
        shut down at once, and a request that has not written a byte yet never does."""
        with self._lock:
            self._stops += 1
            live = list(self._live)
        for connection in live:
            sock = getattr(connection, "sock", None)
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # closed meanwhile, or never connected

    def _refuse_if_stopped(self) -> None:
        # Called on the requesting thread before a byte is written (OSError: urllib3 reports it
        # like a dropped connection; `request` turns it into Stopped).
        if self._stops != getattr(self._local, "stops", self._stops):
            raise OSError("stopped before sending")

    def close(self) -> None:
        """Close every pooled connection."""
        self.session.close()
        with self._lock:
            adapters, self._ca_adapters = list(self._ca_adapters.values()), {}
        for adapter in adapters:
            adapter.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _environment(self, url: str) -> _Environment:
        """The environment's proxies and netrc login for the URL's origin, read again when
        older than ENVIRONMENT_SECONDS (so a proxy switched on is followed within seconds)."""
        origin = "/".join(url.split("/", 3)[:3]).lower()
        now = time.monotonic()
        known = self._environments.get(origin)
        if known is not None and now - known.read_at < ENVIRONMENT_SECONDS:
            return known
        # A few origins per laptop; the bound only guards against a URL changing per request.
        if len(self._environments) > 64:
            self._environments.clear()
        netrc = get_netrc_auth(url)
        login = (netrc[0], netrc[1]) if netrc else None
        found = _Environment(get_environ_proxies(url), login, now)
        self._environments[origin] = found
        return found

    def _adapter_for(self, ca_file: str) -> _TrustStoreAdapter:
        key = os.path.abspath(ca_file)
        with self._lock:
            adapter = self._ca_adapters.get(key)
            if adapter is None:
                context = _system_context()
                try:
                    context.load_verify_locations(cafile=key)
                except (OSError, ssl.SSLError) as exc:
                    # Surfaces through transport_failure as a TLS problem to fix in the config.
                    raise requests.exceptions.SSLError(
                        tr("CA 证书文件无法读取: {key} ({exc})").format(key=key, exc=exc)
                    ) from exc
                adapter = _TrustStoreAdapter(context, self._pools, pool_maxsize=self._pool_maxsize)
                self._ca_adapters[key] = adapter
            return adapter
