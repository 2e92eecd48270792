"""Fill a store with many records quickly, straight through sqlite (test and benchmark setup).

The store's own writes are one transaction each (as they must be for safety); 100,000 of them
would take minutes. Here one transaction inserts them all, rows shaped as the store writes them.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuid_module
from pathlib import Path

from forms.store.cipher import sqlite3
from tests.helpers import open_database

MEETINGS = ("支部委员会", "党小组会", "支部党员大会", "党课")
STATUSES = ("final", "final", "final", "draft", "void")


def bulk_insert_records(
    session,
    branch_id: int,
    count: int,
    *,
    form_id: str = "sanhui-yike",
    start: dt.date = dt.date(2026, 11, 20),
    marker_every: int = 0,
) -> None:
    """Insert `count` records for `branch_id`, one a day going back from `start`.

    Every `marker_every`-th record (if set) has "稀有标记" in its summary, for filter tests.
    """
    form = session.catalog.get(form_id)
    session.store.remember_form(form)
    path = Path(session.store.path)
    connection = open_database(path)
    try:
        rows = []
        stamp = "2026-11-20T09:00:00+08:00"
        for i in range(count):
            day = (start - dt.timedelta(days=i // 3)).isoformat()
            meeting = MEETINGS[i % len(MEETINGS)]
            marker = " 稀有标记" if marker_every and i % marker_every == 0 else ""
            data = {
                "meeting_type": meeting,
                "title": f"第{i}次{meeting}",
                "held_at": f"{day}T09:00",
                "topics": "学习传达上级会议精神",
                "content": "会议记录内容",
                "expected_count": 12,
            }
            rows.append(
                (
                    str(uuid_module.uuid4()),
                    form.id,
                    form.version,
                    branch_id,
                    STATUSES[i % len(STATUSES)],
                    json.dumps(data, ensure_ascii=False),
                    1,
                    "张晓梅",
                    day,
                    f"{meeting} · {day} · 12人{marker}",
                    stamp,
                    stamp,
                )
            )
        with connection:
            connection.executemany(
                "INSERT INTO records(uuid, form_id, form_version, branch_id, status, data, "
                "revision, operator, occurred_on, summary, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
    finally:
        connection.close()
