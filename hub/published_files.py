"""Reading what the township publishes from files, checked before anything is stored, every problem
named as FILE:LINE: a platform's non-secret settings and branches' cadence overrides.

A platform's settings are what a deployment profile carries for a target (url, forms, branches,
template, options, enabled), checked by the same rules: the kinds' own option checks
(forms/target_kinds.py) and the one secrets policy (forms/secrecy.py). Nothing that looks like a
secret is ever published: a secret-like name anywhere, an address that carries a credential, a
value shaped like a token. Secrets stay in each laptop's keyring; the hub never holds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from forms import target_kinds
from forms.model import CADENCE_PERIODS
from forms.secrecy import is_secret_name, url_secret_keys
from forms.yaml_lines import Limits, NodeReader, Problem, YamlRefused, compose, is_null, line, read_text

SETTING_KEYS = ("url", "forms", "branches", "template", "options", "enabled")
EVERY = (*CADENCE_PERIODS, "off")
LIMITS = Limits(max_chars=2_000_000, max_nodes=200_000, max_depth=32)
# A value shaped like an issued credential: a long run of base64/hex characters with both letters
# and digits and nothing else (an app secret pasted under an innocent name).
_TOKEN_SHAPED = re.compile(r"^(?=[^\s]*[A-Za-z])(?=[^\s]*\d)[A-Za-z0-9+/=_\-]{32,}$")
_HOOK = re.compile(r"/hook/[^/?#\s]+")


class FileProblems(Exception):
    """A file that cannot be published; `problems` say FILE:LINE: what is wrong."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class _Reader(NodeReader):
    """The one YAML reader's helpers, with Chinese messages only (for IT staff)."""

    def say(self, zh: str, en: str | None = None, about: str | None = None) -> str:
        return f"{about}：{zh}" if about else zh


@dataclass
class PlatformSettings:
    """A platform's settings as laptops will receive them, and the secrets each laptop must enter."""

    values: dict[str, Any] = field(default_factory=dict)
    secrets_needed: list[str] = field(default_factory=list)

    def published(self) -> dict[str, Any]:
        """What is stored and pulled: the values plus `secrets_needed` (names only)."""
        return {**self.values, "secrets_needed": self.secrets_needed}


def secret_problem(name: str, value: Any) -> str | None:
    """Why this setting looks like a secret (in Chinese), or None. Names and values, nested."""
    if is_secret_name(name):
        return f"“{name}”是密钥，不能发布到乡镇平台：密钥只在各台电脑的系统钥匙串里，由各电脑自己录入"
    if isinstance(value, dict):
        return next((p for k, v in value.items() if (p := secret_problem(str(k), v))), None)
    if isinstance(value, list):
        return next((p for v in value if (p := secret_problem(name, v))), None)
    text = "" if value is None else str(value).strip()
    keys = url_secret_keys(text)
    if keys or _HOOK.search(text):
        said = "、".join(keys) or "hook 地址"
        return f"“{name}”是带密钥的网址（{said}）：请去掉密钥，各电脑在自己的钥匙串里录入"
    if _TOKEN_SHAPED.match(text):
        return f"“{name}”的值看起来是一个密钥（一长串字母和数字），不能发布；密钥由各电脑自己录入"
    return None


def read_settings(path: str | Path, name: str, kind: str) -> PlatformSettings:
    """The settings in a YAML file for platform `name` of `kind`; FileProblems when anything is
    wrong or secret-like (nothing is published then)."""
    file = str(path)
    reader, root = _open(file)
    settings = PlatformSettings()
    if not target_kinds.is_installed():
        from sync import kinds  # the kinds' own checks, as the laptops make them

        kinds.install()
    if not target_kinds.is_kind(kind):
        reader.problem(0, f"未知的平台类型“{kind}”，可选：{', '.join(target_kinds.kind_names())}")
        raise FileProblems(reader.problems)
    _secrets_anywhere(reader, root, "")
    keys = reader.mapping(root, SETTING_KEYS, "平台设置") or {}
    values = settings.values
    for key in ("url", "template"):
        if key in keys:
            values[key] = reader.text(keys[key][1], key, optional=True)
    for key in ("forms", "branches"):
        if key in keys:
            values[key] = reader.texts(keys[key][1], key)
    if "enabled" in keys:
        values["enabled"] = bool(reader.boolean(keys["enabled"][1], "enabled"))
    options: dict[str, str] = {}
    if "options" in keys:
        node = keys["options"][1]
        for key_node, value_node in node.value if isinstance(node, MappingNode) else ():
            if isinstance(value_node, ScalarNode) and not is_null(value_node):
                options[str(key_node.value)] = value_node.value
            else:
                reader.problem(value_node, f"选项“{key_node.value}”应为一个值")
        if not isinstance(node, MappingNode) and not is_null(node):
            reader.problem(node, "options 应为“名称: 值”的映射")
        values["options"] = options
    # The kind's own checks too, so the file's every problem is listed at once (a secret-like
    # option was reported above and is not named again as unknown).
    plain = {k: v for k, v in options.items() if not is_secret_name(k)}
    config = target_kinds.TargetConfig(
        0, name, kind, values.get("url"), values.get("forms") or [], values.get("branches") or [],
        values.get("template"), plain, values.get("enabled", True),
    )  # fmt: skip
    at = line(keys["options"][1]) if "options" in keys else 1
    for problem in target_kinds.settings_problems(config):
        reader.problem(at, problem)
    if reader.problems:
        raise FileProblems(reader.problems)
    settings.secrets_needed = list(target_kinds.required_secrets(kind, options))
    return settings


def read_cadence(path: str | Path) -> dict[str, dict[str, str]]:
    """{branch name: {override key: period or "off"}} from a YAML file shaped
    `红星村党支部: {sanhui-yike:支部委员会: month}`; FileProblems when anything is wrong."""
    file = str(path)
    reader, root = _open(file)
    out: dict[str, dict[str, str]] = {}
    if not isinstance(root, MappingNode):
        reader.problem(root, "周期文件应为“支部名称: {表单id: 周期}”的映射")
        raise FileProblems(reader.problems)
    for branch_node, rules_node in root.value:
        branch = reader.text(branch_node, "支部名称")
        if branch is None:
            continue
        if branch in out:
            reader.problem(branch_node, f"支部“{branch}”出现了两次")
        rules: dict[str, str] = {}
        if isinstance(rules_node, MappingNode):
            for key_node, every_node in rules_node.value:
                key = reader.text(key_node, "表单id")
                every = every_node.value if isinstance(every_node, ScalarNode) else None
                if every not in EVERY:
                    reader.problem(every_node, f"支部“{branch}”的周期“{every}”无效，可选：{', '.join(EVERY)}")
                elif key is not None:
                    rules[key] = every
        elif not is_null(rules_node):
            reader.problem(rules_node, f"支部“{branch}”的周期应为“表单id: 周期”的映射")
        out[branch] = rules
    if reader.problems:
        raise FileProblems(reader.problems)
    return out


def _open(file: str) -> tuple[_Reader, Node]:
    try:
        root = compose(read_text(file, LIMITS), file, LIMITS)
    except YamlRefused as exc:
        raise FileProblems([exc.problem]) from None
    if root is None:
        raise FileProblems([Problem(file, 1, "文件是空的")])
    return _Reader(file), root


def _secrets_anywhere(reader: _Reader, node: Node, name: str) -> None:
    """Report every secret-like key or value in the file, at its line, however deep."""
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, ScalarNode) else ""
            if is_secret_name(key):
                reader.problem(key_node, secret_problem(key, None) or "")
            else:
                _secrets_anywhere(reader, value_node, key)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _secrets_anywhere(reader, item, name)
    elif isinstance(node, ScalarNode) and not is_null(node):
        problem = secret_problem(name or "值", node.value)
        if problem:
            reader.problem(node, problem)
