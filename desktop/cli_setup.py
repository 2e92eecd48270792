"""Commands that set a laptop up: forms, branches, rosters, and the status overview.

Each command is `function(args, data_dir) -> exit code`, called by desktop/cli.py.
"""
from __future__ import annotations

from pathlib import Path

from desktop.cli_output import STATUS_LABELS, err, pairs, print_json, print_table
from desktop.cli_session import CliError, find_branch, open_session


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
    """`yici status`: records per state, then every platform with its deliveries per state.

    Exit 3 while deliveries are on their way and 4 when something needs a person (a platform
    stopped, a delivery failed or possibly sent), so scripts can act.
    """
    from desktop.cli_sync import ATTENTION_STATES, PENDING_STATES, delivery_exit_code
    from forms.deliveries import DELIVERY_STATES, STATE_TITLES
    from sync.kinds import KIND_TITLES

    with open_session(data_dir) as session:
        records = {s: session.store.count_records(status=s) for s in STATUS_LABELS}
        targets = session.store.targets()
        counts = session.store.delivery_counts()
    code = delivery_exit_code(targets, counts)
    live = [t for t in targets if t.enabled]
    totals = {state: sum(counts.get(t.name, {}).get(state, 0) for t in live)
              for state in ATTENTION_STATES + PENDING_STATES}
    if args.json:
        print_json({"data_dir": str(data_dir), "records": records, "deliveries": counts,
                    "targets": [{"name": t.name, "kind": t.kind, "enabled": t.enabled,
                                 "state": "needs_attention" if t.attention else "ok",
                                 "attention": t.attention, "deliveries": counts.get(t.name, {})}
                                for t in targets],
                    "pending": totals["pending"] + totals["sending"],
                    "awaiting_upload": totals["awaiting_upload"], "failed": totals["failed"],
                    "uncertain": totals["uncertain"],
                    "needs_attention": [t.name for t in live if t.attention], "exit_code": code})
        return code
    print(pairs([("数据文件夹", data_dir)] + [(STATUS_LABELS[s], n) for s, n in records.items()]))
    if not targets:
        print("\n还没有配置平台。可用 `yici targets add 名称 --kind dingtalk` 添加。")
        return code
    used = {state for c in counts.values() for state, n in c.items() if n}
    states = [s for s in DELIVERY_STATES if s in used]
    print()
    print_table(["平台", "类型", "状态"] + [STATE_TITLES[s] for s in states],
                [[t.name, KIND_TITLES.get(t.kind, t.kind),
                  "已停用" if not t.enabled else ("需要处理" if t.attention else "正常")]
                 + [counts.get(t.name, {}).get(s, 0) for s in states] for t in targets], "")
    for t in live:
        if t.attention:
            print(f"⚠ {t.name} 需要处理：{t.attention}")
    if totals["failed"]:
        print(f"⚠ {totals['failed']} 条发送失败：`yici deliveries list --state failed` 查看原因。")
    if totals["uncertain"]:
        print(f"⚠ {totals['uncertain']} 条可能已发送，请确认：`yici deliveries list --state uncertain`。")
    waiting = totals["pending"] + totals["sending"]
    if waiting:
        print(f"还有 {waiting} 条待发送：运行 `yici sync` 发送。")
    if totals["awaiting_upload"]:
        print(f"{totals['awaiting_upload']} 条已写入 Excel 导入文件，等待上传；"
              "上传后运行 `yici deliveries confirm-upload 平台名称`。")
    return code
