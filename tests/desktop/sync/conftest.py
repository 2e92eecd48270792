"""Fixtures for background delivery in the desktop: offscreen Qt, an in-memory keyring, a data
folder with one branch and a way to make final records, and a controller that always stops."""

from __future__ import annotations

import os

# Before any Qt import: no display needed, and UTF-8 everywhere.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")

import keyring  # noqa: E402
import pytest  # noqa: E402

from desktop import qt_bool_fix  # noqa: E402
from desktop.network_watch import NetworkWatch  # noqa: E402
from desktop.session import Session  # noqa: E402

qt_bool_fix.apply()  # PySide6 6.12 on Python 3.11: emit() would use up True's references

TOKEN = "tok-3f9a7c1e55"
VALUES = {
    "meeting_type": "支部委员会",
    "title": "十一月支部委员会",
    "topics": "学习贯彻二十大精神",
    "content": "传达学习上级文件精神，讨论本月重点工作。",
    "place": "村委会",
    "host": "李明",
}


@pytest.fixture(autouse=True)
def _fresh_keyring(memory_keyring):
    """Every test here gets a fresh in-memory keyring (`memory_keyring` in tests/conftest.py)."""
    return memory_keyring


@pytest.fixture
def no_keyring():
    """No usable keyring at all (keyring's own `fail` backend)."""
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def session(tmp_path):
    """A fresh data folder with one branch (五星村党支部), operator set."""
    s = Session.open(tmp_path / "data")
    s.operator = "测试录入员"
    s.branch_id = s.store.add_branch("五星村党支部").id
    for name, role in (("李明", "书记"), ("王芳", "委员"), ("张伟", "党员")):
        s.store.add_member(s.branch_id, name, role)
    yield s
    s.close()


@pytest.fixture
def final_record(session):
    """Make a final 三会一课 record in the test branch; returns its uuid."""

    def make(**changes) -> str:
        record, _ = session.records.new(
            "sanhui-yike", session.branch_id, {**VALUES, **changes}, session.operator
        )
        session.records.finalize(record.uuid, session.operator)
        return record.uuid

    return make


@pytest.fixture
def rest_target(session):
    """A REST target with a bearer token in the keyring, pointing at `url` + /api/records."""
    from sync.secrets import set_secret

    def make(url: str, name: str = "市党建平台", token: str = TOKEN):
        target = session.store.add_target(name, "rest", url=url + "/api/records", options={"auth": "bearer"})
        set_secret(session.store, target, "token", token)
        return target

    return make


@pytest.fixture
def controller(qtbot, session):
    """A SyncController with no network backend and no timer (tests trigger runs), stopped after."""
    from desktop.sync_worker import SyncController

    made = []

    def make(**kwargs):
        kwargs.setdefault("watch", NetworkWatch(use_backend=False))
        kwargs.setdefault("interval_ms", 0)
        c = SyncController(session, **kwargs)
        made.append(c)
        return c

    yield make
    for c in made:
        c.stop()
