"""No secret ends up anywhere but the keyring: not in the database (or its WAL), the logs, the
Excel exports, a run's summary or any message, whether delivering succeeded or failed."""

from __future__ import annotations

import logging
import urllib.parse
from pathlib import Path

from sync import secrets as keyring_secrets
from tests.sync.engine_setup import (  # noqa: F401 - fixtures
    deliverer,
    loopback_http,
    village,
)
from tests.sync.rest_server import PlatformServer, make_tls_files
from tests.sync.robot_servers import DingTalkServer, FeishuServer, WeComServer, closed_port_url

REST_TOKEN = "tokSECRETrest4f8a9b2c7d"
HMAC_SECRET = "appsecSECRET77e1c0d9aa"
WRONG_TOKEN = "tokWRONGSECRET00019f3e"
ECHO_TOKEN = "tokECHOSECRET5b6c7d8e9f"
DOWN_KEY = "apikeySECRETdown31415926"
TLS_TOKEN = "tokSECRETtls27182818284"
DT_TOKEN = "dtSECRETtoken9a8b7c6d5e4f"
DT_SIGN = "SECdingSECRET5566778899aa"
DT_WRONG_SIGN = "SECwrongSECRET1122334455"
WECOM_KEY = "wecomSECRETkey0a1b2c3d4e"
FEISHU_TOKEN = "fsSECRETtok-1234-5678-9abc-def012345678"
FEISHU_SIGN = "feishuSECRETsign4242abcd"
FEISHU_DOWN_TOKEN = "fsSECRETdown-8765-4321-cba9-876543210fed"


def _scan(paths, secrets: list[str]) -> list[tuple[str, str]]:
    found = []
    for path in paths:
        data = Path(path).read_bytes()
        for secret in secrets:
            for form in {secret, urllib.parse.quote_plus(secret), urllib.parse.quote(secret, safe="")}:
                if form.encode("utf-8") in data:
                    found.append((str(path), secret))
    return found


def _files(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()]


def test_no_secret_in_database_logs_exports_or_messages(village, memory_keyring, loopback_http, tmp_path):
    store = village.store
    logs = village.data_dir / "logs"
    logs.mkdir()
    handler = logging.FileHandler(logs / "yici.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    app_log = logging.getLogger("yici")
    app_log.addHandler(handler)
    old_level = app_log.level
    app_log.setLevel(logging.DEBUG)
    ca_file, server_ctx = make_tls_files(tmp_path)
    exports = tmp_path / "exports"

    with (
        PlatformServer(token=REST_TOKEN, app_secret=HMAC_SECRET) as rest,
        PlatformServer(token=ECHO_TOKEN) as echo,
        PlatformServer(token=TLS_TOKEN, ssl_context=server_ctx) as tls,
        DingTalkServer(token=DT_TOKEN, secret=DT_SIGN) as dingtalk,
        DingTalkServer(token=DT_TOKEN, secret=DT_SIGN) as dingtalk_wrong,
        WeComServer(key=WECOM_KEY) as wecom,
        FeishuServer(token=FEISHU_TOKEN, secret=FEISHU_SIGN) as feishu,
    ):
        echo.business_error = (40100, f"令牌 {ECHO_TOKEN} 无效 Bearer {ECHO_TOKEN}")
        add = store.add_target
        configured = [
            (
                add(
                    "平台-令牌",
                    "rest",
                    url=f"{rest.url}/api/records",
                    options={"auth": "bearer", "success_path": "code", "remote_id_path": "data.id"},
                ),
                {"token": REST_TOKEN},
            ),
            (
                add(
                    "平台-签名",
                    "rest",
                    url=f"{rest.url}/api/records",
                    options={"auth": "hmac", "app_key": rest.app_key, "success_path": "code"},
                ),
                {"app_secret": HMAC_SECRET},
            ),
            (
                add("平台-错误令牌", "rest", url=f"{rest.url}/api/records", options={"auth": "bearer"}),
                {"token": WRONG_TOKEN},
            ),
            (
                add(
                    "平台-回显",
                    "rest",
                    url=f"{echo.url}/api/records",
                    options={"auth": "bearer", "success_path": "code"},
                ),
                {"token": ECHO_TOKEN},
            ),
            (
                add("平台-离线", "rest", url=closed_port_url("/api/records"), options={"auth": "api_key"}),
                {"api_key": DOWN_KEY},
            ),
            (
                add("平台-证书", "rest", url=f"{tls.url}/api/records", options={"auth": "bearer"}),
                {"token": TLS_TOKEN},
            ),
            (add("钉钉", "dingtalk"), {"webhook": dingtalk.webhook, "sign_secret": DT_SIGN}),
            (add("钉钉-错签", "dingtalk"), {"webhook": dingtalk_wrong.webhook, "sign_secret": DT_WRONG_SIGN}),
            (add("企业微信", "wecom"), {"webhook": wecom.webhook}),
            (add("飞书", "feishu"), {"webhook": feishu.webhook, "sign_secret": FEISHU_SIGN}),
            (
                add("飞书-离线", "feishu"),
                {"webhook": closed_port_url(f"/open-apis/bot/v2/hook/{FEISHU_DOWN_TOKEN}")},
            ),
            (
                add(
                    "县里导入",
                    "xlsx",
                    options={"folder": str(exports), "columns": "主题=title; 支部=branch; 录入人=operator"},
                ),
                {},
            ),
        ]
        for target, secrets in configured:
            for name, value in secrets.items():
                keyring_secrets.set_secret(village.store, target, name, value)
        for n in range(3):
            village.final(n)
        record = village.final(9, branch_id=village.other_branch_id)

        d = deliverer(village, loopback_http)
        summaries = [d.run()]
        village.correct(record.uuid, title="更正")
        summaries += [d.run(manual=False), d.run()]
        tests = [d.test(t.id) for t, _ in configured]
        confirmed = d.confirm_upload("县里导入", "张干事")

        # The run did what we think: some delivered, some stopped, some waiting.
        states = store.delivery_counts()
        assert states["平台-令牌"] == {"delivered": 5} and states["钉钉"] == {"delivered": 5}
        assert states["企业微信"] == {"delivered": 5} and states["飞书"] == {"delivered": 5}
        assert states["县里导入"] == {"delivered": 5} and confirmed.delivered == 5
        assert len(rest.records) == 10
        attention = {t.name: t.attention for t in store.targets() if t.attention}
        assert {"平台-错误令牌", "平台-证书", "钉钉-错签"} <= set(attention)
        assert "证书" in attention["平台-证书"]
        assert states["平台-离线"] == {"pending": 4, "superseded": 1}
        assert states["飞书-离线"] == {"pending": 4, "superseded": 1}
        assert states["平台-回显"] == {"failed": 5}

    all_secrets = [
        REST_TOKEN,
        HMAC_SECRET,
        WRONG_TOKEN,
        ECHO_TOKEN,
        DOWN_KEY,
        TLS_TOKEN,
        DT_TOKEN,
        DT_SIGN,
        DT_WRONG_SIGN,
        WECOM_KEY,
        FEISHU_TOKEN,
        FEISHU_SIGN,
        FEISHU_DOWN_TOKEN,
    ]
    # What a person can see: summaries, messages, payloads, attention, audit, test answers.
    shown = [repr(s) for s in summaries] + [repr(t) for t in tests] + [repr(store.targets())]
    shown += [repr(x) for x in store.deliveries()] + [repr(store.audit())]
    leaked = [s for s in all_secrets if any(s in text for text in shown)]
    assert leaked == []
    assert any("令牌" in d.message and "***" in d.message for d in store.deliveries(state="failed"))

    app_log.removeHandler(handler)
    handler.close()
    app_log.setLevel(old_level)
    assert (logs / "yici.log").stat().st_size > 0  # the engine did log (attention, ...)
    files = _files(village.data_dir, exports)
    assert any(p.name.endswith("-wal") for p in files) and any(p.suffix == ".xlsx" for p in files)
    assert _scan(files, all_secrets) == []
    store.close()  # checkpointed into the main file
    assert _scan(_files(village.data_dir, exports), all_secrets) == []
    village.store = store.__class__.open(village.data_dir)  # for the fixture's close


def test_logs_and_crash_details_mask_tokens_inside_urls(tmp_path):
    """A traceback from requests carries the webhook URL; the log line must not carry its token."""
    import logging

    from forms.secrecy import MaskingFormatter

    path = tmp_path / "yici.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(MaskingFormatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("yici.test-masking")
    logger.addHandler(handler)
    try:
        try:
            raise ConnectionError(
                "Max retries exceeded with url: /robot/send?access_token=LEAKY7788"
                " and https://open.feishu.cn/open-apis/bot/v2/hook/HOOKLEAK99"
            )
        except ConnectionError:
            logger.exception("send failed for https://x/cgi-bin/webhook/send?key=WECOMLEAK55")
    finally:
        logger.removeHandler(handler)
        handler.close()
    text = path.read_text(encoding="utf-8")
    assert "Max retries exceeded" in text and "access_token=***" in text
    for secret in ("LEAKY7788", "HOOKLEAK99", "WECOMLEAK55"):
        assert secret not in text
