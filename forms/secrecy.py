"""The one secrets policy: which names are secret, and how secrets are kept out of every text.

Secrets live only in the OS keyring (DESIGN §7). Everything else Yici keeps or shows — the
database, profiles, exports, logs, crash reports, the terminal, a platform's echoed answer — goes
through this module: `is_secret_name` refuses a credential where plain text would be stored,
`Scrubber` removes known secret values from a text, `mask_url_secrets` hides tokens that travel
inside URLs, and `masked` shows a secret safely ("已保存：ab…yz"). Standard library only: the
crash hook and the command line use it before anything heavy is loaded.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import urllib.parse
from collections.abc import Iterable, Iterator

from forms.echoes import View, views
from forms.i18n import tr

# A name is secret-like when it contains one of these fragments, in any case ("AppSecret",
# "x_api_key", "SessionId", "sign_secret"). Matching fragments rather than whole names means a
# platform's own spelling of a credential is caught without anyone listing it first.
SECRET_FRAGMENTS = (
    "token",
    "secret",
    "key",
    "password",
    "passwd",
    "pwd",
    "auth",
    "sign",
    "cookie",
    "session",
    "credential",
    "webhook",
    "ticket",
    "private",
)

# Settings whose names contain a fragment but whose values are not secret: the target kinds read
# them as plain options (rest: auth method, public appKey, header name; robots: the keyword that
# must appear in each message).
NOT_SECRET_NAMES = frozenset(
    {"auth", "auth_type", "app_key", "appkey", "api_key_header", "keyword", "keywords", "sign_type", "design"}
)

# The shortest value the scrubber hides. Shorter ones ("0", "yes") would blank out harmless words
# and are not credentials any platform issues.
MIN_SECRET_LENGTH = 4
# A run of this many characters of a credential is hidden wherever it appears, so a secret cut
# in two (by a server's own truncation, or a careless [:300]) leaves nothing readable behind.
FRAGMENT = 8
# What a cut-off text may end with after the cut: the start of a secret before these still counts.
_CUT_MARKS = " \t\r\n.…\"'}])>,;"

# A URL path segment this long and token-like is treated as a credential (Feishu's /hook/TOKEN,
# gateways that put a key in the path).
_TOKENISH_SEGMENT = re.compile(r"^[A-Za-z0-9_\-]{16,}$")
_QUERY_VALUE = re.compile(r"([?&][A-Za-z0-9_.\-]+=)[^&#\s'\")<>]+")
_HOOK_PATH = re.compile(r"(/hook/)[^/?#\s'\")<>]+")
_USERINFO = re.compile(r"(://)[^/@\s:'\"]+:[^/@\s'\"]+@")


def is_secret_name(name: object) -> bool:
    """Does this option, query parameter or field name look like it holds a credential?"""
    text = str(name).strip().lower()
    if not text or text in NOT_SECRET_NAMES:
        return False
    return any(fragment in text for fragment in SECRET_FRAGMENTS)


def url_secret_keys(text: str | None) -> list[str]:
    """Query parameters of a URL that look like credentials (token=, key=, sign=, ...), plus
    "用户名/密码" when the URL carries a user and password."""
    if not text or "://" not in text:
        return []
    try:
        parts = urllib.parse.urlsplit(text.strip())
        username, password = parts.username, parts.password
    except ValueError:  # a malformed port or bracket: treat the whole thing as suspect
        return [tr("网址")]
    keys = [k for k, _ in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if is_secret_name(k)]
    return keys + ([tr("用户名/密码")] if username or password else [])


def mask_url_secrets(text: str) -> str:
    """Every query value, /hook/ token and user:password of any URL in `text` as ***."""
    if "=" not in text and "/hook/" not in text and "@" not in text:
        return text  # the common case, checked cheaply: nothing that could hold a token
    text = _QUERY_VALUE.sub(r"\1***", text)
    text = _HOOK_PATH.sub(r"\1***", text)
    return _USERINFO.sub(r"\1***@", text)


def url_parts_that_are_secret(url: str) -> list[str]:
    """The pieces of a URL that carry a credential: query values and long token-like path
    segments (a webhook URL is itself the secret, but its host is not)."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError:
        return []
    found = [v for vs in urllib.parse.parse_qs(parts.query).values() for v in vs]
    found += [p for p in parts.path.split("/") if _TOKENISH_SEGMENT.match(p)]
    if parts.password:
        found.append(parts.password)
    return found


def origin_of(url: str | None) -> str | None:
    """Where a URL sends to, as "scheme://host:port" (lower case, the default port filled in):
    what a secret is bound to. None when the text is not an http(s) URL with a host."""
    try:
        parts = urllib.parse.urlsplit((url or "").strip())
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        return None
    port = port or (443 if scheme == "https" else 80)
    return f"{scheme}://{f'[{host}]' if ':' in host else host}:{port}"


def is_loopback(host: str | None) -> bool:
    """Is this host the laptop itself (127.0.0.0/8, ::1, localhost)? Nothing leaves it."""
    host = (host or "").strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plain_http_origins(urls: Iterable[str | None]) -> list[str]:
    """The origins among `urls` that travel unencrypted over the network (http://, not loopback)."""
    found = []
    for url in urls:
        origin = origin_of(url)
        if origin and origin.startswith("http://"):
            host = origin[len("http://") :].rpartition(":")[0]
            if not is_loopback(host) and origin not in found:
                found.append(origin)
    return found


class Scrubber:
    """Removes known secret values (and the credential parts of secret URLs) from any text.

    Build one from the secrets a request used; call it on every text that came back from outside
    or goes to a log, the database or the screen. A secret is found however a server echoed it
    (JSON escapes, percent-encoding in upper or lower case, `+` for spaces, HTML entities: see
    forms/echoes.py) and also in pieces: any run of `FRAGMENT` characters of a credential, and
    the start of one cut off at the end of a text. Cut a text only after scrubbing it (`cut`).
    """

    def __init__(self, values: Iterable[str | None] = ()) -> None:
        found: set[str] = set()
        for value in values:
            value = (value or "").strip()
            if not value:
                continue
            found.add(value)
            if "://" in value:
                found.update(url_parts_that_are_secret(value))
        self.values = sorted((v for v in found if len(v) >= MIN_SECRET_LENGTH), key=len, reverse=True)
        # The credential itself, not the scheme and host of a secret URL, is what may not leak
        # in pieces: "https://oapi.dingtalk.com/" is in every DingTalk answer.
        self._credentials = [v for v in self.values if "://" not in v]
        grams = {c[i : i + FRAGMENT] for c in self._credentials for i in range(len(c) - FRAGMENT + 1)}
        self._pieces = (
            re.compile("|".join(map(re.escape, sorted(grams, key=len, reverse=True)))) if grams else None
        )

    def __call__(self, text: str | None) -> str:
        text = text or ""
        if self.values:
            spans = [span for view in views(text) for span in self._found(view)]
            text = _blanked(text, spans)
        return mask_url_secrets(text)

    def cut(self, text: str | None, limit: int) -> str:
        """The text scrubbed, then cut to `limit` characters: never the other way round, which
        could leave the first half of a secret at the end."""
        return self(text)[:limit]

    def _found(self, view: View) -> Iterator[tuple[int, int]]:
        """Spans of the original text that a secret (or a piece of one) in this view came from."""
        text = view.text
        for value in self.values:
            start = text.find(value)
            while start >= 0:
                yield view.original_span(start, start + len(value))
                start = text.find(value, start + len(value))
        if self._pieces is not None:
            for match in self._pieces.finditer(text):
                start, end = match.span()
                # Grow the piece while it is still part of one credential.
                while end < len(text) and any(text[start : end + 1] in c for c in self._credentials):
                    end += 1
                yield view.original_span(start, end)
        tail = text.rstrip(_CUT_MARKS)
        for credential in self._credentials:
            for size in range(min(len(credential), FRAGMENT) - 1, MIN_SECRET_LENGTH - 1, -1):
                if tail.endswith(credential[:size]):
                    yield view.original_span(len(tail) - size, len(tail))
                    break

    def __bool__(self) -> bool:
        return bool(self.values)


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each span (overlapping ones merged) replaced by ***."""
    if not spans:
        return text
    out, at = [], 0
    for start, end in sorted(spans):
        if end <= at:
            continue
        if start > at:
            out.append(text[at:start])
            out.append("***")
        elif not out:
            out.append("***")
        at = max(at, end)
    out.append(text[at:])
    return "".join(out)


def scrub(text: str | None, secrets: Iterable[str | None] = ()) -> str:
    """`text` with the given secret values and any URL tokens hidden (a one-off `Scrubber`)."""
    return Scrubber(secrets)(text)


def _hide(text: str) -> str:
    """First two and last two characters of a long value, nothing of a short one."""
    return f"{text[:2]}…{text[-2:]}" if len(text) >= 12 else "…"


def masked(value: str | None) -> str:
    """A secret made safe to show: URLs keep scheme, host, path and parameter names."""
    if not value:
        return ""
    try:
        parts = urllib.parse.urlsplit(value)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return _hide(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return _hide(value)
    segments = parts.path.split("/")
    hook = False
    for i, segment in enumerate(segments):
        if hook or _TOKENISH_SEGMENT.match(segment):
            segments[i] = _hide(segment)
        hook = segment == "hook"
    if port:
        host = f"{host}:{port}"
    shown = f"{parts.scheme}://{host}{'/'.join(segments)}"
    if parts.query:
        pairs = []
        for pair in parts.query.split("&"):
            key, sep, val = pair.partition("=")
            pairs.append(f"{key}={_hide(val)}" if sep else _hide(key))
        shown += "?" + "&".join(pairs)
    return shown


class MaskingFormatter(logging.Formatter):
    """A log formatter whose output (message and traceback alike) has URL tokens masked."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_url_secrets(super().format(record))
