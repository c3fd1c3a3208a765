"""A loopback HTTP server that misbehaves on purpose, over real sockets.

Each route (a path suffix) is a handler that writes whatever it likes to the connection:
an echo of the request, a token cut off mid-value, a gzip bomb, a drip of one byte at a
time, or nothing at all. Every response closes its connection.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import threading
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    raw: bytes  # the request exactly as received (an echo sends this back)


PLAIN_400 = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
Handler = Callable[["HostileServer", Request, socket.socket], None]


@dataclass
class HostileServer:
    routes: dict[str, Handler]
    counts: Counter[str] = field(default_factory=Counter)
    connections: int = 0
    unparsed: int = 0  # connections that did not start with an HTTP request (a TLS hello)
    dripped: int = 0  # bytes sent by drip handlers
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def __enter__(self) -> HostileServer:
        self._accepting.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop.set()
        self._accepting.join()
        for thread in self._threads:
            thread.join()
        self._listener.close()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                request = _read_request(conn)
            except (OSError, ValueError):
                self.unparsed += 1
                # What a plain-HTTP server says to a TLS hello.
                with contextlib.suppress(OSError):
                    conn.sendall(PLAIN_400)
                return
            suffix = next((s for s in self.routes if request.path.endswith(s)), None)
            self.counts[suffix or request.path] += 1
            handler = self.routes.get(suffix or "", not_found)
            # OSError: the client gave up (closed the connection), which is the point.
            with contextlib.suppress(OSError):
                handler(self, request, conn)


def _read_request(conn: socket.socket) -> Request:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise ValueError("closed before a request")
        data += chunk
        if not data[:1].isalpha():
            raise ValueError("not an HTTP request")
        if len(data) > 1 << 20:
            raise ValueError("headers too long")
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        raise ValueError("not HTTP")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return Request(parts[0], parts[1], headers, body, head + b"\r\n\r\n" + body)


def respond(
    conn: socket.socket,
    status: int,
    body: bytes | Any = b"",
    headers: dict[str, str] | None = None,
    *,
    length: int | None = None,
) -> None:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    lines = [f"HTTP/1.1 {status} Whatever"]
    all_headers = {"Content-Type": "application/json", "Connection": "close", **(headers or {})}
    all_headers["Content-Length"] = str(len(data) if length is None else length)
    lines += [f"{k}: {v}" for k, v in all_headers.items()]
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data)


def not_found(server: HostileServer, request: Request, conn: socket.socket) -> None:
    respond(conn, 404, {"errors": [{"code": "not-found"}]})


def token(value: str, expires_in: int = 900) -> Handler:
    def handler(server: HostileServer, request: Request, conn: socket.socket) -> None:
        respond(
            conn, 200, {"access_token": value, "token_type": "Bearer", "expires_in": expires_in}
        )

    return handler


def raw(status: int, body: bytes, headers: dict[str, str] | None = None) -> Handler:
    def handler(server: HostileServer, request: Request, conn: socket.socket) -> None:
        respond(conn, status, body, headers)

    return handler


def echo_in_error(status: int) -> Handler:
    """A Criteo-shaped error whose detail quotes the whole request (headers and body)."""

    def handler(server: HostileServer, request: Request, conn: socket.socket) -> None:
        detail = f"Cannot process this request: {request.raw.decode('utf-8', 'replace')}"
        body = {"errors": [{"code": "invalid-request", "title": "Echo", "detail": detail}]}
        respond(conn, status, body, {"x-echo": request.headers.get("authorization", "")})

    return handler


def drip(interval: float, total: int) -> Handler:
    """Headers at once, then one byte of the body every ``interval`` s (up to ``total``)."""

    def handler(server: HostileServer, request: Request, conn: socket.socket) -> None:
        respond(conn, 200, b"", length=total)
        for _ in range(total):
            if server.stop.wait(interval):
                return
            conn.sendall(b" ")
            server.dripped += 1

    return handler


def silent(server: HostileServer, request: Request, conn: socket.socket) -> None:
    """Reads the request and never answers (until the test ends or the client leaves)."""
    conn.settimeout(0.2)
    while not server.stop.is_set():
        try:
            if not conn.recv(1):
                return
        except TimeoutError:
            continue


def gzip_bomb(unpacked: int) -> bytes:
    """Zeros that unpack to ``unpacked`` bytes (about 1/1000 of that when packed)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1 << 20)
    parts = [packer.compress(block) for _ in range(unpacked >> 20)]
    parts.append(packer.flush())
    return b"".join(parts)


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data)
