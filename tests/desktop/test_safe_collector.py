"""The window collects cyclic garbage only from its event loop (desktop/safe_collector.py)."""

from __future__ import annotations

import gc
import weakref

from desktop.safe_collector import SafeCollector


class _Cycle:
    def __init__(self):
        self.me = self


def test_automatic_collection_is_off_and_the_event_loop_collects(qtbot, monkeypatch):
    monkeypatch.setattr("desktop.safe_collector.COLLECT_EVERY_MS", 50)
    gc.enable()
    collector = SafeCollector()
    try:
        assert not gc.isenabled()
        garbage = _Cycle()
        gone = weakref.ref(garbage)
        del garbage
        assert gone() is not None  # a cycle waits for the event loop ...
        qtbot.waitUntil(lambda: gone() is None, timeout=2000)  # ... which collects it
    finally:
        collector.stop()
    assert gc.isenabled()
