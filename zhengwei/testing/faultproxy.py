"""A TCP proxy for fault tests: put it between the processes under test and PostgreSQL, then cut
every connection (what ``pg_ctl restart`` does to clients) or refuse connections for a while (an
outage), without touching the database server the rest of the suite is using.

    with FaultProxy("127.0.0.1", 5432) as proxy:
        url = f"postgres://postgres@127.0.0.1:{proxy.port}/test_db"
        ...
        proxy.restart()        # drop every open connection; new ones are accepted at once
        proxy.down(); ...; proxy.up()   # refuse (accept-and-close) until up()
"""

from __future__ import annotations

import socket
import threading


class FaultProxy:
    def __init__(self, target_host: str, target_port: int, port: int = 0) -> None:
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", port))
        self.port = self._listener.getsockname()[1]
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._lock = threading.Lock()
        self._refusing = False
        self._closed = False
        self.accepted = 0
        self.refused = 0

    def __enter__(self) -> FaultProxy:
        threading.Thread(target=self._accept_loop, name="faultproxy", daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True
        self._cut_all()
        try:
            self._listener.close()
        except OSError:
            pass

    def restart(self) -> None:
        """Every open connection is dropped (like a database restart); new ones work."""
        self._cut_all()

    def down(self) -> None:
        """Drop every connection and refuse new ones until ``up()`` (a database outage)."""
        self._refusing = True
        self._cut_all()

    def up(self) -> None:
        self._refusing = False

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._pairs)

    def _cut_all(self) -> None:
        with self._lock:
            pairs, self._pairs = list(self._pairs), set()
        for pair in pairs:
            for sock in pair:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._refusing:
                self.refused += 1
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            self.accepted += 1
            pair = (client, upstream)
            with self._lock:
                self._pairs.add(pair)
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst, pair), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, pair) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._pairs.discard(pair)
            for sock in pair:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
