"""A browser recipe: how to fill one platform's web form, read from YAML and checked line by line.

A recipe says where to start, how to log in (the names of keyring secrets, never their values;
a pause for a captcha or a USB key the person handles), the steps to reach the form, which value
goes where (a field found by label text, name or CSS selector, its value an expression over the
record as in sync/copy_fields.py), the submit button, how success shows, and how to find a record
already entered. Every problem is reported at once as FILE:LINE in Chinese (docs/PLATFORMS.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from yaml.nodes import MappingNode, Node, ScalarNode

from forms.expressions import ExpressionError, compile_expression
from forms.i18n import tr
from forms.yaml_lines import Limits, NodeReader, Problem, YamlRefused, compose, line, read_text
from sync.copy_fields import Field

TOP_KEYS = ("start_url", "login", "steps", "fields", "submit", "success", "duplicate_check", "auto_submit")
LOGIN_KEYS = ("user", "password", "pause", "submit")
SECRET_KEYS = ("secret", "label", "name", "css")
FIELD_KEYS = ("label", "name", "css", "value", "type", "after")
STEP_KEYS = ("goto", "click", "wait", "pause")
CLICK_KEYS = ("text", "label", "name", "css")
SUCCESS_KEYS = ("text", "url")
DUPLICATE_KEYS = ("url", "search", "button", "title", "date")
FIND_KEYS = ("label", "name", "css")
FIELD_TYPES = ("text", "textarea", "select", "radio", "checkbox", "date", "file")
SECRET_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
# A platform's form is a page or two; a recipe of more is a pasted file or a hostile one.
RECIPE_LIMITS = Limits(max_chars=200_000, max_nodes=20_000, max_depth=16)


@dataclass(frozen=True)
class Locator:
    """How an element is found on the page: by `label` text, `name`, `css` selector or the
    visible `text` of a button or link (sync/browser/page.py)."""

    by: str
    what: str


@dataclass(frozen=True)
class SecretInput:
    """A login field filled from the keyring secret `secret` (only its name is in the recipe)."""

    secret: str
    find: Locator


@dataclass(frozen=True)
class Login:
    """How to log in: user and password from the keyring, an optional pause, the button."""

    user: SecretInput
    password: SecretInput
    submit: Locator
    pause: str = ""


@dataclass(frozen=True)
class Step:
    """One step towards the form: `goto` an address, `click` something, `wait` for a text to
    show, or `pause` for the person (the text says what to do)."""

    line: int
    action: str
    url: str = ""
    find: Locator | None = None
    text: str = ""


@dataclass(frozen=True)
class FormField:
    """One field of the platform's form: where it is, its kind, and its value (`value` is the
    copy_fields line: label, expression); `after` names an earlier field whose choice shows it."""

    line: int
    find: Locator
    type: str
    value: Field
    after: str = ""


@dataclass(frozen=True)
class Success:
    """How the page says it took the record: a text shown and/or an address (a pattern)."""

    text: str = ""
    url: str = ""


@dataclass(frozen=True)
class DuplicateCheck:
    """How to find a record already entered: the platform's list at `url` (searched for the title
    when `search` is given), a row holding both the record's `title` and `date` expressions."""

    line: int
    url: str
    title: str
    date: str
    search: Locator | None = None
    button: Locator | None = None


@dataclass(frozen=True)
class Recipe:
    """A checked recipe."""

    file: str
    start_url: str
    login: Login | None
    steps: list[Step]
    fields: list[FormField]
    submit: Locator
    success: Success
    duplicate_check: DuplicateCheck | None = None
    auto_submit: bool = False
    secrets: tuple[str, ...] = field(default=())


class RecipeProblem(ValueError):
    """A recipe that cannot be used; `problems` name FILE:LINE and what is wrong, in Chinese."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class _Reader(NodeReader):
    """The one YAML reader with Chinese messages, as the IT staff who write recipes read them."""

    def say(self, zh: str, en: str | None = None, about: str | None = None) -> str:
        return f"{about}：{zh}" if about else zh

    def url(self, node: Node, what: str) -> str:
        """An http(s) address with a host; reported and '' otherwise."""
        text = self.text(node, what) or ""
        parts = urlsplit(text.strip())
        if text and (parts.scheme not in ("http", "https") or not parts.hostname):
            self.problem(
                node,
                tr("{what} 应为 http:// 或 https:// 开头的完整网址，不能是“{text}”").format(
                    what=what, text=text
                ),
            )
            return ""
        return text.strip()

    def locator(self, node: Node, what: str, keys: tuple[str, ...], plain: str = "") -> Locator | None:
        """A locator written as one of `keys` (in a mapping of `what`'s), or plain text read as
        `plain` (a button's text); None (reported) otherwise."""
        if plain and isinstance(node, ScalarNode):
            text = self.text(node, what)
            return Locator(plain, text) if text else None
        given = self.mapping(node, keys, what) or {}
        return self.one_of(node, given, keys, what)

    def one_of(
        self, node: Node, given: dict[str, tuple[Node, Node]], keys: tuple[str, ...], what: str
    ) -> Locator | None:
        """The one locator among `given` keys; reported when there is none or more than one."""
        chosen = [k for k in keys if k in given]
        if len(chosen) != 1:
            if isinstance(node, MappingNode):
                said = tr("{what} 应写明且只写一种找法：{keys}").format(what=what, keys=" / ".join(keys))
                self.problem(node, said)
            return None
        text = self.text(given[chosen[0]][1], f"{what}.{chosen[0]}")
        return Locator(chosen[0], text) if text else None

    def expression(self, node: Node, what: str) -> str:
        """A value expression compiled in the sandbox, as in copy_fields; '' (reported) when wrong."""
        source = self.text(node, what)
        if source is None:
            return ""
        try:
            compile_expression(source)
        except ExpressionError as exc:
            self.problem(node, tr("{what} 的表达式有误：{message}").format(what=what, message=exc.message))
            return ""
        return source


def read_recipe(path: str | Path) -> Recipe:
    """Read and check a recipe file (UTF-8); RecipeProblem lists every problem with its line."""
    try:
        text = read_text(path, RECIPE_LIMITS)
    except YamlRefused as exc:
        raise RecipeProblem([exc.problem]) from None
    return parse_recipe(text, str(path))


def parse_recipe(text: str, file: str = "<recipe>") -> Recipe:
    """The Recipe in `text`; RecipeProblem listing every problem with its line."""
    try:
        root = compose(text, file, RECIPE_LIMITS)
    except YamlRefused as exc:
        raise RecipeProblem([exc.problem]) from None
    if root is None:
        raise RecipeProblem(
            [Problem(file, 1, tr("配方是空的：至少要写 start_url、fields、submit 和 success"))]
        )
    reader = _Reader(file)
    top = reader.mapping(root, TOP_KEYS, tr("配方")) or {}
    for key in ("start_url", "fields", "submit", "success"):
        if key not in top and isinstance(root, MappingNode):
            reader.problem(root, tr("配方缺少 {key}").format(key=key))
    start_url = reader.url(top["start_url"][1], "start_url") if "start_url" in top else ""
    login = _login(reader, *top["login"]) if "login" in top else None
    steps = _steps(reader, top["steps"][1]) if "steps" in top else []
    fields = _fields(reader, top["fields"][1]) if "fields" in top else []
    submit = reader.locator(top["submit"][1], "submit", CLICK_KEYS, plain="text") if "submit" in top else None
    success = _success(reader, top["success"][1]) if "success" in top else None
    duplicate = _duplicate(reader, *top["duplicate_check"]) if "duplicate_check" in top else None
    auto_submit = False
    if "auto_submit" in top:
        auto_submit = bool(reader.boolean(top["auto_submit"][1], "auto_submit"))
        if auto_submit and "duplicate_check" not in top:
            reader.problem(
                top["auto_submit"][0],
                tr(
                    "auto_submit: true 需要同时写 duplicate_check"
                    "（先在平台列表中查找已录入的记录），以免重复录入"
                ),
            )
    if reader.problems or submit is None or success is None:
        raise RecipeProblem(reader.problems)
    secrets = (login.user.secret, login.password.secret) if login else ()
    return Recipe(file, start_url, login, steps, fields, submit, success, duplicate, auto_submit, secrets)


def _login(reader: _Reader, key_node: Node, node: Node) -> Login | None:
    keys = reader.mapping(node, LOGIN_KEYS, "login") or {}
    for key in ("user", "password", "submit"):
        if key not in keys and isinstance(node, MappingNode):
            reader.problem(key_node, tr("login 缺少 {key}").format(key=key))
    found = {
        key: _secret_input(reader, keys[key][1], f"login.{key}")
        for key in ("user", "password")
        if key in keys
    }
    submit = (
        reader.locator(keys["submit"][1], "login.submit", CLICK_KEYS, plain="text")
        if "submit" in keys
        else None
    )
    pause = (reader.text(keys["pause"][1], "login.pause") or "") if "pause" in keys else ""
    user, password = found.get("user"), found.get("password")
    if user and password and user.secret == password.secret:
        reader.problem(
            keys["password"][1], tr("用户名和密码不能用同一个密钥名“{name}”").format(name=user.secret)
        )
        return None
    if user is None or password is None or submit is None:
        return None
    return Login(user, password, submit, pause)


def _secret_input(reader: _Reader, node: Node, what: str) -> SecretInput | None:
    if isinstance(node, ScalarNode):
        reader.problem(
            node,
            tr(
                "{what} 应写成 {{secret: 密钥名, label: 输入框标签}}；账号和密码存在系统钥匙串里"
                "（yici targets secret），配方中只写密钥的名称"
            ).format(what=what),
        )
        return None
    keys = reader.mapping(node, SECRET_KEYS, what) or {}
    name = reader.text(keys["secret"][1], f"{what}.secret") if "secret" in keys else None
    if "secret" not in keys and isinstance(node, MappingNode):
        reader.problem(node, tr("{what} 缺少 secret（钥匙串中密钥的名称）").format(what=what))
    elif name is not None and not SECRET_NAME.fullmatch(name):
        # The name is not repeated: what was written there may be the password itself.
        said = tr("{what}.secret 应为密钥的名称（小写字母开头，只含小写字母、数字和下划线），不是密码本身")
        reader.problem(keys["secret"][1], said.format(what=what))
        name = None
    find = reader.one_of(node, keys, FIND_KEYS, what)
    return SecretInput(name, find) if name and find else None


def _steps(reader: _Reader, node: Node) -> list[Step]:
    steps = []
    for item in reader.sequence(node, "steps", null_ok=True) or []:
        keys = reader.mapping(item, STEP_KEYS, tr("步骤")) or {}
        if len(keys) != 1:
            if isinstance(item, MappingNode):
                reader.problem(item, tr("每个步骤只写一种动作：{keys}").format(keys=" / ".join(STEP_KEYS)))
            continue
        ((action, (_, value)),) = keys.items()
        at = line(item)
        if action == "goto":
            url = reader.url(value, "goto")
            steps += [Step(at, action, url=url)] if url else []
        elif action == "click":
            find = reader.locator(value, "click", CLICK_KEYS, plain="text")
            steps += [Step(at, action, find=find)] if find else []
        else:
            text = reader.text(value, action)
            steps += [Step(at, action, text=text)] if text else []
    return steps


def _fields(reader: _Reader, node: Node) -> list[FormField]:
    fields: list[FormField] = []
    seen: dict[str, int] = {}
    for item in reader.sequence(node, "fields", non_empty=True) or []:
        keys = reader.mapping(item, FIELD_KEYS, tr("字段")) or {}
        find = reader.one_of(item, keys, FIND_KEYS, tr("字段"))
        if "value" not in keys and isinstance(item, MappingNode):
            reader.problem(item, tr("字段缺少 value（填入的值，写法同手工录入的字段表达式）"))
        name = find.what if find else tr("字段")
        source = reader.expression(keys["value"][1], name) if "value" in keys else ""
        kind = reader.text(keys["type"][1], "type") if "type" in keys else "text"
        if kind is not None and kind not in FIELD_TYPES:
            said = tr("字段“{name}”的 type 不能是“{kind}”（可用：{kinds}）")
            reader.problem(keys["type"][1], said.format(name=name, kind=kind, kinds=", ".join(FIELD_TYPES)))
            kind = None
        after = (reader.text(keys["after"][1], "after") or "") if "after" in keys else ""
        if after and after not in seen:
            said = tr("字段“{name}”的 after 应写前面某个字段的标签、name 或 css（“{after}”不在它之前）")
            reader.problem(keys["after"][1], said.format(name=name, after=after))
        if find and find.what in seen:
            said = tr("字段“{name}”写了两次（第 {first} 行已有）")
            reader.problem(item, said.format(name=find.what, first=seen[find.what]))
            continue
        if find:
            seen[find.what] = line(item)
        if find and source and kind:
            fields.append(FormField(line(item), find, kind, Field(line(item), find.what, source), after))
    return fields


def _success(reader: _Reader, node: Node) -> Success | None:
    keys = reader.mapping(node, SUCCESS_KEYS, "success") or {}
    if not keys:
        if isinstance(node, MappingNode):
            reader.problem(
                node, tr("success 应写 text（成功后页面上的文字）或 url（成功后网址的模式），至少一个")
            )
        return None
    text = (reader.text(keys["text"][1], "success.text") or "") if "text" in keys else ""
    url = (reader.text(keys["url"][1], "success.url") or "") if "url" in keys else ""
    if url:
        try:
            re.compile(url)
        except re.error as exc:
            reader.problem(keys["url"][1], tr("success.url 不是有效的网址模式：{reason}").format(reason=exc))
            return None
    return Success(text, url) if text or url else None


def _duplicate(reader: _Reader, key_node: Node, node: Node) -> DuplicateCheck | None:
    keys = reader.mapping(node, DUPLICATE_KEYS, "duplicate_check") or {}
    for key in ("url", "title", "date"):
        if key not in keys and isinstance(node, MappingNode):
            reader.problem(key_node, tr("duplicate_check 缺少 {key}").format(key=key))
    url = reader.url(keys["url"][1], "duplicate_check.url") if "url" in keys else ""
    title = reader.expression(keys["title"][1], "duplicate_check.title") if "title" in keys else ""
    date = reader.expression(keys["date"][1], "duplicate_check.date") if "date" in keys else ""
    search = (
        reader.locator(keys["search"][1], "duplicate_check.search", FIND_KEYS) if "search" in keys else None
    )
    button = (
        reader.locator(keys["button"][1], "duplicate_check.button", CLICK_KEYS, plain="text")
        if "button" in keys
        else None
    )
    if not (url and title and date):
        return None
    return DuplicateCheck(line(key_node), url, title, date, search, button)
