"""The main window: branches on the left; what is due and the chosen branch's records on the right.

Menus: 文件 (新建记录 Ctrl+N, 刷新 F5, 退出), 设置 (设置, 支部与花名册, 推送平台), 帮助 (关于).
Ctrl+F jumps to the search box. The status bar shows the delivery state and "立即同步"; a yellow
banner above the records says when a person must act on a delivery.

The window starts as a light shell (title and status bar) so it appears at once; `build()` adds
the rest right after the first paint. Qt's enums, the branch list, due view, records model and
the sync modules are imported there, not before the window is on screen.
"""
from __future__ import annotations

# Only what the shell needs. Not `Qt`: its first use builds ~100 Python enums (~60 ms); and
# PySide creates each class on first use, so the rest is imported where it is used.
from PySide6.QtCore import Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QWidget

from desktop.errors import show_error

SEARCH_DELAY_MS = 300  # wait for a pause in typing before asking the store
MONTHS_IN_FILTER = 24


def editor_class():
    """The record editor class, or None while desktop/editor is not installed."""
    try:
        from desktop.editor.record_editor import RecordEditor
    except ImportError:
        return None
    return RecordEditor


def app_icon() -> QIcon:
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent / "resources" / "icons"
    icon = QIcon()
    for name in ("yici.svg", "yici-256.png", "yici-64.png", "yici-32.png"):
        if (root / name).exists():
            icon.addFile(str(root / name))
    return icon


class MainWindow(QMainWindow):
    """Yici's main window over an open `Session`."""

    recordOpened = Signal(str)

    def __init__(self, session=None, parent=None):
        """Build the window; with `session` None it is a shell (title and status bar) that
        `attach(session)` fills in: the app shows the shell before the data folder opens."""
        super().__init__(parent)
        self.session = None
        self.sync = None          # desktop.sync_worker.SyncController, once a session is attached
        self.sync_status = None   # its line in the status bar
        self.sync_notice = None   # its banner above the records
        self.editors: dict[str, QWidget] = {}   # uuid -> open editor (one window per record)
        self._new_editors: list[QWidget] = []   # editors of records not saved yet
        self._built = False
        # The window icon comes from the application (desktop.app sets it once).
        self.setWindowTitle(self.tr("Yici 一次 —— 党支部记录"))
        self.count_label = QLabel()
        self.statusBar().addWidget(self.count_label)
        self.resize(1280, 720)
        if session is not None:
            self.attach(session)
        else:
            self.count_label.setText(self.tr("正在打开数据……"))
            self.setEnabled(False)

    def build(self) -> None:
        """Add the branch list, due panel, filters, records table and menus (once)."""
        if self._built:
            return
        self._built = True
        from PySide6.QtCore import Qt, QTimer
        from PySide6.QtWidgets import (
            QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLineEdit, QMenu, QPushButton,
            QSplitter, QTableView, QVBoxLayout,
        )

        from desktop.branch_list import BranchList
        from desktop.due_view import DuePanel
        from desktop.records_model import RecordsModel
        session = None
        self.branch_list = BranchList(session)
        self.branch_list.branchChanged.connect(self._on_branch)
        self.branch_list.dueReady.connect(self._on_due_ready)
        manage = QPushButton(self.tr("支部与花名册(&B)…"))
        manage.clicked.connect(self.open_branches)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        branches_label = QLabel(self.tr("支部"))
        branches_label.setObjectName("dueTitle")
        left_layout.addWidget(branches_label)
        left_layout.addWidget(self.branch_list, 1)
        legend = QLabel(self.tr('<span style="color:#d4242b">●</span> 逾期　'
                                '<span style="color:#e5a00d">●</span> 待办　'
                                '<span style="color:#2e9d4c">●</span> 完成'))
        legend.setObjectName("hint")
        left_layout.addWidget(legend)
        left_layout.addWidget(manage)

        self.due_panel = DuePanel(session)
        self.due_panel.cadenceChanged.connect(lambda bid: self.branch_list.refresh_marks([bid]))

        # Filters.
        self.form_filter = QComboBox()
        self.form_filter.setAccessibleName(self.tr("表单"))
        self.form_filter.addItem(self.tr("全部表单"), None)
        self.month_filter = QComboBox()
        self.month_filter.setAccessibleName(self.tr("月份"))
        self.month_filter.addItem(self.tr("全部月份"), None)
        import datetime as dt
        for month in recent_months(dt.date.today(), MONTHS_IN_FILTER):
            self.month_filter.addItem(self.tr("%1年%2月").replace("%1", month[:4])
                                      .replace("%2", str(int(month[5:]))), month)
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName(self.tr("状态"))
        for label, value in ((self.tr("全部状态"), None), (self.tr("草稿"), "draft"),
                             (self.tr("已定稿"), "final"), (self.tr("已作废"), "void")):
            self.status_filter.addItem(label, value)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索摘要和内容（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("搜索"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filters)
        for combo in (self.form_filter, self.month_filter, self.status_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())

        self.new_button = QPushButton(self.tr("新建记录"))
        self.new_button.setObjectName("primary")
        self.new_button.setToolTip(self.tr("新建一条记录（Ctrl+N）"))
        self.new_menu = QMenu(self)
        self.new_button.setMenu(self.new_menu)

        filters = QHBoxLayout()
        filters.addWidget(self.form_filter)
        filters.addWidget(self.month_filter)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.new_button)

        # Records.
        self.model = RecordsModel(session, self)
        self.model.countKnown.connect(lambda _n: self._show_counts())
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("记录"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
        self.table.verticalHeader().setVisible(False)
        # Fixed row heights: the view never asks 100,000 rows for their size.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.activated.connect(self._on_activated)  # double-click and Enter
        self.empty_label = QLabel()
        self.empty_label.setObjectName("hint")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 6, 6, 6)
        right_layout.addWidget(self.due_panel)
        right_layout.addLayout(filters)
        right_layout.addWidget(self.table, 1)
        right_layout.addWidget(self.empty_label)
        self._records_layout = right_layout   # the sync banner goes in above the table

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.setCentralWidget(self.splitter)

        self._build_menus()
        self._size_columns()
        self.splitter.setSizes([230, 1050])

    def attach(self, session) -> None:
        """Show the data of `session` (an open data folder) in this window and start delivering
        its final records in the background."""
        self.build()
        self.session = session
        self.branch_list.session = session
        self.due_panel.session = session
        self.model.session = session
        forms = session.catalog.all()
        self.form_filter.blockSignals(True)
        while self.form_filter.count() > 1:
            self.form_filter.removeItem(1)
        for form in forms:
            self.form_filter.addItem(form.title, form.id)
        self.form_filter.blockSignals(False)
        self.new_menu.clear()
        for form in forms:
            action = self.new_menu.addAction(form.title)
            action.setData(form.id)
            action.triggered.connect(lambda _c=False, fid=form.id: self.new_record(fid))
        self.setEnabled(True)
        self.branch_list.reload()
        self._start_sync(session)

    def _start_sync(self, session) -> None:
        """The background delivery, its status-bar line and its banner over the records."""
        from desktop.sync_notice import SyncNotice, SyncStatusWidget
        from desktop.sync_worker import SyncController
        if self.sync is not None:   # attached again: the old controller served another session
            self.sync.stop()
            self.sync.deleteLater()
            self.statusBar().removeWidget(self.sync_status)
            self.sync_status.deleteLater()
            self.sync_notice.deleteLater()
        self.sync = SyncController(session, self)
        self.sync_status = SyncStatusWidget(self.sync)
        self.sync_status.details_requested.connect(self.open_targets)
        self.statusBar().addPermanentWidget(self.sync_status)
        self.sync_notice = SyncNotice(self.sync, session, self)
        self.sync_notice.record_requested.connect(self.open_record)
        self._records_layout.insertWidget(self._records_layout.indexOf(self.table),
                                          self.sync_notice)
        self.sync.start()

    # -- menus and shortcuts -------------------------------------------------------------
    def _build_menus(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QAction, QKeySequence
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        self.new_action = QAction(self.tr("新建记录(&N)…"), self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.show_new_menu)
        self.refresh_action = QAction(self.tr("刷新(&R)"), self)
        self.refresh_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.refresh_action.triggered.connect(self.refresh)
        self.find_action = QAction(self.tr("查找(&S)"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_search)
        quit_action = QAction(self.tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (self.new_action, self.refresh_action, self.find_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        settings_menu = self.menuBar().addMenu(self.tr("设置(&S)"))
        self.settings_action = QAction(self.tr("设置(&S)…"), self)
        self.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.settings_action.triggered.connect(self.open_settings)
        self.branches_action = QAction(self.tr("支部与花名册(&B)…"), self)
        self.branches_action.triggered.connect(self.open_branches)
        self.targets_action = QAction(self.tr("推送平台(&T)…"), self)
        self.targets_action.setStatusTip(self.tr("记录定稿后推送到哪些平台；测试连接、录入密钥"))
        self.targets_action.triggered.connect(self.open_targets)
        settings_menu.addAction(self.settings_action)
        settings_menu.addAction(self.branches_action)
        settings_menu.addAction(self.targets_action)

        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        about = QAction(self.tr("关于 Yici(&A)"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def show_new_menu(self) -> None:
        """Ctrl+N: the list of forms under the 新建记录 button (arrow keys + Enter pick one)."""
        if not self._check_branch():
            return
        self.new_menu.popup(self.new_button.mapToGlobal(self.new_button.rect().bottomLeft()))
        if self.new_menu.actions():
            self.new_menu.setActiveAction(self.new_menu.actions()[0])

    def focus_search(self) -> None:
        from PySide6.QtCore import Qt
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _size_columns(self) -> None:
        """Column widths from the font, so 大字 widens them and nothing needs a side scroll."""
        from PySide6.QtGui import QFontMetrics
        from PySide6.QtWidgets import QHeaderView
        metrics = QFontMetrics(self.table.font())
        pad = metrics.horizontalAdvance("  ") + 12
        widths = {0: metrics.horizontalAdvance("组织生活会会") + pad,
                  1: metrics.horizontalAdvance("2026-11-05") + pad,
                  3: metrics.horizontalAdvance("已定稿") + pad,
                  4: metrics.horizontalAdvance("修订") + pad,
                  5: metrics.horizontalAdvance("张晓梅梅") + pad,
                  6: metrics.horizontalAdvance("2026-11-05 09:30") + pad}
        header = self.table.horizontalHeader()
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 10)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if self._built and event.type() in (event.Type.FontChange, event.Type.StyleChange):
            self._size_columns()

    # -- branch, filters, records --------------------------------------------------------
    def current_branch_id(self) -> int | None:
        return self.branch_list.current_branch_id()

    def _on_branch(self, branch_id: int) -> None:
        from forms.store import StoreError
        branch = None
        if branch_id is not None and branch_id >= 0:
            try:
                branch = self.session.store.branch(branch_id)
            except StoreError:
                branch = None
        # Due items come from the branch list, which computes them after the window shows
        # (the chosen branch first); until then the panel says it is working on it.
        items = self.branch_list.due_items(branch.id) if branch is not None else None
        self.due_panel.show_branch(branch, items, pending=items is None)
        self.apply_filters()

    def _on_due_ready(self, branch_id: int) -> None:
        if branch_id == self.current_branch_id() and self.due_panel.branch is not None:
            self.due_panel.show_branch(self.due_panel.branch, self.branch_list.due_items(branch_id))

    def apply_filters(self) -> None:
        """Ask the store for the chosen branch's records matching the filters."""
        self._search_timer.stop()
        branch_id = self.current_branch_id()
        if self.session is None:
            return
        if branch_id is None:
            self.model.set_filters(branch_id=-1)  # no branch: an empty table, not all records
        else:
            self.model.set_filters(
                branch_id=branch_id, form_id=self.form_filter.currentData(),
                month=self.month_filter.currentData(), status=self.status_filter.currentData(),
                text=self.search.text().strip() or None)
        self._show_counts()

    def _show_counts(self) -> None:
        rows = self.model.rowCount()
        if self.model.count_known:
            self.count_label.setText(self.tr("共 %1 条记录").replace("%1", f"{rows:,}"))
        else:
            self.count_label.setText(self.tr("正在统计……"))
        no_branch = self.current_branch_id() is None
        self.empty_label.setVisible(rows == 0)
        if no_branch:
            self.empty_label.setText(self.tr("还没有支部。请点左下角“支部与花名册”添加支部和党员。"))
        elif any(self.model.filters.get(k) for k in ("form_id", "month", "status", "text")):
            self.empty_label.setText(self.tr("没有符合条件的记录。可以换个条件再找。"))
        else:
            self.empty_label.setText(self.tr("这个支部还没有记录。点“新建记录”（Ctrl+N）开始录入。"))

    def refresh(self) -> None:
        """F5: read branches, marks and records again, keeping the selected record."""
        selected, row = self.selected_uuid(), self.table.currentIndex().row()
        self.branch_list.reload()  # emits branchChanged -> filters applied
        if selected:
            self.select_uuid(selected, near=row)

    def selected_uuid(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.uuid_at(index.row()) if index.isValid() else None

    def select_uuid(self, uuid: str, near: int | None = None) -> bool:
        """Select the row of `uuid` (looked for around row `near` first)."""
        row = self.model.row_of(uuid, near=near)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _on_activated(self, index) -> None:
        uuid = self.model.uuid_at(index.row()) if index.isValid() else ""
        if uuid:
            self.open_record(uuid)

    # -- editor --------------------------------------------------------------------------
    def _check_branch(self) -> bool:
        if self.session is None:
            return False
        if self.current_branch_id() is not None:
            return True
        answer = QMessageBox.question(
            self, self.tr("新建记录"),
            self.tr("还没有支部。现在添加支部和党员吗？"))
        if answer == QMessageBox.StandardButton.Yes:
            self.open_branches()
        return False

    def new_record(self, form_id: str):
        """Open the editor on a new record of `form_id` for the chosen branch."""
        if not self._check_branch():
            return None
        editor = self._make_editor(form_id=form_id, branch_id=self.current_branch_id())
        if editor is not None:
            self._new_editors.append(editor)
        return editor

    def open_record(self, uuid: str):
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

    def _make_editor(self, **kwargs):
        cls = editor_class()
        if cls is None:
            QMessageBox.information(self, self.tr("记录编辑器"),
                                    self.tr("记录编辑器还没有安装，请升级 Yici。"))
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

    def _forget_editor(self, editor) -> None:
        for uuid, open_editor in list(self.editors.items()):
            if open_editor is editor:
                del self.editors[uuid]
        self._new_editors = [e for e in self._new_editors if e is not editor]

    def _on_record_changed(self, uuid: str) -> None:
        """An editor saved: refresh the table (keeping the selection) and that branch's mark."""
        sender = self.sender()
        if sender is not None and uuid and uuid not in self.editors:
            self.editors[uuid] = sender
            self._new_editors = [e for e in self._new_editors if e is not sender]
        selected = self.selected_uuid() or uuid
        row = max(self.table.currentIndex().row(), 0)
        self.model.refresh()
        self._show_counts()
        if selected:
            self.select_uuid(selected, near=row)
        from forms.store import StoreError
        try:
            branch_id = self.session.store.record(uuid).branch_id
        except StoreError:
            branch_id = self.current_branch_id()
        if branch_id is not None:
            self.branch_list.refresh_marks([branch_id])
        if self.sync is not None:
            self.sync.refresh()   # a record made final may have queued deliveries

    # -- dialogs -------------------------------------------------------------------------
    def open_settings(self):
        from desktop.settings_dialog import SettingsDialog
        dialog = SettingsDialog(self.session, self)
        dialog.finished.connect(lambda _r: self._size_columns())
        dialog.open()
        return dialog

    def open_branches(self):
        from desktop.branches_dialog import BranchesDialog
        dialog = BranchesDialog(self.session, self, select_id=self.current_branch_id())
        dialog.branchesChanged.connect(lambda: self.branch_list.reload())
        dialog.open()
        return dialog

    def open_targets(self):
        """设置 → 推送平台…: where final records go, with test, secrets and upload confirmation."""
        if self.session is None or self.sync is None:
            return None
        from desktop.targets_dialog import TargetsDialog
        dialog = TargetsDialog(self.session, self.sync, self)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("关于 Yici"), self.about_text())

    def about_text(self) -> str:
        return self.tr("<h3>Yici 一次</h3><p>党支部记录：录入一次，离线也不丢失。</p>"
                       "<p>数据文件夹：%1</p>").replace("%1", str(self.session.data_dir))

    def closeEvent(self, event) -> None:
        if not self.shutdown():
            # An editor is still open because its person chose to keep typing (an unsaved
            # correction): closing the window now would throw that typing away.
            event.ignore()
            return
        super().closeEvent(event)

    def shutdown(self) -> bool:
        """Save what open editors hold and stop background work, before the session closes.
        False (and nothing stopped) when an editor refused to close. Safe to call again."""
        all_closed = True
        for editor in list(self.editors.values()) + list(self._new_editors):
            try:
                if hasattr(editor, "save_now"):
                    editor.save_now()
                if editor.close() is False:
                    all_closed = False
            except Exception:  # noqa: BLE001 - closing must not be blocked by one editor
                import logging
                logging.getLogger("yici").exception("closing an editor failed")
        if not all_closed:
            return False
        if self.sync is not None:
            self.sync.stop()   # waits for a request in flight, so the store can close after
        if self._built:
            self.branch_list.stop()
            self._search_timer.stop()
        return True


def recent_months(today, count: int) -> list[str]:
    """'YYYY-MM' of this month and the `count - 1` before it, newest first."""
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months
