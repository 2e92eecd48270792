"""The WeCom kind against a server that checks what qyapi.weixin.qq.com checks."""

from __future__ import annotations

import hashlib
import os
import time

import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.answers import UNCERTAIN
from sync.kind import ATTENTION, DELIVERED, PERMANENT, RATE_LIMITED, TRANSIENT
from sync.wecom import MAX_IMAGE_BYTES, image_message, photo_refs, wecom
from tests.sync.robot_servers import WeComServer, closed_port_url, leaks, make_outgoing

PNG = b"\x89PNG\r\n\x1a\n" + os.urandom(3000)
JPG = b"\xff\xd8\xff\xe0" + os.urandom(5000)
GIF = b"GIF89a" + os.urandom(100)
BIG_JPG = b"\xff\xd8\xff\xe0" + b"\0" * (MAX_IMAGE_BYTES + 1 - 4)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def with_photos(*files: tuple[str, bytes], **data):
    values = {
        "meeting_type": "支部委员会",
        "title": "三月支委会",
        "photos": [{"sha256": sha(b), "name": n} for n, b in files],
        **data,
    }
    return values, {sha(b): b for _, b in files}


def test_markdown_is_delivered_once(wecom_server, http):
    secrets = {"webhook": wecom_server.webhook}
    attempt = wecom.send(make_outgoing("wecom", secrets), http)
    assert attempt.outcome == DELIVERED, attempt.message
    assert len(wecom_server.accepted) == 1
    assert wecom_server.markdowns[0].startswith("### 三会一课·支部委员会｜红星村党支部")
    assert leaks(attempt, *secrets.values()) == []


def test_photos_go_as_images_the_server_accepts(wecom_server, http):
    data, files = with_photos(("现场1.png", PNG), ("现场2.JPG", JPG), ("现场1-copy.png", PNG))
    data["files"] = [{"sha256": sha(b"%PDF"), "name": "签到表.pdf"}]
    item = make_outgoing("wecom", {"webhook": wecom_server.webhook}, data=data, attachments=files)
    attempt = wecom.send(item, http)
    assert attempt.outcome == DELIVERED, attempt.message
    assert "照片 2 张" in attempt.message
    assert [b["msgtype"] for b in wecom_server.accepted] == ["markdown", "image", "image"]
    assert wecom_server.images == [PNG, JPG]  # md5 and base64 checked by the server
    assert "base64" in attempt.payload and PNG.hex()[:40] not in attempt.payload
    assert len(attempt.payload) < 5000  # photos are summarised, not copied


def test_image_message_is_base64_with_md5_of_the_raw_bytes():
    message = image_message(PNG)
    assert message["image"]["md5"] == hashlib.md5(PNG).hexdigest()
    assert message["msgtype"] == "image"


def test_large_and_unsupported_photos_are_skipped_with_a_note(wecom_server, http):
    data, files = with_photos(("big.jpg", BIG_JPG), ("anim.gif", GIF), ("ok.png", PNG), ("gone.jpg", b""))
    del files[sha(b"")]  # the file is missing on disk
    item = make_outgoing("wecom", {"webhook": wecom_server.webhook}, data=data, attachments=files)
    attempt = wecom.send(item, http)
    assert attempt.outcome == DELIVERED
    assert wecom_server.images == [PNG]
    note = wecom_server.markdowns[0].splitlines()[-1]
    assert "1 张照片超过 2 MB" in note and "1 张照片不是 JPG/PNG 格式" in note and "1 张照片读取失败" in note


def test_photo_limit_and_switch(wecom_server, http):
    data, files = with_photos(("a.png", PNG), ("b.jpg", JPG))
    item = make_outgoing(
        "wecom", {"webhook": wecom_server.webhook}, data=data, attachments=files, options={"max_photos": "1"}
    )
    assert wecom.send(item, http).outcome == DELIVERED
    assert wecom_server.images == [PNG] and "另有 1 张照片" in wecom_server.markdowns[0]
    item = make_outgoing(
        "wecom", {"webhook": wecom_server.webhook}, data=data, attachments=files, options={"photos": "no"}
    )
    assert wecom.send(item, http).outcome == DELIVERED
    assert len(wecom_server.images) == 1


def test_refused_image_is_reported_after_the_text_went(wecom_server, http):
    wecom_server.refuse_images = (301019, "media md5 not match")
    data, files = with_photos(("a.png", PNG))
    attempt = wecom.send(
        make_outgoing("wecom", {"webhook": wecom_server.webhook}, data=data, attachments=files), http
    )
    assert attempt.outcome == PERMANENT and "301019" in attempt.message
    assert "文字已发送，第 1 张照片未发送" in attempt.message
    assert attempt.remote_id == "sent:1:1"
    assert len(wecom_server.markdowns) == 1 and wecom_server.images == []


def test_rate_limit_in_the_middle_resumes_without_sending_twice(start_server, http):
    clock = [1000.0]
    server = start_server(WeComServer, per_minute=3, clock=lambda: clock[0])
    data, files = with_photos(("a.png", PNG), ("b.jpg", JPG), ("c.png", PNG + b"c"))
    files[sha(PNG + b"c")] = PNG + b"c"
    item = make_outgoing("wecom", {"webhook": server.webhook}, data=data, attachments=files)
    attempt = wecom.send(item, http)
    assert attempt.outcome == RATE_LIMITED and attempt.retry_after == 60
    assert attempt.remote_id == "sent:1:3" and "文字和前 2 张照片已发送" in attempt.message
    clock[0] += 61
    item.remote_id = attempt.remote_id  # the engine hands progress back
    attempt = wecom.send(item, http)
    assert attempt.outcome == DELIVERED, attempt.message
    assert len(server.markdowns) == 1 and server.images == [PNG, JPG, PNG + b"c"]
    # Progress from another revision is not trusted.
    item.revision, item.remote_id = 2, "sent:1:3"
    assert wecom.send(item, http).outcome == RATE_LIMITED
    assert len(server.markdowns) == 2


def test_twenty_first_message_is_rate_limited(wecom_server, http):
    secrets = {"webhook": wecom_server.webhook}
    outcomes = [wecom.send(make_outgoing("wecom", secrets), http) for _ in range(21)]
    assert [a.outcome for a in outcomes[:20]] == [DELIVERED] * 20
    assert outcomes[20].outcome == RATE_LIMITED and outcomes[20].retry_after == 60
    assert len(wecom_server.accepted) == 20


def test_wrong_key_needs_attention(wecom_server, http):
    webhook = wecom_server.webhook.replace(wecom_server.key, "wrong-key-0123456789")
    attempt = wecom.send(make_outgoing("wecom", {"webhook": webhook}), http)
    assert attempt.outcome == ATTENTION and "93000" in attempt.message
    assert leaks(attempt, webhook) == []


def test_server_error_and_connection_refused_are_transient_a_timeout_uncertain(wecom_server, http):
    wecom_server.fail_next = [502]
    assert wecom.send(make_outgoing("wecom", {"webhook": wecom_server.webhook}), http).outcome == TRANSIENT
    webhook = closed_port_url("/cgi-bin/webhook/send?key=closed-key-0123456789")
    attempt = wecom.send(make_outgoing("wecom", {"webhook": webhook}), http)
    assert attempt.outcome == TRANSIENT and leaks(attempt, webhook) == []
    wecom_server.delay = 3
    item = make_outgoing("wecom", {"webhook": wecom_server.webhook}, options={"timeout": "0.3"})
    started = time.monotonic()
    # The request went out and no answer came: it may have arrived, so it is never resent alone.
    assert wecom.send(item, http).outcome == UNCERTAIN
    assert time.monotonic() - started < 2
    assert wecom_server.accepted == []


def test_long_markdown_is_cut_to_4096_bytes_and_accepted(wecom_server, http):
    data = {"meeting_type": "支部党员大会", "content": "🎉会议记录。" * 3000}
    data_photos, files = with_photos(("big.jpg", BIG_JPG))
    data["photos"] = data_photos["photos"]
    item = make_outgoing("wecom", {"webhook": wecom_server.webhook}, data=data, attachments=files)
    assert wecom.send(item, http).outcome == DELIVERED
    content = wecom_server.markdowns[0]
    assert 4000 < len(content.encode()) <= 4096
    assert "…" in content and content.endswith("未在群里发送）")


class Recorder:
    """An `http` that answers ok and keeps what was sent, for many quick property examples."""

    def __init__(self):
        self.bodies = []

    def request(self, method, url, *, ca_file=None, timeout=None, data=None, **kw):
        self.bodies.append(data)
        response = requests.Response()
        response.status_code = 200
        response._content = b'{"errcode":0,"errmsg":"ok"}'
        return response


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(
        alphabet=st.one_of(
            st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
            st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),
            st.sampled_from("ab \n"),
        ),
        min_size=1,
        max_size=4000,
    )
)
def test_markdown_content_is_always_within_4096_bytes_and_valid_utf8(text):
    import json

    recorder = Recorder()
    item = make_outgoing(
        "wecom",
        {"webhook": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1"},
        data={"content": text, "topics": text},
    )
    assert wecom.send(item, recorder).outcome == DELIVERED
    content = json.loads(recorder.bodies[0].decode("utf-8"))["markdown"]["content"]
    assert len(content.encode("utf-8")) <= 4096


def test_photo_refs_find_photos_once_in_any_field():
    refs = photo_refs(
        {
            "photos": [{"sha256": "a", "name": "1.jpg"}],
            "receipts": [{"sha256": "b", "name": "r.PNG"}],
            "files": [{"sha256": "c", "name": "x.docx"}, {"sha256": "a", "name": "1.jpg"}],
            "attendees": ["张三"],
        }
    )
    assert [r["sha256"] for r in refs] == ["a", "b"]


def test_correction_is_marked(wecom_server, http):
    item = make_outgoing("wecom", {"webhook": wecom_server.webhook}, is_correction=True, revision=2)
    assert wecom.send(item, http).outcome == DELIVERED
    assert wecom_server.markdowns[0].startswith("### 【更正】")


def test_send_test_and_declarations(wecom_server, http):
    target = make_outgoing("wecom", {}).target
    assert wecom.send_test(target, {"webhook": wecom_server.webhook}, http).outcome == DELIVERED
    assert wecom.send_test(target, {}, http).outcome == ATTENTION
    assert wecom.rate_limits == ((20, 60.0),) and wecom.idempotent is False
    assert wecom.required_secrets == ("webhook",)
    assert wecom.config_problems(target, {"webhook": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"})
