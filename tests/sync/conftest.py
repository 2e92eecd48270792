"""Fixtures shared by the sync tests: the `http` the kinds are given, and robot servers that
always shut down. (The REST tests keep their own fixtures in their modules.)"""

from __future__ import annotations

import pytest

from tests.sync.robot_servers import DingTalkServer, FeishuServer, SessionHttp, WeComServer


@pytest.fixture
def http():
    """What the engine hands a kind: `.request(method, url, *, ca_file, timeout, **kwargs)`."""
    client = SessionHttp()
    yield client
    client.close()


@pytest.fixture
def start_server():
    """Start any robot server class with keyword arguments; every one is closed after the test."""
    servers = []

    def start(cls, **kwargs):
        server = cls(**kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def dingtalk_server(start_server):
    return start_server(DingTalkServer)


@pytest.fixture
def wecom_server(start_server):
    return start_server(WeComServer)


@pytest.fixture
def feishu_server(start_server):
    return start_server(FeishuServer)
