"""生成台账: the window's way to a branch's 台账 — which branches, which year and which part of it,
then a print preview (one branch) or PDFs (one file, or one per branch into a folder).

The book is forms/paper/book.py's, laid out by desktop/paper/ exactly as `yici book` writes it;
a year with photos takes seconds, so the PDFs are written off the window's thread with progress.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from desktop.file_chooser import choose_folder
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.operations import Operation, run_in_background
from desktop.paper.pdf import write_pdf
from desktop.paper.printing import choose_pdf, made_or_told, pdf_name, preview, tell_not_written
from desktop.window_size import fit_window

# (label, quarter, half) of each choice of period, in the order offered.
PARTS = (
    (QT_TRANSLATE_NOOP("BookDialog", "全年"), None, None),
    (QT_TRANSLATE_NOOP("BookDialog", "上半年"), None, 1),
    (QT_TRANSLATE_NOOP("BookDialog", "下半年"), None, 2),
    (QT_TRANSLATE_NOOP("BookDialog", "第一季度"), 1, None),
    (QT_TRANSLATE_NOOP("BookDialog", "第二季度"), 2, None),
    (QT_TRANSLATE_NOOP("BookDialog", "第三季度"), 3, None),
    (QT_TRANSLATE_NOOP("BookDialog", "第四季度"), 4, None),
)


class BookDialog(QDialog):
    """Choose branches and a period; preview or export the 台账."""

    def __init__(self, session, branch_id: int | None = None, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.session = session
        self.operation: Operation | None = None
        self.setWindowTitle(self.tr("生成台账"))
        today = today or dt.date.today()

        self.branches = QListWidget(self)
        self.branches.setAccessibleName(self.tr("支部"))
        for branch in session.store.branches():
            item = QListWidgetItem(branch.name, self.branches)
            item.setData(Qt.ItemDataRole.UserRole, branch.id)
            checked = branch.id == branch_id
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.branches.itemChanged.connect(lambda _item: self._follow())

        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setAccessibleName(self.tr("年份"))
        # In January and February the book wanted is usually last year's.
        self.year.setValue(today.year - 1 if today.month <= 2 else today.year)
        self.part = QComboBox(self)
        for label, quarter, half in PARTS:
            self.part.addItem(self.tr(label), (quarter, half))
        when = QHBoxLayout()
        when.addWidget(self.year)
        when.addWidget(self.part, 1)

        form = QFormLayout()
        form.addRow(self.tr("支部："), self.branches)
        form.addRow(self.tr("期间："), when)
        self.hint = QLabel(self)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)

        self.preview_button = QPushButton(self.tr("打印预览…"), self)
        self.export_button = QPushButton(self.tr("导出 PDF…"), self)
        close = QPushButton(self.tr("关闭"), self)
        self.preview_button.clicked.connect(self.show_preview)
        self.export_button.clicked.connect(self.export)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.preview_button, self.export_button, close):
            buttons.addWidget(button)

        box = QVBoxLayout(self)
        box.addLayout(form, 1)
        box.addWidget(self.hint)
        box.addLayout(buttons)
        self._follow()
        fit_window(self, "book", 520, 460)

    # -- what is chosen ------------------------------------------------------------------------
    def chosen_branches(self) -> list[int]:
        items = (self.branches.item(i) for i in range(self.branches.count()))
        return [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]

    def period(self):
        from forms.paper.periods import parse_period

        quarter, half = self.part.currentData()
        return parse_period(self.year.value(), quarter, half)

    def _follow(self) -> None:
        count = len(self.chosen_branches())
        self.preview_button.setEnabled(count == 1)
        self.export_button.setEnabled(count >= 1)
        if count == 0:
            self.hint.setText(self.tr("请勾选要生成台账的支部。"))
        elif count > 1:
            self.hint.setText(
                self.tr("已选 {n} 个支部：导出时每个支部一个 PDF 文件，放在同一个文件夹里。").format(n=count)
            )
        else:
            self.hint.setText(
                self.tr("台账包括封面、目录、期间内全部定稿记录、作废记录及原因、开会情况和出勤情况。")
            )

    def _book(self, branch_id: int):
        from forms.paper.book import branch_book

        return branch_book(self.session.store, self.session.catalog, branch_id, self.period())

    # -- preview and export --------------------------------------------------------------------
    def show_preview(self) -> None:
        chosen = self.chosen_branches()
        if len(chosen) == 1:
            paper = made_or_told(self, lambda: self._book(chosen[0]))
            if paper is not None:
                preview(self, paper)

    def export(self) -> None:
        chosen = self.chosen_branches()
        if not chosen:
            return
        papers = made_or_told(self, lambda: [self._book(branch_id) for branch_id in chosen])
        if papers is None:
            return
        if len(papers) == 1:
            path = choose_pdf(self, papers[0])
            targets = [path] if path is not None else []
        else:
            folder = choose_folder(self, self.tr("选择放台账的文件夹"), Path.home())
            targets = [folder / pdf_name(p) for p in papers] if folder is not None else []
        if not targets:
            return
        self.operation = run_in_background(
            self,
            _write_all,
            papers,
            targets,
            success=self._written,
            failure=lambda exc: tell_not_written(self, Path(getattr(exc, "filename", "") or targets[0]), exc),
            progress=self.tr("正在生成台账……"),
            name="book",
        )

    def _written(self, written: list[tuple[Path, int]]) -> None:
        lines = [self.tr("{path}（{pages} 页）").format(path=path, pages=pages) for path, pages in written]
        QMessageBox.information(self, self.tr("生成台账"), self.tr("已导出：") + "\n" + "\n".join(lines))


def _write_all(papers, targets) -> list[tuple[Path, int]]:
    written = []
    for paper, target in zip(papers, targets, strict=True):
        try:
            written.append((target, write_pdf(paper, target)))
        except OSError as exc:  # said with the book's own file name, not a temporary one
            raise OSError(exc.errno, exc.strerror or str(exc), str(target)) from exc
    return written
