"""A TCP proxy between a laptop and the hub that a test can cut, as a flaky network or a
proxy that drops idle connections would: every connection through it is closed once a
given number of bytes came from the hub (in the middle of a page), or at once."""

from __future__ import annotations

import contextlib
import socket
import threading


class CuttingProxy:
    def __init__(self, upstream_port: int) -> None:
        self._upstream = upstream_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._budget: int | None = None  # bytes from the hub before the next cut
        self.cuts = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, hub_url: str) -> str:
        """The same hub address, through this proxy."""
        return hub_url.replace(f":{self._upstream}/", f":{self.port}/")

    def cut_after(self, count: int) -> None:
        """Cut every connection once `count` more bytes came from the hub."""
        with self._lock:
            self._budget = count

    def cut(self) -> None:
        """Cut every connection now (new ones go through)."""
        with self._lock:
            self._budget = None
            self._close_all()

    def close(self) -> None:
        self.cut()
        self._listener.close()

    def _close_all(self) -> None:
        for sock in self._open:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self._open.clear()
        self.cuts += 1

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                hub = socket.create_connection(("127.0.0.1", self._upstream))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, hub]
            threading.Thread(target=self._pump, args=(client, hub, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(hub, client, True), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, from_hub: bool) -> None:
        try:
            while data := source.recv(65536):
                cut = False
                if from_hub:
                    with self._lock:
                        if self._budget is not None:
                            if len(data) >= self._budget:
                                data, cut = data[: self._budget], True
                            self._budget -= len(data)
                target.sendall(data)
                if cut:
                    with self._lock:
                        self._budget = None
                        self._close_all()
                    return
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                target.shutdown(socket.SHUT_WR)
