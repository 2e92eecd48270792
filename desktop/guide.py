"""帮助 → 使用指南 (F1): the short illustrated guide in Chinese bundled in resources/guide, shown in
a QTextBrowser (no web engine): one HTML page and a few small pictures of the real windows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

GUIDE_DIR = Path(__file__).resolve().parent.parent / "resources" / "guide"
GUIDE_PAGE = GUIDE_DIR / "index.html"


class GuideDialog(QDialog):
    """The guide in a window of its own, beside the main window (not modal)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("使用指南"))
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setSearchPaths([str(GUIDE_DIR)])
        self.browser.setSource(QUrl.fromLocalFile(str(GUIDE_PAGE)))
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self._fit()

    def _fit(self) -> None:
        """About 40 characters wide and 30 lines high in the current font, within the screen."""
        em = self.fontMetrics().horizontalAdvance("汉")
        width, height = em * 40, self.fontMetrics().lineSpacing() * 30
        parent = self.parentWidget()
        screen = parent.screen() if parent is not None else self.screen()
        if screen is not None:
            area = screen.availableGeometry()
            width, height = min(width, area.width() * 9 // 10), min(height, area.height() * 9 // 10)
        self.resize(width, height)

    def missing_images(self) -> list[str]:
        """Pictures the page names that did not load (tests; an empty list when all did)."""
        document = self.browser.document()
        missing = []
        for name in self.image_names():
            image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
            if image is None or image.isNull():
                missing.append(name)
        return missing

    def image_names(self) -> list[str]:
        """The pictures the page shows, in order."""
        document = self.browser.document()
        names = []
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                form = it.fragment().charFormat()
                if form.isImageFormat():
                    names.append(form.toImageFormat().name())
                it += 1
            block = block.next()
        return names


_open: list[GuideDialog] = []


def show_guide(parent: QWidget | None) -> GuideDialog:
    """Open the guide (or bring the open one forward)."""
    for dialog in list(_open):
        try:
            if dialog.isVisible():
                dialog.raise_()
                dialog.activateWindow()
                return dialog
        except RuntimeError:  # deleted with its window
            pass
        _open.remove(dialog)
    dialog = GuideDialog(parent)
    _open.append(dialog)
    dialog.show()
    return dialog
