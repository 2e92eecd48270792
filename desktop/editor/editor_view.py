"""The record editor's widgets and what they show of the record's state.

A mixin of `RecordEditor` (record_editor.py): it builds the heading, banner, fields, messages,
buttons and the delivery box, and shows which buttons, banner and locks fit a draft, a final
record, a correction under way or a void record.
"""

from __future__ import annotations

import html
import itertools
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.editor.form_panel import ERROR_COLOR, FieldRow
from desktop.editor.history_dialog import status_text
from desktop.editor.widget_factory import fields_panel
from desktop.window_size import font_scale

if TYPE_CHECKING:
    from desktop.delivery_panel import DeliveryPanel
    from desktop.editor.field_base import EditorEnv
    from desktop.session import Session
    from forms.model import Form
    from forms.store import Record

    class _Editor(QWidget):
        """What RecordEditor (record_editor.py) and its steps (record_steps.py) give the view."""

        session: Session
        form: Form
        env: EditorEnv
        branch_id: int
        status: str
        record: Record | None
        _uuid: str | None
        _correcting: bool

        def _save_clicked(self) -> None: ...
        def finalize(self) -> bool: ...
        def delete_draft(self) -> bool: ...
        def start_correction(self) -> None: ...
        def void(self) -> bool: ...
        def show_history(self) -> None: ...
        def save_correction(self) -> bool: ...
        def cancel_correction(self) -> None: ...
        def _make_print_button(self) -> QPushButton: ...
        def _follow_correction(self, correcting: bool) -> None: ...

else:
    _Editor = object

DELIVERY_BOX_HEIGHT = 190  # px: a few targets' rows; the fields keep the rest of the window


class EditorViewMixin(_Editor):
    """The editor window's widgets, and the mode they show: draft, final, correcting or void."""

    # Shadows QWidget.scroll(dx, dy), which nothing here calls: the fields' scroll area has
    # always been `editor.scroll`.
    scroll: QScrollArea  # type: ignore[assignment]

    def _build(self) -> None:
        """Top to bottom: heading, banner, the fields, the delivery box, messages, buttons."""
        branch = self.session.store.branch(self.branch_id)
        self.branch_name = branch.name
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)

        self.panel = fields_panel(self.form.fields, self.env)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        inner_box = QVBoxLayout(inner)
        inner_box.addWidget(self.panel)
        inner_box.addStretch(1)
        self.scroll.setWidget(inner)

        # Form-level check messages (and any message whose field is not on screen).
        self.messages = QLabel(self)
        self.messages.setWordWrap(True)
        self.messages.setTextFormat(Qt.TextFormat.RichText)
        self.messages.setFrameShape(QFrame.Shape.StyledPanel)
        self.messages.setContentsMargins(8, 4, 8, 4)
        self.messages.hide()

        self.status_line = QLabel(self)
        self.save_button = QPushButton(self.tr("保存草稿 (Ctrl+S)"), self)
        self.finalize_button = QPushButton(self.tr("定稿 (Ctrl+Enter)"), self)
        self.delete_button = QPushButton(self.tr("删除草稿"), self)
        self.correct_button = QPushButton(self.tr("更正"), self)
        self.void_button = QPushButton(self.tr("作废"), self)
        self.history_button = QPushButton(self.tr("历史"), self)
        self.print_button = self._make_print_button()
        self.save_correction_button = QPushButton(self.tr("保存更正"), self)
        self.cancel_correction_button = QPushButton(self.tr("取消更正"), self)
        self.close_button = QPushButton(self.tr("关闭"), self)
        self.finalize_button.setDefault(True)
        self.save_button.clicked.connect(self._save_clicked)
        self.finalize_button.clicked.connect(self.finalize)
        self.delete_button.clicked.connect(self.delete_draft)
        self.correct_button.clicked.connect(self.start_correction)
        self.void_button.clicked.connect(self.void)
        self.history_button.clicked.connect(self.show_history)
        self.save_correction_button.clicked.connect(self.save_correction)
        self.cancel_correction_button.clicked.connect(self.cancel_correction)
        self.close_button.clicked.connect(self.close)
        self.buttons = [
            self.save_button,
            self.finalize_button,
            self.correct_button,
            self.save_correction_button,
            self.cancel_correction_button,
            self.void_button,
            self.delete_button,
            self.print_button,
            self.history_button,
            self.close_button,
        ]
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_line, 1)
        for b in self.buttons:
            bottom.addWidget(b)

        # Where a final record went (built on first need: drafts never have deliveries).
        self.delivery_box = QGroupBox(self.tr("推送情况"), self)
        self._delivery_layout = QVBoxLayout(self.delivery_box)
        self._delivery_layout.setContentsMargins(6, 4, 6, 4)
        # A few rows at any text size: the height grows with the text (大字, 特大).
        self.delivery_box.setMaximumHeight(round(DELIVERY_BOX_HEIGHT * font_scale(self)))
        self.delivery_box.hide()
        self.delivery_panel: DeliveryPanel | None = None

        box = QVBoxLayout(self)
        box.addWidget(self.heading)
        box.addWidget(self.banner)
        box.addWidget(self.scroll, 1)
        box.addWidget(self.delivery_box)
        box.addWidget(self.messages)
        box.addLayout(bottom)

    def _fix_tab_order(self) -> None:
        # Rows added later (repeat rows, absence reasons) would otherwise come last in the chain.
        stops = [w for w in self.panel.focus_widgets() if shiboken6.isValid(w)] + self.buttons
        for a, b in itertools.pairwise(stops):
            QWidget.setTabOrder(a, b)

    def _update_mode(self) -> None:
        """Buttons, banner and read-only state for draft / final / correcting / void."""
        draft = self.status == "draft"
        final = self.status == "final"
        editing = draft or self._correcting
        self.panel.set_read_only(not editing)
        self.save_button.setVisible(draft)
        self.finalize_button.setVisible(draft)
        self.delete_button.setVisible(draft)
        self.correct_button.setVisible(final and not self._correcting)
        self.void_button.setVisible(final and not self._correcting)
        self.save_correction_button.setVisible(self._correcting)
        self.cancel_correction_button.setVisible(self._correcting)
        self._follow_correction(self._correcting)
        # Always in its place (a button appearing after the first autosave would shift the row
        # under a moving mouse); usable once the record is saved.
        self.history_button.setEnabled(self._uuid is not None)
        self.history_button.setToolTip("" if self._uuid is not None else self.tr("记录保存后可以查看历史"))
        state = status_text(self.status)
        if final and self.record is not None:
            state = self.tr("定稿 · 第 {n} 版").format(n=self.record.revision)
        title = html.escape(self.form.title)
        self.heading.setText(
            f'<span style="font-size:large; font-weight:bold;">{title}</span>'
            f" &nbsp; {html.escape(self.branch_name)} &nbsp; [{html.escape(state)}]"
        )
        self.setWindowTitle(f"{self.form.title} — {self.branch_name}（{state}）")
        if self.status == "void" and self.record is not None:
            reason = self.tr("此记录已作废，原因：{reason}").format(reason=self.record.void_reason or "")
            self.banner.setText(f'<span style="color:{ERROR_COLOR}">{html.escape(reason)}</span>')
        elif self._correcting:
            self.banner.setText(html.escape(self.tr("正在更正：改好后点“保存更正”，将生成新的版本。")))
        elif final:
            self.banner.setText(html.escape(self.tr("定稿记录只能查看；如需修改请点“更正”。")))
        else:
            self.banner.setText("")
        self.banner.setVisible(bool(self.banner.text()))
        self._update_deliveries()

    def _update_deliveries(self) -> None:
        """Show the delivery panel for records that have been final (final or void)."""
        uuid = self._uuid if self.status in ("final", "void") else None
        if uuid is not None and self.delivery_panel is None:
            from desktop.delivery_panel import DeliveryPanel  # drafts never need it, nor sync

            self.delivery_panel = DeliveryPanel(self.session, uuid, parent=self.delivery_box)
            self._delivery_layout.addWidget(self.delivery_panel)
        elif uuid is not None and self.delivery_panel is not None:
            self.delivery_panel.set_record(uuid)
        self.delivery_box.setVisible(uuid is not None)

    def _reveal(self, row: FieldRow) -> None:
        """Scroll to a field's row and put the cursor in it (to show an error)."""
        self.scroll.ensureWidgetVisible(row)
        row.widget.focus_first()
