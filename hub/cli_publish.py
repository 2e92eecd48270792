"""`yici-hub` commands for what flows down to the laptops on their next pull: forms (publish, list),
cadence overrides, platform settings without secrets (publish, list), branches (add, rename,
list) and a look at the devices (list). Files are checked before anything is stored; problems are
printed as FILE:LINE: message and nothing is published."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg

from forms.command_line import Parser

COMMANDS = ("forms", "cadence", "settings", "branches", "devices")
EXIT_OK, EXIT_FAILED = 0, 1
Work = Callable[[psycopg.AsyncConnection], Awaitable[int]]


def add_commands(command: Callable[..., Parser]) -> None:
    """Add these commands to `yici-hub` (`command(name, help, database=False)` makes a group)."""

    def group(name: str, text: str) -> Any:
        sub = command(name, text, database=False).add_subparsers(
            dest=f"{name}_command", metavar="命令", parser_class=Parser
        )
        sub.required = True
        return sub

    def leaf(sub: Any, name: str, text: str, listing: bool = False) -> Parser:
        parser = sub.add_parser(name, help=text, description=text)
        parser.add_argument(
            "--database", metavar="URL", help="PostgreSQL 地址（默认取环境变量 YICI_HUB_DATABASE）"
        )
        if listing:
            parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        return parser

    forms = group("forms", "发布表单：各电脑下次同步时收到")
    p = leaf(forms, "publish", "检查并发布一个表单（YAML 文件，或内置表单的 id）和它的打印版式")
    p.add_argument("form", metavar="表单文件或id")
    p.add_argument("--layout", metavar="文件", help="打印版式（.print.html）；默认取表单文件旁边的同名版式")
    leaf(forms, "list", "列出已发布的表单", listing=True)

    p = command("cadence", "调整支部的会议周期（各电脑下次同步时收到）")
    p.add_argument("branch", nargs="?", metavar="支部")
    p.add_argument("form", nargs="?", metavar="表单id[:规则]", help="例如 sanhui-yike:支部委员会")
    p.add_argument("every", nargs="?", metavar="周期", help="month、quarter、half-year、year、off 或 default")
    p.add_argument("--file", metavar="文件", help="YAML：每个支部一组“表单id: 周期”，替换这些支部原有的调整")

    settings = group("settings", "发布平台设置（不含任何密钥）：各电脑下次同步时收到")
    p = leaf(settings, "publish", "检查并发布一个平台的设置；带密钥的内容一律拒绝")
    p.add_argument("name", metavar="平台名称")
    p.add_argument("--kind", required=True, metavar="类型", help="rest、dingtalk、wecom、feishu 或 xlsx")
    p.add_argument(
        "--file",
        required=True,
        metavar="文件",
        help="设置（YAML）：url、forms、branches、template、options、enabled",
    )
    leaf(settings, "list", "列出已发布的平台设置", listing=True)

    branches = group("branches", "支部：添加、改名、查看")
    p = leaf(branches, "add", "添加一个支部")
    p.add_argument("name", metavar="名称")
    p.add_argument("--code", metavar="编码")
    p.add_argument("--secretary", metavar="书记")
    p = leaf(branches, "rename", "给支部改名（各电脑上的同一个支部随之改名）")
    p.add_argument("old", metavar="原名称")
    p.add_argument("new", metavar="新名称")
    leaf(branches, "list", "列出支部", listing=True)

    devices = group("devices", "查看登记的电脑")
    leaf(devices, "list", "列出电脑：负责的支部、加入时间、最后联系、是否已撤销", listing=True)


def prepare(args: argparse.Namespace) -> Work | int:
    """Read and check what the command names (before any connection); an exit code when it fails."""
    from hub import branches, devices, published_files, publishing

    sub = getattr(args, f"{args.command}_command", None)
    if args.command == "forms" and sub == "publish":
        return _prepare_form(args)
    if args.command == "forms":
        return lambda conn: _listing(args, publishing.published_forms(conn), _form_rows)
    if args.command == "cadence":
        return _prepare_cadence(args)
    if args.command == "settings" and sub == "publish":
        if not args.name.strip():
            print("平台名称不能为空。", file=sys.stderr)
            return EXIT_FAILED
        try:
            found = published_files.read_settings(args.file, args.name, args.kind)
        except published_files.FileProblems as exc:
            return _problems(exc.problems)

        async def publish_settings(conn: psycopg.AsyncConnection) -> int:
            done = await publishing.publish_settings(conn, args.name.strip(), args.kind, found.published())
            needed = "、".join(found.secrets_needed) or "无"
            _said(done, f"已发布平台“{args.name.strip()}”的设置。各电脑需要自己录入的密钥：{needed}")
            return EXIT_OK

        return publish_settings
    if args.command == "settings":
        return lambda conn: _listing(args, publishing.published_settings(conn), _setting_rows)
    if args.command == "branches" and sub == "add":

        async def add(conn: psycopg.AsyncConnection) -> int:
            await branches.add_branch(conn, args.name, args.code, args.secretary)
            print(f"已添加支部“{args.name.strip()}”。")
            return EXIT_OK

        return add
    if args.command == "branches" and sub == "rename":

        async def rename(conn: psycopg.AsyncConnection) -> int:
            await branches.rename_branch(conn, args.old, args.new)
            print(f"已把“{args.old.strip()}”改名为“{args.new.strip()}”；各电脑下次同步时随之改名。")
            return EXIT_OK

        return rename
    if args.command == "branches":
        return lambda conn: _listing(args, branches.list_branches(conn), _branch_rows)
    return lambda conn: _listing(args, devices.list_devices(conn), _device_rows)


def _prepare_form(args: argparse.Namespace) -> Work | int:
    from forms.catalog import LIBRARY_DIR
    from forms.loader import FormProblem, load_form
    from forms.paper.layouts import check_layout, layout_beside
    from hub import publishing

    path = Path(args.form)
    if not path.is_file() and (LIBRARY_DIR / f"{args.form}.yaml").is_file():
        path = LIBRARY_DIR / f"{args.form}.yaml"  # a built-in form, by its id
    try:
        form = load_form(path)
    except FormProblem as exc:
        return _problems(exc.problems)
    layout_path = Path(args.layout) if args.layout else layout_beside(path)
    layout = None
    if layout_path is not None and (args.layout or layout_path.is_file()):
        found = [p for p in check_layout(layout_path, form) if p.message]
        if found:
            return _problems(found)
        layout = layout_path.read_text(encoding="utf-8-sig")

    async def publish(conn: psycopg.AsyncConnection) -> int:
        done = await publishing.publish_form(conn, form, layout)
        with_layout = "（含打印版式）" if layout is not None else ""
        _said(done, f"已发布表单 {form.id} 第 {form.version} 版：{form.title}{with_layout}")
        return EXIT_OK

    return publish


def _prepare_cadence(args: argparse.Namespace) -> Work | int:
    from hub import published_files, publishing

    given = [a for a in (args.branch, args.form, args.every) if a is not None]
    if bool(args.file) == bool(given) or (given and len(given) != 3):
        print("用法错误：写 支部 表单id 周期 三项，或只用 --file 文件", file=sys.stderr)
        return 2
    if args.file:
        try:
            wanted = published_files.read_cadence(args.file)
        except published_files.FileProblems as exc:
            return _problems(exc.problems)
    else:
        if args.every not in (*published_files.EVERY, "default"):
            print(
                f"周期“{args.every}”无效，可选：{', '.join(published_files.EVERY)}、default", file=sys.stderr
            )
            return EXIT_FAILED
        wanted = {args.branch.strip(): {args.form.strip(): args.every}}

    async def apply(conn: psycopg.AsyncConnection) -> int:
        forms = await publishing.known_forms(conn)
        wrong = [
            f"{branch}：{problem}"
            for branch, rules in wanted.items()
            for key in rules
            if (problem := publishing.cadence_key_problem(forms, key))
        ]
        if wrong:
            print(*wrong, "未做任何更改。", sep="\n", file=sys.stderr)
            return EXIT_FAILED
        async with conn.transaction():
            for branch, rules in wanted.items():
                done = await publishing.set_cadence(conn, branch, rules, replace=bool(args.file))
                _said(done, f"已更新“{branch}”的会议周期。")
        return EXIT_OK

    return apply


def _problems(problems: list) -> int:
    print(*problems, sep="\n", file=sys.stderr)
    print(f"共 {len(problems)} 个问题，什么都没有发布。请按提示的行号改正后再发布。", file=sys.stderr)
    return EXIT_FAILED


def _said(done: Any, text: str) -> None:
    print("内容与已发布的相同，无需更改。" if done.change == 0 else text)


async def _listing(args: argparse.Namespace, rows: Awaitable[list[dict]], shape: Callable) -> int:
    found = await rows
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=2, default=_when))
        return EXIT_OK
    headers, lines = shape(found)
    _table(headers, lines) if lines else print("（无）")
    return EXIT_OK


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    return str(value)


def _form_rows(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    return ["表单", "版本", "名称", "打印版式", "发布时间"], [
        [r["id"], str(r["version"]), r["title"], "有" if r["layout"] else "无", r["published_at"][:16]]
        for r in rows
    ]


def _setting_rows(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    return ["平台", "类型", "地址", "各电脑需录入的密钥"], [
        [
            r["name"],
            r["kind"],
            r["settings"].get("url") or "",
            "、".join(r["settings"].get("secrets_needed", [])),
        ]
        for r in rows
    ]


def _branch_rows(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    return ["支部", "编码", "书记", "党员", "电脑", "周期调整"], [
        [r["name"], r["code"] or "", r["secretary"] or "", str(r["members"]), str(r["devices"]),
         "，".join(f"{k}={v}" for k, v in (r["cadence"] or {}).items())]
        for r in rows
    ]  # fmt: skip


def _device_rows(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    def state(r: dict) -> str:
        if r["revoked"]:
            return f"已撤销 {_when(r['revoked'])}"
        if r["joined"] is None:
            return f"待加入（登记码至 {_when(r['code_expires'])}）" if r["code_expires"] else "待加入"
        return "有效"

    return ["电脑", "支部", "加入时间", "最后联系", "状态"], [
        [r["name"], "、".join(r["branches"]), _when(r["joined"]) if r["joined"] else "",
         _when(r["last_seen"]) if r["last_seen"] else "", state(r)]
        for r in rows
    ]  # fmt: skip


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(_width(str(c)) for c in column) for column in zip(headers, *rows, strict=True)]
    for row in [headers, *rows]:
        cells = [str(c) + " " * (w - _width(str(c))) for c, w in zip(row, widths, strict=True)]
        print("  ".join(cells).rstrip())
