"""The record editor window: a form's fields as widgets, checked as you type, never losing typing.

A new record exists only in the window until the first save (autosave ~3 s after the last change,
Ctrl+S, closing the window, or adding a photo); from then on it is a draft in the store. Drafts
are editable; final records open read-only with 更正 (a new revision) / 作废 / 历史, which
record_steps.py carries out; editor_view.py builds the window's widgets and shows the record's
state. All database work happens on the main thread: local SQLite writes take milliseconds.
"""

from __future__ import annotations

import html
import time
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.editor.editor_view import EditorViewMixin
from desktop.editor.field_base import EditorEnv
from desktop.editor.form_panel import ERROR_COLOR, WARNING_COLOR
from desktop.editor.photos_widget import PhotosWidget
from desktop.editor.record_printing import RecordPrintingMixin
from desktop.editor.record_steps import RecordStepsMixin
from desktop.editor.roster_widgets import AbsencesWidget
from desktop.window_size import fit_window
from forms import engine
from forms.expressions import ExpressionError, compile_expression
from forms.model import Field
from forms.photo_checks import photo_items, record_time

if TYPE_CHECKING:
    from desktop.session import Session

# Live editors, so the crash hook can save every open draft (see open_editors()).
_EDITORS: list[RecordEditor] = []


def open_editors() -> list[RecordEditor]:
    """Editor windows that are open now (for the global exception hook to save them all)."""
    _EDITORS[:] = [e for e in _EDITORS if shiboken6.isValid(e)]
    return list(_EDITORS)


class RecordEditor(RecordStepsMixin, RecordPrintingMixin, EditorViewMixin, QWidget):
    """One record in its own window; see the module docstring for the life of a record."""

    saved = Signal(str)  # uuid, after any draft save
    finalized = Signal(str)  # uuid, once the record became final
    changed = Signal(str)  # uuid, after correct / void / delete

    AUTOSAVE_MS = 3000
    EVALUATE_MS = 150

    def __init__(
        self,
        session: Session,
        *,
        uuid: str | None = None,
        form_id: str | None = None,
        branch_id: int | None = None,
        values: dict | None = None,
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
        given = None
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
            given, values = values, None  # a new record: `values` start it (a due item's)
        self.context = session.records.context(self.branch_id, self.form)
        if values is None:
            values = engine.defaults(self.form, self.context, given)
        self._photo_time = record_time(self.form, values)
        self.env = EditorEnv(
            roster=self.context.names,
            store=session.store,
            ensure_uuid=self._ensure_uuid,
            relevant=self._relevant,
            row_defaults=lambda f: engine.row_defaults(f, self.context),
            uuid=lambda: self._uuid,
            record_time=lambda: self._photo_time,
            photo_hours=self.form.photo_hours,
            photos=lambda: [item for _, item in photo_items(self.form, self.panel.values())],
            branch=session.store.branch(self.branch_id),
        )

        self._build()
        self.panel.set_values(values)
        # A new record's attendance follows its meeting (e.g. 支部委员会: the committee) until the
        # person changes an attendance field; a saved one keeps what it holds.
        self._attendance_auto = uuid is None
        self._follow_attendance(None)
        self._evaluate()
        self._update_mode()
        self._fix_tab_order()
        if self.status == "draft":
            self.refresh_photo_uses()

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
        fit_window(self, "editor", 960, 680)

    # ------------------------------------------------------------------ evaluation
    def _relevant(self, field: Field, variables: dict) -> bool:
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
        self._follow_attendance(key)
        self._dirty = True
        self._eval_timer.start()
        if self.status == "draft":
            self._autosave.start()
            self.status_line.setText(self.tr("有未保存的修改"))

    def _follow_attendance(self, key: str | None) -> None:
        """The form's attendance rules for what is typed now: who the absences list expects,
        and (new records, attendance untouched) fresh 实到人员 / 应到人数 / 缺席人员."""
        if not self.form.attendance or self.status != "draft":
            return
        values = self.panel.values()
        expected = engine.expected_people(self.form, values, self.context)
        for row in self.panel.rows.values():
            if isinstance(row.widget, AbsencesWidget):
                row.widget.expected = expected
        fresh = engine.attendance_defaults(self.form, values, self.context)
        if key in fresh:
            self._attendance_auto = False  # the person's own ticks from now on
        if not self._attendance_auto:
            return
        for name, value in fresh.items():
            widget = self.panel.widget(name)
            if widget is not None and widget.value() != value:
                widget.set_value(value)

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
        self._photo_time = record_time(self.form, outcome.values)
        for photos in self.panel.findChildren(PhotosWidget):
            photos.set_record_time(self._photo_time)
        return outcome

    def refresh_photo_uses(self) -> None:
        """Ask the store again which other final records hold this draft's photos."""
        for photos in self.panel.findChildren(PhotosWidget):
            photos.refresh_uses()

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
    def closeEvent(self, event: QCloseEvent) -> None:
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
