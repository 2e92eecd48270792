"""How many pages a save writes. Each page written is also encrypted (and authenticated), so
what a save costs grows with them; tests/benchmarks/bench_encryption.py measures the time, this
counts the pages, read from the write-ahead log."""

from __future__ import annotations

import itertools
import random
import uuid

import pytest

from forms.model import Field, Form
from forms.store import Store

FORM = Form(
    id="sanhui-yike",
    version=1,
    title="三会一课",
    fields=(Field("meeting_type", "select_one", "会议类型"),),
    source="id: sanhui-yike\nversion: 1\n",
)
DATA = {"meeting_type": "支部委员会"}


@pytest.fixture
def store(tmp_path, monkeypatch):
    # The same record numbers each run: where a random one lands decides whether an index page
    # splits (three pages more), and the count must not depend on chance.
    numbers = (uuid.UUID(int=random.Random(n).getrandbits(128), version=4) for n in itertools.count())
    monkeypatch.setattr(uuid, "uuid4", lambda: next(numbers))
    with Store.open(tmp_path / "data") as store:
        branch = store.add_branch("第一党支部")
        other = store.add_branch("第二党支部")
        for n in range(300):  # enough rows that every index has more than one page
            day = f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}"
            record = store.create_record(FORM, (branch, other)[n % 2].id, DATA, "王会计", occurred_on=day)
            if n % 3:
                store.finalize(record.uuid, "王会计")
        store.branch = branch
        yield store


def pages_written(store, change) -> int:
    """Pages the change wrote: frames added to the write-ahead log, emptied just before."""
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    change()
    return store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]


def test_making_a_draft_final_writes_nine_pages(store):
    """The record, the two indices that lead with status (out of the drafts, into the finals),
    its revision with its key, and the audit line with its index: the other indices hold no
    column that changed, so they are not rewritten (before m010: 16 here)."""
    draft = store.create_record(FORM, store.branch.id, DATA, "王会计", occurred_on="2026-06-15")
    assert pages_written(store, lambda: store.finalize(draft.uuid, "王会计")) == 9


def test_saving_a_draft_unchanged_writes_only_the_record(store):
    """The editor saves as the cadre types; a save that changed nothing (the audit line of
    these minutes is already there) rewrites at most the record's own page, for its time."""
    draft = store.create_record(FORM, store.branch.id, DATA, "王会计", occurred_on="2026-06-15")
    store.save_draft(draft.uuid, DATA, "王会计", occurred_on="2026-06-15")
    save = lambda: store.save_draft(draft.uuid, DATA, "王会计", occurred_on="2026-06-15")  # noqa: E731
    assert pages_written(store, save) <= 1
