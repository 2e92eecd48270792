"""What the window says when the data folder's database was refused at start (missing, emptied,
another folder's, damaged) or found damaged beside the window: never a new empty database and
never the first-run questions; the newest backup that passes the integrity check is offered.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop import errors
from desktop.failures import one_language


def ui_language() -> str:
    """Which half of a store's "中文 / English" message the window shows: "en" or "zh"."""
    return "en" if QLocale().language() == QLocale.Language.English else "zh"


def ask_to_restore(parent: QWidget | None, refused, data_dir: Path) -> bool:
    """Tell the person why the database cannot be opened and offer to restore a backup (the one
    `refused` names, or a file they choose). True once a backup was restored: open it again.
    False when they chose to quit; nothing in the data folder was changed then."""
    while True:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(QCoreApplication.translate("database_refused", "数据文件不能打开"))
        box.setText(
            QCoreApplication.translate(
                "database_refused", "Yici 没有打开这个数据文件夹的数据，也没有新建空的数据来代替它。"
            )
        )
        box.setInformativeText(one_language(str(refused), ui_language()))
        offered = refused.backup
        restore_offered = None
        if offered is not None:
            restore_offered = box.addButton(
                QCoreApplication.translate("database_refused", "从最近的完好备份恢复（%1）").replace(
                    "%1", refused.backup_time
                ),
                QMessageBox.ButtonRole.AcceptRole,
            )
        choose = box.addButton(
            QCoreApplication.translate("database_refused", "选择备份文件…"), QMessageBox.ButtonRole.ActionRole
        )
        quit_ = box.addButton(
            QCoreApplication.translate("database_refused", "退出"), QMessageBox.ButtonRole.RejectRole
        )
        box.setDefaultButton(restore_offered or quit_)
        box.exec()
        clicked = box.clickedButton()
        if clicked is None or clicked is quit_:
            return False
        source: Path | None = offered
        if clicked is choose:
            from desktop.file_chooser import open_file

            chosen = open_file(
                parent,
                QCoreApplication.translate("database_refused", "选择备份文件"),
                data_dir / "backups",
                QCoreApplication.translate("database_refused", "Yici 备份 (*.db)"),
            )
            if chosen is None:
                continue
            source = chosen
        if source is not None and _restore(parent, data_dir, source):
            return True


def _restore(parent: QWidget | None, data_dir: Path, source: Path) -> bool:
    from forms.recovery import restore
    from forms.store import StoreError

    try:
        result = restore(data_dir, source)
    except StoreError as exc:
        errors.show_error(parent, exc)
        return False
    text = QCoreApplication.translate("database_refused", "已从备份恢复：%1。").replace("%1", source.name)
    if result.set_aside is not None:
        text += "\n" + QCoreApplication.translate(
            "database_refused", "原来位置上的文件没有删除，已移到：%1"
        ).replace("%1", str(result.set_aside))
    QMessageBox.information(parent, QCoreApplication.translate("database_refused", "已恢复"), text)
    return True


def tell_damage(exc: BaseException) -> None:
    """Damage found beside the window (the start-up check, before today's backup): the person is
    told at once; no backup was made from the damaged file, the good ones are all kept."""
    errors.log.error("数据库损坏 / database damaged: %s", exc)
    QMessageBox.critical(
        None,
        QCoreApplication.translate("database_refused", "数据文件已损坏"),
        QCoreApplication.translate(
            "database_refused",
            "检查发现这个数据文件夹的数据文件已损坏。为免覆盖完好的备份，今天没有备份，原有的备份都保留着。"
            "请先不要继续录入：关闭 Yici，再打开时按提示从备份恢复，或联系技术人员。",
        )
        + "\n\n"
        + one_language(str(exc), ui_language()),
    )
