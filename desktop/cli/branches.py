"""`yici branches add | list` and `yici members add | import | list`: the party branches and
their rosters.

forms/ modules are imported inside the handlers: building the parser must stay quick.
"""

from __future__ import annotations

from pathlib import Path

from desktop.cli.context import find_branch, open_session
from desktop.cli.exits import CliError
from desktop.cli.output import err, print_json, print_table
from desktop.cli.usage import CommandTree


def add_commands(tree: CommandTree) -> None:
    """Register `yici branches ...` and `yici members ...`."""
    branches = tree.group("branches", "支部：添加、列出、记下位置")
    p = tree.action(branches, "add", branches_add, "添加支部")
    p.add_argument("name", metavar="NAME", help="支部名称")
    p.add_argument("--code", metavar="C", help="支部编号")
    p.add_argument("--secretary", metavar="NAME", help="支部书记姓名（同时加入名册）")
    tree.action(branches, "list", branches_list, "列出支部", json=True)
    p = tree.action(branches, "position", branches_position, "记下支部（村）的位置，用于显示照片离村多远")
    p.add_argument("branch", metavar="BRANCH", help="支部名称或编号")
    p.add_argument("latitude", nargs="?", type=float, metavar="LAT", help="纬度，例如 30.5512")
    p.add_argument("longitude", nargs="?", type=float, metavar="LON", help="经度，例如 114.3021")
    p.add_argument("--clear", action="store_true", help="清除已记下的位置")

    members = tree.group("members", "名册：添加、导入、列出支部成员")
    p = tree.action(members, "add", members_add, "把一个人加入支部名册")
    p.add_argument("branch", metavar="BRANCH", help="支部名称或编号")
    p.add_argument("name", metavar="NAME", help="姓名")
    p.add_argument(
        "--role", metavar="R", default="党员", help="职务：书记、副书记、委员、党员、预备党员（默认党员）"
    )
    p.add_argument("--phone", metavar="P", help="手机号码")
    p = tree.action(members, "import", members_import, "从 CSV 或 Excel 文件导入名册（有错则一条也不导入）")
    p.add_argument("branch", metavar="BRANCH", help="支部名称或编号")
    p.add_argument("file", metavar="FILE", help=".csv 或 .xlsx 文件")
    p = tree.action(members, "list", members_list, "列出支部名册", json=True)
    p.add_argument("branch", metavar="BRANCH", help="支部名称或编号")


def branches_position(args, data_dir: Path) -> int:
    """`yici branches position BRANCH LAT LON` (or --clear): where the village is."""
    if args.clear == (args.latitude is not None):
        raise CliError("请写明纬度和经度（例如 30.5512 114.3021），或用 --clear 清除。")
    if args.latitude is not None and args.longitude is None:
        raise CliError("请同时写纬度和经度，例如 30.5512 114.3021。")
    with open_session(data_dir) as session:
        branch = find_branch(session, args.branch)
        session.store.set_branch_position(branch.id, args.latitude, args.longitude)
    if args.clear:
        print(f"已清除{branch.name}的位置。")
    else:
        print(f"已记下{branch.name}的位置：{args.latitude}, {args.longitude}")
    return 0


def branches_add(args, data_dir: Path) -> int:
    """`yici branches add NAME`: a new branch; its secretary also goes on the roster as 书记."""
    with open_session(data_dir) as session:
        store = session.store
        branch = store.add_branch(args.name, code=args.code, secretary=args.secretary)
        if args.secretary and args.secretary not in {m.name for m in store.members(branch.id)}:
            store.add_member(branch.id, args.secretary, role="书记")
    print(f"已添加支部：{branch.name}" + (f"（书记 {args.secretary}）" if args.secretary else ""))
    return 0


def branches_list(args, data_dir: Path) -> int:
    """`yici branches list`: name, code, secretary and roster size of every branch."""
    with open_session(data_dir) as session:
        rows = [(b, len(session.store.members(b.id))) for b in session.store.branches()]
    if args.json:
        print_json(
            [
                {
                    "id": b.id,
                    "name": b.name,
                    "code": b.code,
                    "secretary": b.secretary,
                    "members": count,
                    "latitude": b.latitude,
                    "longitude": b.longitude,
                }
                for b, count in rows
            ]
        )
    else:
        print_table(
            ["支部", "编号", "书记", "名册人数"],
            [(b.name, b.code, b.secretary, count) for b, count in rows],
            "还没有支部。可用 `yici branches add 名称` 添加。",
        )
    return 0


def _phone(text: str | None) -> str | None:
    """A typed phone number, checked and normalized (the store checks names and roles itself)."""
    from forms.identity import normalize_phone, phone_problem

    if not text:
        return None
    problem = phone_problem(text)
    if problem:
        raise CliError(f"手机号码“{text}”有误：{problem}")
    return normalize_phone(text)


def members_add(args, data_dir: Path) -> int:
    """`yici members add BRANCH NAME`: one person onto a branch roster."""
    phone = _phone(args.phone)
    with open_session(data_dir) as session:
        branch = find_branch(session, args.branch)
        member = session.store.add_member(branch.id, args.name, role=args.role, phone=phone)
        warnings = session.store.roster_warnings(branch.id)
    print(f"已把 {member.name}（{member.role}）加入 {branch.name} 的名册。")
    for warning in warnings:
        err(f"⚠ {warning}")
    return 0


def members_import(args, data_dir: Path) -> int:
    """`yici members import BRANCH FILE`: a whole roster from CSV/Excel, all rows or none."""
    from forms.roster_file import read_roster

    with open_session(data_dir) as session:
        branch = find_branch(session, args.branch)
        roster = read_roster(args.file)
        for problem in roster.problems:
            err(f"{args.file}：{problem}")
        if roster.problems:
            raise CliError(f"共 {len(roster.problems)} 处问题，一条也没有导入。请改正后重新导入。")
        rows = [{k: row[k] for k in ("name", "role", "phone")} for row in roster.rows]
        plan = session.store.plan_roster(branch.id, rows)
        if not plan.changes_nothing:
            session.store.import_members(branch.id, rows)
    if plan.changes_nothing:
        print(f"名册没有变化：文件中的 {len(plan.unchanged)} 人都已在 {branch.name} 的名册上，信息相同。")
    else:
        print(
            f"已导入 {branch.name} 的名册：新增 {len(plan.added)} 人，更新 {len(plan.changed)} 人"
            + (f"，{len(plan.unchanged)} 人没有变化" if plan.unchanged else "")
            + "。"
        )
        if plan.changed:
            err("更新：" + "；".join(plan.changed))
    for warning in plan.warnings:
        err(f"⚠ {warning}")
    return 0


def members_list(args, data_dir: Path) -> int:
    """`yici members list BRANCH`: the roster in its order."""
    with open_session(data_dir) as session:
        branch = find_branch(session, args.branch)
        members = session.store.members(branch.id)
        warnings = session.store.roster_warnings(branch.id)
    for warning in warnings:  # on stderr: scripts reading stdout or --json are not disturbed
        err(f"⚠ {warning}")
    if args.json:
        print_json([{"name": m.name, "role": m.role, "phone": m.phone} for m in members])
    else:
        print_table(
            ["序号", "姓名", "职务", "电话"],
            [(i, m.name, m.role, m.phone) for i, m in enumerate(members, 1)],
            f"{branch.name} 的名册是空的。可用 `yici members add` 或 `yici members import` 添加。",
        )
    return 0
