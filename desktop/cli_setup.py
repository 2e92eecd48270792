"""Commands that set a laptop up: forms, branches, rosters, and the status overview.

Each command is `function(args, data_dir) -> exit code`, called by desktop/cli.py.
"""
from __future__ import annotations

from pathlib import Path

from desktop.cli_output import STATUS_LABELS, err, pairs, print_json, print_table
from desktop.cli_session import (
    EXIT_ATTENTION, EXIT_OK, EXIT_PENDING, CliError, find_branch, open_session,
)


def forms_list(args, data_dir: Path) -> int:
    """`yici forms list`: the latest version of every form, built in or installed."""
    from forms.catalog import Catalog

    catalog = Catalog(data_dir)
    forms = catalog.all()
    if catalog.problems:
        err("以下表单文件有问题，已略过（可用 `yici forms check FILE` 查看详情）：",
            *(f"  {problem}" for problem in catalog.problems))
    if args.json:
        print_json([{"id": f.id, "version": f.version, "title": f.title, "description": f.description}
                    for f in forms])
    else:
        print_table(["表单", "版本", "名称"], [(f.id, f.version, f.title) for f in forms], "还没有表单。")
    return 0


def forms_check(args, data_dir: Path) -> int:
    """`yici forms check FILE...`: one `FILE:LINE: message` line per problem; exit 1 if any."""
    from forms.loader import FormProblem, load_form

    problems = 0
    for file in args.files:
        try:
            form = load_form(file)
        except FormProblem as exc:
            for problem in exc.problems:
                print(problem)
            problems += len(exc.problems)
        else:
            print(f"{file}：格式正确（{form.id} 第 {form.version} 版 {form.title}）")
    if problems:
        err(f"共发现 {problems} 个问题。请按提示的行号修改后再检查。")
    return 1 if problems else 0


def forms_add(args, data_dir: Path) -> int:
    """`yici forms add FILE`: check a form and install it (or its new version) into the data folder."""
    with open_session(data_dir) as session:
        form = session.catalog.install(args.file)
        session.store.remember_form(form)
    print(f"已安装表单 {form.id} 第 {form.version} 版：{form.title}")
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
        print_json([{"id": b.id, "name": b.name, "code": b.code, "secretary": b.secretary,
                     "members": count} for b, count in rows])
    else:
        print_table(["支部", "编号", "书记", "名册人数"],
                    [(b.name, b.code, b.secretary, count) for b, count in rows],
                    "还没有支部。可用 `yici branches add 名称` 添加。")
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
    print(f"已把 {member.name}（{member.role}）加入 {branch.name} 的名册。")
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
        members = session.store.import_members(branch.id, rows)
    print(f"已导入 {len(members)} 人到 {branch.name} 的名册。")
    return 0


def members_list(args, data_dir: Path) -> int:
    """`yici members list BRANCH`: the roster in its order."""
    with open_session(data_dir) as session:
        branch = find_branch(session, args.branch)
        members = session.store.members(branch.id)
    if args.json:
        print_json([{"name": m.name, "role": m.role, "phone": m.phone} for m in members])
    else:
        print_table(["序号", "姓名", "职务", "电话"],
                    [(i, m.name, m.role, m.phone) for i, m in enumerate(members, 1)],
                    f"{branch.name} 的名册是空的。可用 `yici members add` 或 `yici members import` 添加。")
    return 0


def status(args, data_dir: Path) -> int:
    """`yici status`: records per state; once deliveries exist, per target and state too.

    Exit 3 while deliveries are pending and 4 when a target needs attention, so scripts can act.
    """
    with open_session(data_dir) as session:
        records = {s: session.store.count_records(status=s) for s in STATUS_LABELS}
        # Deliveries arrive with the sync work; the store then offers per-target counts.
        delivery_counts = getattr(session.store, "delivery_counts", None)
        deliveries = delivery_counts() if delivery_counts else {}
    if args.json:
        print_json({"data_dir": str(data_dir), "records": records, "deliveries": deliveries})
    else:
        print(pairs([("数据文件夹", data_dir)] + [(STATUS_LABELS[s], n) for s, n in records.items()]))
        if deliveries:
            states = sorted({state for counts in deliveries.values() for state in counts})
            print()
            print_table(["平台"] + states,
                        [[target] + [counts.get(s, 0) for s in states]
                         for target, counts in deliveries.items()],
                        "")
    return _delivery_exit_code(deliveries)


def _delivery_exit_code(deliveries: dict[str, dict[str, int]]) -> int:
    states = {state for counts in deliveries.values() for state, n in counts.items() if n}
    if states & {"needs_attention", "failed", "uncertain"}:
        return EXIT_ATTENTION
    if states & {"pending", "sending"}:
        return EXIT_PENDING
    return EXIT_OK
