"""Open every window and dialog of Yici as a person would, at each text size and language, and list
what is cut or out of reach (tests/desktop/look/checker.py). Run under a real X server, one
screen size per process:

    python -m tests.desktop.look.tour --out problems.json [--sizes standard,xlarge] [--languages en]

Windows take the sizes the app picks itself; nothing here resizes them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from tests.desktop.look import sample
from tests.desktop.look.checker import Problem, problems

SIZES = ("standard", "large", "xlarge")
LANGUAGES = ("zh_CN", "en")


def settle(app: QApplication, seconds: float = 0.05) -> None:
    """Let layouts, deferred resizes and the window system catch up."""
    end = time.monotonic() + seconds
    app.processEvents()
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)
    for _ in range(3):  # what the last events changed (a status text) is laid out too
        QCoreApplication.sendPostedEvents()
        app.processEvents()


class Tour:
    """One text size and language: the main window, then each dialog in turn."""

    def __init__(self, app: QApplication, folder: Path, ids: dict, label: str):
        self.app = app
        self.folder = folder
        self.ids = ids
        self.label = label
        self.found: list[Problem] = []
        self.seen: list[str] = []

    def look(self, window: QWidget | None, name: str) -> None:
        """Check a shown window (after it settled) and remember what was wrong."""
        if window is None:
            self.found.append(Problem(name, "-", "", "window did not open", 0, 0))
            return
        settle(self.app)
        self.seen.append(name)
        for problem in problems(window):
            self.found.append(
                Problem(f"{self.label} {name}: {problem.window}", *list(problem.__dict__.values())[1:])
            )

    def look_modal(self, open_it: Callable[[], object], name: str) -> None:
        """Open a dialog that runs its own event loop (exec), check it, then close it."""
        seen = []

        def inspect() -> None:
            modal = QApplication.activeModalWidget()
            if modal is None:
                QTimer.singleShot(20, inspect)
                return
            seen.append(modal)
            self.look(modal, name)
            modal.close()

        QTimer.singleShot(0, inspect)
        open_it()
        if not seen:
            self.look(None, name)

    def run(self, window, session, bare_session) -> None:
        from desktop.branches_dialog import BranchesDialog
        from desktop.copy_panel import EntriesDialog, EntryDialog
        from desktop.delivery_details import PayloadDialog
        from desktop.delivery_panel import DeliveriesDialog
        from desktop.due_view import CadenceDialog
        from desktop.editor.finalize_dialog import FinalizeDialog
        from desktop.editor.history_dialog import HistoryDialog
        from desktop.editor.void_dialog import CorrectionDialog, VoidDialog
        from desktop.errors import ErrorDialog, user_message
        from desktop.first_run import FirstRunDialog
        from desktop.hub_conflict_dialog import HubConflictDialog
        from desktop.hub_join_dialog import HubJoinDialog
        from desktop.roster_import import RosterImportDialog
        from desktop.secret_dialog import SecretDialog
        from desktop.target_form import TargetForm

        store = session.store
        branch = store.branch(self.ids["branch"])
        window.branch_list.select_branch(branch.id)
        window.branch_list.compute_all_now()
        self.look(window, "main window")

        def dialog(make: Callable[[], QWidget], name: str) -> None:
            shown = make()
            if not shown.isVisible():
                shown.show()
            self.look(shown, name)
            shown.close()
            shown.deleteLater()

        dialog(window.open_settings, "settings")
        dialog(window.open_branches, "branches and rosters")
        dialog(lambda: BranchesDialog(session, window, select_id=None), "branches (none chosen)")
        csv = sample.roster_csv(self.folder)
        dialog(lambda: RosterImportDialog(session, branch, path=csv, parent=window), "roster import")
        dialog(window.open_targets, "targets")
        targets = store.targets()
        dialog(lambda: TargetForm(session, None, window), "new target")
        for target in targets:
            dialog(lambda t=target: TargetForm(session, t, window), f"target form {target.kind}")
            dialog(lambda t=target: SecretDialog(store, t, window), f"secrets {target.kind}")
        dialog(lambda: CadenceDialog(session, branch, window), "cadence")
        dialog(lambda: DeliveriesDialog(session, window.sync, window), "deliveries to confirm")
        dialog(
            lambda: DeliveriesDialog(session, window.sync, window, states=("pending", "failed")),
            "deliveries",
        )
        dialog(lambda: EntriesDialog(session, window.sync, window), "entries to enter")
        waiting = store.entries_waiting(limit=1)
        if waiting:
            dialog(lambda: EntryDialog(session, waiting[0].id, window, window.sync), "copy entry")
        deliveries = store.deliveries(limit=1)
        if deliveries:
            dialog(lambda: PayloadDialog(deliveries[0], window), "delivery details")
        self.web_form(session, window, dialog)
        dialog(
            lambda: ErrorDialog(user_message(OSError(28, "No space left on device")), "Traceback …", window),
            "error",
        )
        dialog(window.show_about, "about")  # opened window-modal (open()), not exec()
        dialog(window.open_book, "book (台账)")
        dialog(lambda: FirstRunDialog(bare_session, window), "first run")
        dialog(lambda: HubJoinDialog(session, window), "join the township hub")
        dialog(lambda: HubConflictDialog(session, window), "conflict with the township hub")
        self.data_key(window, store, dialog)

        for form in session.catalog.all():
            editor = window.new_record(form.id)
            self.look(editor, f"editor new {form.id}")
            if editor is not None:
                editor.close()
        draft = window.open_record(self.ids["draft"])
        self.look(draft, "editor draft 支部委员会")
        if draft is not None:
            form, values = draft.form, draft.panel.values()
            dialog(lambda: FinalizeDialog(form, values, [], draft), "finalize")
            dialog(lambda: VoidDialog(draft), "void")
            dialog(lambda: CorrectionDialog(draft), "correction")
            dialog(lambda: HistoryDialog(store, form, self.ids["final"], draft), "history")
            draft.close()
        final = window.open_record(self.ids["final"])
        self.look(final, "editor final 支部委员会")
        if final is not None:
            final.close()
        self.photos(window, dialog)

    def data_key(self, window, store, dialog: Callable[[Callable[[], QWidget], str], None]) -> None:
        """The recovery key beside the window, and a passphrase that did not fit (the passphrase
        questions themselves are Qt's own input dialogs)."""
        from desktop.data_key import ask_recovery_key, show_recovery_key, wrong_key
        from desktop.restore_dialog import ask_backup_recovery_key
        from forms.store.recovery_key import new_recovery_key

        dialog(lambda: show_recovery_key(window, new_recovery_key(), store.data_dir), "recovery key")
        wrong = (
            f"口令文件 {store.data_dir / 'passphrase.txt'}（环境变量 YICI_PASSPHRASE_FILE）里的口令不对，"
            "数据没有打开，也没有任何改动。请改正口令文件，或去掉这个环境变量后再打开、手工输入口令。"
        )
        self.look_modal(lambda: wrong_key(window, wrong, can_retry=True), "wrong passphrase")
        not_fitting = (
            "系统钥匙串里这个数据文件夹的密钥与数据不符，没有打开也没有改动任何数据。"
            "请用恢复密钥打开：yici key unlock --recovery-key。"
        )
        self.look_modal(
            lambda: ask_recovery_key(window, not_fitting, store.data_dir), "recovery key to open the data"
        )
        backup = store.data_dir / "backups" / "yici-manual-20261207-091500.db"
        self.look_modal(
            lambda: ask_backup_recovery_key(window, backup, wrong=True), "recovery key of a backup"
        )

    def photos(self, window, dialog: Callable[[Callable[[], QWidget], str], None]) -> None:
        """A household visit with phone photos: its cards, the large view, a phone's folder and
        the choice of the photo whose place to use."""
        from desktop.editor.phone_folder import PhoneFolderDialog
        from desktop.editor.photo_place import PhotoPlaceDialog, placed
        from desktop.editor.photo_viewer import PhotoViewer

        visit = window.open_record(self.ids["visit"])
        self.look(visit, "editor visit with photos")
        if visit is None:
            return
        photos = visit.panel.widget("photos")
        items = photos.value()
        visit.scroll.ensureWidgetVisible(photos)
        self.look(visit, "editor visit, its photos")
        dialog(lambda: PhotoViewer(items, 0, visit.env, visit.env.record_time(), visit), "photo viewer")

        def phone_folder() -> QWidget:
            shown = PhoneFolderDialog(Path(self.ids["phone"]), visit.env, set(), visit)
            shown.show()
            end = time.monotonic() + 20
            while shown.scan is not None and time.monotonic() < end:
                settle(self.app, 0.05)
            return shown

        dialog(phone_folder, "phone folder")
        dialog(lambda: PhotoPlaceDialog(placed(items), visit.env, visit), "photo place")
        visit.close()

    def web_form(self, session, window, dialog: Callable[[Callable[[], QWidget], str], None]) -> None:
        """The web-form windows in the states a person meets them: a run before it starts, at a
        pause, and ended; the recipe tester's findings; the screenshots kept as proof."""
        from desktop import browser_person
        from desktop.browser_person import DialogPerson
        from desktop.browser_run_dialog import BrowserRunDialog
        from desktop.delivery_details import PayloadDialog
        from desktop.proof_view import ProofViewer
        from desktop.recipe_test_dialog import RecipeTestDialog
        from sync.browser.run import RunReport
        from sync.browser.tester import TrialReport

        store, target = session.store, self.ids["web_form"]
        dialog(lambda: BrowserRunDialog(session, target, window, window.sync), "run in the browser")

        def paused() -> QWidget:
            run = BrowserRunDialog(session, target, window, window.sync)
            run.person = DialogPerson()  # as a run's pause arrives, without a browser
            run._working = True  # as while a run goes on
            run._update_buttons()
            run.show()
            run.as_bar(True)  # as it is while a run goes on: a bar at the bottom of the screen
            for line in ("正在打开 http://127.0.0.1:8701/login", "正在登录"):
                run._said(line)
            run._paused("如有验证码，请在浏览器中输入，然后点“继续”")
            return run

        asking = browser_person.ask
        browser_person.ask = lambda *_a: True  # closing it mid-run: "stop and close?" yes
        try:
            dialog(paused, "run in the browser, paused")
        finally:
            browser_person.ask = asking

        def ended() -> QWidget:
            run = BrowserRunDialog(session, target, window, window.sync)
            title = f"{sample.BRANCH} · 2026年10月支部委员会：研究冬季防火和困难党员慰问工作安排"
            run.show_result(
                RunReport(
                    entered=2,
                    found=1,
                    left=1,
                    lines=[f"{title}：已录入", f"{title}：平台上已有，未重复录入", f"{title}：没有提交"],
                    problem="浏览器已关闭，录入停止",
                )
            )
            return run

        dialog(ended, "run in the browser, ended")

        def tested() -> QWidget:
            trial = RecipeTestDialog(session, target, window)
            missing = [
                Missing("会议名称", 14, "页面上找不到这个字段，平台可能改了表单，请更新配方"),
                Missing("授课人", 24, "选了“会议类型”之后等了 8 秒，这个字段仍没有出现"),
            ]
            shot = sample.page_png(1280, 1900, (240, 242, 245))
            trial.show_result(TrialReport(filled=["主要内容", "会议类型"], missing=missing, screenshot=shot))
            return trial

        dialog(tested, "recipe test")

        def targets_page() -> QWidget:
            page = window.open_targets()
            page.select(sample.WEB_FORM)
            return page

        dialog(targets_page, "targets, web form chosen")
        [entered] = [d for d in store.deliveries(target_id=target) if d.id == self.ids["entered"]]
        dialog(lambda: PayloadDialog(entered, window, store), "delivery details with screenshots")
        shot = sample.page_png(1280, 1900, (253, 232, 232))
        dialog(
            lambda: ProofViewer(
                shot,
                "截图 — 提交前",
                "提交前 · 2026-11-05 14:03:22\nhttp://127.0.0.1:8701/meetings/new",
                "截图.png",
                window,
            ),
            "screenshot",
        )


class Missing:
    """A field the recipe tester could not fill, as sync/browser/filling.py's FieldProblem reads."""

    def __init__(self, label: str, line: int, reason: str):
        self.label, self.line = label, line
        self.message = f"字段“{label}”（配方第 {line} 行）：{reason}"


def tour_once(app: QApplication, data_dir: Path, bare_dir: Path, ids: dict, size: str, language: str):
    """Start Yici on `data_dir` at `size` and `language` as a person would, and tour it."""
    from desktop.app import Starter
    from desktop.appearance import UI_CACHE
    from desktop.session import Session

    session = Session.open(data_dir)
    try:
        session.store.set_setting("font_size", size)
        session.store.set_setting("language", language)
    finally:
        session.close()
    # As left by the last start, with no window places remembered: the app picks every size.
    (data_dir / UI_CACHE).write_text(json.dumps({"font_size": size, "language": language}), encoding="utf-8")
    starter = Starter(app, data_dir)
    end = time.monotonic() + 30
    while starter.session is None or starter.window.session is None:
        if time.monotonic() > end:
            raise RuntimeError("the window did not open its data folder")
        settle(app, 0.02)
    tour = Tour(app, data_dir.parent, ids, f"{size}/{language}")
    bare = Session.open(bare_dir)
    try:
        tour.run(starter.window, starter.session, bare)
    finally:
        bare.close()
        starter.close()
        settle(app)
    return tour


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    args = parser.parse_args(argv)

    import keyring

    from desktop.app import application
    from desktop.session import Session
    from sync import kinds
    from tests.sync.fake_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())  # never the keychain of whoever runs this
    kinds.install()
    app = application()
    screen = app.primaryScreen()
    report: dict = {
        "screen": [screen.availableGeometry().width(), screen.availableGeometry().height()],
        "ratio": screen.devicePixelRatio(),
        "platform": app.platformName(),
        "problems": [],
        "seen": [],
    }
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="yici-look-") as tmp:
        folder = Path(tmp)
        session = Session.open(folder / "data")
        try:
            ids = sample.fill(session)
            sample.web_form_account(session, ids)
        finally:
            session.close()
        for size in args.sizes.split(","):
            for language in args.languages.split(","):
                tour = tour_once(
                    app, folder / "data", folder / f"bare-{size}-{language}", ids, size, language
                )
                report["problems"] += [str(p) for p in tour.found]
                report["seen"] += [f"{size}/{language} {name}" for name in tour.seen]
    report["seconds"] = round(time.monotonic() - started, 1)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    sys.exit(main())
