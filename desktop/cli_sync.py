"""`yici sync` and `yici deliveries ...`: sending what is due and how far each delivery got.

Also the exit code every delivery summary ends with (used by `yici status` too) and the log file
the engine writes to. Each command is `function(args, data_dir) -> exit code`, called by
desktop/cli.py.
"""
from __future__ import annotations

import datetime
import logging
import logging.handlers
import signal
import sys
import threading
import time
from pathlib import Path

from desktop.cli_output import err, print_json, print_table
from desktop.cli_session import EXIT_ATTENTION, EXIT_OK, EXIT_PENDING, CliError, open_session, operator

# Delivery states that need a person, and those still on their way (awaiting_upload: the rows are
# in an Excel file but not yet on the platform).
ATTENTION_STATES = ("failed", "uncertain")
PENDING_STATES = ("pending", "sending", "awaiting_upload")


# --- exit codes and times ------------------------------------------------------------------------------

def delivery_exit_code(targets, counts: dict[str, dict[str, int]]) -> int:
    """4 when a live target needs attention or a delivery failed / is uncertain, 3 while deliveries
    are on their way (pending, sending, awaiting upload), else 0. Disabled targets do not count."""
    live = [t for t in targets if t.enabled]
    states = {s for t in live for s, n in counts.get(t.name, {}).items() if n}
    if any(t.attention for t in live) or states & set(ATTENTION_STATES):
        return EXIT_ATTENTION
    if states & set(PENDING_STATES):
        return EXIT_PENDING
    return EXIT_OK


def epoch_text(when: float | None) -> str:
    """Epoch seconds as local time: 'HH:MM:SS' today, else 'YYYY-MM-DD HH:MM'."""
    if not when:
        return ""
    moment = datetime.datetime.fromtimestamp(when)
    if moment.date() == datetime.date.today():
        return moment.strftime("%H:%M:%S")
    return moment.strftime("%Y-%m-%d %H:%M")


def stamp_text(timestamp: str | None) -> str:
    """'2026-11-05T14:03:22+08:00' -> '2026-11-05 14:03:22'."""
    return timestamp[:19].replace("T", " ") if timestamp else ""


# --- sync ---------------------------------------------------------------------------------------------

def log_to_file(data_dir: Path) -> None:
    """The engine's log lines (targets stopped, recoveries, a kind's bug) go to
    <data_dir>/logs/yici-cli.log, not onto the person's screen in English."""
    logger = logging.getLogger("yici")
    if logger.handlers:
        return
    try:
        folder = Path(data_dir) / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / "yici-cli.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    from sync.masking import MaskingFormatter  # tokens inside URLs never reach a log
    handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _run_once(deliverer, *, target: str | None, manual: bool):
    """One run on a worker thread, so Ctrl+C lets the request in flight finish and its outcome be
    written: (summary, interrupted). A second Ctrl+C leaves at once (main says 已中断)."""
    stop, done = threading.Event(), threading.Event()
    result: dict = {}

    def work() -> None:
        try:
            result["summary"] = deliverer.run(target=target, manual=manual, stop=stop)
        except BaseException as exc:  # handed to the main thread, which reports it
            result["error"] = exc
        finally:
            done.set()

    # Waiting on an Event rather than Thread.join: a join interrupted by Ctrl+C can report a
    # thread finished while it still runs.
    threading.Thread(target=work, name="yici-sync", daemon=True).start()
    interrupted = False
    try:
        while not done.wait(0.2):
            pass
    except KeyboardInterrupt:
        interrupted = True
        stop.set()
        err("正在停止：等正在发送的这一条完成……（再按一次 Ctrl+C 立即退出）")
        while not done.wait(0.2):
            pass
    if "error" in result:
        raise result["error"]
    return result["summary"], interrupted


def _print_summary(store, summary, *, target_name: str | None, manual: bool,
                   quiet_code: int | None = None) -> int:
    """Per-target lines and what is left; returns the exit code the state calls for.

    `quiet_code`: (--watch) say nothing when this run did nothing and the code is unchanged."""
    from sync import xlsx

    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    if summary.busy:
        from sync.lock import BUSY_MESSAGE
        err(f"{now} {BUSY_MESSAGE}")
        return EXIT_PENDING
    targets = [t for t in store.targets() if target_name is None or t.name == target_name]
    counts = store.delivery_counts()
    code = delivery_exit_code(targets, counts)
    active = (any(r.delivered or r.retrying or r.failed or r.written for r in summary.targets.values())
              or summary.requeued or summary.found_uncertain)
    if quiet_code is not None and not active and code == quiet_code:
        return code
    print(f"{now} {'同步' if manual else '自动同步'}完成：")
    if not any(t.enabled for t in targets):
        print("  没有启用的平台。可用 `yici targets add` 添加，或 `yici targets edit 名称 --enable` 启用。")
    if summary.requeued or summary.found_uncertain:
        print(f"  上次同步中断：{summary.requeued} 条已重新排队，{summary.found_uncertain} 条可能已发送，请确认。")
    for t in targets:
        if not t.enabled:
            continue
        report = summary.targets.get(t.name)
        c = counts.get(t.name, {})
        line = (f"  {t.name}：送达 {report.delivered if report else 0}、重试 {report.retrying if report else 0}、"
                f"失败 {report.failed if report else 0}、待上传 {report.written if report else 0}")
        waiting = c.get("pending", 0) + c.get("sending", 0)
        if waiting:
            line += f"；还有 {waiting} 条待发送"
            due = store.next_due_at(t.id, manual=False)
            if due and due > time.time():
                line += f"，下次重试 {epoch_text(due)}"
        if c.get("awaiting_upload"):
            line += f"；{c['awaiting_upload']} 条待上传"
        print(line)
        if c.get("awaiting_upload") and t.kind == "xlsx":
            try:
                batch = xlsx.open_batch(t.config())
            except Exception:  # noqa: BLE001 - only a hint; the folder may be unreachable now
                batch = None
            if batch is not None:
                print(f"    导入文件：{batch}；上传到平台后运行 `yici deliveries confirm-upload {t.name}`")
        attention = (report.attention if report else None) or t.attention
        if attention:
            print(f"    ⚠ 需要处理：{attention}")
        if c.get("failed"):
            print(f"    ⚠ {c['failed']} 条发送失败：`yici deliveries list --target {t.name} --state failed` 查看原因")
        if c.get("uncertain"):
            print(f"    ⚠ {c['uncertain']} 条可能已发送，请确认：`yici deliveries list --state uncertain`，"
                  "再 `yici deliveries resend ID` 或 `yici deliveries mark-delivered ID`")
    if code == EXIT_OK and any(t.enabled for t in targets):
        print("  全部已送达。")
    return code


def _stop_on_sigterm():
    """SIGTERM (a service manager stopping `sync --watch`) ends like Ctrl+C: the request in
    flight finishes and its outcome is written. Returns the handler to put back."""
    def terminate(signum, frame):
        raise KeyboardInterrupt
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, terminate)


def sync(args, data_dir: Path) -> int:
    """`yici sync [--target NAME] [--watch]`: deliver what is due now and print a summary.

    Exit 0 all delivered, 3 some still on their way (or another process is syncing), 4 something
    needs a person. With --watch: a manual run, then automatic runs every --interval seconds
    until Ctrl+C, which ends with the last run's exit code."""
    from sync.engine import Deliverer

    log_to_file(data_dir)
    with open_session(data_dir) as session:
        store = session.store
        target_name = None
        if args.target:
            target = store.target(args.target)
            if not target.enabled:
                raise CliError(f"平台“{target.name}”已停用。可用 `yici targets edit {target.name} --enable` 启用。")
            target_name = target.name
        deliverer = Deliverer(store)
        previous = _stop_on_sigterm()
        code = None
        try:
            summary, interrupted = _run_once(deliverer, target=target_name, manual=True)
            code = _print_summary(store, summary, target_name=target_name, manual=True)
            sys.stdout.flush()    # only now, with `code` known, may a reader act on the summary
            if not args.watch or interrupted:
                return code
            err(f"每 {args.interval} 秒自动同步一次，按 Ctrl+C 停止。")
            while not interrupted:
                time.sleep(args.interval)
                summary, interrupted = _run_once(deliverer, target=target_name, manual=False)
                code = _print_summary(store, summary, target_name=target_name, manual=False,
                                      quiet_code=code)
                sys.stdout.flush()
        except KeyboardInterrupt:
            # Ctrl+C between runs (or while printing): nothing is in flight, the last summary
            # stands. Before the first summary there is none: main says 已中断.
            if code is None:
                raise
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
            deliverer.http.close()
    if args.watch:
        err("已停止自动同步。")
    return code


# --- deliveries ------------------------------------------------------------------------------------------

def _state(text: str | None) -> str | None:
    """A delivery state from its key or its Chinese title."""
    from forms.deliveries import DELIVERY_STATES, STATE_TITLES

    if text is None:
        return None
    by_title = {title: key for key, title in STATE_TITLES.items()}
    state = by_title.get(text, text)
    if state == "needs_attention":
        raise CliError("“需要处理”是平台的状态，不是单条推送的状态：请用 `yici targets list` 或 `yici status` 查看。")
    if state not in DELIVERY_STATES:
        choices = "、".join(f"{key}（{STATE_TITLES[key]}）" for key in DELIVERY_STATES)
        raise CliError(f"推送状态“{text}”无效。可选：{choices}")
    return state


def delivery_json(d) -> dict:
    """A delivery for scripts: everything but the payload."""
    from forms.deliveries import STATE_TITLES

    return {"id": d.id, "record_uuid": d.record_uuid, "revision": d.revision, "target": d.target_name,
            "state": d.state, "state_title": STATE_TITLES.get(d.state, d.state), "attempts": d.attempts,
            "message": d.message, "remote_id": d.remote_id, "queued_at": d.queued_at,
            "sent_at": d.sent_at, "delivered_at": d.delivered_at, "updated_at": d.updated_at,
            "next_attempt_at": d.next_attempt_at, "not_before": d.not_before}


def delivery_time(d) -> str:
    """When a delivery last changed, as a person reads it."""
    return stamp_text(d.delivered_at if d.state == "delivered" and d.delivered_at else d.updated_at)


def deliveries_list(args, data_dir: Path) -> int:
    """`yici deliveries list [--state S] [--target T]`: newest first."""
    from forms.deliveries import STATE_TITLES

    state = _state(args.state)
    with open_session(data_dir) as session:
        store = session.store
        target_id = store.target(args.target).id if args.target else None
        record_uuid = store.record(args.record).uuid if args.record else None
        rows = store.deliveries(record_uuid=record_uuid, target_id=target_id, state=state,
                                limit=args.limit)
    if args.json:
        print_json([delivery_json(d) for d in rows])
        return EXIT_OK
    print_table(["编号", "记录", "版次", "平台", "状态", "次数", "时间", "平台回复"],
                [(d.id, d.record_uuid[:8], d.revision, d.target_name, STATE_TITLES.get(d.state, d.state),
                  d.attempts, delivery_time(d), d.message) for d in rows],
                "没有符合条件的推送。")
    if len(rows) == args.limit:
        err(f"只显示最新的 {args.limit} 条；可用 --limit 显示更多。")
    return EXIT_OK


def _decided(d, what: str) -> None:
    from forms.deliveries import STATE_TITLES
    print(f"推送 {d.id}（记录 {d.record_uuid[:8]} 第 {d.revision} 版次 → {d.target_name}）{what}，"
          f"现在：{STATE_TITLES.get(d.state, d.state)}。")


def deliveries_resend(args, data_dir: Path) -> int:
    """`yici deliveries resend ID`: send again (a failed or uncertain delivery)."""
    with open_session(data_dir) as session:
        d = session.store.resend(args.id, operator(args, session))
    _decided(d, "已重新排队")
    err("运行 `yici sync` 立即发送。")
    return EXIT_OK


def deliveries_mark_delivered(args, data_dir: Path) -> int:
    """`yici deliveries mark-delivered ID`: the operator confirms it arrived."""
    with open_session(data_dir) as session:
        d = session.store.mark_delivered(args.id, operator(args, session))
    _decided(d, "已标记为已送达")
    return EXIT_OK


def deliveries_confirm_upload(args, data_dir: Path) -> int:
    """`yici deliveries confirm-upload TARGET [--file F]`: the Excel batch was uploaded; its rows
    become delivered and the next rows start a new file."""
    from sync.engine import Deliverer
    from sync.kinds import KIND_TITLES
    from sync.lock import SyncBusy

    if args.file and not Path(args.file).is_file():
        raise CliError(f"找不到导入文件：{args.file}")
    with open_session(data_dir) as session:
        target = session.store.target(args.target)
        if target.kind != "xlsx":
            raise CliError(f"平台“{target.name}”是{KIND_TITLES.get(target.kind, target.kind)}，"
                           "不是 Excel 导入文件，不需要确认上传。")
        log_to_file(data_dir)
        deliverer = Deliverer(session.store)
        try:
            confirmed = deliverer.confirm_upload(target.id, operator(args, session), args.file)
        except SyncBusy as exc:
            raise CliError(exc.message, code=EXIT_PENDING) from None
        finally:
            deliverer.http.close()
        left = session.store.delivery_counts().get(target.name, {}).get("awaiting_upload", 0)
    if confirmed.path is None:
        print(f"平台“{target.name}”没有待上传的导入文件。")
    else:
        print(f"已确认上传 {confirmed.path.name}：{confirmed.delivered} 条记录标记为已送达"
              f"（文件共 {confirmed.rows} 行）。之后的记录会写入新的导入文件。")
    if left:
        err(f"还有 {left} 条在其他导入文件里等待上传；可用 "
            f"`yici deliveries list --target {target.name} --state awaiting_upload` 查看，"
            f"上传后用 --file 指定文件确认。")
    return EXIT_OK

