"""Entering the records that wait for a web-form platform (kind `browser`) in the cadre's own
browser: a run of sync/browser/run.py on a thread of its own, the person answering in a dialog
(desktop/browser_person.py), and the button that starts one from the waiting list and from the
targets page. The lists of the window are read again when a run ends.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from desktop.browser_person import BrowserWorkDialog, DialogPerson
from desktop.sync_worker import active_controller
from desktop.window_size import fit_window

log = logging.getLogger(__name__)


def browser_waiting(store) -> dict[int, tuple[str, int]]:
    """{target id: (name, records waiting)} for every web-form platform with records waiting."""
    browsers = {t.id: t.name for t in store.targets() if t.kind == "browser"}
    counts = Counter(d.target_id for d in store.entries_waiting() if d.target_id in browsers)
    return {target_id: (browsers[target_id], n) for target_id, n in counts.items()}


def record_title(store, uuid: str) -> str:
    """A record as the waiting list names it: branch · summary (or its date)."""
    try:
        record = store.record(uuid)
        branch = store.branch(record.branch_id).name
        return " · ".join(p for p in (branch, record.summary or record.occurred_on or "") if p)
    except Exception:  # noqa: BLE001 - a record gone from this laptop: its id
        log.exception("reading a waiting record failed")
        return uuid[:8]


class BrowserRunDialog(BrowserWorkDialog):
    """One run over a platform's waiting records (`only`: these record uuids)."""

    def __init__(
        self,
        session,
        target_id: int,
        parent: QWidget | None = None,
        controller=None,
        *,
        only: set[str] | None = None,
        open_browser: Callable[[], Any] | None = None,
    ):
        self.target = session.store.target(target_id)
        self.only = set(only) if only is not None else None
        self.open_browser = open_browser
        self.controller = controller or active_controller()
        self.report: Any = None
        super().__init__(session, parent)
        self.setWindowTitle(self.tr("在浏览器中录入 — {name}").format(name=self.target.name))
        self.intro.setText(
            self.tr(
                "Yici 会打开浏览器，登录“{name}”，把下面的记录逐条填进平台的表单。"
                "需要您操作时（输入验证码、核对后点提交），这里会提示。录入时请不要关闭浏览器。"
            ).format(name=self.target.name)
        )
        self.start_button.setText(self.tr("开始录入"))
        self.list_waiting()
        self._update_buttons()
        fit_window(self, "browser-run", 720, 480)

    def waiting(self) -> list:
        """The deliveries this run would enter, oldest first."""
        return [
            d
            for d in self.session.store.entries_waiting()
            if d.target_id == self.target.id and (self.only is None or d.record_uuid in self.only)
        ]

    def list_waiting(self) -> None:
        waiting = self.waiting()
        if not waiting:
            self.log.appendPlainText(self.tr("没有等待录入“{name}”的记录。").format(name=self.target.name))
            return
        self.log.appendPlainText(self.tr("等待录入的记录（{n} 条）：").format(n=len(waiting)))
        for number, d in enumerate(waiting, 1):
            self.log.appendPlainText(f"  {number}. {record_title(self.session.store, d.record_uuid)}")

    def can_start(self) -> bool:
        return bool(self.waiting())

    def make_work(self):
        target_id, operator = self.target.id, self.session.operator_or_login()
        only, opener = self.only, self.open_browser

        def work(store, person: DialogPerson):
            from sync.browser.run import Run  # the DevTools client, only when a run starts

            return Run(store, target_id, operator, person, open_browser=opener, only=only).run()

        return work

    def show_result(self, report) -> None:
        self.report = report
        if report.lines:
            self.log.appendPlainText(self.tr("结果："))
            for line in report.lines:
                self.log.appendPlainText(f"  {line}")
        done = report.entered + report.found > 0 and not report.left and not report.refused
        self.say_outcome(report.summary(), ok=None if not report.problem and not done else done)
        if self.controller is not None:
            self.controller.refresh()  # the status line, the banner and every open list


class BrowserRunButton(QPushButton):
    """ "在浏览器中录入…": one click when one web-form platform has records waiting, a menu of the
    platforms when several have."""

    ran = Signal()  # a run ended: the list beside the button may read again

    def __init__(self, session, controller=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.controller = controller
        self.open_browser: Callable[[], Any] | None = None  # tests: a headless browser
        self.waiting: dict[int, tuple[str, int]] = {}
        self.dialog: BrowserRunDialog | None = None
        self.setText(self.tr("在浏览器中录入…"))
        self.setAutoDefault(False)
        self.clicked.connect(self._clicked)

    def show_for(self, target_ids: list[int] | None = None) -> None:
        """Offer runs for these web-form platforms (None: every one with records waiting)."""
        try:
            waiting = browser_waiting(self.session.store)
        except Exception:  # noqa: BLE001 - a closed store while the window closes
            log.exception("reading waiting entries failed")
            waiting = {}
        if target_ids is not None:
            waiting = {t: waiting.get(t, ("", 0)) for t in target_ids}
        self.waiting = {t: w for t, w in waiting.items() if w[1]}
        self.setVisible(bool(waiting))
        self.setEnabled(bool(self.waiting))
        menu = None
        if len(self.waiting) > 1:
            menu = QMenu(self)
            for target_id, (name, n) in self.waiting.items():
                action = menu.addAction(self.tr("{name}（{n} 条）").format(name=name, n=n))
                action.triggered.connect(lambda _=False, t=target_id: self.open_run(t))
        old = self.menu()
        self.setMenu(menu)  # type: ignore[arg-type]  # None: a plain button again
        if old is not None:
            old.deleteLater()
        if len(self.waiting) == 1:
            ((name, n),) = self.waiting.values()
            self.setToolTip(self.tr("让 Yici 在浏览器中把 {n} 条记录填进“{name}”").format(n=n, name=name))
        else:
            self.setToolTip(
                self.tr("让 Yici 在浏览器中填写网页表单") if self.waiting else self.tr("没有等待录入的记录")
            )

    def _clicked(self) -> None:
        if len(self.waiting) == 1:
            self.open_run(next(iter(self.waiting)))

    def open_run(self, target_id: int) -> BrowserRunDialog:
        """The run dialog for one platform, ready to start."""
        dialog = self.dialog = BrowserRunDialog(
            self.session, target_id, self.window(), self.controller, open_browser=self.open_browser
        )
        dialog.work_ended.connect(self.ran)
        dialog.open()
        return dialog


__all__ = ["BrowserRunButton", "BrowserRunDialog", "browser_waiting", "record_title"]
