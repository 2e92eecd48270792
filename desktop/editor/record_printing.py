"""打印… in the record editor: the record's 记录本 page in a print preview (and from there on any
printer), or saved as a PDF. A draft is saved first and printed with a 草稿 mark across it.

A mixin of `RecordEditor` (record_editor.py); the page is forms/paper/record_page.py's, laid out
by desktop/paper/ exactly as `yici records print` writes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu, QPushButton

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop.session import Session
    from forms.paper import Paper

    class _Editor(QWidget):
        session: Session
        status: str
        _uuid: str | None
        print_button: QPushButton

        def save_now(self) -> str | None: ...
        def _ensure_uuid(self) -> str | None: ...

else:
    _Editor = object


class RecordPrintingMixin(_Editor):
    """The 打印… button and what its two choices do."""

    def _make_print_button(self) -> QPushButton:
        button = QPushButton(self.tr("打印…"), self)
        menu = QMenu(button)
        menu.addAction(self.tr("打印预览…"), self.print_preview)
        menu.addAction(self.tr("导出 PDF…"), self.export_pdf)
        button.setMenu(menu)
        return button

    def _follow_correction(self, correcting: bool) -> None:
        """While a final record is being corrected what is on screen is not what the store holds,
        and paper prints the store: 打印… waits until the correction is saved or cancelled."""
        self.print_button.setEnabled(not correcting)
        self.print_button.setToolTip(
            self.tr("请先保存更正（或取消更正）再打印")
            if correcting
            else self.tr("打印这条记录，或导出为 PDF（记录本格式）")
        )

    def record_paper(self) -> Paper | None:
        """The record's page as it stands now (a draft saved first); None if it cannot be saved or
        its layout fails (said in a message)."""
        from desktop.paper.printing import made_or_told
        from forms.paper.record_page import record_page

        uuid = self.save_now() if self.status == "draft" else self._uuid
        uuid = uuid or self._ensure_uuid()
        if uuid is None:
            return None  # the save failed and the status line says why
        store = self.session.store
        # A custom layout failing on this record is told with its file and line.
        return made_or_told(self, lambda: record_page(store, self.session.catalog, store.record(uuid)))

    def print_preview(self) -> None:
        from desktop.paper.printing import preview

        paper = self.record_paper()
        if paper is not None:
            preview(self, paper)

    def export_pdf(self) -> None:
        from desktop.paper.printing import export_pdf

        paper = self.record_paper()
        if paper is not None:
            self.pdf_export = export_pdf(self, paper)
