"""WeCom group robot (企业微信群机器人): a markdown message, then the record's photos as images.

The photos are the clean copies `Outgoing.attachment` gives (sync/photo_copies.py): no EXIF or
GPS (a work group is no place for a villager's location, so this kind has no `photo_exif`),
upright, a HEIC as a JPEG, and downscaled to the robot's 2 MB (`photo_max_bytes`).

Protocol facts: reference/robots.md. The `webhook` secret is the whole URL (the key is in it).
One delivery is several robot messages (markdown + up to `max_photos` images). Robots cannot
dedupe, so when a later part fails the Attempt's `remote_id` says how many parts already went
("sent:<revision>:<n>"); handed back as `Outgoing.remote_id`, the next try starts after them.
"""

from __future__ import annotations

import base64
import hashlib
import os
from typing import Any

from forms.i18n import tr, tr_noop
from sync import messages, robot
from sync.kind import (
    ATTENTION,
    DELIVERED,
    PERMANENT,
    PLAIN_HTTP,
    RATE_LIMITED,
    TRANSIENT,
    Attempt,
    Option,
    Outgoing,
    TargetConfig,
    seconds,
    whole_number,
    yes_or_no,
)
from sync.photo_copies import FileMissing, FileProblem
from sync.robot import Refusal

PLATFORM = tr_noop("企业微信")
MAX_MARKDOWN_BYTES = 4096
MAX_IMAGE_BYTES = 2 * 1024 * 1024  # before base64
DEFAULT_MAX_PHOTOS = 9  # a work group is not a photo album
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".heic", ".heif", ".tif", ".tiff"}

_TOKEN_ADVICE = tr_noop(
    "企业微信机器人的 Webhook 地址无效（机器人可能已被移除），请重新复制群机器人的地址并填写"
)
REFUSALS: dict[int, Refusal] = {
    93000: Refusal(ATTENTION, _TOKEN_ADVICE),
    93004: Refusal(ATTENTION, tr_noop("企业微信机器人已被停用，请在群里启用机器人或重新添加后更新地址")),
    45009: Refusal(
        RATE_LIMITED, tr_noop("发送太快（每分钟超过 20 条），企业微信暂时限流，稍后自动重试"), 60.0
    ),
    301019: Refusal(PERMANENT, tr_noop("照片校验失败（md5 不一致），企业微信未接收")),
    -1: Refusal(TRANSIENT, tr_noop("企业微信系统繁忙，稍后自动重试")),
}


def image_kind(data: bytes) -> str | None:
    """'jpg' or 'png' from the file's first bytes; None for anything WeCom will not show."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def image_message(data: bytes) -> dict:
    """An image message: base64 of the raw bytes and their md5."""
    return {
        "msgtype": "image",
        "image": {"base64": base64.b64encode(data).decode("ascii"), "md5": hashlib.md5(data).hexdigest()},
    }


def photo_refs(data: dict) -> list[dict]:
    """Every photo attachment {'sha256','name'} in the record's values, once each, in field order."""
    seen, refs = set(), []
    for value in data.values():
        if not isinstance(value, list):
            continue
        for ref in value:
            if not (isinstance(ref, dict) and ref.get("sha256")):
                continue
            ext = os.path.splitext(str(ref.get("name") or ""))[1].lower()
            if ext in IMAGE_EXTENSIONS and ref["sha256"] not in seen:
                seen.add(ref["sha256"])
                refs.append(ref)
    return refs


class WeComKind(robot.RobotKind):
    """WeCom group robot: markdown (≤ 4096 bytes, cut on a character boundary) and photo images."""

    name = "wecom"
    idempotent = False
    secret_names = ("webhook",)  # WeCom robots have no signing: the key is the secret
    required_secrets = ("webhook",)
    rate_limits = ((20, 60.0),)
    photo_max_bytes = MAX_IMAGE_BYTES  # larger photos go as downscaled copies (sync/photo_copies.py)

    options = (
        Option("photos", check=yes_or_no),
        Option("max_photos", check=whole_number(0, 50)),
        Option("timeout", check=seconds),
        Option("ca_file"),
        PLAIN_HTTP,
    )

    def config_problems(self, target: TargetConfig, secrets: dict[str, str]) -> list[str]:
        return self.settings_problems(target) + robot.webhook_problems(
            target,
            secrets,
            PLATFORM,
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
            lambda parsed: bool(robot.query_value(parsed, "key")),
        )

    def _deliver(self, item: Outgoing, title: str, text: str, http: Any) -> Attempt:
        images, notes = self._photos(item)
        note = f"\n\n（{'；'.join(notes)}，未在群里发送）" if notes else ""
        markdown = {
            "msgtype": "markdown",
            "markdown": {"content": messages.fit(text, MAX_MARKDOWN_BYTES, note)},
        }
        return self._post_parts(item, markdown, images, http)

    def _test(self, target: TargetConfig, secrets: dict[str, str], http: Any) -> Attempt:
        body = {"msgtype": "markdown", "markdown": {"content": robot.TEST_TEXT}}
        attempt = robot.send(http, target, secrets["webhook"].strip(), body, PLATFORM, REFUSALS)
        attempt.payload = robot.payload_text(body)
        return attempt

    def _photos(self, item: Outgoing) -> tuple[list[tuple[str, bytes]], list[str]]:
        """(name, bytes) of the photos to send and notes on those that cannot go."""
        if not robot.option_on(item.target, "photos", True):
            return [], []
        try:
            limit = max(0, int(item.target.options.get("max_photos", DEFAULT_MAX_PHOTOS)))
        except ValueError:
            limit = DEFAULT_MAX_PHOTOS
        images: list[tuple[str, bytes]] = []
        too_large = wrong_format = unreadable = unusable = over_limit = 0
        for ref in photo_refs(item.data):
            if len(images) >= limit:
                over_limit += 1
                continue
            try:
                data = item.attachment(ref["sha256"]) if item.attachment else None
            except FileMissing:
                data = None
            except FileProblem:  # damaged, or no clean copy can be made of it: the original never goes
                unusable += 1
                continue
            except Exception:  # a missing or unreadable file must not stop the text going out
                data = None
            if data is None:
                unreadable += 1
            elif image_kind(data) is None:
                wrong_format += 1
            elif len(data) > MAX_IMAGE_BYTES:
                too_large += 1
            else:
                images.append((str(ref.get("name") or ""), data))
        notes = []
        if too_large:
            notes.append(f"{too_large} 张照片超过 2 MB")
        if wrong_format:
            notes.append(f"{wrong_format} 张照片不是 JPG/PNG 格式")
        if unreadable:
            notes.append(f"{unreadable} 张照片读取失败")
        if unusable:
            notes.append(f"{unusable} 张照片已损坏或无法处理")
        if over_limit:
            notes.append(f"另有 {over_limit} 张照片（每条最多发 {limit} 张）")
        return images, notes

    def _post_parts(
        self, item: Outgoing, markdown: dict, images: list[tuple[str, bytes]], http: Any
    ) -> Attempt:
        total = 1 + len(images)
        done = _progress(item)
        shown = [markdown] + [
            {
                "msgtype": "image",
                "image": {
                    "base64": f"（照片 {name}，{len(data)} 字节，已省略）",
                    "md5": hashlib.md5(data).hexdigest(),
                },
            }
            for name, data in images
        ]
        payload = robot.payload_text(shown[0] if total == 1 else shown)
        for index in range(done, total):
            body = markdown if index == 0 else image_message(images[index - 1][1])
            attempt = robot.send(http, item.target, item.secrets["webhook"].strip(), body, PLATFORM, REFUSALS)
            if attempt.outcome != DELIVERED:
                if index > 0:
                    went = (
                        tr("文字已发送")
                        if index == 1
                        else tr("文字和前 {number} 张照片已发送").format(number=index - 1)
                    )
                    attempt.message = tr("{went}，第 {index} 张照片未发送：{message}").format(
                        went=went, index=index, message=attempt.message
                    )
                    attempt.remote_id = f"sent:{item.revision}:{index}"
                attempt.payload = payload
                return attempt
        sent_now = total - done
        message = tr("{platform}已接收：文字 1 条").format(platform=tr(PLATFORM)) + (
            tr("、照片 {images_count} 张").format(images_count=len(images)) if images else ""
        )
        if done:
            message += tr("（本次续发 {sent_now} 条，之前已发的部分未重复发送）").format(sent_now=sent_now)
        return Attempt(DELIVERED, message, payload=payload)


def _progress(item: Outgoing) -> int:
    """Parts of this revision already accepted in an earlier try (see module docstring)."""
    prefix = f"sent:{item.revision}:"
    if item.remote_id and item.remote_id.startswith(prefix) and item.remote_id[len(prefix) :].isdigit():
        return int(item.remote_id[len(prefix) :])
    return 0


wecom = WeComKind()
KIND = wecom  # what sync/kinds.py looks up
