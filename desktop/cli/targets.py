"""`yici targets add | edit | list | secret | test | remove | queue`: the platforms records go to.

Secrets (tokens, robot webhook URLs, signing keys) go only into the OS keyring through
sync.secrets, read from stdin (or typed without echo); they are never taken as command-line
arguments or options, never stored in the data folder and never printed (webhooks are masked).
What is typed is read and checked in target_input.py; what a target still needs (secrets set,
problems in its settings) is in target_status.py. forms/ and sync/ modules are imported
inside the handlers: building the parser must stay quick.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.context import open_session, operator
from desktop.cli.delivery_status import state_title
from desktop.cli.exits import EXIT_OK, CliError
from desktop.cli.output import err, print_json, print_table
from desktop.cli.target_input import (
    branch_names,
    check_options,
    check_url,
    file_options,
    form_ids,
    kind_named,
    kind_title,
    parse_options,
    read_secret,
    read_template,
)
from desktop.cli.target_status import (
    applicable_secrets,
    next_steps,
    plain_http_warning,
    read_secrets,
    report_problems,
    secrets_state,
    secrets_text,
    target_problems,
    tidy_keyring,
    warn_plain_http,
)
from desktop.cli.target_test import add_test_command
from desktop.cli.usage import CommandTree


def add_commands(tree: CommandTree) -> None:
    """Register `yici targets ...`."""
    targets = tree.group("targets", "平台：添加、修改、保存密钥、测试、删除要送达的平台")

    def target_options(p):
        p.add_argument(
            "--url",
            metavar="U",
            help="平台接口地址（仅 rest；群机器人的 Webhook 地址是密钥，请用 `targets secret` 保存）",
        )
        p.add_argument("--forms", metavar="F,..", help="只发送这些表单（id 或名称，逗号分隔；空 = 全部）")
        p.add_argument("--branches", metavar="B,..", help="只发送这些支部（名称或编号，逗号分隔；空 = 全部）")
        p.add_argument("--template", metavar="FILE", help="消息/请求体模板（Jinja2，UTF-8 文件）")
        p.add_argument("--fields", metavar="FILE", help="手工录入（copy）平台的字段文件：每行 标签 = 表达式")
        p.add_argument("--recipe", metavar="FILE", help="网页表单（browser）平台的配方文件（YAML）")
        p.add_argument(
            "--option",
            dest="options",
            action="append",
            default=[],
            metavar="K=V",
            help="平台设置，可重复，例如 --option auth=bearer、--option keyword=党建",
        )

    p = tree.action(targets, "add", targets_add, "添加一个平台（不含密钥）")
    p.add_argument("name", metavar="NAME", help="平台名称（自己起，例如 镇党委钉钉群）")
    p.add_argument(
        "--kind",
        required=True,
        metavar="K",
        help="类型：rest（平台接口）、dingtalk（钉钉）、wecom（企业微信）、"
        "feishu（飞书）、xlsx（Excel 导入文件）、copy（手工录入：逐项复制）",
    )
    target_options(p)
    p = tree.action(
        targets, "edit", targets_edit, "修改平台设置（同时解除“需要处理”状态）；--option K= 删除该设置"
    )
    p.add_argument("name", metavar="NAME", help="平台名称")
    target_options(p)
    switch = p.add_mutually_exclusive_group()
    switch.add_argument("--enable", action="store_true", help="启用")
    switch.add_argument("--disable", action="store_true", help="停用（同步时跳过）")
    tree.action(targets, "list", targets_list, "列出平台：设置、状态、密钥是否已设置、推送数", json=True)
    p = tree.action(
        targets, "secret", targets_secret, "从标准输入读取一个密钥，保存到系统钥匙串（不会写入数据文件夹）"
    )
    p.add_argument("target", metavar="NAME", help="平台名称")
    p.add_argument(
        "--name",
        dest="secret_name",
        metavar="KEY",
        help="密钥名称：webhook、sign_secret（机器人）；token、api_key、app_secret（rest）。默认为该平台必需的那个",
    )
    # Catches a secret typed on the command line, so it is refused without being echoed back.
    p.add_argument("typed", nargs="*", help=argparse.SUPPRESS)
    add_test_command(tree, targets)
    p = tree.action(targets, "remove", targets_remove, "删除平台（未发出的推送取消，密钥从钥匙串删除）")
    p.add_argument("name", metavar="NAME", help="平台名称")
    p = tree.action(targets, "queue", targets_queue, "把已定稿的记录排队发往这个平台（新加的平台补发）")
    p.add_argument("name", metavar="NAME", help="平台名称")


# --- commands ---------------------------------------------------------------------------------------


def targets_add(args, data_dir: Path) -> int:
    """`yici targets add NAME --kind K`: a new platform to deliver to (no secrets here)."""
    kind = kind_named(args.kind)
    from sync.kinds import JOINED_KINDS

    if kind.name in JOINED_KINDS:
        raise CliError(
            "乡镇平台不用手工添加：请运行 `yici hub join 地址 --code 登记码` 加入（登记码向乡镇管理员要）。"
        )
    url = check_url(kind.name, args.url, args.name)
    options = {**parse_options(args.options), **file_options(args)}
    check_options(kind.name, options)
    template = read_template(args.template)
    with open_session(data_dir) as session:
        forms = form_ids(session, args.forms)
        branches = branch_names(session, args.branches)
        target = session.store.add_target(
            args.name, kind.name, url=url, forms=forms, branches=branches, template=template, options=options
        )
    print(f"已添加平台“{target.name}”（{kind_title(target.kind)}）。")
    warn_plain_http(target)
    report_problems(target_problems(kind, target, {}))
    next_steps(kind, target)
    return EXIT_OK


def targets_edit(args, data_dir: Path) -> int:
    """`yici targets edit NAME ...`: change settings; also clears 需要处理 (the fix may be in).
    A new address (scheme, host or port) deletes the secrets saved for the old one."""
    from forms.store.target_guards import ADDRESS_CHANGED

    with open_session(data_dir) as session:
        store = session.store
        target = store.target(args.name)
        kind = kind_named(target.kind)
        changes: dict = {}
        if args.url is not None:
            changes["url"] = check_url(kind.name, args.url, target.name)
        if args.forms is not None:
            changes["forms"] = form_ids(session, args.forms)
        if args.branches is not None:
            changes["branches"] = branch_names(session, args.branches)
        if args.template is not None:
            changes["template"] = read_template(args.template)
        if args.options:
            options = dict(target.options)
            given = parse_options(args.options, allow_empty=True)
            check_options(kind.name, {k: v for k, v in given.items() if v})  # `K=` may remove any
            for key, value in given.items():
                if value:
                    options[key] = value
                else:
                    options.pop(key, None)  # `--option K=` removes K
            changes["options"] = options
        if fields := file_options(args):
            check_options(kind.name, fields)
            changes["options"] = {**changes.get("options", target.options), **fields}
        if args.enable or args.disable:
            changes["enabled"] = bool(args.enable)
        was_stopped = target.attention
        before_uid = target.uid
        target = store.update_target(target.id, **changes)
        moved = target.uid != before_uid
        if moved:
            tidy_keyring(store)
        secrets = read_secrets(store, target)
    print(f"已修改平台“{target.name}”" + ("" if changes else "（设置没有变化）") + "。")
    if (target.attention or "").startswith(ADDRESS_CHANGED):
        err(f"⚠ {target.attention}")
    elif was_stopped:
        print("已解除“需要处理”状态，下次同步会重新尝试。")
    if not target.enabled:
        print("该平台已停用：同步时跳过，定稿的记录也不再排队发往这里。")
    warn_plain_http(target)
    report_problems(target_problems(kind, target, secrets))
    return EXIT_OK


def _target_json(
    target, counts: dict[str, int], secrets_state: dict, problem: str | None, settings: list[str]
) -> dict:
    return {
        "id": target.id,
        "name": target.name,
        "kind": target.kind,
        "kind_title": kind_title(target.kind),
        "url": target.url,
        "forms": target.forms,
        "branches": target.branches,
        "template": bool(target.template),
        "options": target.options,
        "enabled": target.enabled,
        "state": "needs_attention" if target.attention else "ok",
        "attention": target.attention,
        "secrets": secrets_state,
        "keyring_problem": problem,
        "problems": settings,
        "plain_http": plain_http_warning(target),
        "deliveries": counts,
    }


def _counts_text(counts: dict[str, int]) -> str:
    return "、".join(f"{state_title(s)} {n}" for s, n in counts.items() if n) or "—"


def targets_list(args, data_dir: Path) -> int:
    """`yici targets list`: every platform, its filters, state, which secrets are set, counts."""
    from forms.secrecy import mask_url_secrets

    with open_session(data_dir) as session:
        targets = session.store.targets()
        counts = session.store.delivery_counts()
        rows = []
        for t in targets:
            state, problem = secrets_state(session.store, t)
            kind = kind_named(t.kind)
            # With no keyring its secrets are unknown, but its own settings can still be wrong;
            # with one, the values themselves are checked (a placeholder is no webhook).
            secrets = None if problem else read_secrets(session.store, t)
            rows.append((t, counts.get(t.name, {}), state, problem, target_problems(kind, t, secrets)))
    if args.json:
        print_json([_target_json(*row) for row in rows])
        return EXIT_OK
    print_table(
        ["平台", "类型", "表单", "支部", "启用", "状态", "密钥", "推送"],
        [
            (
                t.name,
                kind_title(t.kind),
                t.forms or "全部",
                t.branches or "全部",
                "是" if t.enabled else "否",
                "需要处理" if t.attention else "正常",
                secrets_text(state, problem),
                _counts_text(c),
            )
            for t, c, state, problem, _settings in rows
        ],
        "还没有配置平台。可用 `yici targets add 名称 --kind dingtalk` 添加。",
    )
    for t, _c, _state, _problem, settings in rows:
        if t.url:
            print(f"  {t.name} 接口地址：{mask_url_secrets(t.url)}")
        warning = plain_http_warning(t)
        if warning:
            print(f"  ⚠ {t.name}：{warning}")
        if t.attention:
            print(f"  ⚠ {t.name} 需要处理：{t.attention}")
        for line in settings:
            print(f"  ⚠ {t.name} 设置有误：{line}")
    problems = {problem for _t, _c, _s, problem, _p in rows if problem}
    if problems:
        err(*problems)
    return EXIT_OK


def targets_secret(args, data_dir: Path) -> int:
    """`yici targets secret NAME [--name KEY]`: one secret from stdin into the OS keyring."""
    import urllib.parse

    from forms.secrecy import masked
    from sync import secrets as keyring_secrets

    if args.typed:
        raise CliError(
            "密钥不能写在命令行上（会留在命令历史和进程列表里），这次没有保存。",
            f"请从标准输入传入，例如 `yici targets secret {args.target} < 密钥文件`，"
            "或不带参数运行后粘贴并回车。如已泄露，请到平台上重新生成。",
        )
    with open_session(data_dir) as session:
        target = session.store.target(args.target)
    kind = kind_named(target.kind)
    valid = tuple(kind.secret_names)
    if not valid:
        raise CliError(f"{kind_title(target.kind)}不需要密钥。")
    name = args.secret_name
    if name is None:
        needed = tuple(getattr(kind, "required_secrets", ()) or ()) or applicable_secrets(target)
        if not needed:
            raise CliError(
                f"平台“{target.name}”的认证方式为 none，不需要密钥。",
                f"如需令牌认证，先运行 `yici targets edit {target.name} --option auth=bearer`，"
                f"或用 --name 指定：{'、'.join(valid)}",
            )
        name = needed[0]
    if name not in valid:
        raise CliError(f"{kind_title(target.kind)}没有名为“{name}”的密钥。可用：{'、'.join(valid)}")
    usable, where = keyring_secrets.keyring_status()
    if not usable:
        raise CliError(where)  # say it before anyone pastes a secret
    value = read_secret(name)
    if name == "webhook":
        parts = urllib.parse.urlsplit(value)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise CliError(
                "webhook 应是完整的网址（以 https:// 开头）。请在群机器人设置里复制整个 Webhook 地址。"
            )
    with open_session(data_dir) as session:
        try:
            keyring_secrets.set_secret(session.store, target, name, value)
        except keyring_secrets.NoKeyring as exc:
            raise CliError(exc.message) from None
        shown = f"：{masked(value)}" if "://" in value else ""
        print(f"已把平台“{target.name}”的 {name} 保存到系统钥匙串{shown}（{where}）。")
        if target.attention:
            session.store.set_target_attention(target.id, None)  # the new secret may be the fix
            print("已解除“需要处理”状态，下次同步会重新尝试。")
        target = session.store.target(target.id)
        secrets = read_secrets(session.store, target)
    warn_plain_http(target)
    problems = target_problems(kind, target, secrets)
    report_problems(problems)
    if not problems:
        what = "在浏览器中试填表单（不会提交）" if target.kind == "browser" else "发一条测试消息"
        err(f"可用 `yici targets test {target.name}` {what}。")
    return EXIT_OK


def targets_remove(args, data_dir: Path) -> int:
    """`yici targets remove NAME`: stop delivering there; unsent deliveries are cancelled and its
    own secrets (only this data folder's, only this target's) are deleted from the keyring."""
    from sync.kinds import kind_for

    with open_session(data_dir) as session:
        store = session.store
        target = store.target(args.name)
        counts = store.delivery_counts().get(target.name, {})
        store.remove_target(target.id, operator(args, session))
        kind = kind_for(target.kind)
        refused = tidy_keyring(store) if kind and kind.secret_names else ""
    cancelled = counts.get("pending", 0) + counts.get("uncertain", 0)
    print(f"已删除平台“{target.name}”" + (f"，{cancelled} 条未发出的推送已取消" if cancelled else "") + "。")
    if refused:
        err(f"⚠ 密钥没能从系统钥匙串删除（下次使用钥匙串时会再删除）：{refused}")
    elif refused is None:
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
