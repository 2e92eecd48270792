"""The hub logs every request (method, path, status, device, time) and never a token, an
enrolment code, a query string or a record's content."""

from __future__ import annotations

import hashlib
import re

from tests.hub.conftest import enrolled
from tests.hub.revisions import revision


def test_the_log_names_each_request_and_holds_no_secret(hub):
    code = enrolled(hub.database, "张三的电脑", ["红星村党支部"])
    device = hub.post("/api/v1/join", json={"code": code, "device_name": "ZHANGSAN-PC"}).json()
    token, red = device["token"], device["branches"][0]["uid"]
    photo = b"photo bytes " * 1000
    sha = hashlib.sha256(photo).hexdigest()
    assert hub.put(f"/api/v1/attachments/{sha}", token, data=photo).status_code == 201
    body = revision(red, data={"content": "机密的会议内容"}, attachments=[{"sha256": sha, "name": "a.jpg"}])
    assert hub.post("/api/v1/records", token, json=body).status_code == 201
    assert hub.get("/api/v1/pull", token, params={"since": 0}).status_code == 200
    assert hub.get("/api/v1/pull", "forged-" + token).status_code == 401
    hub.stop()  # everything written and flushed

    log = hub.log_text()
    for line in (
        r"POST /api/v1/join 201 张三的电脑 \d+ms",
        rf"PUT /api/v1/attachments/{sha} 201 张三的电脑 \d+ms",
        r"POST /api/v1/records 201 张三的电脑 \d+ms",
        r"GET /api/v1/pull 200 张三的电脑 \d+ms",
        r"GET /api/v1/pull 401 - \d+ms",
    ):
        assert re.search(line, log), (line, log)
    for secret in (token, token[:12], token[-12:], code, code.replace("-", ""), "机密的会议内容", "since="):
        assert secret not in log
