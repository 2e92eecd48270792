"""`yici book`: a branch's 台账 for a year, half-year or quarter as a PDF — the cover, contents,
every final record in its 记录本 layout, the voided ones with their reasons, and the summaries of
meetings held and of each member's attendance (forms/paper/book.py). Several branches at once
write one file each into a folder. Works headless, with no display (desktop/paper/headless.py).
"""

from __future__ import annotations

from pathlib import Path

from desktop.cli.context import find_branch, open_session
from desktop.cli.exits import CliError
from desktop.cli.output import err
from desktop.cli.paper_output import pdf_target, safe_file_name, write_pdf_headless
from desktop.cli.usage import CommandTree


def add_commands(tree: CommandTree) -> None:
    """Register `yici book`."""
    p = tree.command(
        "book",
        book,
        "生成支部台账 PDF：封面、目录、全部定稿记录、开会与出勤汇总",
        description=(
            "生成支部台账 PDF：封面、目录、期间内全部定稿记录（记录本格式）、作废记录及原因、\n"
            "按频次的开会情况和每名党员的出勤情况。不需要显示器。\n"
            "例子：yici book --branch 红星村党支部 --year 2026 --pdf 红星村2026台账.pdf\n"
            "      yici book --branch 红星村党支部 --branch 青山村党支部 --year 2026 --quarter 4 --out 台账"
        ),
    )
    p.add_argument(
        "--branch", action="append", required=True, metavar="B", help="支部名称或编号；可重复，各写一个文件"
    )
    p.add_argument("--year", required=True, metavar="YYYY", help="年份，例如 2026")
    part = p.add_mutually_exclusive_group()
    part.add_argument("--quarter", metavar="Q", help="只要这一季度：1–4")
    part.add_argument("--half", metavar="H", help="只要这半年：1（上半年）或 2（下半年）")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--pdf", type=Path, metavar="FILE", help="写入的 PDF 文件（一个支部时）")
    out.add_argument("--out", type=Path, metavar="DIR", help="放 PDF 的文件夹（每个支部一个文件）")


def book(args, data_dir: Path) -> int:
    """`yici book --branch B --year YYYY [--quarter Q | --half H] (--pdf FILE | --out DIR)`."""
    from forms.paper.book import branch_book
    from forms.paper.periods import PeriodError, parse_period

    try:
        period = parse_period(args.year, args.quarter, args.half)
    except PeriodError as exc:
        raise CliError(str(exc)) from exc
    with open_session(data_dir) as session:
        branches = list({b.id: b for b in (find_branch(session, name) for name in args.branch)}.values())
        if args.pdf is not None and len(branches) > 1:
            raise CliError(
                f"给了 {len(branches)} 个支部：每个支部一个文件，请用 --out 文件夹 代替 --pdf 文件。"
            )
        targets = [pdf_target(args.pdf)] if args.pdf is not None else _in_folder(args.out, branches, period)
        for branch, target in zip(branches, targets, strict=True):
            paper = branch_book(session.store, session.catalog, branch.id, period)
            pages = write_pdf_headless(paper, target)
            print(f"已写入 {target}（{branch.name} · {period.label}，{pages} 页）")
    return 0


def _in_folder(folder: Path, branches, period) -> list[Path]:
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise CliError(f"“{folder}”不是文件夹。请在 --out 后写一个文件夹（不存在会新建）。")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"无法建立文件夹“{folder}”：{exc.strerror or exc}") from exc
    names = [safe_file_name(f"{b.name}-{period.code}-台账") + ".pdf" for b in branches]
    if len(set(names)) < len(names):
        err("有支部名称在文件名里相同，已在文件名后加上支部编号。")
        names = [safe_file_name(f"{b.name}-{b.id}-{period.code}-台账") + ".pdf" for b in branches]
    return [pdf_target(folder / name) for name in names]
