"""`yici forms list | check | add`: which forms there are, whether a form file is right, and
installing a form (or its new version) into the data folder.

Named after the command; imports are absolute, so `forms.…` below is always the core package.
forms/ modules are imported inside the handlers: building the parser must stay quick.
"""

from __future__ import annotations

from pathlib import Path

from desktop.cli.context import open_session
from desktop.cli.output import err, print_json, print_table
from desktop.cli.usage import CommandTree


def add_commands(tree: CommandTree) -> None:
    """Register `yici forms ...`."""
    forms = tree.group("forms", "表单：查看、检查、安装表单定义")
    tree.action(forms, "list", forms_list, "列出可用的表单", json=True)
    p = tree.action(
        forms, "check", forms_check, "检查表单文件（YAML）和它旁边的打印版式（.print.html）有没有错误"
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="表单文件")
    p = tree.action(forms, "add", forms_add, "检查并安装一个表单（或表单的新版本）和它的打印版式到数据文件夹")
    p.add_argument("file", metavar="FILE", help="表单文件")


def forms_list(args, data_dir: Path) -> int:
    """`yici forms list`: the latest version of every form, built in or installed."""
    from forms.catalog import Catalog

    catalog = Catalog(data_dir)
    forms = catalog.all()
    if catalog.problems:
        err(
            "以下表单文件有问题，已略过（可用 `yici forms check FILE` 查看详情）：",
            *(f"  {problem}" for problem in catalog.problems),
        )
    if args.json:
        print_json(
            [
                {"id": f.id, "version": f.version, "title": f.title, "description": f.description}
                for f in forms
            ]
        )
    else:
        print_table(["表单", "版本", "名称"], [(f.id, f.version, f.title) for f in forms], "还没有表单。")
    return 0


def forms_check(args, data_dir: Path) -> int:
    """`yici forms check FILE...`: one `FILE:LINE: message` line per problem; exit 1 if any.
    A print layout beside a form file (`x.print.html` beside `x.yaml`) is checked with it."""
    from forms.loader import FormProblem, load_form
    from forms.paper.layouts import check_layout, layout_beside

    problems = 0
    for file in args.files:
        form = None
        try:
            form = load_form(file)
        except FormProblem as exc:
            for problem in exc.problems:
                print(problem)
            problems += len(exc.problems)
        else:
            print(f"{file}：格式正确（{form.id} 第 {form.version} 版 {form.title}）")
        layout = layout_beside(Path(file).absolute())
        if layout is not None and layout.is_file():
            shown = Path(file).with_name(layout.name)
            found = [problem for problem in check_layout(layout, form) if problem.message]
            for problem in found:
                where = shown if Path(problem.file) == layout else problem.file
                print(f"{where}:{problem.line}: {problem.message}")
            problems += len(found)
            if not found:
                print(f"{shown}：格式正确（打印版式）")
    if problems:
        err(f"共发现 {problems} 个问题。请按提示的行号修改后再检查。")
    return 1 if problems else 0


def forms_add(args, data_dir: Path) -> int:
    """`yici forms add FILE`: check a form and install it (or its new version) into the data folder."""
    with open_session(data_dir) as session:
        form = session.catalog.install(args.file)
        session.store.remember_form(form)
    print(f"已安装表单 {form.id} 第 {form.version} 版：{form.title}")
    from forms.paper.layouts import layout_beside

    layout = layout_beside(form.path)
    if layout is not None and layout.is_file():
        print(f"打印版式：{layout}")
    return 0
