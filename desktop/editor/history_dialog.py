"""A record's history: its final revisions (with the values of each) and its audit lines."""

from __future__ import annotations

import json

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from desktop.editor.finalize_dialog import values_html
from desktop.window_size import fit_window
from forms.model import Form


def action_text(action: str) -> str:
    """The audit action in the users' words."""
    names = {
        "created": QCoreApplication.translate("HistoryDialog", "创建"),
        "edited": QCoreApplication.translate("HistoryDialog", "修改草稿"),
        "finalized": QCoreApplication.translate("HistoryDialog", "定稿"),
        "corrected": QCoreApplication.translate("HistoryDialog", "更正"),
        "voided": QCoreApplication.translate("HistoryDialog", "作废"),
        "deleted": QCoreApplication.translate("HistoryDialog", "删除草稿"),
        "delivered": QCoreApplication.translate("HistoryDialog", "已报送"),
        "delivery_failed": QCoreApplication.translate("HistoryDialog", "报送失败"),
    }
    return names.get(action, action)


def status_text(status: str) -> str:
    """The record status in the users' words."""
    names = {
        "draft": QCoreApplication.translate("HistoryDialog", "草稿"),
        "final": QCoreApplication.translate("HistoryDialog", "定稿"),
        "void": QCoreApplication.translate("HistoryDialog", "已作废"),
    }
    return names.get(status, status)


class HistoryDialog(QDialog):
    """Two tabs: 版本 (each final revision; pick one to see its values) and 操作记录 (audit)."""

    def __init__(self, store, form: Form, uuid: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("历史记录"))
        self.form = form
        self.revisions = store.history(uuid)
        tabs = QTabWidget(self)

        self.revision_list = QTreeWidget(self)
        self.revision_list.setHeaderLabels(
            [self.tr("版本"), self.tr("状态"), self.tr("保存时间"), self.tr("录入人"), self.tr("说明")]
        )
        self.revision_list.setRootIsDecorated(False)
        for rev in self.revisions:
            item = QTreeWidgetItem(
                [
                    str(rev.revision),
                    status_text(rev.status),
                    rev.saved_at.replace("T", " ")[:19],
                    rev.operator,
                    rev.note or "",
                ]
            )
            self.revision_list.addTopLevelItem(item)
        self.values = QTextBrowser(self)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.revision_list)
        split.addWidget(self.values)
        split.setSizes([160, 320])
        tabs.addTab(split, self.tr("版本"))

        self.audit_list = QTreeWidget(self)
        self.audit_list.setHeaderLabels(
            [self.tr("时间"), self.tr("操作人"), self.tr("操作"), self.tr("版本"), self.tr("详情")]
        )
        self.audit_list.setRootIsDecorated(False)
        self.audit = store.audit(uuid)
        for entry in self.audit:
            detail = json.dumps(entry.detail, ensure_ascii=False) if entry.detail else ""
            self.audit_list.addTopLevelItem(
                QTreeWidgetItem(
                    [
                        entry.at.replace("T", " ")[:19],
                        entry.operator,
                        action_text(entry.action),
                        "" if entry.revision is None else str(entry.revision),
                        detail,
                    ]
                )
            )
        tabs.addTab(self.audit_list, self.tr("操作记录"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(tabs)
        box.addWidget(buttons)
        self.revision_list.currentItemChanged.connect(self._show_revision)
        newest = self.revision_list.topLevelItem(len(self.revisions) - 1) if self.revisions else None
        if newest is not None:
            self.revision_list.setCurrentItem(newest)
        for tree in (self.revision_list, self.audit_list):
            for col in range(tree.columnCount() - 1):
                tree.resizeColumnToContents(col)
        fit_window(self, "history", 760, 560)

    def _show_revision(self, item, _previous=None) -> None:
        if item is None:
            return
        rev = self.revisions[self.revision_list.indexOfTopLevelItem(item)]
        self.values.setHtml(values_html(self.form, rev.data))
