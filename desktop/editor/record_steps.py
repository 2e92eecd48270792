"""The record editor's steps beyond typing: finalize, correct, void, delete a draft, history.

A mixin of `RecordEditor` (record_editor.py): each step checks with the form engine, asks what it
must (a summary to confirm, a reason), then runs through the store's record steps.
"""

from __future__ import annotations

import html
import time
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtWidgets import QDialog, QMessageBox

from desktop.editor.finalize_dialog import FinalizeDialog
from desktop.editor.form_panel import ERROR_COLOR
from desktop.editor.history_dialog import HistoryDialog
from desktop.editor.void_dialog import CorrectionDialog, VoidDialog
from forms import engine
from forms.lifecycle import RecordInvalid

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer, Signal
    from PySide6.QtWidgets import QLabel, QWidget

    from desktop.editor.form_panel import FieldRow, FieldsPanel
    from desktop.session import Session
    from forms.model import Form
    from forms.store import Record

    class _Editor(QWidget):
        """What RecordEditor (record_editor.py) and its view (editor_view.py) give the steps."""

        finalized: ClassVar[Signal]
        changed: ClassVar[Signal]
        session: Session
        form: Form
        status: str
        record: Record | None
        _uuid: str | None
        _correcting: bool
        _dirty: bool
        _show_all: bool
        _autosave: QTimer
        panel: FieldsPanel
        messages: QLabel
        status_line: QLabel

        @property
        def operator(self) -> str: ...
        def _evaluate(self) -> engine.Outcome: ...
        def _save(self, auto: bool) -> str | None: ...
        def _update_mode(self) -> None: ...
        def _fix_tab_order(self) -> None: ...
        def _reveal(self, row: FieldRow) -> None: ...
        def refresh_photo_uses(self) -> None: ...

else:
    _Editor = object


class RecordStepsMixin(_Editor):
    """Finalize, correct, void, delete and history for the record in the editor."""

    def _block_on_errors(self, outcome: engine.Outcome) -> bool:
        """If there are errors: show them all, move to the first bad field, return True."""
        if outcome.ok:
            return False
        self._show_all = True
        self._evaluate()
        n = len(outcome.errors)
        self.status_line.setText(
            f'<span style="color:{ERROR_COLOR}">'
            + html.escape(self.tr("有 {n} 处需要改正，改好后才能定稿").format(n=n))
            + "</span>"
        )
        row = self.panel.first_error_row()
        if row is not None:
            self._reveal(row)
        else:
            # Only form-level errors: list them where they cannot be missed.
            self.messages.show()
        return True

    def finalize(self) -> bool:
        """Ctrl+Enter: check, confirm with a summary, save and make the record final."""
        if self.status != "draft":
            return False
        self.refresh_photo_uses()  # another record may have been finalized with one of its photos
        outcome = self._evaluate()
        if self._block_on_errors(outcome):
            return False
        dialog = FinalizeDialog(self.form, outcome.values, outcome.warnings, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self._dirty = True
        uuid = self._save(auto=False)
        if uuid is None:
            return False
        try:
            record, _ = self.session.records.finalize(uuid, self.operator)
        except RecordInvalid as exc:
            self._show_all = True
            self._evaluate()
            self.status_line.setText(
                f'<span style="color:{ERROR_COLOR}">' + html.escape(str(exc).splitlines()[0]) + "</span>"
            )
            return False
        except Exception as exc:
            QMessageBox.warning(self, self.tr("定稿失败"), self.tr("定稿没有成功：{error}").format(error=exc))
            return False
        self._after_step(record)
        self.status_line.setText(self.tr("已定稿 {time}").format(time=time.strftime("%H:%M:%S")))
        self.finalized.emit(record.uuid)
        return True

    def _after_step(self, record: Record) -> None:
        self.record = record
        self.status = record.status
        self._correcting = False
        self._dirty = False
        self._autosave.stop()
        self.panel.set_values(record.data)
        self._evaluate()
        self._update_mode()
        self._fix_tab_order()

    def start_correction(self) -> None:
        """更正: unlock a final record's fields; 保存更正 makes a new revision."""
        if self.status != "final":
            return
        self._correcting = True
        self._show_all = True
        self._update_mode()
        stops = self.panel.focus_widgets()
        if stops:
            stops[0].setFocus()

    def save_correction(self) -> bool:
        """Check, ask what was corrected (required), and save revision n+1."""
        if not self._correcting or self._uuid is None:
            return False
        outcome = self._evaluate()
        if self._block_on_errors(outcome):
            return False
        note = CorrectionDialog.ask(self)
        if not note:
            return False
        try:
            record, _ = self.session.records.correct(
                self._uuid, self.panel.values(), self.operator, note=note
            )
        except RecordInvalid:
            self._block_on_errors(self._evaluate())
            return False
        except Exception as exc:
            QMessageBox.warning(self, self.tr("更正失败"), self.tr("更正没有保存：{error}").format(error=exc))
            return False
        self._after_step(record)
        self.status_line.setText(self.tr("已保存更正（第 {n} 版）").format(n=record.revision))
        self.changed.emit(record.uuid)
        return True

    def cancel_correction(self) -> None:
        """Drop the changes typed since 更正 and show the final record again."""
        if self._uuid is not None:
            self._after_step(self.session.store.record(self._uuid))

    def void(self) -> bool:
        """作废 with a reason; the record stays, marked void."""
        if self.status not in ("final", "draft") or self._uuid is None:
            return False
        reason = VoidDialog.ask(self)
        if not reason:
            return False
        try:
            record = self.session.records.void(self._uuid, reason, self.operator)
        except Exception as exc:
            QMessageBox.warning(self, self.tr("作废失败"), self.tr("作废没有成功：{error}").format(error=exc))
            return False
        self._after_step(record)
        self.status_line.setText(self.tr("已作废"))
        self.changed.emit(record.uuid)
        return True

    def delete_draft(self) -> bool:
        """Delete this draft after asking; a never-saved new record is simply discarded."""
        if self.status != "draft":
            return False
        answer = QMessageBox.question(
            self,
            self.tr("删除草稿"),
            self.tr("确定删除这份草稿吗？删除后不能恢复。"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        uuid = self._uuid
        if uuid is not None:
            try:
                self.session.records.delete_draft(uuid, self.operator)
            except Exception as exc:
                QMessageBox.warning(self, self.tr("删除失败"), str(exc))
                return False
        self._dirty = False
        self.status = "deleted"
        self._autosave.stop()
        if uuid is not None:
            self.changed.emit(uuid)
        self.close()
        return True

    def show_history(self) -> None:
        """Revisions and audit lines of this record."""
        if self._uuid is not None:
            HistoryDialog(self.session.store, self.form, self._uuid, self).exec()
