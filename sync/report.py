"""What a sync run did, per target and in total, as the window and the command line show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class TargetReport:
    """What one target did in one run."""

    name: str
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    written: int = 0
    uncertain: int = 0  # may have reached a robot that cannot dedupe: a person decides
    attention: str | None = None
    deferred_until: float | None = None


@dataclass
class Summary:
    """What a run did, per target, plus what is left."""

    targets: dict[str, TargetReport] = field(default_factory=dict)
    pending: int = 0  # still to go (pending or sending) on enabled targets
    uncertain: int = 0  # waiting for a person: "可能已发送，请确认"
    attention: list[str] = field(default_factory=list)  # names of targets needing attention
    busy: bool = False  # another process was already syncing this data folder
    requeued: int = 0  # crash recovery: idempotent deliveries put back to pending
    found_uncertain: int = 0  # crash recovery: robot deliveries that became uncertain
    next_due_at: float | None = None  # when the earliest pending delivery may go (epoch s)
    hub: str | None = None  # what the pull from the township hub brought, or why it failed
    pulled: Any = None  # sync.hub_pull.PullReport of that pull, when it was made

    @property
    def delivered(self) -> int:
        """Deliveries the platforms took in this run, over all targets."""
        return sum(t.delivered for t in self.targets.values())

    @property
    def failed(self) -> int:
        """Deliveries a platform refused for good in this run, over all targets."""
        return sum(t.failed for t in self.targets.values())

    @property
    def written(self) -> int:
        """Rows written into Excel import files in this run, over all targets."""
        return sum(t.written for t in self.targets.values())


@dataclass
class Confirmed:
    """An Excel batch the operator uploaded: the file, how many rows it holds, how many of those
    deliveries became delivered now (rows confirmed before are not counted again)."""

    path: Path | None
    rows: int
    delivered: int
    missing: list[tuple[int, str]] = field(default_factory=list)  # (row, idempotency key)
    changed: list[tuple[int, str]] = field(default_factory=list)  # edited in Excel after writing


__all__ = ["Confirmed", "Summary", "TargetReport"]
