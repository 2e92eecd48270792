"""The store's clock: every time written into the database comes from `clock` here.

Tests move time by monkeypatching `forms.store.times.clock`. Other modules import `timestamp`
and `file_stamp`, never `clock` itself, so that one patch reaches every write.
"""

from __future__ import annotations

import datetime as _dt


def clock() -> _dt.datetime:
    """The current local time, with its offset. Tests monkeypatch this one function."""
    return _dt.datetime.now().astimezone()


def timestamp() -> str:
    """ISO 8601 local time with offset, seconds precision, e.g. '2026-11-05T14:03:22+08:00'."""
    return clock().isoformat(timespec="seconds")


def file_stamp() -> str:
    """The time for a file name, e.g. '20261105-140322' (backups, exports)."""
    return clock().strftime("%Y%m%d-%H%M%S")


def seconds_between(earlier: str, later: str) -> float:
    """Seconds from one timestamp to another; infinity when either cannot be read."""
    try:
        return (_dt.datetime.fromisoformat(later) - _dt.datetime.fromisoformat(earlier)).total_seconds()
    except ValueError:
        return float("inf")
