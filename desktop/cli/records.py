"""`yici records new | edit | finalize | correct | void | delete | list | show | print`: enter
records, see them (with where each one was delivered) and print their 记录本 page as a PDF.

Field values come from `--data` (a JSON object, from a file or stdin) and `--set KEY=VALUE`
(read and checked in record_input.py); validation is the form engine's (forms/lifecycle.py), its
messages printed against each field's label and key.
`records new` prints only the new uuid on stdout; everything else said goes to stderr.
forms/ modules are imported inside the handlers: building the parser must stay quick.
"""

from __future__ import annotations

from pathlib import Path

from desktop.cli.context import find_branch, find_form, open_session, operator, record_form
from desktop.cli.delivery_status import delivery_json, delivery_time, state_title
from desktop.cli.exits import CliError
from desktop.cli.output import cell, err, pairs, print_json, print_table, status_label
from desktop.cli.paper_output import pdf_target, write_pdf_headless
from desktop.cli.record_input import given_values, report_invalid, report_outcome
from desktop.cli.record_photos import attach_all, attach_specs, check_file, photo_lines, photo_rows
from desktop.cli.record_text import field_lines, when
from desktop.cli.usage import CommandTree, month, positive, record_status
from forms.store.audit import ACTION_WORDS as ACTIONS


def add_commands(tree: CommandTree) -> None:
    """Register `yici records ...`."""
    records = tree.group("records", "记录：新建、修改草稿、定稿、更正、作废、删除草稿、列出、查看")

    def values_options(p):
        p.add_argument(
            "--data", metavar="FILE|-", help="字段值，JSON 对象（文件路径，或 - 表示从标准输入读取）"
        )
        p.add_argument(
            "--set",
            dest="sets",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="设置一个字段的值，可重复",
        )

    p = tree.action(records, "new", new, "新建一条记录，只输出它的编号（UUID）")
    p.add_argument("form", metavar="FORM", help="表单 id，例如 sanhui-yike")
    p.add_argument("--branch", required=True, metavar="B", help="支部名称或编号")
    values_options(p)
    p.add_argument("--final", action="store_true", help="直接定稿（有错误则不保存）")
    attach_option(p)
    p = tree.action(records, "edit", edit, "修改草稿的字段值")
    p.add_argument("uuid", metavar="UUID", help="记录编号（可用前 8 位以上）")
    values_options(p)
    attach_option(p)
    p = tree.action(records, "attach", attach, "给草稿添加照片或附件（读出照片的拍摄时间和位置）")
    p.add_argument("uuid", metavar="UUID", help="记录编号（可用前 8 位以上）")
    p.add_argument("field", metavar="FIELD", help="照片或附件字段，例如 photos")
    p.add_argument("files", nargs="+", metavar="FILE", help="要添加的文件，可以多个")
    p = tree.action(records, "finalize", finalize, "把草稿定稿")
    p.add_argument("uuid", metavar="UUID", help="记录编号（可用前 8 位以上）")
    p = tree.action(records, "correct", correct, "更正已定稿的记录（生成新的修订版本）")
    p.add_argument("uuid", metavar="UUID", help="记录编号")
    values_options(p)
    p.add_argument("--note", default="", metavar="TEXT", help="更正说明")
    p = tree.action(records, "void", void, "作废记录（保留在库中）")
    p.add_argument("uuid", metavar="UUID", help="记录编号")
    p.add_argument("--reason", required=True, metavar="TEXT", help="作废原因")
    p = tree.action(records, "delete", delete, "删除草稿（已定稿的记录只能作废）")
    p.add_argument("uuid", metavar="UUID", help="记录编号")
    p = tree.action(records, "list", list_, "列出记录，最新的在前", json=True)
    p.add_argument("--branch", metavar="B", help="支部名称或编号")
    p.add_argument("--form", metavar="F", help="表单 id")
    p.add_argument(
        "--status", type=record_status, metavar="S", help="状态：draft 草稿、final 已定稿、void 已作废"
    )
    p.add_argument("--month", type=month, metavar="YYYY-MM", help="开会/走访所在的月份")
    p.add_argument("--text", metavar="T", help="包含这段文字")
    p.add_argument("--limit", type=positive, default=100, metavar="N", help="最多显示几条（默认 100）")
    p = tree.action(records, "show", show, "查看一条记录：字段、修订历史、操作记录", json=True)
    p.add_argument("uuid", metavar="UUID", help="记录编号（可用前 8 位以上）")
    p = tree.action(records, "print", print_, "把一条记录按记录本格式写成 PDF（不需要显示器）")
    p.add_argument("uuid", metavar="UUID", help="记录编号（可用前 8 位以上）")
    p.add_argument("--pdf", required=True, type=Path, metavar="FILE", help="要写入的 PDF 文件")


# --- commands ---------------------------------------------------------------------------------------


def attach_option(p) -> None:
    p.add_argument(
        "--attach",
        action="append",
        default=[],
        metavar="FIELD=FILE",
        help="添加照片或附件，可重复，例如 --attach photos=IMG_0001.jpg",
    )


def new(args, data_dir: Path) -> int:
    """`yici records new FORM --branch B`: a draft, or a final record with --final; its photos
    and files (--attach) are checked before anything is saved."""
    from forms.lifecycle import RecordInvalid

    with open_session(data_dir) as session:
        form = find_form(session, args.form)
        branch = find_branch(session, args.branch)
        roster = [m.name for m in session.store.members(branch.id)]
        values = given_values(args, form, roster)
        specs = attach_specs(form, args.attach)
        who = operator(args, session)
        try:
            if not specs:
                record, outcome = session.records.new(form.id, branch.id, values, who, final=args.final)
            else:  # files belong to a record: a draft first, then its files, then final
                record, outcome = session.records.new(form.id, branch.id, values, who)
                values = attach_all(session.store, form, record, specs)
                outcome = session.records.save_draft(record.uuid, values, who)
                if args.final:
                    try:
                        record, outcome = session.records.finalize(record.uuid, who)
                    except RecordInvalid:
                        session.records.delete_draft(record.uuid, who)  # --final: all or nothing
                        raise
                record = session.store.record(record.uuid)
        except RecordInvalid as exc:
            raise report_invalid(form, exc, "没有保存（不加 --final 可先存为草稿）") from None
        report_outcome(form, outcome, record)
    print(record.uuid)
    return 0


def edit(args, data_dir: Path) -> int:
    """`yici records edit UUID`: change fields of a draft."""
    with open_session(data_dir) as session:
        record = session.store.record(args.uuid)
        if record.status != "draft":
            raise CliError(
                f"记录 {record.uuid[:8]} {status_label(record.status)}，不能再修改草稿。",
                "已定稿的记录请用 `yici records correct UUID` 更正。",
            )
        form = record_form(session, record)
        roster = [m.name for m in session.store.members(record.branch_id)]
        values = {**record.data, **given_values(args, form, roster)}
        specs = attach_specs(form, args.attach)
        if specs:
            values = attach_all(session.store, form, record, specs) | {
                k: v for k, v in values.items() if k not in {key for key, _ in specs}
            }
        outcome = session.records.save_draft(record.uuid, values, operator(args, session))
        report_outcome(form, outcome, record)
    print(f"已保存草稿：{record.uuid}")
    return 0


def attach(args, data_dir: Path) -> int:
    """`yici records attach UUID FIELD FILE...`: photos or files added to a draft, each photo's
    time, place and warnings said."""
    with open_session(data_dir) as session:
        store = session.store
        record = store.record(args.uuid)
        if record.status != "draft":
            raise CliError(
                f"记录 {record.uuid[:8]} {status_label(record.status)}，不能再添加附件。",
                "已定稿的记录请用 `yici records correct UUID` 更正。",
            )
        form = record_form(session, record)
        specs = [(args.field, check_file(form, args.field, Path(name))) for name in args.files]
        values = attach_all(store, form, record, specs)
        outcome = session.records.save_draft(record.uuid, values, operator(args, session))
        report_outcome(form, outcome, record)
        record = store.record(record.uuid)
        rows = photo_rows(store, form, record)
        branch = store.branch(record.branch_id).name
    names = {Path(name).name for name in args.files}
    for line in photo_lines([r for r in rows if r["name"] in names], branch):
        print(line.strip() if not line.startswith("    ") else line)
    print(f"已添加 {len(args.files)} 个文件到草稿：{record.uuid}")
    return 0


def finalize(args, data_dir: Path) -> int:
    """`yici records finalize UUID`: draft -> final; errors block, warnings do not."""
    from forms.lifecycle import RecordInvalid

    with open_session(data_dir) as session:
        record = session.store.record(args.uuid)
        form = record_form(session, record)
        try:
            record, outcome = session.records.finalize(record.uuid, operator(args, session))
        except RecordInvalid as exc:
            raise report_invalid(form, exc, "不能定稿（可用 `yici records edit` 修改草稿）") from None
        report_outcome(form, outcome, record)
    print(f"已定稿：{record.uuid}")
    return 0


def correct(args, data_dir: Path) -> int:
    """`yici records correct UUID`: a new revision of a final record; the old one stays in history."""
    from forms.lifecycle import RecordInvalid

    if not args.data and not args.sets:
        raise CliError("没有要更正的内容：请用 --data 或 --set 给出新的字段值。")
    with open_session(data_dir) as session:
        record = session.store.record(args.uuid)
        form = record_form(session, record)
        roster = [m.name for m in session.store.members(record.branch_id)]
        values = {**record.data, **given_values(args, form, roster)}
        try:
            record, outcome = session.records.correct(
                record.uuid, values, operator(args, session), note=args.note
            )
        except RecordInvalid as exc:
            raise report_invalid(form, exc, "没有更正") from None
        report_outcome(form, outcome, record)
    print(f"已更正：{record.uuid}（第 {record.revision} 版次）")
    return 0


def void(args, data_dir: Path) -> int:
    """`yici records void UUID --reason TEXT`: the record stays, marked void."""
    if not args.reason.strip():
        raise CliError("请用 --reason 写明作废原因。")
    with open_session(data_dir) as session:
        record = session.store.record(args.uuid)
        session.records.void(record.uuid, args.reason.strip(), operator(args, session))
    print(f"已作废：{record.uuid}")
    return 0


def delete(args, data_dir: Path) -> int:
    """`yici records delete UUID`: drafts only; a final record is voided, never deleted."""
    with open_session(data_dir) as session:
        record = session.store.record(args.uuid)
        if record.status != "draft":
            raise CliError(
                f"记录 {record.uuid[:8]} {status_label(record.status)}，不能删除：只有草稿可以删除。",
                "已定稿的记录如需撤销，请用 `yici records void UUID --reason 原因` 作废。",
            )
        session.records.delete_draft(record.uuid, operator(args, session))
    print(f"已删除草稿：{record.uuid}")
    return 0


def _record_json(record, branch_names: dict) -> dict:
    import dataclasses  # here for start-up speed: every command loads this module

    out = dataclasses.asdict(record)
    out["branch"] = branch_names.get(record.branch_id)
    return out


def list_(args, data_dir: Path) -> int:
    """`yici records list [filters]`: newest first, at most --limit rows."""
    with open_session(data_dir) as session:
        store = session.store
        filters = {
            "branch_id": find_branch(session, args.branch).id if args.branch else None,
            "form_id": args.form,
            "status": args.status,
            "month": args.month,
            "text": args.text,
        }
        records = store.records(**filters, limit=args.limit)
        total = store.count_records(**filters) if len(records) == args.limit else len(records)
        branch_names = {b.id: b.name for b in store.branches()}
        titles = {f.id: f.title for f in session.catalog.all()}
    if args.json:
        print_json([_record_json(r, branch_names) for r in records])
        return 0
    print_table(
        ["编号", "日期", "支部", "表单", "状态", "版次", "摘要", "录入人"],
        [
            (
                r.uuid[:8],
                r.occurred_on,
                branch_names.get(r.branch_id),
                titles.get(r.form_id, r.form_id),
                status_label(r.status),
                r.revision,
                r.summary,
                r.operator,
            )
            for r in records
        ],
        "没有符合条件的记录。",
    )
    if total > len(records):
        err(f"共 {total} 条，只显示最新的 {len(records)} 条；可用 --limit 显示更多。")
    return 0


def print_(args, data_dir: Path) -> int:
    """`yici records print UUID --pdf FILE`: the record's 记录本 page (a draft marked 草稿)."""
    from forms.paper.record_page import record_page

    target = pdf_target(args.pdf)
    with open_session(data_dir) as session:
        record = session.store.record(args.uuid)
        paper = record_page(session.store, session.catalog, record)
    pages = write_pdf_headless(paper, target)
    print(f"已写入 {target}（{pages} 页{'，草稿' if paper.draft else ''}）")
    return 0


def show(args, data_dir: Path) -> int:
    """`yici records show UUID`: fields with labels, status, revisions and audit trail."""
    with open_session(data_dir) as session:
        store = session.store
        record = store.record(args.uuid)
        form = record_form(session, record)
        history = store.history(record.uuid)
        audit = store.audit(record_uuid=record.uuid)
        branch = store.branch(record.branch_id)
        deliveries = store.deliveries(record_uuid=record.uuid)
        photos = photo_rows(store, form, record)
    if args.json:
        import dataclasses  # here for start-up speed: every command loads this module

        out = _record_json(record, {branch.id: branch.name})
        out["form_title"] = form.title
        out["fields"] = [
            {"key": f.key, "label": f.label, "type": f.type, "value": record.data.get(f.key)}
            for f in form.walk()
            if f.type != "group"
        ]
        out["history"] = [dataclasses.asdict(h) for h in history]
        out["audit"] = [dataclasses.asdict(a) for a in audit]
        out["deliveries"] = [delivery_json(d) for d in deliveries]
        out["photos"] = photos
        print_json(out)
        return 0
    print(f"{form.title}（{form.id} 第 {form.version} 版） · {branch.name}")
    print(
        pairs(
            [
                ("编号", record.uuid),
                ("状态", f"{status_label(record.status)} · 第 {record.revision} 版次"),
                ("日期", record.occurred_on),
                ("录入人", record.operator),
                ("创建时间", when(record.created_at)),
                ("更新时间", when(record.updated_at)),
                ("定稿时间", when(record.finalized_at)),
            ]
            + ([("作废原因", record.void_reason)] if record.void_reason else [])
        )
    )
    print("\n字段")
    print("\n".join(field_lines(form.fields, record.data)))
    if photos:
        print("\n照片")
        print("\n".join(photo_lines(photos, branch.name)))
    print("\n修订历史")
    print_table(
        ["版次", "状态", "保存时间", "录入人", "说明"],
        [(h.revision, status_label(h.status), when(h.saved_at), h.operator, h.note) for h in history],
        "  （无）",
    )
    print("\n操作记录")
    print_table(
        ["时间", "录入人", "操作", "版次", "详情"],
        [
            (
                when(a.at),
                a.operator,
                ACTIONS.get(a.action, a.action),
                a.revision,
                "；".join(f"{k}={cell(v)}" for k, v in (a.detail or {}).items()),
            )
            for a in audit
        ],
        "  （无）",
    )
    print("\n送达情况")
    print_table(
        ["平台", "版次", "状态", "时间", "平台回复", "推送编号"],
        [
            (d.target_name, d.revision, state_title(d.state), delivery_time(d), d.message, d.id)
            for d in deliveries
        ],
        "  （还没有要送达的平台）" if record.status == "final" else "  （定稿后才会发送）",
    )
    return 0
