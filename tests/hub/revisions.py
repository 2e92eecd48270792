"""Record revisions as a laptop pushes them (docs/HUB.md, POST /api/v1/records)."""

from __future__ import annotations

import uuid as uuidlib


def revision(branch_uid: str, uuid: str | None = None, number: int = 1, base: int = 0, **changes) -> dict:
    """A final meeting record's revision `number` made on `base`."""
    body = {
        "uuid": uuid or str(uuidlib.uuid4()),
        "branch_uid": branch_uid,
        "form_id": "branch-meeting",
        "form_version": 1,
        "form_source": None,
        "revision": number,
        "base_revision": base,
        "status": "final",
        "data": {"title": "十一月支部委员会", "topics": ["研究冬季防火"], "attendees": [1, 2]},
        "summary": "十一月支部委员会",
        "occurred_on": "2026-11-05",
        "operator": "张三",
        "finalized_at": "2026-11-05T19:00:00+08:00",
        "void_reason": None,
        "audit": [
            {"at": "2026-11-05T18:40:00+08:00", "operator": "张三", "action": "created", "note": ""},
            {"at": "2026-11-05T19:00:00+08:00", "operator": "张三", "action": "finalized", "note": ""},
        ],
        "attachments": [],
    }
    body.update(changes)
    return body
