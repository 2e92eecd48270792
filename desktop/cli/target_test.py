"""`yici targets test NAME`: a harmless test message and the platform's answer; for a web-form
platform (kind `browser`), the recipe tester: the form filled with a sample record in the
browser, never submitted, and every field it could not find listed with its recipe line.

Registered by targets.py; forms/ and sync/ are imported inside the handler.
"""

from __future__ import annotations

from pathlib import Path

from desktop.cli.context import open_session, operator
from desktop.cli.exits import EXIT_ATTENTION, EXIT_OK, EXIT_PENDING, CliError
from desktop.cli.logs import log_to_file
from desktop.cli.output import err
from desktop.cli.target_input import kind_title


def add_test_command(tree, targets) -> None:
    """Register `yici targets test`."""
    p = tree.action(targets, "test", targets_test, "发一条测试消息，显示平台的回复；网页表单平台则试填表单")
    p.add_argument("name", metavar="NAME", help="平台名称")
    p.add_argument(
        "--headless", action="store_true", help="网页表单：不显示浏览器窗口（服务器上、无人值守时）"
    )
    p.add_argument("--screenshot", metavar="FILE", help="网页表单：把试填好的表单截图存为 PNG 文件")


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
        if target.kind == "browser":
            return _try_recipe(args, session, target)
        deliverer = Deliverer(session.store)
        try:
            attempt = deliverer.test(target.id)
        finally:
            deliverer.http.close()
        code = _attempt_code(attempt.outcome)
        if code == EXIT_OK and target.attention:
            session.store.set_target_attention(target.id, None)
    title = f"{target.name}（{kind_title(target.kind)}）"
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


def _try_recipe(args, session, target) -> int:
    """The recipe tester in the laptop's browser (headless on request)."""
    from desktop.cli.browser_person import TerminalPerson
    from sync.browser.devtools import BrowserProblem
    from sync.browser.run import RunBusy, browser_opener
    from sync.browser.tester import try_recipe

    store = session.store
    person = TerminalPerson()
    try:
        report = try_recipe(
            store,
            target.id,
            person,
            operator=operator(args, session),
            open_browser=browser_opener(store.data_dir, headless=args.headless),
            keep_open=not args.headless,
        )
    except RunBusy as exc:
        raise CliError(exc.message, code=EXIT_PENDING) from None
    except BrowserProblem as exc:
        raise CliError(exc.message, code=EXIT_ATTENTION) from None
    if args.screenshot and report.screenshot:
        Path(args.screenshot).write_bytes(report.screenshot)
        err(f"试填好的表单截图：{args.screenshot}")
    title = f"{target.name}（{kind_title(target.kind)}）"
    if report.ok:
        print(f"✓ {title}：{report.summary()}")
        if target.attention:
            store.set_target_attention(target.id, None)
            print("已解除“需要处理”状态。")
        return EXIT_OK
    err(f"✗ {title}：{report.summary()}")
    if report.missing:
        err("请按平台现在的表单修改配方，再用 `yici targets edit 名称 --recipe 配方文件` 保存。")
    return EXIT_ATTENTION
