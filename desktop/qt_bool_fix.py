"""Work around PySide6 6.12's `SignalInstance.emit()` returning True without a new reference.

On Python 3.11 every emit() called from Python then takes one reference away from `True`; after
a few hundred emits its count reaches zero and the interpreter aborts ("Fatal Python error:
bool_dealloc"). Python 3.12 made True and False immortal, so there the bug is harmless. `apply()`
does the same on 3.11 when (and only when) the installed PySide6 shows the bug. Call it once at
start-up, before the first signal is emitted.
"""

from __future__ import annotations

import ctypes
import sys

_applied: bool | None = None
_PROBES = 16


def emit_drops_true() -> bool:
    """Does a Python-side emit() take a reference away from True (PySide6 6.12 on Python 3.11)?"""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.ping.emit()
    return sys.getrefcount(True) <= before - _PROBES


def apply() -> bool:
    """Make True and False effectively immortal if emit() drops references; True if it did."""
    global _applied
    if _applied is not None:
        return _applied
    _applied = False
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if emit_drops_true():
        for obj in (True, False):
            # ob_refcnt is the first field of every CPython object (non-debug builds).
            ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40
        _applied = True
    return _applied
