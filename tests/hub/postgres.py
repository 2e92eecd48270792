"""A real PostgreSQL cluster for the hub's tests: hub/cluster.py's, in a fresh folder under the
system temp folder, without fsync, removed when the tests end."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hub import cluster
from hub.cluster import free_port, why_not

__all__ = ["Cluster", "free_port", "why_not"]


class Cluster(cluster.Cluster):
    """A throwaway cluster: created and started by `start`, removed by `stop`."""

    def __init__(self) -> None:
        super().__init__(Path(tempfile.mkdtemp(prefix="yici-hub-pg-")), fast=True)

    def start(self) -> Cluster:
        """initdb, then start the server and wait until it accepts connections."""
        self.create()
        super().start()
        return self

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        try:
            super().stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
