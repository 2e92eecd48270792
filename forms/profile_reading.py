"""Read a deployment profile (`yici_profile: 1`) and check it, naming FILE:LINE for every problem.

The text goes through the one YAML reader (forms/yaml_lines.py), with limits that fit a whole
county's rosters and refuse a hostile file in milliseconds. Everything that can be checked
without the laptop is checked here and reported at once; what only the laptop can reveal
(clashing form versions, unknown filters) is checked when importing (forms/profile.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode

from forms import target_kinds
from forms.i18n import tr
from forms.loader import FormProblem, parse_form
from forms.model import CADENCE_PERIODS, Form
from forms.secrecy import is_secret_name, url_secret_keys
from forms.store import ROLES
from forms.yaml_lines import Limits, NodeReader, Problem, YamlRefused, compose, is_null, line, read_text

PROFILE_KEY = "yici_profile"
PROFILE_VERSION = 1

TOP_KEYS = (PROFILE_KEY, "exported_at", "settings", "branches", "targets", "forms")
SETTING_KEYS = ("operator", "font_size", "language", "backup_keep_days", "township")
FONT_SIZES = ("standard", "large", "xlarge")
BRANCH_KEYS = ("name", "code", "secretary", "cadence", "members")
MEMBER_KEYS = ("name", "role", "phone")
TARGET_KEYS = ("name", "kind", "url", "forms", "branches", "template", "options", "enabled", "secrets_needed")
FORM_KEYS = ("id", "version", "title", "source")

# A county's profile with every roster (some 2,000 branches of 30 members) is about 4 MB and
# 500,000 nodes: these leave eight and four times that, and still refuse an alias bomb at once.
PROFILE_LIMITS = Limits(max_chars=32_000_000, max_nodes=2_000_000, max_depth=64)


class ProfileProblem(Exception):
    """A profile that cannot be imported; `problems` says where (file:line) and what, in Chinese."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems) + tr(
            "\n配置文件有误，什么都没有导入。请按提示的行号改正后再导入。"
        )


@dataclass
class ProfileBranch:
    """A branch as the profile describes it; None means 'not given, leave as it is'."""

    name: str
    line: int
    code: str | None = None
    secretary: str | None = None
    cadence: dict | None = None
    members: list[dict] | None = None
    given: frozenset = frozenset()


@dataclass
class ProfileTarget:
    """A target without secrets; `secrets_needed` names what the cadre must enter."""

    name: str
    kind: str
    line: int
    values: dict = field(default_factory=dict)  # url, forms, branches, template, options, enabled
    secrets_needed: list[str] = field(default_factory=list)
    lines: dict = field(default_factory=dict)  # key -> line, for later checks


@dataclass
class Profile:
    """A parsed, checked profile."""

    file: str
    settings: dict = field(default_factory=dict)
    setting_lines: dict = field(default_factory=dict)
    branches: list[ProfileBranch] = field(default_factory=list)
    targets: list[ProfileTarget] = field(default_factory=list)
    forms: list[tuple[Form, int]] = field(default_factory=list)  # (form, line of its entry)


class _Reader(NodeReader):
    """The one YAML reader's helpers, with the profile's messages: Chinese only, as the cadres
    and IT staff who import profiles read them."""

    def say(self, zh: str, en: str | None = None, about: str | None = None) -> str:
        return f"{about}：{zh}" if about else zh


def read_profile(path: str | Path) -> Profile:
    """Read and check a profile file (UTF-8)."""
    try:
        text = read_text(path, PROFILE_LIMITS)
    except YamlRefused as exc:
        raise ProfileProblem([exc.problem]) from None
    return parse_profile(text, str(path))


def parse_profile(text: str, file: str = "<profile>") -> Profile:
    """The Profile in `text`; raises ProfileProblem listing every problem with its line."""
    try:
        root = compose(text, file, PROFILE_LIMITS)
    except YamlRefused as exc:
        raise ProfileProblem([exc.problem]) from None
    if root is None:
        raise ProfileProblem([Problem(file, 1, tr("配置文件是空的"))])
    reader = _Reader(file)
    top = reader.mapping(root, TOP_KEYS, tr("配置文件")) or {}
    profile = Profile(file)
    if PROFILE_KEY not in top:
        reader.problem(
            root if isinstance(root, MappingNode) else 1,
            tr("这不是一次的部署配置文件：缺少第一行“{profile_key}: {profile_version}”").format(
                profile_key=PROFILE_KEY, profile_version=PROFILE_VERSION
            ),
        )
    else:
        node = top[PROFILE_KEY][1]
        version = node.value if isinstance(node, ScalarNode) else None
        if version != str(PROFILE_VERSION):
            reader.problem(
                node,
                tr(
                    "{profile_key} 的版本“{version}”本程序不认识（只支持 {profile_version}）；"
                    "请用同一版本的一次导出配置，或升级一次"
                ).format(profile_key=PROFILE_KEY, version=version, profile_version=PROFILE_VERSION),
            )
    if "settings" in top:
        _settings(reader, top["settings"][1], profile)
    profile.branches = _each_once(reader, _items(reader, top, "branches"), _branch, tr("支部"))
    profile.targets = _each_once(reader, _items(reader, top, "targets"), _target, tr("平台"))
    for node in _items(reader, top, "forms"):
        form = _form(reader, node)
        if form is not None:
            profile.forms.append((form, line(node)))
    if reader.problems:
        raise ProfileProblem(reader.problems)
    return profile


def _items(reader: _Reader, top: dict[str, tuple[Node, Node]], key: str) -> list[Node]:
    """The entries of a top-level list (none when it is absent or empty)."""
    if key not in top:
        return []
    return reader.sequence(top[key][1], key, null_ok=True) or []


_Named = TypeVar("_Named", ProfileBranch, ProfileTarget)


def _each_once(
    reader: _Reader, nodes: list[Node], parse: Callable[[_Reader, Node], _Named | None], what: str
) -> list[_Named]:
    """The entries `parse` makes of `nodes`; a name given twice is reported."""
    out: list[_Named] = []
    names: set[str] = set()
    for node in nodes:
        item = parse(reader, node)
        if item is not None:
            if item.name in names:
                reader.problem(node, tr("{what}“{name}”出现了两次").format(what=what, name=item.name))
            names.add(item.name)
            out.append(item)
    return out


def _settings(reader: _Reader, node: Node, profile: Profile) -> None:
    for name, (key_node, value_node) in (reader.mapping(node, SETTING_KEYS, "settings") or {}).items():
        profile.setting_lines[name] = line(key_node)
        value: Any
        if name == "backup_keep_days":
            value = reader.integer(
                value_node, "backup_keep_days", minimum=1, maximum=365, hint=tr("即保留多少天的自动备份")
            )
        else:
            value = reader.text(value_node, f"settings.{name}", optional=name == "operator")
            if name == "font_size" and value is not None and value not in FONT_SIZES:
                said = tr("font_size 只能是 {font_sizes}（标准、大字、特大），不能是“{value}”")
                reader.problem(value_node, said.format(font_sizes=", ".join(FONT_SIZES), value=value))
                continue
        if value is not None:
            profile.settings[name] = value


def _branch(reader: _Reader, node: Node) -> ProfileBranch | None:
    keys = reader.mapping(node, BRANCH_KEYS, tr("支部")) or {}
    if "name" not in keys:
        if isinstance(node, MappingNode):
            reader.problem(node, tr("支部缺少 name（支部名称）"))
        return None
    name = reader.text(keys["name"][1], tr("支部名称"))
    if name is None:
        return None
    branch = ProfileBranch(name, line(node), given=frozenset(keys))
    for key in ("code", "secretary"):
        if key in keys:
            setattr(
                branch,
                key,
                reader.text(
                    keys[key][1], tr("支部“{name}”的 {key}").format(name=name, key=key), optional=True
                ),
            )
    if "cadence" in keys:
        branch.cadence = _cadence(reader, keys["cadence"][1], name)
    if "members" in keys:
        branch.members = _members(reader, keys["members"][1], name)
    return branch


def _cadence(reader: _Reader, node: Node, branch: str) -> dict[str, str]:
    cadence: dict[str, str] = {}
    if is_null(node):
        return cadence
    if not isinstance(node, MappingNode):
        reader.problem(node, tr("支部“{branch}”的 cadence 应为“表单id: 周期”的映射").format(branch=branch))
        return cadence
    allowed = (*CADENCE_PERIODS, "off")
    for key_node, value_node in node.value:
        every = value_node.value if isinstance(value_node, ScalarNode) else None
        if every not in allowed:
            said = tr("支部“{branch}”的周期“{every}”无效，可选：{allowed}")
            reader.problem(value_node, said.format(branch=branch, every=every, allowed=", ".join(allowed)))
        else:
            cadence[str(key_node.value)] = every
    return cadence


def _members(reader: _Reader, node: Node, branch: str) -> list[dict]:
    members: list[dict] = []
    seen: set[str] = set()
    for member_node in (
        reader.sequence(node, tr("支部“{branch}”的 members").format(branch=branch), null_ok=True) or ()
    ):
        member = reader.mapping(member_node, MEMBER_KEYS, tr("名册中的一人")) or {}
        if "name" not in member:
            if isinstance(member_node, MappingNode):
                reader.problem(member_node, tr("名册中有一人缺少 name（姓名）"))
            continue
        person = reader.text(member["name"][1], tr("姓名"))
        if person is None:
            continue
        if person in seen:
            said = tr("支部“{branch}”的名册中“{person}”出现了两次").format(branch=branch, person=person)
            reader.problem(member_node, said)
        seen.add(person)
        row: dict[str, Any] = {"name": person}
        if "role" in member:
            role = reader.text(member["role"][1], tr("职务"))
            if role is not None and role not in ROLES:
                said = tr("职务“{role}”不在可选范围内（{roles}）").format(role=role, roles="、".join(ROLES))
                reader.problem(member["role"][1], said)
            row["role"] = role
        if "phone" in member:
            row["phone"] = reader.text(member["phone"][1], tr("电话"), optional=True)
        members.append(row)
    return members


def _target(reader: _Reader, node: Node) -> ProfileTarget | None:
    keys = reader.mapping(node, TARGET_KEYS, tr("平台")) or {}
    if "name" not in keys or "kind" not in keys:
        if isinstance(node, MappingNode):
            reader.problem(node, tr("平台需要 name（名称）和 kind（类型）"))
        return None
    name = reader.text(keys["name"][1], tr("平台名称"))
    kind = reader.text(keys["kind"][1], tr("平台类型"))
    if name is None or kind is None:
        return None
    if not target_kinds.is_kind(kind):
        said = tr("平台“{name}”的类型“{kind}”未知，可选：{items}")
        reader.problem(
            keys["kind"][1], said.format(name=name, kind=kind, items=", ".join(target_kinds.kind_names()))
        )
        return None
    target = ProfileTarget(name, kind, line(node), lines={k: line(v[1]) for k, v in keys.items()})
    for key in ("url", "template"):
        if key in keys:
            target.values[key] = reader.text(
                keys[key][1], tr("平台“{name}”的 {key}").format(name=name, key=key), optional=True
            )
    secret_in_url = url_secret_keys(target.values.get("url"))
    if secret_in_url:
        reader.problem(
            keys["url"][1],
            tr(
                "平台“{name}”的 url 里带有密钥（{secret_in_url}）："
                "密钥不能写在配置文件里。请去掉地址里的密钥，"
                "导入后用 `yici targets secret {name}` 录入"
            ).format(name=name, secret_in_url="、".join(secret_in_url)),
        )
    for key in ("forms", "branches"):
        if key in keys:
            target.values[key] = reader.texts(
                keys[key][1], tr("平台“{name}”的 {key}").format(name=name, key=key)
            )
    if "enabled" in keys:
        target.values["enabled"] = bool(
            reader.boolean(keys["enabled"][1], tr("平台“{name}”的 enabled").format(name=name))
        )
    if "options" in keys:
        target.values["options"] = _options(reader, keys["options"][1], name, kind)
    if "secrets_needed" in keys:
        needed_node = keys["secrets_needed"][1]
        if isinstance(needed_node, MappingNode):
            reader.problem(
                needed_node, tr("secrets_needed 只能列出密钥的名称（例如 [webhook]），不能写密钥本身")
            )
        else:
            target.secrets_needed = reader.texts(needed_node, "secrets_needed")
    return target


def _options(reader: _Reader, node: Node, target: str, kind: str) -> dict[str, str]:
    options: dict[str, str] = {}
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            # The one secrets policy (forms/secrecy.py): what the store refuses to keep, too.
            if is_secret_name(key):
                reader.problem(
                    key_node,
                    tr(
                        "平台“{target}”的选项“{key}”是密钥：密钥不能写在配置文件里。"
                        "请删掉这一行，导入后用 "
                        "`yici targets secret {target} --name {key}` 录入"
                    ).format(target=target, key=key),
                )
            elif not isinstance(value_node, ScalarNode) or is_null(value_node):
                reader.problem(
                    value_node, tr("平台“{target}”的选项“{key}”应为一个值").format(target=target, key=key)
                )
            elif url_secret_keys(value_node.value):
                reader.problem(
                    value_node,
                    tr("平台“{target}”的选项“{key}”是带密钥的网址：密钥不能写在配置文件里").format(
                        target=target, key=key
                    ),
                )
            else:
                # The one check of option names and values (forms/target_kinds.py), as the
                # window and the command line make it.
                for problem in target_kinds.option_problems(kind, {key: value_node.value}):
                    reader.problem(
                        key_node, tr("平台“{target}”：{problem}").format(target=target, problem=problem)
                    )
                options[key] = value_node.value
    elif not is_null(node):
        reader.problem(node, tr("平台“{target}”的 options 应为“名称: 值”的映射").format(target=target))
    return options


def _form(reader: _Reader, node: Node) -> Form | None:
    keys = reader.mapping(node, FORM_KEYS, tr("表单")) or {}
    if "source" not in keys:
        if isinstance(node, MappingNode):
            reader.problem(node, tr("表单缺少 source（表单定义的 YAML 全文）"))
        return None
    source_node = keys["source"][1]
    source = reader.text(source_node, tr("表单 source"))
    if source is None:
        return None
    # Lines inside a block scalar (`source: |`) start on the line after the key.
    style = source_node.style if isinstance(source_node, ScalarNode) else None
    offset = line(source_node) - (0 if style in ("|", ">") else 1)
    try:
        form = parse_form(source, reader.file)
    except FormProblem as exc:
        for problem in exc.problems:
            reader.problem(
                max(problem.line, 1) + offset if problem.line else line(source_node),
                tr("表单定义有误：{message}").format(message=problem.message),
            )
        return None
    for key, expected in (("id", form.id), ("version", str(form.version))):
        if key in keys and str(keys[key][1].value) != expected:
            reader.problem(
                keys[key][1],
                tr("表单的 {key}“{value}”与 source 中的“{expected}”不一致").format(
                    key=key, value=keys[key][1].value, expected=expected
                ),
            )
    return form
