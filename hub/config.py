"""What the hub is told at start: the database, where to listen, TLS files, pool size, workers.

Read from the command line with the environment as fallback (YICI_HUB_DATABASE); nothing here
touches the network.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from forms.secrecy import mask_url_secrets

DATABASE_ENV = "YICI_HUB_DATABASE"
DEFAULT_LISTEN = "127.0.0.1:8470"


class ConfigError(ValueError):
    """A setting that cannot work; the message says in Chinese what to write instead."""


@dataclass(frozen=True)
class Config:
    """Everything `yici-hub serve` needs."""

    database: str
    host: str = "127.0.0.1"
    port: int = 8470
    tls_cert: str | None = None
    tls_key: str | None = None
    pool_size: int = 10
    workers: int = 1  # processes serving the API (each with its own pool)


def database_url(given: str | None) -> str:
    """The PostgreSQL URL from --database, else from YICI_HUB_DATABASE."""
    url = (given or os.environ.get(DATABASE_ENV, "")).strip()
    if not url:
        raise ConfigError(f"请用 --database 指定 PostgreSQL 地址，或设置环境变量 {DATABASE_ENV}")
    if not url.startswith(("postgresql://", "postgres://")) and "=" not in url:
        raise ConfigError(f"数据库地址 {shown(url)} 应形如 postgresql://用户@主机:端口/库名")
    return url


def listen_address(text: str) -> tuple[str, int]:
    """HOST:PORT (an IPv6 host in brackets) -> (host, port)."""
    host, sep, port = text.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"监听地址 {text!r} 应写成 主机:端口，例如 {DEFAULT_LISTEN} 或 0.0.0.0:8470")
    return host.strip("[]"), int(port)


def shown(url: str) -> str:
    """A database URL as it may be printed or logged: any password masked."""
    return mask_url_secrets(url)
