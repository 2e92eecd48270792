"""What each target kind's options and secrets are called and mean, in the UI language.

The tables are marked with QT_TRANSLATE_NOOP under the "TargetForm" context, where the form that
shows them finds their translations. Also the two colours the target pages say good and bad in.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.i18n import QT_TRANSLATE_NOOP
from forms import target_kinds
from sync.kinds import KINDS


def translated(text: str) -> str:
    """A table entry below in the UI language. The entries are marked with QT_TRANSLATE_NOOP
    so lupdate files them under "TargetForm" (it cannot see through a call with a variable)."""
    return QCoreApplication.translate("TargetForm", text) if text else text


ERROR_COLOR = "#d4242b"
OK_COLOR = "#2e9d4c"

# How the photos a platform gets are copied (sync/photo_copies.py): the same for every kind that
# sends photos (rest, copy, browser).
PHOTO_COPIES = [
    (
        "photo_exif",
        QT_TRANSLATE_NOOP(
            "TargetForm",
            "照片的拍摄信息（时间、位置、相机）：strip 去掉（默认），keep 保留（平台要求时）",
        ),
    ),
    (
        "photo_max_size",
        QT_TRANSLATE_NOOP("TargetForm", "平台对每张照片的大小限制，如 2MB；超过就缩小后再发"),
    ),
]

# What each option a kind understands means, for people. Which options exist, and which values
# they take, the kinds themselves say (sync/kind.py); tests/desktop check both lists agree.
OPTION_HINTS: dict[str, list[tuple[str, str]]] = {
    "rest": [
        (
            "auth",
            QT_TRANSLATE_NOOP(
                "TargetForm",
                "认证方式：none（无）、bearer（令牌）、api_key（API Key 请求头）、"
                "hmac（appKey/appSecret 签名）",
            ),
        ),
        ("method", QT_TRANSLATE_NOOP("TargetForm", "请求方法：POST（默认）、PUT 或 PATCH")),
        (
            "api_key_header",
            QT_TRANSLATE_NOOP("TargetForm", "auth=api_key 时放 API Key 的请求头名称，默认 X-API-Key"),
        ),
        (
            "app_key",
            QT_TRANSLATE_NOOP(
                "TargetForm", "auth=hmac 时的 appKey（不是密钥，appSecret 请在“填写密钥”里填）"
            ),
        ),
        (
            "success_status",
            QT_TRANSLATE_NOOP("TargetForm", "哪些 HTTP 状态算成功：2xx（默认），或如 200,201"),
        ),
        (
            "success_path",
            QT_TRANSLATE_NOOP("TargetForm", "回复 JSON 里表示成功的字段，如 code；与 success_value 一起用"),
        ),
        ("success_value", QT_TRANSLATE_NOOP("TargetForm", "success_path 字段等于这个值才算成功，如 0")),
        ("remote_id_path", QT_TRANSLATE_NOOP("TargetForm", "回复 JSON 里平台记录编号的位置，如 data.id")),
        (
            "update_url",
            QT_TRANSLATE_NOOP("TargetForm", "更正时发往的地址，如 https://x/api/records/{remote_id}"),
        ),
        ("update_method", QT_TRANSLATE_NOOP("TargetForm", "更正时的请求方法，默认 PUT")),
        (
            "photos",
            QT_TRANSLATE_NOOP(
                "TargetForm", "照片：none（不发，默认）、multipart（文件上传）、base64（放进 JSON）"
            ),
        ),
        *PHOTO_COPIES,
        ("ca_file", QT_TRANSLATE_NOOP("TargetForm", "内网平台的 CA 证书文件路径（在系统证书之外额外信任）")),
        ("timeout", QT_TRANSLATE_NOOP("TargetForm", "等待回复的秒数，默认 30")),
        ("test_url", QT_TRANSLATE_NOOP("TargetForm", "“测试”按钮访问的地址，默认为接口地址")),
        ("test_method", QT_TRANSLATE_NOOP("TargetForm", "“测试”按钮的请求方法，默认 POST")),
        (
            "allow_plain_http",
            QT_TRANSLATE_NOOP(
                "TargetForm", "允许用明文 http:// 发送（只用于没有 https 的县内网平台，密钥不加密）：是 / 否"
            ),
        ),
    ],
    "dingtalk": [
        ("keyword", QT_TRANSLATE_NOOP("TargetForm", "机器人安全设置里的“自定义关键词”，消息里会自动带上")),
        ("at_mobiles", QT_TRANSLATE_NOOP("TargetForm", "要 @ 的手机号，用逗号分隔")),
        ("at_all", QT_TRANSLATE_NOOP("TargetForm", "是否 @所有人：是 / 否")),
        ("timeout", QT_TRANSLATE_NOOP("TargetForm", "等待回复的秒数，默认 20")),
        ("ca_file", QT_TRANSLATE_NOOP("TargetForm", "额外信任的 CA 证书文件路径")),
        (
            "allow_plain_http",
            QT_TRANSLATE_NOOP(
                "TargetForm", "允许用明文 http:// 发送（只用于没有 https 的县内网平台，密钥不加密）：是 / 否"
            ),
        ),
    ],
    "wecom": [
        ("photos", QT_TRANSLATE_NOOP("TargetForm", "是否把照片作为图片消息发到群里：是（默认）/ 否")),
        ("max_photos", QT_TRANSLATE_NOOP("TargetForm", "每条记录最多发送几张照片")),
        ("timeout", QT_TRANSLATE_NOOP("TargetForm", "等待回复的秒数，默认 20")),
        ("ca_file", QT_TRANSLATE_NOOP("TargetForm", "额外信任的 CA 证书文件路径")),
        (
            "allow_plain_http",
            QT_TRANSLATE_NOOP(
                "TargetForm", "允许用明文 http:// 发送（只用于没有 https 的县内网平台，密钥不加密）：是 / 否"
            ),
        ),
    ],
    "feishu": [
        ("keyword", QT_TRANSLATE_NOOP("TargetForm", "机器人安全设置里的“自定义关键词”，消息里会自动带上")),
        ("timeout", QT_TRANSLATE_NOOP("TargetForm", "等待回复的秒数，默认 20")),
        ("ca_file", QT_TRANSLATE_NOOP("TargetForm", "额外信任的 CA 证书文件路径")),
        (
            "allow_plain_http",
            QT_TRANSLATE_NOOP(
                "TargetForm", "允许用明文 http:// 发送（只用于没有 https 的县内网平台，密钥不加密）：是 / 否"
            ),
        ),
    ],
    "xlsx": [
        ("folder", QT_TRANSLATE_NOOP("TargetForm", "导出文件夹（必填），导入文件写在这里")),
        (
            "columns",
            QT_TRANSLATE_NOOP(
                "TargetForm",
                "列设置：表头=表达式，用分号分隔，"
                "如 会议类型=meeting_type; 召开日期=held_at[:10]; 支部名称=branch",
            ),
        ),
        (
            "template_file",
            QT_TRANSLATE_NOOP("TargetForm", "平台提供的 Excel 导入模板（.xlsx）；不填则新建只有表头的表格"),
        ),
        ("sheet", QT_TRANSLATE_NOOP("TargetForm", "模板里的工作表名称，默认第一个")),
        ("header_row", QT_TRANSLATE_NOOP("TargetForm", "表头所在的行号，默认 1")),
    ],
    "copy": [
        (
            "fields",
            QT_TRANSLATE_NOOP(
                "TargetForm",
                "平台的字段，按平台上的顺序：标签 = 表达式，用分号或换行分隔，"
                "如 会议类型 = meeting_type; 召开日期 = held_at[:10]; 所属支部 = branch",
            ),
        ),
        ("folder", QT_TRANSLATE_NOOP("TargetForm", "导出照片的文件夹（可不填，导出时再选）")),
        *PHOTO_COPIES,
    ],
    "browser": [
        (
            "recipe",
            QT_TRANSLATE_NOOP(
                "TargetForm",
                "网页表单的配方（YAML）：起始网址、怎样登录、怎样打开表单、每个字段填什么、"
                "提交按钮和成功的标志。写法和例子见 docs/PLATFORMS.md",
            ),
        ),
        (
            "allow_plain_http",
            QT_TRANSLATE_NOOP(
                "TargetForm",
                "允许配方中的网址用明文 http://（只用于没有 https 的县内网平台，密码不加密）：是 / 否",
            ),
        ),
        *PHOTO_COPIES,
    ],
    "hub": [
        ("ca_file", QT_TRANSLATE_NOOP("TargetForm", "乡镇自己签发证书时，信任的 CA 证书文件路径")),
        ("timeout", QT_TRANSLATE_NOOP("TargetForm", "等待乡镇平台回复的秒数")),
        (
            "allow_plain_http",
            QT_TRANSLATE_NOOP(
                "TargetForm", "允许用明文 http:// 连接（只用于没有 https 的县内网，令牌不加密）：是 / 否"
            ),
        ),
    ],
}

SECRET_LABELS = {
    "webhook": QT_TRANSLATE_NOOP("TargetForm", "机器人 Webhook 地址"),
    "sign_secret": QT_TRANSLATE_NOOP("TargetForm", "加签密钥（SEC 开头，可不填）"),
    "token": QT_TRANSLATE_NOOP("TargetForm", "访问令牌（token）"),
    "api_key": QT_TRANSLATE_NOOP("TargetForm", "API Key"),
    "app_secret": QT_TRANSLATE_NOOP("TargetForm", "appSecret"),
    "device_token": QT_TRANSLATE_NOOP("TargetForm", "本机的乡镇平台令牌（加入时自动保存）"),
    "user": QT_TRANSLATE_NOOP("TargetForm", "账号"),
    "password": QT_TRANSLATE_NOOP("TargetForm", "密码"),
}

TEMPLATE_HINTS = {
    "rest": QT_TRANSLATE_NOOP(
        "TargetForm", "请求体模板（Jinja2，生成 JSON，值请用 | tojson）。不填则发送默认的 JSON。"
    ),
    "dingtalk": QT_TRANSLATE_NOOP(
        "TargetForm", "消息模板（Jinja2，Markdown）。不填则使用表单自带的中文消息。"
    ),
    "wecom": QT_TRANSLATE_NOOP("TargetForm", "消息模板（Jinja2，Markdown）。不填则使用表单自带的中文消息。"),
    "feishu": QT_TRANSLATE_NOOP("TargetForm", "消息模板（Jinja2，Markdown）。不填则使用表单自带的中文消息。"),
}


def option_hint(kind: str, key: str) -> str:
    """The hint for option `key` of `kind`, in the UI language ("" if the kind has no such)."""
    return translated(dict(OPTION_HINTS.get(kind, [])).get(key.strip(), ""))


def secret_label(name: str) -> str:
    """What a secret is called on screen, in the UI language."""
    return translated(SECRET_LABELS[name]) if name in SECRET_LABELS else name


def secret_names_for(kind: str, options: dict) -> tuple[str, ...]:
    """The secrets a target of this kind and these options uses (REST: the one its `auth` needs;
    all of them while `auth` names a method the kind does not know, so no field is hidden)."""
    if kind != "rest":
        return tuple(KINDS[kind].secret_names)
    needed = target_kinds.required_secrets(kind, options)
    auth = (options.get("auth") or "none").strip().lower()
    return needed if needed or auth == "none" else tuple(KINDS[kind].secret_names)
