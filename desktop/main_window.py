"""The main window: branches on the left; what is due and the chosen branch's records on the right.

Menus: 文件 (新建记录 Ctrl+N, 刷新 F5, then the data actions of desktop/file_menu.py, 退出), 设置
(设置, 支部与花名册, 推送平台), 帮助 (使用指南 F1, 关于).
Ctrl+F jumps to the search box. The status bar shows the delivery state and "立即同步"; a yellow
banner above the records says when a person must act on a delivery.

The window starts as a light shell (title and status bar) so it appears at once; `build()` adds
the rest right after the first paint. Qt's enums, the branch list, due view, records model and
the sync modules are imported there, not before the window is on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Only what the shell needs. Not `Qt`: its first use builds ~100 Python enums (~60 ms); and
# PySide creates each class on first use, so the rest is imported where it is used.
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QWidget

from desktop.app import DISPLAY_NAME
from desktop.window_editors import EditorWindowsMixin, editor_class
from desktop.window_records import RecordsSideMixin, recent_months
from desktop.window_size import place_main_window

if TYPE_CHECKING:
    from desktop.session import Session
    from desktop.sync_notice import SyncNotice, SyncStatusWidget
    from desktop.sync_worker import SyncController

# Importers of the main window find these here too (tests, tools/screenshots.py).
__all__ = ["MainWindow", "app_icon", "editor_class", "recent_months"]


def app_icon() -> QIcon:
    """Yici's icon in every size shipped in resources/icons."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "resources" / "icons"
    icon = QIcon()
    for name in ("yici.svg", "yici-256.png", "yici-64.png", "yici-32.png"):
        if (root / name).exists():
            icon.addFile(str(root / name))
    return icon


class MainWindow(RecordsSideMixin, EditorWindowsMixin, QMainWindow):
    """Yici's main window over an open `Session`."""

    recordOpened = Signal(str)

    def __init__(self, session=None, parent=None):
        """Build the window; with `session` None it is a shell (title and status bar) that
        `attach(session)` fills in: the app shows the shell before the data folder opens."""
        super().__init__(parent)
        self.session: Session | None = None
        self.sync: SyncController | None = None  # once a session is attached
        self.sync_status: SyncStatusWidget | None = None  # its line in the status bar
        self.sync_notice: SyncNotice | None = None  # its banner above the records
        self.editors = {}  # uuid -> open editor (one window per record)
        self._new_editors = []  # editors of records not saved yet
        self._built = False
        # The window icon comes from the application (desktop.app sets it once). The title ends
        # with the app's name, so the platform does not add it a second time.
        title = self.tr("党支部记录")
        self.setWindowTitle(f"{title} — {DISPLAY_NAME}")
        self.count_label = QLabel()
        self.statusBar().addWidget(self.count_label)
        place_main_window(self)  # maximized on small screens; where it was left last time
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
        from PySide6.QtWidgets import QMenu, QPushButton, QSplitter, QVBoxLayout

        from desktop.branch_list import BranchList
        from desktop.due_view import DuePanel

        self.branch_list = BranchList(None)
        self.branch_list.branchChanged.connect(self._on_branch)
        self.branch_list.dueReady.connect(self._on_due_ready)
        manage = QPushButton(self.tr("支部与花名册(&B)…"))
        manage.clicked.connect(self.open_branches)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(3, 6, 0, 6)  # every pixel to the branch names
        branches_label = QLabel(self.tr("支部"))
        branches_label.setObjectName("dueTitle")
        left_layout.addWidget(branches_label)
        left_layout.addWidget(self.branch_list, 1)
        legend = QLabel(
            self.tr(
                '<span style="color:#d4242b">●</span> 逾期　'
                '<span style="color:#e5a00d">●</span> 待办　'
                '<span style="color:#2e9d4c">●</span> 完成'
            )
        )
        legend.setObjectName("hint")
        left_layout.addWidget(legend)
        left_layout.addWidget(manage)

        self.due_panel = DuePanel(None)
        self.due_panel.cadenceChanged.connect(lambda bid: self.branch_list.refresh_marks([bid]))
        self.due_panel.recordRequested.connect(self.new_record)  # a due chip: start that record
        self.new_button = QPushButton(self.tr("新建记录"))
        self.new_button.setObjectName("primary")
        self.new_button.setToolTip(self.tr("新建一条记录（Ctrl+N）"))
        self.new_menu = QMenu(self)
        self.new_button.setMenu(self.new_menu)
        right = self._build_records(self.new_button)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.setCentralWidget(self.splitter)

        self._build_menus()
        self._size_columns()
        self.fit_branch_side()

    def fit_branch_side(self) -> None:
        """The branch side as wide as its longest name, leaving the records side what it needs."""
        left, right = self.splitter.widget(0), self.splitter.widget(1)
        if left is None or right is None:
            return
        total = sum(self.splitter.sizes()) or self.width()
        wanted = max(left.sizeHint().width(), left.minimumSizeHint().width())
        side = max(min(wanted, total - right.minimumSizeHint().width()), left.minimumSizeHint().width())
        self.splitter.setSizes([side, max(total - side, 1)])

    def attach(self, session: Session, *, background: bool = True) -> None:
        """Show the data of `session` (an open data folder) in this window and (unless
        `background` is False: then `start_background()` later) start delivering its final
        records in the background."""
        self.build()
        self.session = session
        self.branch_list.session = session
        self.due_panel.session = session
        self.model.session = session
        if background:
            self.fill_forms()
        else:  # the records first: `start_background` reads the form catalog once they are painted
            self.form_filter.blockSignals(True)
            while self.form_filter.count() > 1:
                self.form_filter.removeItem(1)
            self.form_filter.blockSignals(False)
            self.new_menu.clear()
        self.setEnabled(True)
        self.branch_list.reload()
        self.fit_branch_side()
        QTimer.singleShot(0, self, self.fit_branch_side)  # again once maximized to the screen
        if background:
            self.start_background()

    def fill_forms(self) -> None:
        """The forms in the form filter and under 新建记录 (reads the form catalog)."""
        session = self.session
        if session is None:
            return
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
        self.model.forget_titles()  # the catalog's titles from now on

    def start_background(self) -> None:
        """The form list and delivery in the background (the desktop start calls this once the
        records are painted)."""
        if self.session is not None:
            if self.new_menu.isEmpty():
                self.fill_forms()
            self._start_sync(self.session)

    def _start_sync(self, session: Session) -> None:
        """The background delivery, its status-bar line and its banner over the records."""
        from desktop.sync_notice import SyncNotice, SyncStatusWidget
        from desktop.sync_worker import SyncController

        # Attached again: the old controller served another session.
        if self.sync is not None:
            self.sync.stop()
            self.sync.deleteLater()
        if self.sync_status is not None:
            self.statusBar().removeWidget(self.sync_status)
            self.sync_status.deleteLater()
        if self.sync_notice is not None:
            self.sync_notice.deleteLater()
        self.sync = SyncController(session, self)
        self.sync.township_changed.connect(self.township_changed)
        self.sync_status = SyncStatusWidget(self.sync)
        self.sync_status.details_requested.connect(self.open_targets)
        self.statusBar().addPermanentWidget(self.sync_status)
        self.sync_notice = SyncNotice(self.sync, session, self)
        self.sync_notice.record_requested.connect(self.open_record)
        self._records_layout.insertWidget(self._records_layout.indexOf(self.table), self.sync_notice)
        self.sync.start()

    def township_changed(self) -> None:
        """The township hub published forms or branches: show them without a restart."""
        self.fill_forms()
        self.branch_list.reload()

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
        self.book_action = QAction(self.tr("生成台账(&L)…"), self)
        self.book_action.setStatusTip(self.tr("支部一年（或半年、一季度）的台账：打印或导出 PDF"))
        self.book_action.triggered.connect(self.open_book)
        quit_action = QAction(self.tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (self.new_action, self.refresh_action, self.find_action, self.book_action):
            file_menu.addAction(action)
        # The same from the branch list: right-click a branch.
        self.branch_list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.branch_list.addAction(self.book_action)
        from desktop.file_menu import FileMenu
        from desktop.file_results import fit_menu

        self.file_menu = FileMenu(self)  # 备份, 从备份恢复, 导出/导入交接文件, 导入部署配置
        self.file_menu.add_to(file_menu)
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
        self.guide_action = QAction(self.tr("使用指南(&G)"), self)
        self.guide_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.guide_action.triggered.connect(self.open_guide)
        help_menu.addAction(self.guide_action)
        about = QAction(self.tr("关于 Yici(&A)"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)
        for menu in (file_menu, settings_menu, help_menu):
            fit_menu(menu)  # long items are not cut at 大字/特大

    def show_new_menu(self) -> None:
        """Ctrl+N: the list of forms under the 新建记录 button (arrow keys + Enter pick one)."""
        if not self._check_branch():
            return
        self.new_menu.popup(self.new_button.mapToGlobal(self.new_button.rect().bottomLeft()))
        if self.new_menu.actions():
            self.new_menu.setActiveAction(self.new_menu.actions()[0])

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if self._built and event.type() in (event.Type.FontChange, event.Type.StyleChange):
            self._size_columns()
            self.fit_branch_side()

    # -- dialogs -------------------------------------------------------------------------
    def open_settings(self):
        """设置 → 设置…: operator, font size, language (non-modal)."""
        from desktop.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.session, self)
        dialog.finished.connect(lambda _r: self._size_columns())
        dialog.open()
        return dialog

    def open_branches(self):
        """支部与花名册…: branches and their rosters; the branch list follows changes."""
        from desktop.branches_dialog import BranchesDialog

        dialog = BranchesDialog(self.session, self, select_id=self.current_branch_id())
        dialog.branchesChanged.connect(lambda: self.branch_list.reload())
        dialog.open()
        return dialog

    def open_book(self):
        """生成台账…: a branch's book for a period, previewed or written as PDFs."""
        from desktop.paper.book_dialog import BookDialog

        if self.session is None:
            return None
        dialog = BookDialog(self.session, self.current_branch_id(), self)
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

    def open_guide(self):
        """帮助 → 使用指南 (F1): the illustrated guide bundled with the app."""
        from desktop.guide import show_guide

        return show_guide(self)

    def show_about(self) -> QMessageBox:
        """帮助 → 关于 Yici: version and data folder, selectable to copy into a message to IT."""
        from PySide6.QtCore import Qt

        box = QMessageBox(self)
        about = self.tr("关于")
        box.setWindowTitle(f"{about} {DISPLAY_NAME}")
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setText(self.about_text())
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.open()
        return box

    def about_text(self) -> str:
        """The about box's text: the version and the data folder in use."""
        import html

        from forms.version import app_version

        folder = str(self.session.data_dir) if self.session is not None else ""
        return (
            self.tr(
                "<h3>Yici 一次</h3><p>党支部记录：录入一次，离线也不丢失。</p>"
                "<p>版本：%2</p><p>数据文件夹：%1</p>"
            )
            .replace("%2", html.escape(app_version(self.tr("未知"))))
            .replace("%1", html.escape(folder))
        )

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
        if not self.close_editors():
            return False
        if self.sync is not None:
            self.sync.stop()  # waits for a request in flight, so the store can close after
        from desktop import operations

        operations.shutdown(owner=self)  # a platform test from a dialog of this window
        if self._built:
            self.branch_list.stop()
            self._search_timer.stop()
        return True
