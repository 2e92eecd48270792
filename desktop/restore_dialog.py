"""文件 → 从备份恢复: choose a backup (this folder's, newest first, each checked; or any file), say
what happens and ask, let go of the data, restore it as `yici restore` does (forms/recovery.py,
off the main thread) and show the restored data in the same window: no restart.

The restore needs the database file to itself, so the window first saves and closes its editors,
stops delivering and closes its store; another Yici program still holding the folder is told
plainly, and the window takes its data back unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.data_key import ask_for_key
from desktop.file_chooser import open_file
from desktop.file_results import confirm, file_size
from desktop.operations import Operation, run_in_background

if TYPE_CHECKING:
    from desktop.file_menu import FileMenu
    from desktop.main_window import MainWindow
    from forms.store import RestoreResult


class DataInUse(Exception):
    """Another Yici window or command has the data folder's database open."""


def check_backups(data_dir: Path) -> list[tuple[Path, bool]]:
    """Each backup in the folder (newest first) and whether it passes the check."""
    from forms.store import list_backups
    from forms.store.backup_files import backup_is_sound

    return [(b.path, backup_is_sound(b)) for b in list_backups(data_dir)]


class RestoreDialog(QDialog):
    """The folder's backups with date, kind, size and check; 恢复… takes the chosen one, and
    选择其他文件… any backup file. `chosen` is the file once accepted."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None):
        from forms.store import KIND_TITLES, list_backups
        from forms.store.backup_files import backup_folder

        super().__init__(parent)
        self.setWindowTitle(self.tr("从备份恢复"))
        self.data_dir = Path(data_dir)
        self.folder = backup_folder(data_dir)
        self.chosen: Path | None = None
        self.sound: dict[Path, bool] = {}
        self.checked = False  # every backup listed has been checked
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("选择一个备份，用它替换现在的数据。现在的数据会先自动备份一份。\n备份文件夹：%1").replace(
                "%1", str(self.folder)
            )
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(intro)
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels([self.tr("时间"), self.tr("类型"), self.tr("检查"), self.tr("大小")])
        backups = list_backups(data_dir)
        self.items: list[QTreeWidgetItem] = []
        for backup in backups:
            item = QTreeWidgetItem(
                [
                    backup.made_at,
                    KIND_TITLES.get(backup.kind, backup.kind),
                    self.tr("正在检查…"),
                    file_size(backup.size),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, str(backup.path))
            item.setToolTip(0, str(backup.path))
            self.tree.addTopLevelItem(item)
            self.items.append(item)
        for column in range(4):
            self.tree.resizeColumnToContents(column)
        self.tree.currentItemChanged.connect(lambda *_: self._follow_choice())
        layout.addWidget(self.tree, 1)
        self.empty = QLabel(self.tr("还没有备份。可以用“文件 → 备份”立即备份一次，或点“选择其他文件…”。"))
        self.empty.setWordWrap(True)
        self.empty.setVisible(not backups)
        self.tree.setVisible(bool(backups))
        layout.addWidget(self.empty)
        buttons = QDialogButtonBox()
        self.choose_button = QPushButton(self.tr("选择其他文件…"))
        self.choose_button.clicked.connect(self.choose_file)
        buttons.addButton(self.choose_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button = QPushButton(self.tr("恢复…"))
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.accept)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if self.items:
            self.tree.setCurrentItem(self.items[0])
        self._fit()
        self.operation: Operation = run_in_background(
            self, check_backups, self.data_dir, success=self._checked, name="check-backups"
        )

    def _fit(self) -> None:
        """Wide enough for every column and ten rows in the current font, within the screen."""
        header = self.tree.header()
        width = sum(max(header.sectionSize(c), header.sectionSizeHint(c)) for c in range(4))
        width += self.fontMetrics().horizontalAdvance("汉") * 4  # the check's longer words, margins
        height = self.tree.sizeHintForRow(0) * 10 if self.items else 0
        screen = self.screen()
        area = screen.availableGeometry() if screen is not None else None
        width = max(width, self.sizeHint().width())
        height = self.sizeHint().height() + height
        if area is not None:
            width, height = min(width, area.width() * 9 // 10), min(height, area.height() * 9 // 10)
        self.resize(width, height)

    def _checked(self, results: list[tuple[Path, bool]]) -> None:
        self.sound = dict(results)
        self.checked = True
        for item in self.items:
            ok = self.sound.get(Path(item.data(0, Qt.ItemDataRole.UserRole)))
            item.setText(2, self.tr("完好") if ok else self.tr("没有通过检查，不能用"))
            if not ok:
                item.setForeground(2, Qt.GlobalColor.darkRed)
        self.tree.resizeColumnToContents(2)
        self._follow_choice()

    def _follow_choice(self) -> None:
        item = self.tree.currentItem()
        ok = item is not None and self.sound.get(Path(item.data(0, Qt.ItemDataRole.UserRole)), False)
        self.restore_button.setEnabled(bool(ok))

    def choose_file(self) -> None:
        """选择其他文件…: any backup file (a stick, another folder); checked when restoring."""
        filters = self.tr("一次备份 (*.db);;所有文件 (*)")
        chosen = open_file(self, self.tr("选择备份文件"), self.folder, filters)
        if chosen is not None:
            self.chosen = chosen
            super().accept()

    def accept(self) -> None:
        item = self.tree.currentItem()
        if item is None or not self.restore_button.isEnabled():
            return
        self.chosen = Path(item.data(0, Qt.ItemDataRole.UserRole))
        super().accept()


def start_restore(menu: FileMenu) -> RestoreDialog:
    """文件 → 从备份恢复…: the dialog, the question, then the restore (see the module docstring)."""
    window = menu.window
    assert window.session is not None  # the menu acts only on an open data folder
    dialog = RestoreDialog(window.session.data_dir, window)
    menu.restore_dialog = dialog
    dialog.finished.connect(lambda result: _chosen(menu, dialog, result))
    dialog.open()
    return dialog


def _chosen(menu: FileMenu, dialog: RestoreDialog, result: int) -> None:
    source = dialog.chosen
    if result != QDialog.DialogCode.Accepted or source is None:
        return
    window = menu.window
    session = window.session
    if session is None:
        return
    text = QCoreApplication.translate("restore_dialog", "用这个备份替换现在的数据吗？\n备份：%1").replace(
        "%1", str(source)
    )
    details = QCoreApplication.translate(
        "restore_dialog",
        "现在的数据会先自动备份一份（“恢复前备份”，在 backups 文件夹中），需要时还能从它恢复回来。"
        "打开着的记录会先保存并关闭。",
    )
    yes = QCoreApplication.translate("restore_dialog", "恢复")
    if not confirm(window, QCoreApplication.translate("restore_dialog", "从备份恢复"), text, yes, details):
        return
    _start(menu, source)


def _start(menu: FileMenu, source: Path, recovery_key: str | None = None) -> None:
    window = menu.window
    if window.session is None:
        return
    if not let_go(window):
        menu.show(
            QCoreApplication.translate("restore_dialog", "没有恢复"),
            QCoreApplication.translate(
                "restore_dialog", "还有记录窗口没有关闭，数据没有改动。请先保存并关闭记录窗口，再来恢复。"
            ),
            problem=True,
        )
        return
    data_dir = window.session.data_dir
    menu.run(
        _restore,
        data_dir,
        source,
        recovery_key,
        success=lambda restored: _restored(menu, restored),
        failure=lambda exc: _refused(menu, exc, data_dir, source, recovery_key),
        progress=QCoreApplication.translate("restore_dialog", "正在检查备份并恢复数据……"),
        name="restore",
    )


def let_go(window: MainWindow) -> bool:
    """Save and close the editors, stop delivering and background work, close the store.
    False (nothing stopped) when an editor would not close."""
    from desktop import operations

    session = window.session
    if session is None or not window.close_editors():
        return False
    window.setEnabled(False)  # nothing may reach the store while it is closed
    if window.sync is not None:
        window.sync.stop()
    operations.shutdown()  # today's backup from the start, a platform test: all on this store
    window.branch_list.stop()
    window.model.session = None
    window.model.refresh()
    session.store.close()
    return True


def take_back(window: MainWindow) -> None:
    """Open the data folder again and show its data in the window."""
    session = window.session
    assert session is not None  # let_go() kept it, closed
    session.reopen()
    window.setEnabled(True)
    window.attach(session)


def _restore(data_dir: Path, source: Path, recovery_key: str | None = None) -> RestoreResult:
    """`yici restore`'s work, once no other Yici program holds the database."""
    from forms.recovery import restore
    from forms.store import DB_NAME
    from forms.store.keys import unlocked
    from forms.store.restoring import database_in_use

    if database_in_use(Path(data_dir) / DB_NAME, unlocked(Path(data_dir))):
        raise DataInUse()
    return restore(data_dir, source, recovery_key)


def _restored(menu: FileMenu, result: RestoreResult) -> None:
    take_back(menu.window)
    c = result.contents
    lines = [
        QCoreApplication.translate("restore_dialog", "已从备份恢复数据：%1").replace(
            "%1", result.source.name
        ),
        QCoreApplication.translate("restore_dialog", "现在有支部 %1 个，记录 %2 条（其中已定稿 %3 条）。")
        .replace("%1", str(c.branches))
        .replace("%2", str(c.records))
        .replace("%3", str(c.final)),
    ]
    if result.previous_backup is not None:
        lines.append(
            QCoreApplication.translate(
                "restore_dialog",
                "恢复前的数据已备份为：%1\n位置：%2\n如需撤销，可再用“从备份恢复”选择这个备份。",
            )
            .replace("%1", result.previous_backup.name)
            .replace("%2", str(result.previous_backup.parent))
        )
    if result.set_aside is not None:
        lines.append(
            QCoreApplication.translate(
                "restore_dialog", "原来位置上不能用的数据文件已移到：%1，没有删除。"
            ).replace("%1", str(result.set_aside))
        )
    menu.show(QCoreApplication.translate("restore_dialog", "恢复完成"), "\n".join(lines))


def _refused(
    menu: FileMenu, exc: BaseException, data_dir: Path, source: Path, recovery_key: str | None
) -> None:
    from forms.store.errors import BackupKeyNeeded, BackupKeyWrong

    take_back(menu.window)
    if isinstance(exc, (BackupKeyNeeded, BackupKeyWrong)):
        # A backup another laptop (or folder) made, with its key file beside it: its recovery key
        # opens it, as `yici restore FILE --recovery-key` does.
        typed = ask_backup_recovery_key(menu.window, source, wrong=isinstance(exc, BackupKeyWrong))
        if typed:
            _start(menu, source, typed)
        return
    if isinstance(exc, DataInUse):
        menu.show(
            QCoreApplication.translate("restore_dialog", "没有恢复"),
            QCoreApplication.translate(
                "restore_dialog",
                "另一个一次程序正在使用这个数据文件夹（可能是另开的一次窗口，或在后台运行的 yici 命令，"
                "例如自动同步），现在不能恢复。数据没有任何改动。\n"
                "请先关闭其他一次窗口、停止 yici 命令，再来恢复。\n数据文件夹：%1",
            ).replace("%1", str(data_dir)),
            problem=True,
        )
        return
    menu.failed(exc, QCoreApplication.translate("restore_dialog", "没有恢复"))


def ask_backup_recovery_key(parent: QWidget, source: Path, *, wrong: bool) -> str | None:
    """The recovery key of the folder a backup came from; None when the person cancels."""
    lines = [
        QCoreApplication.translate(
            "restore_dialog",
            "备份 %1 是用另一台电脑（或另一个数据文件夹）的密钥加密的。"
            "要恢复它，需要做这个备份的那个数据文件夹的恢复密钥（当初打印或抄写下来的）。",
        ).replace("%1", source.name)
    ]
    if wrong:
        lines.append(
            QCoreApplication.translate(
                "restore_dialog", "刚才输入的恢复密钥与这个备份不符，数据没有改动。请核对后再输入。"
            )
        )
    ask = QCoreApplication.translate("restore_dialog", "请输入恢复密钥（8 组，每组 4 个字母或数字）：")
    lines.append(ask)
    return ask_for_key(parent, QCoreApplication.translate("restore_dialog", "用恢复密钥恢复备份"), lines)
