"""`yici browser run | proofs`: records entered into a platform's own web form by Yici in the
laptop's browser (a `browser` target), and the screenshots kept as proof of each.

A run is started by a person, who stays for a captcha and, unless the recipe submits by itself,
checks each filled form and presses the platform's button (sync/browser/run.py). Ctrl+C stops
it; a record it was entering is recovered, never entered twice. forms/ and sync/ modules are
imported inside the handlers: building the parser must stay quick.
"""

from __future__ import annotations

from pathlib import Path

from desktop.cli.context import open_session, operator
from desktop.cli.exits import EXIT_ATTENTION, EXIT_OK, EXIT_PENDING, CliError
from desktop.cli.logs import log_to_file
from desktop.cli.output import err, print_json, print_table
from desktop.cli.usage import CommandTree, positive

PROOF_TITLES = {"before": "提交前", "after": "提交后", "found": "平台列表中已有"}


def add_commands(tree: CommandTree) -> None:
    """Register `yici browser ...`."""
    browser = tree.group("browser", "网页表单：在浏览器中把待录入的记录填进平台，截图留证")
    p = tree.action(browser, "run", browser_run, "打开浏览器，把等待录入的记录逐条填进平台的网页表单")
    p.add_argument("name", nargs="?", metavar="NAME", help="平台名称（只有一个网页表单平台时可省略）")
    p.add_argument("--record", action="append", metavar="UUID", help="只录入这条记录（可重复）")
    p.add_argument("--headless", action="store_true", help="不显示浏览器窗口（仅适用于自动提交的配方）")
    p = tree.action(browser, "proofs", browser_proofs, "列出一条推送的截图，可导出到文件夹", json=True)
    p.add_argument("id", type=positive, metavar="ID", help="推送编号（见 deliveries list）")
    p.add_argument("--to", metavar="DIR", help="把截图复制到这个文件夹")


def _browser_target(store, name: str | None):
    targets = [t for t in store.targets() if t.kind == "browser"]
    if name:
        target = store.target(name)
        if target.kind != "browser":
            raise CliError(f"平台“{target.name}”不是网页表单平台。", "网页表单平台见 `yici targets list`。")
        return target
    if len(targets) == 1:
        return targets[0]
    if not targets:
        raise CliError(
            "还没有网页表单平台。",
            "可用 `yici targets add 名称 --kind browser --recipe 配方文件` 添加"
            "（写法见 docs/PLATFORMS.md）。",
        )
    names = "、".join(t.name for t in targets)
    raise CliError(f"有多个网页表单平台（{names}），请写明平台名称：`yici browser run 名称`。")


def browser_run(args, data_dir: Path) -> int:
    """`yici browser run [NAME]`: one sitting at the platform's form for what waits."""
    from desktop.cli.browser_person import TerminalPerson
    from sync.browser.devtools import BrowserProblem
    from sync.browser.run import Run, RunBusy, browser_opener

    log_to_file(data_dir)
    with open_session(data_dir) as session:
        store = session.store
        target = _browser_target(store, args.name)
        run = Run(
            store,
            target.id,
            operator(args, session),
            TerminalPerson(),
            open_browser=browser_opener(store.data_dir, headless=args.headless),
            only=set(args.record) if args.record else None,
        )
        try:
            report = run.run()
        except RunBusy as exc:
            raise CliError(exc.message, code=EXIT_PENDING) from None
        except BrowserProblem as exc:
            raise CliError(exc.message, code=EXIT_ATTENTION) from None
        attention = store.target(target.id).attention
    for line in report.lines:
        print(line)
    print(f"{target.name}：{report.summary()}")
    if attention:
        err("这个平台需要处理：改好配方后用 `yici targets test 名称` 试填，再运行 `yici browser run`。")
        return EXIT_ATTENTION
    return EXIT_PENDING if report.left else EXIT_OK


def browser_proofs(args, data_dir: Path) -> int:
    """`yici browser proofs ID [--to DIR]`: the screenshots kept with a delivery."""
    with open_session(data_dir) as session:
        store = session.store
        delivery = store.delivery(args.id)
        proofs = store.proofs(delivery.id)
        paths = {p.sha256: store.attachment_path(p.sha256) for p in proofs}
        copied = []
        if args.to:
            folder = Path(args.to)
            folder.mkdir(parents=True, exist_ok=True)
            for n, proof in enumerate(proofs, 1):
                name = f"推送{delivery.id}-{n}-{PROOF_TITLES.get(proof.kind, proof.kind)}.png"
                (folder / name).write_bytes(store.attachment_bytes(proof.sha256))  # the plain picture
                copied.append(folder / name)
    rows = [
        {
            "kind": p.kind,
            "taken_at": p.taken_at,
            "url": p.url,
            "sha256": p.sha256,
            "file": str(paths[p.sha256]),
        }
        for p in proofs
    ]
    if args.json:
        print_json(rows)
        return EXIT_OK
    print_table(
        ["截图", "时间", "页面", "文件"],
        [(PROOF_TITLES.get(r["kind"], r["kind"]), r["taken_at"], r["url"], r["file"]) for r in rows],
        f"推送 {delivery.id} 没有截图。",
    )
    if copied:
        err(f"已复制 {len(copied)} 张截图到 {args.to}")
    return EXIT_OK
