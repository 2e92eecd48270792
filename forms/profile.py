"""Deployment profiles: what IT staff set up once for a county, handed to every laptop as YAML.

A profile (`yici_profile: 1`) holds setting defaults (font size, language, optionally a default
operator), branches with their cadence overrides and, if wanted, rosters; targets WITHOUT secrets
(each says which secrets the cadre must enter); and the YAML text of installed extra forms.
Importing is idempotent (branches by name, members by branch and name, targets by name, forms by
id and version), all or nothing, and a bad profile is reported with the file and line.
"""
from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from forms import target_kinds
from forms.catalog import Catalog, write_text_atomically
from forms.loader import FormProblem, Problem, parse_form
from forms.model import CADENCE_PERIODS, Form
from forms.store import ROLES, Store, Target, timestamp

PROFILE_KEY = "yici_profile"
PROFILE_VERSION = 1
PROFILE_FILE_NAME = "yici-profile.yaml"
PROFILE_ENV = "YICI_PROFILE"

TOP_KEYS = (PROFILE_KEY, "exported_at", "settings", "branches", "targets", "forms")
SETTING_KEYS = ("operator", "font_size", "language", "backup_keep_days")
FONT_SIZES = ("standard", "large", "xlarge")
BRANCH_KEYS = ("name", "code", "secretary", "cadence", "members")
MEMBER_KEYS = ("name", "role", "phone")
TARGET_KEYS = ("name", "kind", "url", "forms", "branches", "template", "options", "enabled",
               "secrets_needed")
FORM_KEYS = ("id", "version", "title", "source")
# Option names that would mean a secret was written into the file: refused, never imported.
SECRET_WORDS = frozenset({"token", "api_key", "app_secret", "webhook", "sign_secret", "secret",
                          "password", "passwd", "access_token", "key"})
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL = "tag:yaml.org,2002:null"

HEADER = """\
# 一次 Yici 部署配置（yici_profile）。由 `yici profile export` 生成，用 `yici profile import` 导入。
# 这个文件里没有任何密钥：导入后，请按提示用 `yici targets secret 平台名 --name 密钥名` 录入。
# settings 只在本机还没有设置时生效；branches 按名称、名册按姓名、targets 按名称、forms 按 id 和版本合并。
"""


class ProfileProblem(Exception):
    """A profile that cannot be imported; `problems` says where (file:line) and what, in Chinese."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems) + "\n配置文件有误，什么都没有导入。请按提示的行号改正后再导入。"


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
    values: dict = field(default_factory=dict)      # url, forms, branches, template, options, enabled
    secrets_needed: list[str] = field(default_factory=list)
    lines: dict = field(default_factory=dict)       # key -> line, for later checks


@dataclass
class Profile:
    """A parsed, checked profile."""

    file: str
    settings: dict = field(default_factory=dict)
    setting_lines: dict = field(default_factory=dict)
    branches: list[ProfileBranch] = field(default_factory=list)
    targets: list[ProfileTarget] = field(default_factory=list)
    forms: list[tuple[Form, int]] = field(default_factory=list)   # (form, line of its entry)


@dataclass
class ProfileReport:
    """What an import did, item by item, and which secrets still have to be entered."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    secrets: list[tuple[str, list[str]]] = field(default_factory=list)   # (target, names)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


# ------------------------------------------------------------------------------------ reading

def _line(node: Node | None) -> int:
    mark = getattr(node, "start_mark", None)
    return mark.line + 1 if mark is not None else 0


class _Reader:
    """Walks the composed YAML nodes, collecting problems with their lines."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, node_or_line, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else _line(node_or_line)
        self.problems.append(Problem(self.file, line, message))

    def mapping(self, node: Node, allowed: tuple[str, ...], what: str) -> dict[str, tuple[Node, Node]]:
        if not isinstance(node, MappingNode):
            self.problem(node, f"{what}应为“键: 值”的映射")
            return {}
        out: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(name, str) or key_node.tag == _NULL:
                self.problem(key_node, f"{what}中有无法识别的键")
            elif name in out:
                self.problem(key_node, f"{what}中“{name}”重复出现")
            elif name not in allowed:
                self.problem(key_node, f"{what}中有未知的项“{name}”（可用：{', '.join(allowed)}）")
            else:
                out[name] = (key_node, value_node)
        return out

    def sequence(self, node: Node, what: str) -> list[Node]:
        if isinstance(node, ScalarNode) and node.tag == _NULL:
            return []
        if not isinstance(node, SequenceNode):
            self.problem(node, f"{what}应为列表（每项以“- ”开头）")
            return []
        return list(node.value)

    def text(self, node: Node, what: str, *, optional: bool = False) -> str | None:
        if isinstance(node, ScalarNode) and node.tag == _NULL:
            if not optional:
                self.problem(node, f"{what}不能为空")
            return None
        if not isinstance(node, ScalarNode):
            self.problem(node, f"{what}应为一段文字")
            return None
        value = node.value.strip() if node.style is None else node.value
        if not value and not optional:
            self.problem(node, f"{what}不能为空")
            return None
        return value or None

    def value(self, node: Node) -> Any:
        return SafeConstructor().construct_document(node)

    def texts(self, node: Node, what: str) -> list[str]:
        out = []
        for item in self.sequence(node, what):
            text = self.text(item, f"{what}中的一项")
            if text is not None:
                out.append(text)
        return out


def parse_profile(text: str, file: str = "<profile>") -> Profile:
    """The Profile in `text`; raises ProfileProblem listing every problem with its line."""
    reader = _Reader(file)
    try:
        root = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ProfileProblem([Problem(file, mark.line + 1 if mark else 1,
                                      f"YAML 格式有误，请检查这一行附近的缩进、冒号和引号（{exc.problem or exc}）")]) from None
    except yaml.YAMLError as exc:
        raise ProfileProblem([Problem(file, 1, f"无法读取 YAML（{exc}）")]) from None
    if root is None:
        raise ProfileProblem([Problem(file, 1, "配置文件是空的")])
    top = reader.mapping(root, TOP_KEYS, "配置文件")
    profile = Profile(file)
    if PROFILE_KEY not in top:
        reader.problem(root if isinstance(root, MappingNode) else 1,
                       f"这不是一次的部署配置文件：缺少第一行“{PROFILE_KEY}: {PROFILE_VERSION}”")
    else:
        node = top[PROFILE_KEY][1]
        version = node.value if isinstance(node, ScalarNode) else None
        if version != str(PROFILE_VERSION):
            reader.problem(node, f"{PROFILE_KEY} 的版本“{version}”本程序不认识（只支持 {PROFILE_VERSION}）；"
                                 "请用同一版本的一次导出配置，或升级一次")
    if "settings" in top:
        _settings(reader, top["settings"][1], profile)
    for key, parse, what, into in (("branches", _branch, "支部", profile.branches),
                                    ("targets", _target, "平台", profile.targets)):
        names: set[str] = set()
        for node in reader.sequence(top[key][1], key) if key in top else ():
            item = parse(reader, node)
            if item is not None:
                if item.name in names:
                    reader.problem(node, f"{what}“{item.name}”出现了两次")
                names.add(item.name)
                into.append(item)
    for node in reader.sequence(top["forms"][1], "forms") if "forms" in top else ():
        form = _form(reader, node)
        if form is not None:
            profile.forms.append((form, _line(node)))
    if reader.problems:
        raise ProfileProblem(reader.problems)
    return profile


def _settings(reader: _Reader, node: Node, profile: Profile) -> None:
    for name, (key_node, value_node) in reader.mapping(node, SETTING_KEYS, "settings").items():
        profile.setting_lines[name] = _line(key_node)
        if name == "backup_keep_days":
            value = reader.value(value_node)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 365:
                reader.problem(value_node, "backup_keep_days 应为 1 到 365 之间的整数（保留多少天的自动备份）")
                continue
        else:
            value = reader.text(value_node, f"settings.{name}", optional=name == "operator")
            if value is None:
                continue
            if name == "font_size" and value not in FONT_SIZES:
                reader.problem(value_node, f"font_size 只能是 {', '.join(FONT_SIZES)}（标准、大字、特大），不能是“{value}”")
                continue
        profile.settings[name] = value


def _branch(reader: _Reader, node: Node) -> ProfileBranch | None:
    keys = reader.mapping(node, BRANCH_KEYS, "支部")
    if "name" not in keys:
        if isinstance(node, MappingNode):
            reader.problem(node, "支部缺少 name（支部名称）")
        return None
    name = reader.text(keys["name"][1], "支部名称")
    if name is None:
        return None
    branch = ProfileBranch(name, _line(node), given=frozenset(keys))
    for key in ("code", "secretary"):
        if key in keys:
            setattr(branch, key, reader.text(keys[key][1], f"支部“{name}”的 {key}", optional=True))
    if "cadence" in keys:
        cadence_node = keys["cadence"][1]
        branch.cadence = {}
        if not (isinstance(cadence_node, ScalarNode) and cadence_node.tag == _NULL):
            if not isinstance(cadence_node, MappingNode):
                reader.problem(cadence_node, f"支部“{name}”的 cadence 应为“表单id: 周期”的映射")
            else:
                allowed = (*CADENCE_PERIODS, "off")
                for key_node, value_node in cadence_node.value:
                    every = value_node.value if isinstance(value_node, ScalarNode) else None
                    if every not in allowed:
                        reader.problem(value_node, f"支部“{name}”的周期“{every}”无效，可选：{', '.join(allowed)}")
                    else:
                        branch.cadence[str(key_node.value)] = every
    if "members" in keys:
        branch.members = []
        seen: set[str] = set()
        for member_node in reader.sequence(keys["members"][1], f"支部“{name}”的 members"):
            member = reader.mapping(member_node, MEMBER_KEYS, "名册中的一人")
            if "name" not in member:
                if isinstance(member_node, MappingNode):
                    reader.problem(member_node, "名册中有一人缺少 name（姓名）")
                continue
            person = reader.text(member["name"][1], "姓名")
            if person is None:
                continue
            if person in seen:
                reader.problem(member_node, f"支部“{name}”的名册中“{person}”出现了两次")
            seen.add(person)
            row: dict[str, Any] = {"name": person}
            if "role" in member:
                role = reader.text(member["role"][1], "职务")
                if role is not None and role not in ROLES:
                    reader.problem(member["role"][1], f"职务“{role}”不在可选范围内（{'、'.join(ROLES)}）")
                row["role"] = role
            if "phone" in member:
                row["phone"] = reader.text(member["phone"][1], "电话", optional=True)
            branch.members.append(row)
    return branch


def _target(reader: _Reader, node: Node) -> ProfileTarget | None:
    keys = reader.mapping(node, TARGET_KEYS, "平台")
    if "name" not in keys or "kind" not in keys:
        if isinstance(node, MappingNode):
            reader.problem(node, "平台需要 name（名称）和 kind（类型）")
        return None
    name = reader.text(keys["name"][1], "平台名称")
    kind = reader.text(keys["kind"][1], "平台类型")
    if name is None or kind is None:
        return None
    if not target_kinds.is_kind(kind):
        reader.problem(keys["kind"][1],
                       f"平台“{name}”的类型“{kind}”未知，可选：{', '.join(target_kinds.kind_names())}")
        return None
    target = ProfileTarget(name, kind, _line(node),
                           lines={k: _line(v[1]) for k, v in keys.items()})
    for key in ("url", "template"):
        if key in keys:
            target.values[key] = reader.text(keys[key][1], f"平台“{name}”的 {key}", optional=True)
    for key in ("forms", "branches"):
        if key in keys:
            target.values[key] = reader.texts(keys[key][1], f"平台“{name}”的 {key}")
    if "enabled" in keys:
        enabled = reader.value(keys["enabled"][1])
        if not isinstance(enabled, bool):
            reader.problem(keys["enabled"][1], f"平台“{name}”的 enabled 应为 true 或 false")
        target.values["enabled"] = bool(enabled)
    if "options" in keys:
        options_node = keys["options"][1]
        options: dict[str, str] = {}
        if isinstance(options_node, MappingNode):
            for key_node, value_node in options_node.value:
                key = str(key_node.value)
                if key.lower() in SECRET_WORDS:
                    reader.problem(key_node, f"平台“{name}”的选项“{key}”是密钥：密钥不能写在配置文件里。"
                                             f"请删掉这一行，导入后用 `yici targets secret {name} --name {key}` 录入")
                elif not isinstance(value_node, ScalarNode) or value_node.tag == _NULL:
                    reader.problem(value_node, f"平台“{name}”的选项“{key}”应为一个值")
                else:
                    options[key] = value_node.value
        elif not (isinstance(options_node, ScalarNode) and options_node.tag == _NULL):
            reader.problem(options_node, f"平台“{name}”的 options 应为“名称: 值”的映射")
        target.values["options"] = options
    if "secrets_needed" in keys:
        needed_node = keys["secrets_needed"][1]
        if isinstance(needed_node, MappingNode):
            reader.problem(needed_node, "secrets_needed 只能列出密钥的名称（例如 [webhook]），不能写密钥本身")
        else:
            target.secrets_needed = reader.texts(needed_node, "secrets_needed")
    return target


def _form(reader: _Reader, node: Node) -> Form | None:
    keys = reader.mapping(node, FORM_KEYS, "表单")
    if "source" not in keys:
        if isinstance(node, MappingNode):
            reader.problem(node, "表单缺少 source（表单定义的 YAML 全文）")
        return None
    source_node = keys["source"][1]
    source = reader.text(source_node, "表单 source")
    if source is None:
        return None
    # Lines inside a block scalar (`source: |`) start on the line after the key.
    offset = _line(source_node) - (0 if source_node.style in ("|", ">") else 1)
    try:
        form = parse_form(source, reader.file)
    except FormProblem as exc:
        for problem in exc.problems:
            reader.problem(max(problem.line, 1) + offset if problem.line else _line(source_node),
                           f"表单定义有误：{problem.message}")
        return None
    for key, expected in (("id", form.id), ("version", str(form.version))):
        if key in keys and str(keys[key][1].value) != expected:
            reader.problem(keys[key][1], f"表单的 {key}“{keys[key][1].value}”与 source 中的“{expected}”不一致")
    return form


def read_profile(path: str | Path) -> Profile:
    """Read and check a profile file (UTF-8)."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ProfileProblem([Problem(name, 0, f"无法读取配置文件：{exc.strerror or exc}。请检查路径。")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileProblem([Problem(name, raw.count(b"\n", 0, exc.start) + 1,
                                      "配置文件不是 UTF-8 编码，请用记事本等另存为 UTF-8")]) from None
    return parse_profile(text, name)


# ---------------------------------------------------------------------------------- secrets

def secrets_needed(target: Target) -> list[str]:
    """Names of the keyring secrets a target needs before it can deliver (never their values):
    what the kind requires with these options (rest: the one its `auth` calls for), and
    optional ones already set on this laptop (e.g. a robot's 加签 `sign_secret`)."""
    names = list(target_kinds.required_secrets(target.kind, target.options))
    for name in target_kinds.secret_names(target.kind):
        if name not in names and _secret_is_set(target, name):
            names.append(name)
    return names


def _secret_is_set(target: Target, name: str) -> bool:
    return target_kinds.secret_is_set(target.id, name)


def missing_secrets(target: Target, names: list[str]) -> list[str]:
    """Which of `names` this laptop's keyring does not hold for the target (all, without a keyring)."""
    return [name for name in names if not _secret_is_set(target, name)]


# ---------------------------------------------------------------------------------- export

class _Dumper(yaml.SafeDumper):
    """Multi-line text (form sources, templates) as readable `|` blocks."""


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def installed_forms(catalog: Catalog) -> list[Form]:
    """Every version of every form installed into the data folder (not the built-in ones)."""
    folder = catalog.installed_dir
    if folder is None:
        return []
    out = []
    for latest in catalog.all():
        for version in catalog.versions(latest.id):
            form = catalog.get(latest.id, version)
            if form.path and Path(form.path).resolve().parent == folder.resolve():
                out.append(form)
    return out


def export_profile(store: Store, catalog: Catalog, *, with_rosters: bool = False) -> str:
    """The profile of this laptop as YAML text. Never contains a secret: secrets are not in the
    store, and the keyring is only asked whether an optional secret is set."""
    data: dict[str, Any] = {PROFILE_KEY: PROFILE_VERSION, "exported_at": timestamp()}
    settings = {k: store.get_setting(k) for k in ("font_size", "language", "backup_keep_days")}
    settings = {k: v for k, v in settings.items() if v not in (None, "")}
    if settings:
        data["settings"] = settings
    branches = []
    for b in store.branches():
        entry: dict[str, Any] = {"name": b.name}
        if b.code:
            entry["code"] = b.code
        if b.secretary:
            entry["secretary"] = b.secretary
        if b.cadence:
            entry["cadence"] = dict(b.cadence)
        if with_rosters:
            entry["members"] = [{k: v for k, v in (("name", m.name), ("role", m.role),
                                                   ("phone", m.phone)) if v}
                                for m in store.members(b.id)]
        branches.append(entry)
    data["branches"] = branches
    targets = []
    for t in store.targets():
        entry = {"name": t.name, "kind": t.kind}
        if t.url:
            entry["url"] = t.url
        entry["forms"], entry["branches"] = list(t.forms), list(t.branches)
        if t.template:
            entry["template"] = t.template
        entry["options"] = dict(t.options)
        entry["enabled"] = t.enabled
        entry["secrets_needed"] = secrets_needed(t)
        targets.append(entry)
    data["targets"] = targets
    data["forms"] = [{"id": f.id, "version": f.version, "title": f.title, "source": f.source}
                     for f in installed_forms(catalog)]
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)
    return HEADER + body


def write_profile(path: str | Path, text: str) -> Path:
    """Write the profile atomically (UTF-8)."""
    path = Path(path).expanduser()
    write_text_atomically(path, text, prefix=".profile-")
    return path


# ---------------------------------------------------------------------------------- import

def _check_against(profile: Profile, store: Store, catalog: Catalog) -> list[Problem]:
    """Problems only this laptop can reveal: form versions that clash, a target of another
    kind under the same name, filters naming forms or branches that do not exist."""
    problems = []
    for form, line in profile.forms:
        versions = catalog.versions(form.id)
        if form.version in versions:
            known = catalog.get(form.id, form.version)
            if known.source.replace("\r\n", "\n").strip() != form.source.replace("\r\n", "\n").strip():
                problems.append(Problem(profile.file, line,
                                        f"表单 {form.id} 第 {form.version} 版在本机已有且内容不同；"
                                        f"请在配置文件里把它的 version 改为 {versions[-1] + 1}"))
        elif versions and form.version < versions[-1]:
            problems.append(Problem(profile.file, line,
                                    f"表单 {form.id} 本机已有更新的第 {versions[-1]} 版；请删除这一项或改为更高的版本"))
    form_ids = {f.id for f in catalog.all()} | {f.id for f, _ in profile.forms}
    branch_names = {b.name for b in store.branches()} | {b.name for b in profile.branches}
    existing = {t.name: t for t in store.targets()}
    for target in profile.targets:
        here = existing.get(target.name)
        if here is not None and here.kind != target.kind:
            problems.append(Problem(profile.file, target.lines.get("kind", target.line),
                                    f"本机已有名为“{target.name}”的平台，类型是 {here.kind}，不是 {target.kind}；"
                                    "请在配置文件里给它换个名称"))
        for form_id in target.values.get("forms", []):
            if form_id not in form_ids:
                problems.append(Problem(profile.file, target.lines.get("forms", target.line),
                                        f"平台“{target.name}”的 forms 中的表单“{form_id}”不存在；"
                                        f"现有：{'、'.join(sorted(form_ids))}"))
        for name in target.values.get("branches", []):
            if name not in branch_names:
                problems.append(Problem(profile.file, target.lines.get("branches", target.line),
                                        f"平台“{target.name}”的 branches 中的支部“{name}”不存在；"
                                        "请先在 branches 中列出它"))
    return problems


def import_profile(store: Store, catalog: Catalog, path: str | Path | None = None, *,
                   profile: Profile | None = None) -> ProfileReport:
    """Import a profile file (or a parsed `profile`) in one transaction; ProfileProblem when
    anything is wrong, and then nothing is imported. Running it again changes nothing."""
    if profile is None:
        profile = read_profile(path)
    problems = _check_against(profile, store, catalog)
    if problems:
        raise ProfileProblem(problems)
    report = ProfileReport()
    with store.transaction():
        _apply_settings(store, profile, report)
        for branch in profile.branches:
            _apply_branch(store, branch, report)
        for form, _line_no in profile.forms:
            _apply_form(store, catalog, form, report)
        for target in profile.targets:
            _apply_target(store, target, report)
    for target in profile.targets:
        live = store.target(target.name)
        wanted = list(dict.fromkeys(target.secrets_needed + secrets_needed(live)))
        missing = missing_secrets(live, wanted)
        if missing:
            report.secrets.append((live.name, missing))
    return report


def _apply_settings(store: Store, profile: Profile, report: ProfileReport) -> None:
    # Defaults only: what a cadre chose on this laptop (their name, 大字) is kept.
    for key, value in profile.settings.items():
        label = f"设置 {key}"
        if store.get_setting(key) in (None, ""):
            store.set_setting(key, value)
            report.added.append(label)
        else:
            report.unchanged.append(label)


def _apply_branch(store: Store, branch: ProfileBranch, report: ProfileReport) -> None:
    label = f"支部 {branch.name}"
    here = store.find_branch(branch.name)
    if here is None or here.name != branch.name:
        here = store.add_branch(branch.name, code=branch.code, secretary=branch.secretary)
        if branch.cadence:
            store.update_branch(here.id, cadence=branch.cadence)
        report.added.append(label)
    else:
        changes = {key: getattr(branch, key) for key in ("code", "secretary", "cadence")
                   if key in branch.given and (getattr(branch, key) or None) != (getattr(here, key) or None)}
        if changes:
            store.update_branch(here.id, **changes)
            report.updated.append(label)
        else:
            report.unchanged.append(label)
    if branch.members is None:
        return
    roster = {m.name: m for m in store.members(here.id)}
    added = updated = 0
    for row in branch.members:
        member = roster.get(row["name"])
        if member is None:
            store.add_member(here.id, row["name"], role=row.get("role") or "党员",
                             phone=row.get("phone"))
            added += 1
            continue
        changes = {k: row[k] for k in ("role", "phone") if k in row and row[k] != getattr(member, k)}
        if changes:
            store.update_member(member.id, **changes)
            updated += 1
    if added:
        report.added.append(f"{branch.name} 名册 {added} 人")
    if updated:
        report.updated.append(f"{branch.name} 名册 {updated} 人")
    if not added and not updated:
        report.unchanged.append(f"{branch.name} 名册")


def _apply_form(store: Store, catalog: Catalog, form: Form, report: ProfileReport) -> None:
    label = f"表单 {form.id} 第 {form.version} 版"
    if form.version in catalog.versions(form.id):
        report.unchanged.append(label)
        return
    fd, tmp = tempfile.mkstemp(prefix=".profile-form-", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(form.source)
        installed = catalog.install(tmp)
    finally:
        Path(tmp).unlink(missing_ok=True)
    store.remember_form(installed)
    report.added.append(label)


def _apply_target(store: Store, target: ProfileTarget, report: ProfileReport) -> None:
    label = f"平台 {target.name}"
    here = next((t for t in store.targets() if t.name == target.name), None)
    if here is None:
        store.add_target(target.name, target.kind, **target.values)
        report.added.append(label)
        return
    changes = {}
    for key, value in target.values.items():
        current = getattr(here, key)
        if key in ("url", "template"):
            value, current = value or None, current or None
        if value != current:
            changes[key] = value
    if changes:
        store.update_target(here.id, **changes)
        report.updated.append(label)
    else:
        report.unchanged.append(label)


# ---------------------------------------------------------------------------- first run

def find_beside_executable() -> Path | None:
    """A profile to offer on first run: $YICI_PROFILE (for tests and scripted installs), else
    `yici-profile.yaml` beside the packaged program (IT staff put it next to yici.exe)."""
    from_env = os.environ.get(PROFILE_ENV, "").strip()
    if from_env:
        path = Path(from_env).expanduser()
        return path if path.is_file() else None
    if getattr(sys, "frozen", False):
        path = Path(sys.executable).resolve().parent / PROFILE_FILE_NAME
        return path if path.is_file() else None
    return None
