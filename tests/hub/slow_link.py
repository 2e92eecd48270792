"""A slow line between a laptop and the hub, for tests: a TCP relay on 127.0.0.1 that passes what
the laptop sends at `rate` bytes a second (None: as fast as it comes) and the hub's answers at
full speed. A village uplink, made small enough that a test can kill a sync in mid-upload."""

from __future__ import annotations

import socket
import threading
import time


class SlowLink:
    """Relays 127.0.0.1:`port` to the hub's port; `rate` may change while connections are open."""

    def __init__(self, upstream_port: int, rate: float | None = None):
        self.upstream = ("127.0.0.1", upstream_port)
        self.rate = rate
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.upstream)
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, slow: bool) -> None:
        try:
            while True:
                chunk = source.recv(16 * 1024)
                if not chunk:
                    break
                if slow and self.rate:
                    time.sleep(len(chunk) / self.rate)
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                end.close()

    def close(self) -> None:
        self._closed = True
        self._server.close()
