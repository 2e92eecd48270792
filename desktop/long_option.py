"""A target option too long for a table cell, in an editor of its own: a web form's recipe (kind
`browser`, YAML) and a copy target's field list (kind `copy`), one per line.

Line numbers in the margin, "从文件读取…" for a UTF-8 file an IT person wrote (read by the one
YAML reader, with its limits), and "检查", which lists every problem the kind's own check finds,
each with its line; clicking a problem puts the cursor on that line.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontDatabase, QPainter, QPaintEvent, QResizeEvent, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.file_chooser import open_file
from desktop.target_options import ERROR_COLOR, OK_COLOR, option_hint
from forms.yaml_lines import YamlRefused, read_text
from sync.kinds import KINDS

# The kind's option that gets this editor instead of a row in the options table.
LONG_OPTIONS = {"browser": "recipe", "copy": "fields"}
# A problem's line, as the kinds write it: "配方:12: …" (FILE:LINE) or "第 12 行：…".
LINE = re.compile(r"^[^：\n]*?:(\d+): |第 (\d+) 行")
# Where one problem ends and the next begins in a check's joined message.
NEXT_PROBLEM = re.compile(r"[；\n](?=[^；\n]*?:\d+: |第 \d+ 行)")


def long_option(kind: str) -> str | None:
    """The option of `kind` edited here, or None."""
    return LONG_OPTIONS.get(kind)


def problems_of(kind: str, text: str) -> list[str]:
    """Every problem the kind's check finds in `text` for its long option, one per item."""
    key = long_option(kind)
    option = next((o for o in KINDS[kind].options if o.name == key), None) if key else None
    found = option.problem(text) if option is not None else None
    return [p.strip() for p in NEXT_PROBLEM.split(found) if p.strip()] if found else []


def line_of(problem: str) -> int:
    """The line a problem names (0 when it names none)."""
    match = LINE.search(problem)
    return int(match.group(1) or match.group(2)) if match else 0


class _Margin(QWidget):
    """The editor's line numbers."""

    def __init__(self, editor: LineNumberedEdit):
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self.editor.margin_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.editor.paint_margin(self, event)


class LineNumberedEdit(QPlainTextEdit):
    """Plain text in a fixed-width font with its line numbers beside it (as the problems name them)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # Long lines wrap (their number shows once): a window as wide as a recipe's longest
        # line would not fit a 1024 screen at 特大.
        self.margin = _Margin(self)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.blockCountChanged.connect(lambda _n: self._fit_margin())
        self.updateRequest.connect(self._scrolled)
        self._fit_margin()

    def margin_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 8 + self.fontMetrics().horizontalAdvance("9") * max(2, digits)

    def _fit_margin(self) -> None:
        self.setViewportMargins(self.margin_width(), 0, 0, 0)
        room = self.contentsRect()
        self.margin.setGeometry(QRect(room.left(), room.top(), self.margin_width(), room.height()))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_margin()  # 大字 / 特大 came with the style sheet: wider numbers

    def _scrolled(self, rect: QRect, dy: int) -> None:
        if dy:
            self.margin.scroll(0, dy)
        else:
            self.margin.update(0, rect.y(), self.margin.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_margin()

    def paint_margin(self, margin: QWidget, event: QPaintEvent) -> None:
        painter = QPainter(margin)
        painter.fillRect(event.rect(), QColor("#eef0f3"))
        painter.setPen(QColor("#5f6670"))
        painter.setFont(self.font())
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            if block.isVisible():
                painter.drawText(
                    0,
                    top,
                    margin.width() - 4,
                    height,
                    Qt.AlignmentFlag.AlignRight,
                    str(block.blockNumber() + 1),
                )
            top += round(self.blockBoundingRect(block).height())
            block = block.next()
        painter.end()

    def go_to_line(self, line: int) -> None:
        """Put the cursor at the start of `line` (1-based) and show it."""
        block = self.document().findBlockByNumber(max(0, line - 1))
        if block.isValid():
            self.setTextCursor(QTextCursor(block))
            self.centerCursor()
            self.setFocus()


class LongOptionEditor(QWidget):
    """The long option of the chosen kind: its text, read from a file, checked line by line."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = ""
        self.key: str | None = None
        self._texts: dict[str, str] = {}
        self.hint = QLabel(self)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.edit = LineNumberedEdit(self)
        self.edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)  # 1280x720 at 特大: the form fits
        self.read_button = QPushButton(self.tr("从文件读取…"), self)
        self.read_button.setToolTip(self.tr("读取 UTF-8 编码的文本文件，替换上面的内容"))
        self.read_button.clicked.connect(self.read_from_file)
        self.check_button = QPushButton(self.tr("检查"), self)
        self.check_button.clicked.connect(self.check)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.problems = QListWidget(self)
        self.problems.setWordWrap(True)
        self.problems.setToolTip(self.tr("点一条问题，光标会跳到那一行"))
        self.problems.itemClicked.connect(self._go_to_problem)
        self.problems.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.read_button)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.result, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        for widget in (self.hint, self.edit):
            box.addWidget(widget)
        box.addLayout(buttons)
        box.addWidget(self.problems)

    def set_kind(self, kind: str) -> None:
        """Edit `kind`'s long option (hidden by the form when the kind has none); each kind keeps
        its own text while a new platform's kind is being chosen."""
        if kind == self.kind:
            return
        self._texts[self.kind] = self.edit.toPlainText()
        self.kind, self.key = kind, long_option(kind)
        self.edit.setPlainText(self._texts.get(kind, ""))
        self.hint.setText(option_hint(kind, self.key) if self.key else "")
        self._show([], "")

    def text(self) -> str:
        """The text as typed (lines kept where they are: the problems name them)."""
        return self.edit.toPlainText() if self.edit.toPlainText().strip() else ""

    def set_text(self, text: str) -> None:
        self.edit.setPlainText(text)

    def check(self) -> list[str]:
        """Check the text with the kind's own check; show and return its problems."""
        found = problems_of(self.kind, self.edit.toPlainText()) if self.key else []
        self._show(found, "" if found else self.tr("✔ 没有发现问题"))
        return found

    def _show(self, problems: list[str], said: str) -> None:
        self.problems.clear()
        for problem in problems:
            item = QListWidgetItem(problem)
            item.setData(Qt.ItemDataRole.UserRole, line_of(problem))
            item.setForeground(QColor(ERROR_COLOR))
            self.problems.addItem(item)
        self.problems.setVisible(bool(problems))
        if problems:
            said = self.tr("✖ 有 {n} 处问题：").format(n=len(problems))
        color = ERROR_COLOR if problems else OK_COLOR
        self.result.setText(f'<span style="color:{color}">{said}</span>' if said else "")

    def _go_to_problem(self, item: QListWidgetItem) -> None:
        line = item.data(Qt.ItemDataRole.UserRole)
        if line:
            self.edit.go_to_line(int(line))

    def read_from_file(self) -> bool:
        """Replace the text with a file the person chooses (UTF-8), then check it."""
        path = choose_text_file(self, self.tr("读取文件"))
        if path is None:
            return False
        return self.read(path)

    def read(self, path: Path) -> bool:
        """Replace the text with the file at `path`; say plainly why when it cannot be read."""
        try:
            text = read_text(path)
        except YamlRefused as exc:
            self._show([], "")
            message = exc.problem.message.split(" / ")[0]
            self.result.setText(
                f'<span style="color:{ERROR_COLOR}">'
                + html.escape(self.tr("✖ 没有读取 {file}：{message}").format(file=path.name, message=message))
                + "</span>"
            )
            return False
        self.edit.setPlainText(text.replace("\r\n", "\n"))
        self.check()
        return True


def choose_text_file(parent: QWidget, title: str) -> Path | None:
    """A recipe or field list file (tests replace this)."""
    filters = QCoreApplication.translate(
        "LongOptionEditor", "YAML 或文本文件 (*.yaml *.yml *.txt);;所有文件 (*)"
    )
    return open_file(parent, title, Path.home(), filters)
