"""One delivery in detail: when it happened, what was sent and what the platform answered
(a read-only, copyable dialog opened from the delivery panel), with the screenshots kept as proof
of a web-form entry; and, for a record, which platforms never had it and why."""

from __future__ import annotations

import json

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop.window_size import fit_window
from desktop.words import state_title
from forms.store import AWAITING_UPLOAD, DELIVERED


def short_time(stamp: str | None) -> str:
    """'2026-11-05T14:03:22+08:00' as '2026-11-05 14:03'."""
    return stamp[:16].replace("T", " ") if stamp else ""


def delivery_time(d) -> str:
    return short_time(
        d.delivered_at
        if d.state in (DELIVERED, AWAITING_UPLOAD) and d.delivered_at
        else d.sent_at or d.queued_at
    )


def pretty(payload: str) -> str:
    """JSON indented for reading, a platform's form as it was typed in ("标签：值" a line, from
    the copy panel or a web-form run); anything else unchanged."""
    try:
        value = json.loads(payload)
    except (ValueError, TypeError):
        return payload
    if isinstance(value, list) and value and all(_pair(item) for item in value):
        return "\n".join(f"{label}：{str(text).replace(chr(10), chr(10) + '    ')}" for label, text in value)
    return json.dumps(value, ensure_ascii=False, indent=2)


def _pair(item) -> bool:
    return isinstance(item, list) and len(item) == 2 and all(isinstance(part, str) for part in item)


class PayloadDialog(QDialog):
    """What was sent to a platform and what it answered; read-only, copyable."""

    def __init__(self, delivery, parent: QWidget | None = None, store=None):
        super().__init__(parent)
        d = delivery
        self.proofs = None
        if store is not None and (proofs := store.proofs(d.id)):
            from desktop.proof_view import ProofStrip  # only for web-form entries

            self.proofs = ProofStrip(store, proofs, d.target_name, self)
        self.setWindowTitle(self.tr("推送内容 — {target}").format(target=d.target_name))
        heading = QLabel(
            self.tr("平台：{target}　第 {n} 版　状态：{state}　{time}").format(
                target=d.target_name, n=d.revision, state=state_title(d.state), time=delivery_time(d)
            ),
            self,
        )
        heading.setWordWrap(True)
        self.answer = QPlainTextEdit(self)
        self.answer.setReadOnly(True)
        self.answer.setPlainText(d.message or self.tr("（平台还没有回复）"))
        self.answer.setMaximumHeight(90)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText(
            pretty(d.payload) if d.payload else self.tr("（还没有发送过，发送后这里显示发出的内容）")
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(heading)
        box.addWidget(QLabel(self.tr("平台回复："), self))
        box.addWidget(self.answer)
        box.addWidget(QLabel(self.tr("发送的内容（密钥已隐去）："), self))
        box.addWidget(self.text, 1)
        if self.proofs is not None:
            box.addWidget(QLabel(self.tr("截图（点一张看大图）："), self))
            box.addWidget(self.proofs)
        box.addWidget(buttons)
        fit_window(self, "delivery-details", 640, 480)


def record_note(store, record_uuid: str | None, rows: list) -> str:
    """What a record's deliveries (`rows`) do not show: platforms that never had it, and why."""
    try:
        record = store.record(record_uuid)
        branch = store.branch(record.branch_id).name
        targets = store.targets()
    except Exception:  # noqa: BLE001 - a closed store while the window closes
        return ""
    had = {d.target_id for d in rows}
    missing = [t for t in targets if t.matches(record.form_id, branch) and t.id not in had]
    if record.status != "final" or not missing:
        if rows:
            return ""
        if not targets:
            return QCoreApplication.translate("DeliveryPanel", "这条记录没有推送：还没有配置推送平台。")
        return QCoreApplication.translate(
            "DeliveryPanel", "这条记录没有推送：它不在任何推送平台的范围内（表单或支部不在范围里）。"
        )
    # Deliveries are queued in the transaction that finalizes: a platform that existed then,
    # enabled and with this record in scope, has a row. So one made since simply came later.
    finalized = record.finalized_at or ""
    later = "”“".join(t.name for t in missing if t.created_at >= finalized)
    other = "”“".join(t.name for t in missing if t.created_at < finalized)
    lines = []
    if later:
        lines.append(
            QCoreApplication.translate(
                "DeliveryPanel", "“{names}”是在这条记录定稿之后才添加的，所以没有收到这条记录。"
            ).format(names=later)
        )
    if other:
        lines.append(
            QCoreApplication.translate(
                "DeliveryPanel", "“{names}”没有收到这条记录：定稿时它已暂停，或当时不在它的推送范围内。"
            ).format(names=other)
        )
    lines.append(
        QCoreApplication.translate(
            "DeliveryPanel", "要补推，请在“设置 → 推送平台”里修改该平台，勾选“同时推送已定稿的记录”。"
        )
    )
    return "\n".join(lines)
