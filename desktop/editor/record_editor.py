"""The record editor window: a form's fields as widgets, checked as you type, never losing typing.

A new record exists only in the window until the first save (autosave ~3 s after the last change,
Ctrl+S, closing the window, or adding a photo); from then on it is a draft in the store. Drafts
are editable; final records open read-only with 更正 (a new revision) / 作废 / 历史, which
record_steps.py carries out. All database work happens on the main thread: local SQLite writes
take milliseconds.
"""

from __future__ import annotations

import html
import time

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.editor.field_base import EditorEnv
from desktop.editor.form_panel import ERROR_COLOR, WARNING_COLOR
from desktop.editor.history_dialog import status_text
from desktop.editor.record_steps import RecordStepsMixin
from desktop.editor.widget_factory import fields_panel
from forms import engine
from forms.expressions import ExpressionError, compile_expression

DELIVERY_BOX_HEIGHT = 190  # px: a few targets' rows; the fields keep the rest of the window

# Live editors, so the crash hook can save every open draft (see open_editors()).
_EDITORS: list[RecordEditor] = []


def open_editors() -> list[RecordEditor]:
    """Editor windows that are open now (for the global exception hook to save them all)."""
    _EDITORS[:] = [e for e in _EDITORS if shiboken6.isValid(e)]
    return list(_EDITORS)


class RecordEditor(RecordStepsMixin, QWidget):
    """One record in its own window; see the module docstring for the life of a record."""

    saved = Signal(str)  # uuid, after any draft save
    finalized = Signal(str)  # uuid, once the record became final
    changed = Signal(str)  # uuid, after correct / void / delete

    AUTOSAVE_MS = 3000
    EVALUATE_MS = 150

    def __init__(
        self,
        session,
        *,
        uuid: str | None = None,
        form_id: str | None = None,
        branch_id: int | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent, Qt.WindowType.Window)
        self.session = session
        self._uuid: str | None = None
        self._dirty = False
        self._touched: set[str] = set()
        self._show_all = uuid is not None
        self._correcting = False
        self._outcome: engine.Outcome | None = None
        if uuid is not None:
            record = session.store.record(uuid)
            self._uuid = record.uuid
            self.form = session.records.form(record.form_id, record.form_version)
            self.branch_id = record.branch_id
            self.status = record.status
            self.record = record
            values = record.data
        else:
            if form_id is None or branch_id is None:
                raise ValueError("RecordEditor: a new record needs form_id and branch_id")
            self.form = session.records.form(form_id)
            self.branch_id = branch_id
            self.status = "draft"
            self.record = None
            values = None
        self.context = session.records.context(self.branch_id, self.form)
        if values is None:
            values = engine.defaults(self.form, self.context)
        self.env = EditorEnv(
            roster=self.context.names,
            store=session.store,
            ensure_uuid=self._ensure_uuid,
            relevant=self._relevant,
            row_defaults=lambda f: engine.row_defaults(f, self.context),
        )

        self._build()
        self.panel.set_values(values)
        self._evaluate()
        self._update_mode()
        self._fix_tab_order()

        self._autosave = QTimer(self, singleShot=True, interval=self.AUTOSAVE_MS)
        self._autosave.timeout.connect(self._autosave_now)
        self._eval_timer = QTimer(self, singleShot=True, interval=self.EVALUATE_MS)
        self._eval_timer.timeout.connect(self._evaluate)
        self.panel.changed.connect(self._on_changed)
        self.panel.stops_changed.connect(lambda: QTimer.singleShot(0, self._fix_tab_order))
        for keys, slot in (
            ("Ctrl+S", self._save_clicked),
            ("Ctrl+Return", self.finalize),
            ("Ctrl+Enter", self.finalize),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
        _EDITORS.append(self)
        self.resize(960, 680)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
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
            self.history_button,
            self.close_button,
        ]
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_line, 1)
        for b in self.buttons:
            bottom.addWidget(b)

        # Where a final record went (built on first need: drafts never have deliveries).
        self.delivery_box = QGroupBox(self.tr("推送情况"), self)
        QVBoxLayout(self.delivery_box).setContentsMargins(6, 4, 6, 4)
        self.delivery_box.setMaximumHeight(DELIVERY_BOX_HEIGHT)
        self.delivery_box.hide()
        self.delivery_panel = None

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
        for a, b in zip(stops, stops[1:]):
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
        self.history_button.setVisible(self._uuid is not None)
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
            self.banner.setText(
                '<span style="color:%s">%s</span>'
                % (
                    ERROR_COLOR,
                    html.escape(
                        self.tr("此记录已作废，原因：{reason}").format(reason=self.record.void_reason or "")
                    ),
                )
            )
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
        shown = self._uuid is not None and self.status in ("final", "void")
        if shown and self.delivery_panel is None:
            from desktop.delivery_panel import DeliveryPanel

            self.delivery_panel = DeliveryPanel(self.session, self._uuid, parent=self.delivery_box)
            self.delivery_box.layout().addWidget(self.delivery_panel)
        elif shown:
            self.delivery_panel.set_record(self._uuid)
        self.delivery_box.setVisible(shown)

    # ------------------------------------------------------------------ evaluation
    def _relevant(self, field, variables: dict) -> bool:
        """Same rule as the engine: shown when true; hidden while the values it reads are empty."""
        try:
            expr = compile_expression(field.relevant)
            return bool(expr.evaluate(variables))
        except ExpressionError:
            try:
                names = compile_expression(field.relevant).names
            except ExpressionError:
                return True
            return not any(engine.is_empty(variables.get(n)) for n in names)
        except Exception:  # an odd value from an expression: show the field rather than hide it
            return True

    def _on_changed(self, key: str) -> None:
        self._touched.add(key)
        self._dirty = True
        self._eval_timer.start()
        if self.status == "draft":
            self._autosave.start()
            self.status_line.setText(self.tr("有未保存的修改"))

    def _shown(self, path: str) -> bool:
        head = path.split("[", 1)[0].split(".", 1)[0]
        return self._show_all or head in self._touched

    def _evaluate(self) -> engine.Outcome:
        """Run the engine over what is typed; show/hide fields, fill calculations, show messages."""
        if hasattr(self, "_eval_timer"):
            self._eval_timer.stop()
        outcome = engine.evaluate(self.form, self.panel.values(), self.context)
        variables = {**self.context.variables(), **outcome.values}
        self.panel.apply(outcome.values, variables)
        left = self.panel.show_messages(outcome.messages, "", self._shown)
        # Form-level messages always show; stray field messages only once shown everywhere.
        left = [m for m in left if not m.field or self._shown(m.field)]
        lines = []
        for m in left:
            color = ERROR_COLOR if m.level == "error" else WARNING_COLOR
            sign = "✖" if m.level == "error" else "⚠"
            label = self._label_for(m.field)
            prefix = f"{html.escape(label)}：" if label else ""
            lines.append(f'<span style="color:{color}">{sign} {prefix}{html.escape(m.text)}</span>')
        self.messages.setText("<br>".join(lines))
        self.messages.setVisible(bool(lines))
        self._outcome = outcome
        return outcome

    def _label_for(self, path: str) -> str:
        if not path:
            return ""
        row = self.panel.row_for(path)
        return row.field.label if row is not None else path

    def refresh_now(self) -> engine.Outcome:
        """Evaluate now instead of after the debounce (used before saving and by tests)."""
        return self._evaluate()

    # ------------------------------------------------------------------ saving drafts
    @property
    def uuid(self) -> str | None:
        """The record's uuid; None while a new record has not been saved yet."""
        return self._uuid

    @property
    def operator(self) -> str:
        """Who is typing (录入人), for the store's audit lines."""
        return self.session.operator_or_login()

    def save_now(self) -> str | None:
        """Save the draft now if anything changed; returns the uuid (None if nothing was ever
        saved or the save failed). Never raises: it also runs from the crash hook."""
        if self.status != "draft":
            return self._uuid
        if not self._dirty:
            return self._uuid
        return self._save(auto=False)

    def _save(self, auto: bool) -> str | None:
        self._autosave.stop()
        try:
            values = self.panel.values()
            if self._uuid is None:
                record, _outcome = self.session.records.new(
                    self.form.id, self.branch_id, values, self.operator
                )
                self._uuid = record.uuid
                self.record = record
                self._update_mode()
            else:
                self.session.records.save_draft(self._uuid, values, self.operator)
        except Exception as exc:  # disk full, locked database: say so; the typing stays on screen
            self.status_line.setText(
                f'<span style="color:{ERROR_COLOR}">'
                + html.escape(self.tr("保存失败：{error}").format(error=exc))
                + "</span>"
            )
            return None
        self._dirty = False
        stamp = time.strftime("%H:%M:%S")
        self.status_line.setText(
            self.tr("已自动保存 {time}").format(time=stamp)
            if auto
            else self.tr("已保存草稿 {time}").format(time=stamp)
        )
        self.saved.emit(self._uuid)
        return self._uuid

    def _autosave_now(self) -> None:
        if self.status == "draft" and self._dirty:
            self._save(auto=True)

    def _save_clicked(self) -> None:
        if self.status == "draft":
            self._save(auto=False)

    def _ensure_uuid(self) -> str | None:
        # Attachments are stored against a record, so a new record is saved before the first one.
        if self._uuid is None and self.status == "draft":
            self._dirty = True
            self._save(auto=False)
        return self._uuid

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event) -> None:
        if self.status == "draft" and self._dirty:
            if self._save(auto=False) is None:
                answer = QMessageBox.question(
                    self,
                    self.tr("保存失败"),
                    self.tr("草稿没有保存成功。仍要关闭窗口吗？关闭会丢失刚才的修改。"),
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.No,
                )
                if answer != QMessageBox.StandardButton.Yes:
                    event.ignore()
                    return
        elif (
            self._correcting
            and self.panel.values() != (self.record.data if self.record else {})
            and self._dirty
        ):
            answer = QMessageBox.question(
                self,
                self.tr("放弃更正"),
                self.tr("更正还没有保存。放弃这些修改并关闭吗？"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self._autosave.stop()
        self._eval_timer.stop()
        if self in _EDITORS:
            _EDITORS.remove(self)
        super().closeEvent(event)
