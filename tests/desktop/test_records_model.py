"""The records table model over the store: on-demand rows, bounded memory, filters."""

from __future__ import annotations

import shutil
import tracemalloc

import keyring
import pytest
from PySide6.QtCore import QModelIndex, Qt

from desktop.records_model import CACHED_PAGES, PAGE_SIZE, RecordsModel
from desktop.session import Session
from tests.desktop.bulk import bulk_insert_records
from tests.sync.fake_keyring import MemoryKeyring

BIG = 100_000


@pytest.fixture(scope="module")
def big_template(tmp_path_factory):
    """A data folder with 100,000 records in one branch, built once for this module."""
    folder = tmp_path_factory.mktemp("big") / "data"
    # Built before any test's own keyring is in place: its key is kept in a keyring of its own,
    # and the tests open their copies with the tests' passphrase.
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        session = Session.open(folder)
        session.operator = "张晓梅"
        branch = session.store.add_branch("红星村党支部")
        bulk_insert_records(session, branch.id, BIG, marker_every=1000)
        session.close()
    finally:
        keyring.set_keyring(previous)
    return folder, branch.id


@pytest.fixture
def big(big_template, tmp_path):
    """A fresh copy of the 100,000-record folder for one test."""
    folder, branch_id = big_template
    copy = tmp_path / "data"
    shutil.copytree(folder, copy)
    session = Session.open(copy)
    yield session, branch_id
    session.close()


@pytest.mark.slow
def test_100k_rows_counted_not_loaded(big, qapp, qtbot):
    session, branch_id = big
    model = RecordsModel(session)
    counted = []
    model.countKnown.connect(counted.append)
    model.set_filters(branch_id=branch_id)
    # The first page shows at once; the count follows from the event loop.
    assert model.rowCount() == PAGE_SIZE
    assert not model.count_known
    assert model.data(model.index(0, 1)) == "2026-11-20"  # newest first
    qtbot.waitUntil(lambda: model.count_known, timeout=5000)
    assert counted == [BIG]
    assert model.rowCount() == BIG
    assert model.columnCount() == 7
    # Every row is known from the count: nothing left to fetch, one page loaded.
    assert not model.canFetchMore(QModelIndex())
    assert model.cached_rows() == PAGE_SIZE


@pytest.mark.slow
def test_rows_near_the_end(big, qapp):
    session, branch_id = big
    model = RecordsModel(session)
    model.set_filters(branch_id=branch_id)
    model.ensure_count()
    last = model.index(BIG - 1, 0)
    assert model.data(last) == "三会一课"
    assert model.data(model.index(BIG - 1, 1)) < "2026-01-01"  # the oldest day
    assert model.data(model.index(BIG - 1, 5)) == "张晓梅"
    assert model.cached_rows() == 2 * PAGE_SIZE  # the first page and the last, nothing between


@pytest.mark.slow
def test_memory_stays_bounded_while_scrolling(big, qapp):
    session, branch_id = big
    model = RecordsModel(session)
    tracemalloc.start()
    try:
        model.set_filters(branch_id=branch_id)
        model.ensure_count()
        for row in range(0, BIG, 997):  # a scroll through the whole table
            model.data(model.index(row, 2))
        current, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert model.cached_rows() <= CACHED_PAGES * PAGE_SIZE
    # 100,000 Python row objects would be tens of MB; a few cached pages are well under 2 MB.
    assert current < 2_000_000


@pytest.mark.slow
def test_filters_change_the_count(big, qapp):
    session, branch_id = big
    model = RecordsModel(session)
    model.set_filters(branch_id=branch_id)
    model.update_filters(status="final")
    assert model.ensure_count() == BIG * 3 // 5
    assert {model.data(model.index(r, 3)) for r in range(0, 300)} == {"已定稿"}
    model.update_filters(status=None, text="稀有标记")
    assert model.ensure_count() == BIG // 1000
    assert "稀有标记" in model.data(model.index(model.rowCount() - 1, 2))
    model.set_filters(branch_id=branch_id, month="2026-11")
    assert model.count_known and 0 < model.rowCount() < PAGE_SIZE  # one short page: counted
    model.set_filters(branch_id=branch_id + 1)
    assert model.rowCount() == 0


def _meeting(session, branch_id, meeting="支部委员会", final=True, **values):
    data = {
        "meeting_type": meeting,
        "title": f"{meeting}会议",
        "topics": "学习",
        "content": "会议内容",
        **values,
    }
    record, _ = session.records.new("sanhui-yike", branch_id, data, session.operator, final=final)
    return record


def test_shows_what_the_store_holds(session, qapp):
    branch = session.store.add_branch("红星村党支部")
    session.store.add_member(branch.id, "王建国", role="书记")
    draft = _meeting(session, branch.id, final=False)
    final = _meeting(session, branch.id, meeting="党小组会", party_group="第一党小组")
    model = RecordsModel(session)
    model.set_filters(branch_id=branch.id)
    assert model.rowCount() == 2
    rows = {model.uuid_at(r): [model.data(model.index(r, c)) for c in range(7)] for r in range(2)}
    assert rows[draft.uuid][0] == "三会一课"
    assert rows[draft.uuid][3] == "草稿"
    assert rows[draft.uuid][4] == "—"
    assert rows[final.uuid][3] == "已定稿"
    assert rows[final.uuid][4] == "1"
    assert rows[final.uuid][5] == "张晓梅"
    assert "党小组会" in rows[final.uuid][2]
    assert model.headerData(0, Qt.Orientation.Horizontal) == "表单"
    # A record added later shows after refresh; row_of finds it.
    third = _meeting(session, branch.id, meeting="党课", lecturer="王建国", course_title="党史")
    model.refresh()
    assert model.rowCount() == 3
    assert model.row_of(third.uuid) is not None
    assert model.row_of("no-such-uuid") is None


def test_two_meetings_alike_but_for_their_name_read_apart(session, qapp):
    """Same type, same day, as many present: the summary names each meeting, and the day (which
    has its own column) is not said twice."""
    branch = session.store.add_branch("红星村党支部")
    session.store.add_member(branch.id, "王建国", role="书记")
    first = _meeting(session, branch.id, title="十一月支委会")
    second = _meeting(session, branch.id, title="研究发展党员")
    model = RecordsModel(session)
    model.set_filters(branch_id=branch.id)
    shown = {model.uuid_at(r): model.data(model.index(r, 2)) for r in range(model.rowCount())}
    day = model.data(model.index(0, 1))
    assert shown[first.uuid] != shown[second.uuid]
    assert "十一月支委会" in shown[first.uuid] and "研究发展党员" in shown[second.uuid]
    assert day not in shown[first.uuid]
    assert session.store.record(first.uuid).summary.count(day) == 1  # the stored line keeps it
