"""A loopback server that answers every request 200 with a body dripped one byte at a time.

Each read is quick, the whole answer is not: only a deadline on the whole exchange cuts it off.
Every connection gets its own thread, so an inspection's concurrent requests all drip at once.
"""

from __future__ import annotations

import socket
import threading
import time


class DripServer:
    """Answers 200 with a ``size``-byte body, one byte every ``interval`` seconds."""

    def __init__(self, size: int = 100, interval: float = 0.1) -> None:
        self.size, self.interval = size, interval
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stop = threading.Event()
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {self.size}\r\n\r\n"
                conn.sendall(head.encode())
                for _ in range(self.size):
                    if self.stop.is_set():
                        return
                    conn.sendall(b" ")
                    time.sleep(self.interval)
            except OSError:
                return  # the client gave up

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
