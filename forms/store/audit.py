"""The append-only audit: who did what to which record, when. Every step that changes a record
writes its line in the same transaction as the change."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from forms.i18n import tr
from forms.store.connection import Connection
from forms.store.errors import NotAllowed, guarded
from forms.store.rows import AuditEntry, dumps
from forms.store.times import timestamp

if TYPE_CHECKING:
    from forms.store.sql import Sql as Database

# Audit actions in the users' words (the command line, the township page); anything newer is
# shown as stored.
ACTION_WORDS = {
    "created": "新建",
    "edited": "修改",
    "finalized": "定稿",
    "corrected": "更正",
    "voided": "作废",
    "deleted": "删除草稿",
    "delivered": "已送达",
    "exported": "写入导入文件",
    "delivery_failed": "发送失败",
    "resend": "重新发送",
    "marked_delivered": "确认已送达",
    "upload_confirmed": "确认已上传",
    "entered": "已在平台录入",
    "entry_problem": "录入遇到问题",
    "delivery_uncertain": "可能已发送",
}


def write_audit(
    db: Database,
    action: str,
    operator: str,
    record_uuid: str | None,
    revision: int | None,
    detail: dict | None = None,
    at: str | None = None,
) -> None:
    """Append one audit line inside the caller's transaction."""
    db.execute(
        "INSERT INTO audit(at, operator, action, record_uuid, revision, detail) VALUES (?, ?, ?, ?, ?, ?)",
        [at or timestamp(), operator, action, record_uuid, revision, dumps(detail or {})],
    )


def require_operator(operator: str) -> str:
    """The operator's name, trimmed; NotAllowed when there is none (the audit must say who)."""
    if not isinstance(operator, str) or not operator.strip():
        raise NotAllowed(tr("请填写操作人（谁做的这一步会记入审计）。 / An operator name is required."))
    return operator.strip()


class AuditMixin(Connection):
    """Store methods for reading and adding audit lines."""

    @guarded
    def add_audit(
        self,
        action: str,
        operator: str,
        *,
        record_uuid: str | None = None,
        revision: int | None = None,
        detail: dict | None = None,
    ) -> None:
        """Append an audit line (e.g. "delivered"). Inside a hook it joins that transaction."""
        with self._write() as db:
            write_audit(db, action, operator, record_uuid, revision, detail)

    @guarded
    def audit(self, record_uuid: str | None = None, limit: int | None = None) -> list[AuditEntry]:
        """Audit lines, oldest first; with `limit`, the newest `limit` of them."""
        where, args = ("WHERE record_uuid = ?", [record_uuid]) if record_uuid else ("", [])
        rows = self.db.execute(
            f"SELECT id, at, operator, action, record_uuid, revision, detail FROM audit {where} "
            "ORDER BY id DESC LIMIT ?",
            args + [-1 if limit is None else limit],
        ).fetchall()
        return [AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6])) for r in reversed(rows)]
