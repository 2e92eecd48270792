"""Reading what is typed for a target: `--option K=V` (refusing anything secret), `--url`,
lists of forms and branches, a template file, a field list file (`copy`), the kind's name, and a
secret from stdin.

Secrets are never taken from arguments or options (they would be stored in plain text and stay
in the shell history); which names and URLs count as secret is forms/secrecy.py's one policy.
forms/ and sync/ modules are imported inside the functions: building the parser must stay quick.
"""

from __future__ import annotations

import getpass
import re
import sys
from pathlib import Path

from desktop.cli.context import find_branch
from desktop.cli.exits import CliError

ROBOT_KINDS = ("dingtalk", "wecom", "feishu")
# What an option name may look like (the secret-like ones are then refused by name).
_OPTION_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def split_list(text: str | None) -> list[str]:
    """'a,b，c、d' -> ['a', 'b', 'c', 'd'] (Chinese commas too, blanks dropped)."""
    return [part.strip() for part in re.split(r"[,，、]", text or "") if part.strip()]


def parse_options(items: list[str], *, allow_empty: bool = False) -> dict[str, str]:
    """`--option K=V` entries as a dict; `K=` (empty) is kept only when `allow_empty` (edit: remove)."""
    from forms.secrecy import is_secret_name, url_secret_keys  # here for start-up speed

    options: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not _OPTION_KEY.fullmatch(key):
            raise CliError(
                f"--option 应写成 KEY=VALUE（KEY 为英文字母、数字或下划线），例如 --option auth=bearer；"
                f"“{_shown_option(item)}”不符合。"
            )
        if is_secret_name(key):
            raise CliError(
                f"“{key}”是密钥，不能作为选项保存（选项会明文存入数据文件夹）。",
                f"请改用 `yici targets secret 平台名称 --name {key}`，从标准输入读入系统钥匙串。",
            )
        value = value.strip()
        if url_secret_keys(value):
            raise CliError(
                f"选项 {key} 的值是带密钥的网址：选项会明文存入数据文件夹，密钥只能放在系统钥匙串里。",
                "群机器人的 Webhook 地址请用 `yici targets secret 平台名称 --name webhook` 保存。",
            )
        if value or allow_empty:
            options[key] = value
    return options


def _shown_option(item: str) -> str:
    # Echo only the key part: a mistyped entry may still carry something secret after it.
    return item.partition("=")[0][:40] + ("=…" if "=" in item else "")


def kind_named(name: str):
    """The kind object for `name`, or a CliError listing the kinds there are."""
    from sync.kinds import KIND_TITLES, kind_for

    kind = kind_for(name) if name else None
    if kind is None:
        choices = "、".join(f"{key}（{title}）" for key, title in KIND_TITLES.items())
        raise CliError(f"未知的平台类型“{name}”。可选：{choices}")
    return kind


def kind_title(name: str) -> str:
    """'钉钉群机器人' for 'dingtalk'; the name itself if unknown."""
    from sync.kinds import KIND_TITLES

    return KIND_TITLES.get(name, name)


def check_url(kind_name: str, url: str | None, target_name: str) -> str | None:
    """The URL to store for this kind; robots and Excel targets take none (refused, not echoed)."""
    import urllib.parse  # here for start-up speed, like the secrets policy

    from forms.secrecy import url_secret_keys

    if url is None:
        return None
    url = url.strip()
    if kind_name in ROBOT_KINDS:
        raise CliError(
            f"{kind_title(kind_name)}不用 --url：群机器人的 Webhook 地址里含有令牌，属于密钥，"
            "只能保存在系统钥匙串里（不会写入数据文件夹）。",
            f"请运行 `yici targets secret {target_name} --name webhook`，"
            "再粘贴完整的 Webhook 地址并回车（也可以从标准输入传入）。",
        )
    if kind_name == "xlsx":
        raise CliError("Excel 导入文件不用 --url：请用 --option folder=导出文件夹 指定文件写到哪里。")
    if kind_name == "copy":
        raise CliError("手工录入的平台不用 --url：请用 --fields 文件 写明平台的字段。")
    if kind_name == "browser":
        raise CliError("网页表单平台不用 --url：网址写在配方里，请用 --recipe 配方文件。")
    if not url:
        return None
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise CliError("--url 应是平台接口的完整地址，以 https:// 开头，例如 https://平台/api/records")
    secret_keys = url_secret_keys(url)
    if secret_keys:
        raise CliError(
            f"接口地址里带有密钥（{'、'.join(secret_keys)}）：地址会明文存入数据文件夹，密钥只能放在系统钥匙串里。",
            "请去掉地址里的密钥，用 --option auth=bearer（或 api_key、hmac）选择认证方式，"
            f"再运行 `yici targets secret {target_name}` 从标准输入保存密钥。",
        )
    return url


def form_ids(session, text: str | None) -> list[str]:
    """Form ids from '--forms' (ids or titles), each checked against the catalog."""
    forms = {f.id: f for f in session.catalog.all()}
    by_title = {f.title: f.id for f in forms.values()}
    ids = []
    for name in split_list(text):
        form_id = name if name in forms else by_title.get(name)
        if form_id is None:
            choices = "、".join(f"{f.id}（{f.title}）" for f in forms.values())
            raise CliError(f"找不到表单“{name}”。可用的表单：{choices}")
        if form_id not in ids:
            ids.append(form_id)
    return ids


def branch_names(session, text: str | None) -> list[str]:
    """Branch names from '--branches' (names or codes), each checked against the store."""
    names = []
    for name in split_list(text):
        branch = find_branch(session, name)
        if branch.name not in names:
            names.append(branch.name)
    return names


def file_options(args) -> dict[str, str]:
    """`--fields FILE` (copy) and `--recipe FILE` (browser) as the options they set."""
    options = {}
    fields = read_fields(getattr(args, "fields", None))
    if fields is not None:
        options["fields"] = fields
    recipe = read_recipe_file(getattr(args, "recipe", None))
    if recipe is not None:
        options["recipe"] = recipe
    return options


def _read_utf8(path: str, what: str) -> str:
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise CliError(f"无法读取{what} {path}：{exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CliError(f"{what} {path} 不是 UTF-8 编码：请用记事本“另存为”UTF-8。") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_recipe_file(path: str | None) -> str | None:
    """A `browser` target's recipe from FILE (UTF-8 YAML), checked: each problem as FILE:LINE."""
    from sync.browser.kind import SECRET_NAMES
    from sync.browser.recipe import RecipeProblem, parse_recipe

    if not path:
        return None
    text = _read_utf8(path, "配方文件")
    try:
        recipe = parse_recipe(text, path)
    except RecipeProblem as exc:
        raise CliError(
            f"配方文件 {path} 有错误，什么都没有保存：", *(f"  {p}" for p in exc.problems)
        ) from None
    wrong = [name for name in recipe.secrets if name not in SECRET_NAMES]
    if wrong:
        raise CliError(
            f"配方文件 {path} 中的密钥名只能是 user（账号）和 password（密码），不能是“{'、'.join(wrong)}”。"
        )
    return text


def read_fields(path: str | None) -> str | None:
    """A `copy` target's field list from FILE (UTF-8), checked: each problem as FILE:LINE."""
    from sync.copy_fields import FieldsProblem, parse_fields

    if not path:
        return None
    text = _read_utf8(path, "字段文件")
    try:
        parse_fields(text)
    except FieldsProblem as exc:
        raise CliError(
            f"字段文件 {path} 有错误，什么都没有保存：",
            *(f"  {path}:{line}: {message}" for line, message in exc.problems),
        ) from None
    return text


def read_template(path: str | None) -> str | None:
    """The Jinja2 template in FILE, checked; '' means none."""
    from sync.messages import check_template

    if not path:
        return None
    source = Path(path).read_bytes().decode("utf-8-sig")
    problem = check_template(source)
    if problem:
        raise CliError(f"模板 {path} 有错误：{problem}")
    return source


def check_options(kind_name: str, options: dict[str, str]) -> None:
    """Refuse options the kind does not know (naming those it does) and values an option does not
    take, by the one check the window and deployment profiles use too (forms/target_kinds.py)."""
    from forms import target_kinds

    problems = target_kinds.option_problems(kind_name, options)
    if problems:
        raise CliError(
            "这些选项不能保存，什么都没有修改：",
            *(f"  · {p}" for p in problems),
            "请改正后重试（`yici targets add --help` 有写法示例）。",
        )


def read_secret(name: str) -> str:
    """One secret from stdin (typed without echo at a terminal), surrounding whitespace removed."""
    if sys.stdin is None:
        raise CliError("没有标准输入，读不到密钥。请用管道传入，例如：`yici targets secret 名称 < 密钥文件`")
    if sys.stdin.isatty():
        value = getpass.getpass(f"请粘贴 {name}，然后按回车（输入的内容不会显示）：")
    else:
        value = sys.stdin.buffer.read(65536).decode("utf-8-sig")
    value = value.strip()
    if not value:
        raise CliError(f"没有读到 {name}：标准输入是空的。请把密钥从标准输入传入，或在终端里粘贴后回车。")
    if "\n" in value or "\r" in value:
        raise CliError(f"{name} 只能是一行。请只传入密钥本身（一行），不要夹带其他内容。")
    return value
