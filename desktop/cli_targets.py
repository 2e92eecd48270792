"""`yici targets ...`: where records go (`yici sync` and `yici deliveries ...` are in cli_sync.py).

Secrets (tokens, robot webhook URLs, signing keys) go only into the OS keyring through
sync.secrets, read from stdin (or typed without echo); they are never taken as command-line
arguments or options, never stored in the data folder and never printed (webhooks are masked).
Each command is `function(args, data_dir) -> exit code`, called by desktop/cli.py.
"""
from __future__ import annotations

import getpass
import re
import sys
import urllib.parse
from pathlib import Path

from desktop.cli_output import err, print_json, print_table
from desktop.cli_session import (
    EXIT_ATTENTION, EXIT_OK, EXIT_PENDING, CliError, find_branch, open_session, operator,
)
from desktop.cli_sync import log_to_file
from forms.deliveries import SECRET_OPTION_NAMES, url_secret_keys

ROBOT_KINDS = ("dingtalk", "wecom", "feishu")
# Option names that would put a secret into the database; they belong in the keyring.
_OPTION_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# --- reading what was typed -----------------------------------------------------------------------

def split_list(text: str | None) -> list[str]:
    """'a,b，c、d' -> ['a', 'b', 'c', 'd'] (Chinese commas too, blanks dropped)."""
    return [part.strip() for part in re.split(r"[,，、]", text or "") if part.strip()]


def parse_options(items: list[str], *, allow_empty: bool = False) -> dict[str, str]:
    """`--option K=V` entries as a dict; `K=` (empty) is kept only when `allow_empty` (edit: remove)."""
    options: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not _OPTION_KEY.fullmatch(key):
            raise CliError(f"--option 应写成 KEY=VALUE（KEY 为英文字母、数字或下划线），例如 --option auth=bearer；"
                           f"“{_shown_option(item)}”不符合。")
        if key.lower() in SECRET_OPTION_NAMES:
            raise CliError(f"“{key}”是密钥，不能作为选项保存（选项会明文存入数据文件夹）。",
                           f"请改用 `yici targets secret 平台名称 --name {key}`，从标准输入读入系统钥匙串。")
        value = value.strip()
        if url_secret_keys(value):
            raise CliError(f"选项 {key} 的值是带密钥的网址：选项会明文存入数据文件夹，密钥只能放在系统钥匙串里。",
                           "群机器人的 Webhook 地址请用 `yici targets secret 平台名称 --name webhook` 保存。")
        if value or allow_empty:
            options[key] = value
    return options


def _shown_option(item: str) -> str:
    # Echo only the key part: a mistyped entry may still carry something secret after it.
    return item.partition("=")[0][:40] + ("=…" if "=" in item else "")


def _kind(name: str):
    """The kind object for `name`, or a CliError listing the kinds there are."""
    from sync.kinds import KIND_TITLES, kind_for

    kind = kind_for(name) if name else None
    if kind is None:
        choices = "、".join(f"{key}（{title}）" for key, title in KIND_TITLES.items())
        raise CliError(f"未知的平台类型“{name}”。可选：{choices}")
    return kind


def _kind_title(name: str) -> str:
    from sync.kinds import KIND_TITLES
    return KIND_TITLES.get(name, name)


def _check_url(kind_name: str, url: str | None, target_name: str) -> str | None:
    """The URL to store for this kind; robots and Excel targets take none (refused, not echoed)."""
    if url is None:
        return None
    url = url.strip()
    if kind_name in ROBOT_KINDS:
        raise CliError(f"{_kind_title(kind_name)}不用 --url：群机器人的 Webhook 地址里含有令牌，属于密钥，"
                       "只能保存在系统钥匙串里（不会写入数据文件夹）。",
                       f"请运行 `yici targets secret {target_name} --name webhook`，"
                       "再粘贴完整的 Webhook 地址并回车（也可以从标准输入传入）。")
    if kind_name == "xlsx":
        raise CliError("Excel 导入文件不用 --url：请用 --option folder=导出文件夹 指定文件写到哪里。")
    if not url:
        return None
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise CliError("--url 应是平台接口的完整地址，以 https:// 开头，例如 https://平台/api/records")
    secret_keys = url_secret_keys(url)
    if secret_keys:
        raise CliError(f"接口地址里带有密钥（{'、'.join(secret_keys)}）：地址会明文存入数据文件夹，密钥只能放在系统钥匙串里。",
                       "请去掉地址里的密钥，用 --option auth=bearer（或 api_key、hmac）选择认证方式，"
                       f"再运行 `yici targets secret {target_name}` 从标准输入保存密钥。")
    return url


def _forms(session, text: str | None) -> list[str]:
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


def _branches(session, text: str | None) -> list[str]:
    """Branch names from '--branches' (names or codes), each checked against the store."""
    names = []
    for name in split_list(text):
        branch = find_branch(session, name)
        if branch.name not in names:
            names.append(branch.name)
    return names


def _template(path: str | None) -> str | None:
    """The Jinja2 template in FILE, checked; '' means none."""
    from sync.messages import check_template

    if not path:
        return None
    source = Path(path).read_bytes().decode("utf-8-sig")
    problem = check_template(source)
    if problem:
        raise CliError(f"模板 {path} 有错误：{problem}")
    return source


def _warn_unknown_options(kind, options: dict[str, str]) -> None:
    known = getattr(kind, "option_names", None)   # offered by kinds that list their options
    unknown = sorted(set(options) - set(known)) if known else []
    if unknown:
        err(f"⚠ {kind.name} 平台不认识这些选项，将不起作用：{'、'.join(unknown)}"
            f"（可用：{'、'.join(known)}）")


# --- secrets ----------------------------------------------------------------------------------------

def applicable_secrets(target) -> tuple[str, ...]:
    """The secret names this target actually uses (REST: the one its `auth` option needs)."""
    from sync.kinds import kind_for

    kind = kind_for(target.kind)
    if kind is None:
        return ()
    if target.kind == "rest":
        auth = (target.options.get("auth") or "none").strip().lower()
        return {"bearer": ("token",), "api_key": ("api_key",), "hmac": ("app_secret",)}.get(auth, ())
    return tuple(kind.secret_names)


def _secrets_state(target) -> tuple[dict[str, dict], str | None]:
    """({name: {'set': bool, 'shown': masked webhook or None}}, problem) without any secret value."""
    from sync import secrets as keyring_secrets

    names = applicable_secrets(target)
    if not names:
        return {}, None
    try:
        found = keyring_secrets.secrets_for(target.id, names)
    except keyring_secrets.NoKeyring as exc:
        return {name: {"set": None, "shown": None} for name in names}, exc.message
    state = {}
    for name in names:
        value = found.get(name)
        shown = keyring_secrets.mask(value) if value and "://" in value else None
        state[name] = {"set": bool(value), "shown": shown}
    return state, None


def _secrets_text(state: dict[str, dict], problem: str | None) -> str:
    if problem:
        return "钥匙串不可用"
    if not state:
        return "不需要"
    parts = []
    for name, info in state.items():
        word = "已设置" if info["set"] else "未设置"
        parts.append(f"{name} {word}" + (f"（{info['shown']}）" if info["shown"] else ""))
    return "；".join(parts)


def _read_secret(name: str) -> str:
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


# --- targets ------------------------------------------------------------------------------------------

def _target_problems(kind, target, secrets: dict[str, str]) -> list[str]:
    try:
        return kind.config_problems(target.config(), secrets)
    except Exception as exc:  # a kind's bug must not hide that the target was saved
        return [f"无法检查设置（{type(exc).__name__}）"]


def _report_problems(problems: list[str], heading: str = "还需处理才能发送：") -> None:
    if problems:
        err(heading, *(f"  · {p}" for p in problems))


def _next_steps(kind, target) -> None:
    # Robots need their webhook (signing is optional); REST needs what its `auth` names.
    needed = tuple(kind.required_secrets) or applicable_secrets(target)
    steps = [f"`yici targets secret {target.name} --name {n}`（从标准输入保存 {n}）" for n in needed]
    steps.append(f"`yici targets test {target.name}`（发一条测试消息）")
    err("下一步：" + "，然后 ".join(steps))


def targets_add(args, data_dir: Path) -> int:
    """`yici targets add NAME --kind K`: a new platform to deliver to (no secrets here)."""
    kind = _kind(args.kind)
    url = _check_url(kind.name, args.url, args.name)
    options = parse_options(args.options)
    template = _template(args.template)
    with open_session(data_dir) as session:
        forms = _forms(session, args.forms)
        branches = _branches(session, args.branches)
        target = session.store.add_target(args.name, kind.name, url=url, forms=forms,
                                          branches=branches, template=template, options=options)
    print(f"已添加平台“{target.name}”（{_kind_title(target.kind)}）。")
    _warn_unknown_options(kind, options)
    _report_problems(_target_problems(kind, target, {}))
    _next_steps(kind, target)
    return EXIT_OK


def targets_edit(args, data_dir: Path) -> int:
    """`yici targets edit NAME ...`: change settings; also clears 需要处理 (the fix may be in)."""
    from sync import secrets as keyring_secrets

    with open_session(data_dir) as session:
        store = session.store
        target = store.target(args.name)
        kind = _kind(target.kind)
        changes: dict = {}
        if args.url is not None:
            changes["url"] = _check_url(kind.name, args.url, target.name)
        if args.forms is not None:
            changes["forms"] = _forms(session, args.forms)
        if args.branches is not None:
            changes["branches"] = _branches(session, args.branches)
        if args.template is not None:
            changes["template"] = _template(args.template)
        if args.options:
            options = dict(target.options)
            for key, value in parse_options(args.options, allow_empty=True).items():
                if value:
                    options[key] = value
                else:
                    options.pop(key, None)       # `--option K=` removes K
            changes["options"] = options
        if args.enable or args.disable:
            changes["enabled"] = bool(args.enable)
        was_stopped = target.attention
        target = store.update_target(target.id, **changes)
    print(f"已修改平台“{target.name}”" + ("" if changes else "（设置没有变化）") + "。")
    if was_stopped:
        print("已解除“需要处理”状态，下次同步会重新尝试。")
    if not target.enabled:
        print("该平台已停用：同步时跳过，定稿的记录也不再排队发往这里。")
    _warn_unknown_options(kind, changes.get("options", {}))
    try:
        secrets = keyring_secrets.secrets_for(target.id, applicable_secrets(target))
    except keyring_secrets.NoKeyring:
        secrets = {}
    _report_problems(_target_problems(kind, target, secrets))
    return EXIT_OK


def _target_json(target, counts: dict[str, int], secrets_state: dict, problem: str | None) -> dict:
    return {"id": target.id, "name": target.name, "kind": target.kind,
            "kind_title": _kind_title(target.kind), "url": target.url, "forms": target.forms,
            "branches": target.branches, "template": bool(target.template),
            "options": target.options, "enabled": target.enabled,
            "state": "needs_attention" if target.attention else "ok",
            "attention": target.attention, "secrets": secrets_state, "keyring_problem": problem,
            "deliveries": counts}


def _counts_text(counts: dict[str, int]) -> str:
    from forms.deliveries import STATE_TITLES
    return "、".join(f"{STATE_TITLES.get(s, s)} {n}" for s, n in counts.items() if n) or "—"


def targets_list(args, data_dir: Path) -> int:
    """`yici targets list`: every platform, its filters, state, which secrets are set, counts."""
    from sync.answers import mask_url_secrets

    with open_session(data_dir) as session:
        targets = session.store.targets()
        counts = session.store.delivery_counts()
    rows = [(t, counts.get(t.name, {}), *_secrets_state(t)) for t in targets]
    if args.json:
        print_json([_target_json(*row) for row in rows])
        return EXIT_OK
    print_table(["平台", "类型", "表单", "支部", "启用", "状态", "密钥", "推送"],
                [(t.name, _kind_title(t.kind), t.forms or "全部", t.branches or "全部",
                  "是" if t.enabled else "否", "需要处理" if t.attention else "正常",
                  _secrets_text(state, problem), _counts_text(c)) for t, c, state, problem in rows],
                "还没有配置平台。可用 `yici targets add 名称 --kind dingtalk` 添加。")
    for t, _, _, problem in rows:
        if t.url:
            print(f"  {t.name} 接口地址：{mask_url_secrets(t.url)}")
        if t.attention:
            print(f"  ⚠ {t.name} 需要处理：{t.attention}")
    problems = {problem for *_, problem in rows if problem}
    if problems:
        err(*problems)
    return EXIT_OK


def targets_secret(args, data_dir: Path) -> int:
    """`yici targets secret NAME [--name KEY]`: one secret from stdin into the OS keyring."""
    from sync import secrets as keyring_secrets

    if args.typed:
        raise CliError("密钥不能写在命令行上（会留在命令历史和进程列表里），这次没有保存。",
                       f"请从标准输入传入，例如 `yici targets secret {args.target} < 密钥文件`，"
                       "或不带参数运行后粘贴并回车。如已泄露，请到平台上重新生成。")
    with open_session(data_dir) as session:
        target = session.store.target(args.target)
    kind = _kind(target.kind)
    valid = tuple(kind.secret_names)
    if not valid:
        raise CliError(f"{_kind_title(target.kind)}不需要密钥。")
    name = args.secret_name
    if name is None:
        needed = tuple(getattr(kind, "required_secrets", ()) or ()) or applicable_secrets(target)
        if not needed:
            raise CliError(f"平台“{target.name}”的认证方式为 none，不需要密钥。",
                           f"如需令牌认证，先运行 `yici targets edit {target.name} --option auth=bearer`，"
                           f"或用 --name 指定：{'、'.join(valid)}")
        name = needed[0]
    if name not in valid:
        raise CliError(f"{_kind_title(target.kind)}没有名为“{name}”的密钥。可用：{'、'.join(valid)}")
    usable, where = keyring_secrets.keyring_status()
    if not usable:
        raise CliError(where)     # say it before anyone pastes a secret
    value = _read_secret(name)
    if name == "webhook":
        parts = urllib.parse.urlsplit(value)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise CliError("webhook 应是完整的网址（以 https:// 开头）。请在群机器人设置里复制整个 Webhook 地址。")
    try:
        keyring_secrets.set_secret(target.id, name, value)
    except keyring_secrets.NoKeyring as exc:
        raise CliError(exc.message) from None
    shown = f"：{keyring_secrets.mask(value)}" if "://" in value else ""
    print(f"已把平台“{target.name}”的 {name} 保存到系统钥匙串{shown}（{where}）。")
    with open_session(data_dir) as session:
        if target.attention:
            session.store.set_target_attention(target.id, None)   # the new secret may be the fix
            print("已解除“需要处理”状态，下次同步会重新尝试。")
    try:
        secrets = keyring_secrets.secrets_for(target.id, valid)
    except keyring_secrets.NoKeyring:
        secrets = {}
    problems = _target_problems(kind, target, secrets)
    _report_problems(problems)
    if not problems:
        err(f"可用 `yici targets test {target.name}` 发一条测试消息。")
    return EXIT_OK


def _attempt_code(outcome: str) -> int:
    from sync.kind import DELIVERED, RATE_LIMITED, TRANSIENT

    if outcome == DELIVERED:
        return EXIT_OK
    if outcome in (TRANSIENT, RATE_LIMITED):
        return EXIT_PENDING
    return EXIT_ATTENTION


def targets_test(args, data_dir: Path) -> int:
    """`yici targets test NAME`: a harmless test message; prints the platform's answer."""
    from sync.engine import Deliverer
    from sync.kind import DELIVERED

    log_to_file(data_dir)
    with open_session(data_dir) as session:
        target = session.store.target(args.name)
        deliverer = Deliverer(session.store)
        try:
            attempt = deliverer.test(target.id)
        finally:
            deliverer.http.close()
        code = _attempt_code(attempt.outcome)
        if code == EXIT_OK and target.attention:
            session.store.set_target_attention(target.id, None)
    title = f"{target.name}（{_kind_title(target.kind)}）"
    if attempt.outcome == DELIVERED:
        print(f"✓ {title}：{attempt.message}")
        if target.attention:
            print("已解除“需要处理”状态，下次同步会重新尝试。")
    else:
        mark = "…" if code == EXIT_PENDING else "✗"
        err(f"{mark} {title} 测试未通过：{attempt.message}")
        if code == EXIT_PENDING:
            err("可能是网络暂时不通，稍后再试。")
    return code


def targets_remove(args, data_dir: Path) -> int:
    """`yici targets remove NAME`: stop delivering there; unsent deliveries are cancelled and its
    secrets are deleted from the keyring."""
    from sync import secrets as keyring_secrets
    from sync.kinds import kind_for

    with open_session(data_dir) as session:
        store = session.store
        target = store.target(args.name)
        counts = store.delivery_counts().get(target.name, {})
        store.remove_target(target.id, operator(args, session))
    cancelled = counts.get("pending", 0) + counts.get("uncertain", 0)
    print(f"已删除平台“{target.name}”" + (f"，{cancelled} 条未发出的推送已取消" if cancelled else "") + "。")
    kind = kind_for(target.kind)
    names = tuple(kind.secret_names) if kind else ()
    if names:
        try:
            keyring_secrets.delete_secrets(target.id, names)
        except keyring_secrets.KeyringFailed as exc:
            err(f"⚠ 密钥没能从系统钥匙串删除：{exc.message}")
            return EXIT_OK
        except keyring_secrets.NoKeyring:
            return EXIT_OK     # no keyring: nothing can have been stored there
        print("它的密钥已从系统钥匙串删除。")
    return EXIT_OK


def targets_queue(args, data_dir: Path) -> int:
    """`yici targets queue NAME`: queue the final records this (new) target has not had yet."""
    with open_session(data_dir) as session:
        target = session.store.target(args.name)
        count = session.store.queue_existing(target.id, operator(args, session))
    if count:
        print(f"已为平台“{target.name}”排队 {count} 条已定稿的记录。运行 `yici sync` 发送。")
    else:
        print(f"平台“{target.name}”没有需要补发的已定稿记录。")
    return EXIT_OK
