"""The recipe tester in the window, the targets page's 测试 for a web-form platform (kind
`browser`): Yici opens the platform's form in the browser, fills it with a sample record and never
submits (sync/browser/tester.py); the person looks at the form, presses 继续, and the dialog lists
the fields that could not be filled, each with its recipe line, beside a screenshot of the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.browser_person import BrowserWorkDialog, DialogPerson
from desktop.proof_view import FittedPicture, ProofViewer, file_name
from desktop.window_size import fit_window
from forms.i18n import tr as core_tr  # the core's gettext, not Qt's: the message is the core's


def reason(problem) -> str:
    """A field problem's message without the field and line it starts with (they have columns)."""
    said = core_tr("字段“{label}”（配方第 {line} 行）：{message}").format(
        label=problem.label, line=problem.line, message=""
    )
    text = str(getattr(problem, "message", "") or problem)
    return text[len(said) :] if text.startswith(said) else text


class RecipeTestDialog(BrowserWorkDialog):
    """Try a platform's recipe with a sample record; nothing is submitted."""

    def __init__(
        self,
        session,
        target_id: int,
        parent: QWidget | None = None,
        *,
        open_browser: Callable[[], Any] | None = None,
    ):
        self.target = session.store.target(target_id)
        self.open_browser = open_browser
        self.report: Any = None
        self.viewer: ProofViewer | None = None
        super().__init__(session, parent)
        self.setWindowTitle(self.tr("测试配方 — {name}").format(name=self.target.name))
        self.intro.setText(
            self.tr(
                "Yici 会打开浏览器，登录“{name}”，用一条样例记录试填表单，不会提交。"
                "看过浏览器中填好的表单后，回到这里点“继续”。"
            ).format(name=self.target.name)
        )
        self.start_button.setText(self.tr("再测试一次"))
        self.stop_button.setToolTip(self.tr("不再等待，关闭浏览器"))

        headers = [self.tr("字段"), self.tr("配方行"), self.tr("原因")]
        self.missing = QTableWidget(0, len(headers), self)
        self.missing.setHorizontalHeaderLabels(headers)
        self.missing.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.missing.verticalHeader().hide()
        self.missing.setWordWrap(True)
        header = self.missing.horizontalHeader()
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.sectionResized.connect(lambda *_: self.missing.resizeRowsToContents())
        self.missing.hide()
        self.picture = FittedPicture(self)
        self.picture.clicked.connect(self.open_screenshot)
        self.picture.hide()
        row = QHBoxLayout()
        row.addWidget(self.missing, 3)
        row.addWidget(self.picture, 2)
        self.results.addLayout(row)
        self.log.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self._update_buttons()
        fit_window(self, "recipe-test", 820, 520)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # Reasons wrapped for a narrower window stood tall: once the header has laid itself out.
        QTimer.singleShot(0, self.missing, self.missing.resizeRowsToContents)

    def make_work(self):
        target_id, operator, opener = self.target.id, self.session.operator_or_login(), self.open_browser

        def work(store, person: DialogPerson):
            from sync.browser.tester import try_recipe  # the DevTools client, only when testing

            return try_recipe(store, target_id, person, operator=operator, open_browser=opener)

        return work

    def can_start(self) -> bool:
        return self.operation is not None  # the page starts the first test; here only again

    def start(self) -> bool:
        self.missing.hide()
        self.picture.hide()
        return super().start()

    def show_result(self, report) -> None:
        self.report = report
        if report.problem:
            self.say_outcome(report.problem, ok=False)
        else:
            self.say_outcome(report.summary().splitlines()[0], ok=not report.missing)
        self.missing.setRowCount(len(report.missing))
        for r, problem in enumerate(report.missing):
            for c, text in enumerate((problem.label, str(problem.line), reason(problem))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.missing.setItem(r, c, item)
        self.missing.resizeRowsToContents()
        self.missing.setVisible(bool(report.missing))
        self.picture.setVisible(self.picture.set_png(report.screenshot))

    def open_screenshot(self) -> ProofViewer | None:
        """The filled form's screenshot whole, with 另存为…."""
        if self.report is None or not self.report.screenshot:
            return None
        title = self.tr("试填的表单")
        viewer = self.viewer = ProofViewer(
            self.report.screenshot,
            self.tr("截图 — {what}").format(what=title),
            self.tr("“{name}”的表单，用样例记录试填，没有提交").format(name=self.target.name),
            file_name(self.target.name, title),
            self,
        )
        viewer.open()
        return viewer
