"""The threaded HTTP server both local endpoints stand on: the sandbox and Watch my shop.

It lives in the sandbox because the sandbox imports nothing from the rest; the capture
endpoint (which may import the sandbox) subclasses it rather than keep a copy.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socket import AF_INET, AF_INET6, SHUT_RDWR, socket
from typing import Any, cast


class TrackedHTTPServer(ThreadingHTTPServer):
    """Threads per connection, joined on close; open keep-alive sockets are tracked so that
    ``stop()`` can cut them instead of waiting for clients to hang up."""

    daemon_threads = False
    block_on_close = True
    # socketserver's default backlog of 5 resets bursts of new connections (20 concurrent
    # sends opening at once); a real API gateway does not.
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        listening: socket | None = None,
    ) -> None:
        self._connections: set[socket] = set()
        self._connections_lock = threading.Lock()
        # An IPv6 literal (``::1``) needs an IPv6 socket; names and IPv4 stay IPv4.
        self.address_family = AF_INET6 if ":" in address[0] else AF_INET
        if listening is None:
            super().__init__(address, handler)
            return
        # A socket bound and listening already (the console binds it before its stores open,
        # so the address is known at once): serve it as it is.
        super().__init__(address, handler, bind_and_activate=False)
        self.socket.close()
        self.socket = listening
        self.server_address = listening.getsockname()

    def track(self, conn: socket) -> None:
        with self._connections_lock:
            self._connections.add(conn)

    def untrack(self, conn: socket) -> None:
        with self._connections_lock:
            self._connections.discard(conn)

    def cut_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):  # already closed by its own thread
                conn.shutdown(SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout, reset) is part of the game, not a server bug.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class TrackedHandler(BaseHTTPRequestHandler):
    """A request handler whose connection is tracked by its ``TrackedHTTPServer``."""

    protocol_version = "HTTP/1.1"
    sys_version = ""
    # Headers and body go out in two writes: without this, Nagle + delayed ACK add ~40 ms.
    disable_nagle_algorithm = True
    # Idle keep-alive connections end after this many seconds.
    timeout = 30

    def setup(self) -> None:
        super().setup()
        cast(TrackedHTTPServer, self.server).track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            cast(TrackedHTTPServer, self.server).untrack(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        # BaseHTTPRequestHandler would echo raw request lines to stderr; a query string can
        # carry a secret.
        return
