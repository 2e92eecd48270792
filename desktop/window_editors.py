"""The main window's record editors: one window per record, opened, followed and closed with it.

A mixin of `MainWindow` (desktop/main_window.py). When an editor saves, the records table, the
branch's mark and the delivery counts follow.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.errors import show_error

if TYPE_CHECKING:
    from PySide6.QtCore import Signal
    from PySide6.QtWidgets import QMainWindow, QTableView

    from desktop.branch_list import BranchList
    from desktop.editor.record_editor import RecordEditor
    from desktop.records_model import RecordsModel
    from desktop.session import Session
    from desktop.sync_worker import SyncController

    class _Window(QMainWindow):
        """What MainWindow (main_window.py) and its records side (window_records.py) give
        this part; `editors` and `_new_editors` are set up by MainWindow.__init__."""

        editors: dict[str, QWidget]  # uuid -> open editor (one window per record)
        _new_editors: list[QWidget]  # editors of records not saved yet
        session: Session | None
        sync: SyncController | None
        recordOpened: ClassVar[Signal]
        branch_list: BranchList
        table: QTableView
        model: RecordsModel

        def current_branch_id(self) -> int | None: ...
        def selected_uuid(self) -> str | None: ...
        def select_uuid(self, uuid: str, near: int | None = None) -> bool: ...
        def _show_counts(self) -> None: ...
        def open_branches(self) -> QWidget: ...

else:
    _Window = object

log = logging.getLogger("yici")


def editor_class() -> type[RecordEditor] | None:
    """The record editor class, or None while desktop/editor is not installed."""
    try:
        from desktop.editor.record_editor import RecordEditor
    except ImportError:
        return None
    return RecordEditor


class EditorWindowsMixin(_Window):
    """New and existing records in editor windows; `editors` maps uuid -> open editor."""

    def _check_branch(self) -> bool:
        if self.session is None:
            return False
        if self.current_branch_id() is not None:
            return True
        answer = QMessageBox.question(
            self, self.tr("新建记录"), self.tr("还没有支部。现在添加支部和党员吗？")
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.open_branches()
        return False

    def new_record(self, form_id: str, values: dict | None = None) -> RecordEditor | None:
        """Open the editor on a new record of `form_id` for the chosen branch (starting with
        `values`, e.g. from a due item, where given)."""
        if not self._check_branch():
            return None
        extra = {"values": values} if values else {}
        editor = self._make_editor(form_id=form_id, branch_id=self.current_branch_id(), **extra)
        if editor is not None:
            self._new_editors.append(editor)
        return editor

    def open_record(self, uuid: str) -> QWidget | None:
        """Open (or bring forward) the editor of an existing record."""
        editor = self.editors.get(uuid)
        if editor is not None:
            editor.show()
            editor.raise_()
            editor.activateWindow()
            return editor
        editor = self._make_editor(uuid=uuid)
        if editor is not None:
            self.editors[uuid] = editor
            self.recordOpened.emit(uuid)
        return editor

    def _make_editor(self, **kwargs: Any) -> RecordEditor | None:
        cls = editor_class()
        if self.session is None:
            return None
        if cls is None:
            QMessageBox.information(
                self, self.tr("记录编辑器"), self.tr("记录编辑器还没有安装，请升级 Yici。")
            )
            return None
        from PySide6.QtCore import Qt

        from forms.store import StoreError

        try:
            editor = cls(self.session, **kwargs)
        except StoreError as exc:
            show_error(self, exc)
            return None
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        for name in ("saved", "finalized", "changed"):
            signal = getattr(editor, name, None)
            if signal is not None:
                signal.connect(self._on_record_changed)
        editor.destroyed.connect(lambda _o=None, e=editor: self._forget_editor(e))
        editor.show()
        return editor

    def _forget_editor(self, editor: QWidget) -> None:
        for uuid, open_editor in list(self.editors.items()):
            if open_editor is editor:
                del self.editors[uuid]
        self._new_editors = [e for e in self._new_editors if e is not editor]

    def _on_record_changed(self, uuid: str) -> None:
        """An editor saved: refresh the table (keeping the selection) and that branch's mark."""
        sender = self.sender()
        if isinstance(sender, QWidget) and uuid and uuid not in self.editors:
            self.editors[uuid] = sender
            self._new_editors = [e for e in self._new_editors if e is not sender]
        selected = self.selected_uuid() or uuid
        row = max(self.table.currentIndex().row(), 0)
        self.model.refresh()
        self._show_counts()
        if selected:
            self.select_uuid(selected, near=row)
        if self.session is None:  # editors open only over an open data folder
            return
        from forms.store import StoreError

        branch_id: int | None
        try:
            branch_id = self.session.store.record(uuid).branch_id
        except StoreError:
            branch_id = self.current_branch_id()
        if branch_id is not None:
            self.branch_list.refresh_marks([branch_id])
        if self.sync is not None:
            self.sync.refresh()  # a record made final may have queued deliveries

    def close_editors(self) -> bool:
        """Save what every open editor holds and close it; False if one refused to close."""
        all_closed = True
        for editor in list(self.editors.values()) + list(self._new_editors):
            try:
                if hasattr(editor, "save_now"):
                    editor.save_now()
                if editor.close() is False:
                    all_closed = False
            except Exception:  # noqa: BLE001 - closing must not be blocked by one editor
                log.exception("closing an editor failed")
        return all_closed
