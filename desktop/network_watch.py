"""Is the network there? Qt's `QNetworkInformation`, when the system offers a backend.

Without a backend (headless machines, minimal Linux installs, the offscreen test platform on some
systems) `available` is False and `online` stays None (unknown): the sync controller then relies
on its timer and on what the last run found.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QNetworkInformation

log = logging.getLogger(__name__)


class NetworkWatch(QObject):
    """Says when the network comes back (`regained`) and whether it is there now (`online`)."""

    regained = Signal()  # reachability went from not-online to online
    changed = Signal()  # `online` changed (True / False / None for unknown)

    def __init__(self, parent: QObject | None = None, *, use_backend: bool = True):
        super().__init__(parent)
        self.available = False
        self.online: bool | None = None
        self._info: QNetworkInformation | None = None
        if use_backend:
            self._load()

    def _load(self) -> None:
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if not QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability):
                log.info("no QNetworkInformation backend with reachability: timer only")
                return
            info = QNetworkInformation.instance()
        except Exception:  # an odd platform plugin must not stop the app: fall back to the timer
            log.exception("QNetworkInformation could not be loaded")
            return
        if info is None:
            return
        self._info = info
        self.available = True
        info.reachabilityChanged.connect(self._on_reachability)
        self.online = self._meaning(info.reachability())
        log.info("network backend %s, online=%s", info.backendName(), self.online)

    @staticmethod
    def _meaning(reachability) -> bool | None:
        from PySide6.QtNetwork import QNetworkInformation

        R = QNetworkInformation.Reachability
        if reachability == R.Online:
            return True
        if reachability in (R.Disconnected, R.Local, R.Site):
            # Local/Site: a LAN but no internet. Government intranets may still be reachable,
            # so this only colours the status; the timer keeps trying.
            return False
        return None

    def _on_reachability(self, reachability) -> None:
        self.set_online(self._meaning(reachability))

    def set_online(self, online: bool | None) -> None:
        """Record a new reachability (called by Qt's signal; tests call it directly)."""
        was = self.online
        self.online = online
        if online != was:
            self.changed.emit()
        if online is True and was is not True:
            self.regained.emit()
