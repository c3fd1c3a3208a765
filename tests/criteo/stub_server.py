"""A tiny loopback HTTP server answering canned responses (for answers the sandbox never gives)."""

from __future__ import annotations

import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

Canned = tuple[int, dict[str, str], Any]


class StubServer:
    """Answers (status, headers, body) by path suffix: "/oauth2/token", "/conversions".

    A ``bytes`` body is sent as is; anything else as JSON. A proxy request (absolute URL) is
    routed by its path too; a CONNECT is counted under "CONNECT host:port" and refused.
    """

    def __init__(self, routes: dict[str, Canned]) -> None:
        self.routes = routes
        self.counts: Counter[str] = Counter()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                suffix = next((s for s in stub.routes if self.path.endswith(s)), None)
                stub.counts[suffix or self.path] += 1
                status, headers, body = stub.routes.get(suffix or "", (404, {}, {}))
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def do_CONNECT(self) -> None:
                stub.counts[f"CONNECT {self.path}"] += 1
                self.send_response(403)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> StubServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._thread.join()
        self._httpd.server_close()
