"""The confirmation before a record becomes final: every value once more, warnings on top."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout

from desktop.editor.display import summary_lines
from desktop.editor.form_panel import WARNING_COLOR
from desktop.window_size import fit_window
from forms.model import Form


def values_html(form: Form, values: dict) -> str:
    """An HTML table of label → value for every answered field (groups as headings)."""
    rows = []
    for label, text in summary_lines(form.fields, values):
        if text:
            rows.append(
                f'<tr><td style="color:#555; padding-right:12px; white-space:nowrap;" valign="top">'
                f"{html.escape(label.strip())}</td><td>{html.escape(text).replace(chr(10), '<br>')}</td></tr>"
            )
        else:
            rows.append(
                f'<tr><td colspan="2" style="padding-top:6px;"><b>{html.escape(label.strip())}</b></td></tr>'
            )
    return "<table cellspacing='2'>" + "".join(rows) + "</table>"


class FinalizeDialog(QDialog):
    """Asks "定稿吗？" showing the values and any warnings; accepted means finalize."""

    def __init__(self, form: Form, values: dict, warnings: list, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("确认定稿"))
        intro = QLabel(
            self.tr("定稿后记录不能再直接修改，只能“更正”（会保留修改记录）。请核对以下内容："), self
        )
        intro.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        self.warnings: QLabel | None = None
        if warnings:
            lines = "<br>".join("⚠ " + html.escape(m.text) for m in warnings)
            self.warnings = QLabel(
                f'<span style="color:{WARNING_COLOR}"><b>'
                + html.escape(self.tr("请注意（不影响定稿）："))
                + f"</b><br>{lines}</span>",
                self,
            )
            self.warnings.setWordWrap(True)
            box.addWidget(self.warnings)
        self.summary = QTextBrowser(self)
        self.summary.setHtml(values_html(form, values))
        box.addWidget(self.summary, 1)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(self.tr("确认定稿"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.back_button = buttons.addButton(self.tr("返回修改"), QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        fit_window(self, "finalize", 640, 560)
