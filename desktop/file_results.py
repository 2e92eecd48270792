"""How the 文件 menu's actions speak: a result or refusal in plain words, a question before
anything changes, times and sizes as people read them, and menu items shown whole at 特大.
Refusals are worded by desktop/failures.py, as the command line's are.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

# Room beside a menu's longest text and longest shortcut, in characters: margins, the check and
# arrow columns, and the gap before the shortcut that Qt keeps on every row.
MENU_ROOM_EM = 6


def explain(exc: BaseException) -> str | None:
    """A refusal in the person's words (what was wrong, what to do next), or None for a bug.

    The window's own wording first (a locked, full or damaged data file); then, as on the
    command line, the message of a file the person chose that Yici refused (forms/ errors and
    OSError carry a message written for people)."""
    from desktop.database_refused import ui_language
    from desktop.failures import UserError, one_language, user_message

    language = ui_language()
    text = user_message(exc, window=True, translate=QCoreApplication.translate, language=language)
    if text is None and (
        isinstance(exc, (OSError, UserError)) or (type(exc).__module__ or "").startswith("forms.")
    ):
        text = user_message(exc)
    return one_language(text, language) if text is not None else None


def tell(parent: QWidget, title: str, text: str, *, problem: bool = False) -> QMessageBox:
    """Show a result (or a refusal) without blocking; the box is returned (tests read it)."""
    icon = QMessageBox.Icon.Warning if problem else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # paths can be copied
    box.open()
    return box


def confirm(parent: QWidget, title: str, text: str, yes: str, details: str = "") -> bool:
    """Ask before changing anything: `yes` does it, 取消 changes nothing (the default)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    if details:
        box.setInformativeText(details)
    go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(
        QCoreApplication.translate("file_results", "取消"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is go


def file_size(size: int) -> str:
    """A size people read: KB below a megabyte, else MB."""
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def counts_line(counts: dict[str, int]) -> str:
    """ "支部 2，记录 5" from {what: number} (the import summary's words), zeros left out."""
    return "，".join(f"{what} {n}" for what, n in counts.items() if n)


def local_time(stamp) -> str:
    """A file's ISO timestamp (UTC) as this laptop's clock shows it: "2026-12-07 09:30"."""
    import datetime as dt

    try:
        return dt.datetime.fromisoformat(str(stamp)).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(stamp or "?")


def fit_menu(menu: QMenu) -> None:
    """Keep every item of `menu` readable in full at 大字/特大: with Yici's style sheet, Qt
    reserves the shortcut column on every row but sizes the menu as if it did not, so long
    items without a shortcut were cut ("导出交接…"). Measured again each time it opens."""

    def fit() -> None:
        metrics = menu.fontMetrics()
        actions = [a for a in menu.actions() if not a.isSeparator() and a.isVisible()]
        text = max((metrics.horizontalAdvance(a.text().replace("&", "")) for a in actions), default=0)
        keys = [a.shortcut().toString(QKeySequence.SequenceFormat.NativeText) for a in actions]
        key = max((metrics.horizontalAdvance(k) for k in keys), default=0)
        menu.setMinimumWidth(text + key + MENU_ROOM_EM * metrics.horizontalAdvance("汉"))

    menu.aboutToShow.connect(fit)
