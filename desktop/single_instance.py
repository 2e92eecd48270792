"""One Yici per data folder: a second start on the same folder brings the first window forward.

Two Yici windows over one data folder would each sync, back up and remind about the same records;
a cadre who double-clicks twice on a slow laptop means one window. The first start on a folder
takes a lock file named after the folder (its resolved path, hashed, with the user), then listens
on a local socket of the same name; a later start finds the lock taken, asks the first over the
socket to come forward and leaves. A start on another folder has another name and runs beside it.

QLockFile writes its process id into the lock: a lock left by a crash or SIGKILL belongs to a
process that is gone, so the next start takes it over; the socket file such a process leaves
behind is removed before listening (only the lock's holder listens).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDir, QLockFile, QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer  # imported when listening: after the first paint

RAISE = b"raise\n"
CONNECT_MS = 4000  # how long a second start keeps trying while the first is still starting up
WROTE_MS = 1000


def instance_key(data_dir: Path) -> str:
    """The lock's and the socket's name for a data folder: the same for every spelling of the
    folder (relative, with "..", through a symlink), different per folder and per user."""
    path = os.path.normcase(str(Path(data_dir).expanduser().resolve()))
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    digest = hashlib.sha256(f"{user}\0{path}".encode()).hexdigest()[:24]
    return f"yici-{digest}"


class SingleInstance(QObject):
    """Holds the data folder for this process; `activated` when another start asked for us."""

    activated = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.key = instance_key(data_dir)
        self.lock = QLockFile(str(Path(QDir.tempPath()) / f"{self.key}.lock"))
        # Never stale by age: a Yici left open for days still holds its folder. Only a lock
        # whose process is gone is taken over.
        self.lock.setStaleLockTime(0)
        self.server: QLocalServer | None = None

    def claim(self) -> bool:
        """True when this process now holds the folder; False when another Yici does (it has
        been asked to bring its window forward)."""
        if self.lock.tryLock(0):
            return True
        if not self.ask_first_to_come_forward():  # alive but not answering (busy, or hung)
            from PySide6.QtCore import QCoreApplication
            from PySide6.QtWidgets import QMessageBox

            from desktop.app import DISPLAY_NAME

            QMessageBox.information(
                None,
                DISPLAY_NAME,
                QCoreApplication.translate(
                    "SingleInstance", "Yici 已经打开了这个数据文件夹，请在任务栏里找到它的窗口。"
                ),
            )
        print("Yici 已经打开了这个数据文件夹 / Yici already has this data folder open", file=sys.stderr)
        return False

    def listen(self) -> bool:
        """Answer later starts (call once the window is up). Only the lock's holder listens, so a
        socket file left by a killed Yici can be removed first."""
        from PySide6.QtNetwork import QLocalServer

        if self.server is not None:
            return True
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(self.key)
        if not server.listen(self.key):
            print(f"Yici: cannot listen on {self.key}: {server.errorString()}", file=sys.stderr)
            return False
        server.newConnection.connect(self._on_connection)
        self.server = server
        return True

    def ask_first_to_come_forward(self) -> bool:
        """Tell the Yici holding this folder to show its window; False if it did not answer."""
        from PySide6.QtCore import QDeadlineTimer, QThread
        from PySide6.QtNetwork import QLocalSocket

        deadline = QDeadlineTimer(CONNECT_MS)
        while True:
            socket = QLocalSocket()
            socket.connectToServer(self.key)
            if socket.waitForConnected(500):
                socket.write(RAISE)
                written = socket.waitForBytesWritten(WROTE_MS)
                socket.disconnectFromServer()
                return written
            if deadline.hasExpired():
                return False
            QThread.msleep(100)  # the first Yici is still starting: its socket comes soon

    def _on_connection(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._on_message(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._on_message(socket)

    def _on_message(self, socket) -> None:
        if bytes(socket.readAll().data()).startswith(RAISE.strip()):
            self.activated.emit()

    def release(self) -> None:
        """Give the folder up (on quitting): close the socket and remove the lock."""
        if self.server is not None:
            self.server.close()
            self.server = None
        if self.lock.isLocked():
            self.lock.unlock()


def bring_forward(window) -> None:
    """Show `window` (or the dialog it is waiting on) in front of the others."""
    from PySide6.QtWidgets import QApplication

    logging.getLogger("yici").info("又一次启动：窗口提到前面 / another start: window brought forward")
    modal = QApplication.activeModalWidget()
    target = modal if modal is not None else window
    if window.isMinimized():
        window.showNormal()
    window.show()
    target.raise_()
    target.activateWindow()
