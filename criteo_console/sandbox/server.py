"""Start and stop the sandbox in a background thread, and look at what it received.

Built on the standard library's ``ThreadingHTTPServer``: no extra dependency, it runs inside
a frozen app and beside the Qt/asyncio loop without touching it, and it gives the socket-level
control that faults such as a dropped connection need.
"""

from __future__ import annotations

import socket
import threading
from types import TracebackType

from criteo_console.sandbox.config import Fault, SandboxConfig
from criteo_console.sandbox.handler import SandboxHTTPServer
from criteo_console.sandbox.state import ReceivedConversion, SandboxState


class SandboxServer:
    """A local Criteo: ``with SandboxServer(SandboxConfig()) as s: s.base_url``."""

    def __init__(
        self,
        config: SandboxConfig | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        listening: socket.socket | None = None,
    ) -> None:
        """``listening``: a socket already bound and listening, served instead of binding a
        new one (the console binds it early, so the address is known before the sandbox is
        imported); ``host`` and ``port`` are then its own."""
        self.config = config or SandboxConfig()
        self.host = host.strip("[]")  # "[::1]" as written in a URL
        self.port = port
        self._listening = listening
        if listening is not None:
            self.host, self.port = listening.getsockname()[:2]
        self._state = SandboxState()
        self._httpd: SandboxHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> SandboxServer:
        """Bind and serve; returns once the socket is listening."""
        if self._httpd is not None:
            raise RuntimeError("the sandbox is already running")
        listening, self._listening = self._listening, None
        httpd = SandboxHTTPServer((self.host, self.port), self.config, self._state, listening)
        self.port = int(httpd.server_address[1])
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"criteo-sandbox:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop promptly: interrupt slow answers, cut open connections, join every thread."""
        httpd, thread = self._httpd, self._thread
        if httpd is None or thread is None:
            if self._listening is not None:  # given a socket, never started: close it
                self._listening.close()
                self._listening = None
            return
        httpd.stopping.set()
        httpd.shutdown()
        thread.join()
        httpd.cut_connections()
        httpd.server_close()  # closes the listening socket and joins request threads
        self._httpd = self._thread = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    # --- test controls --------------------------------------------------------------------

    def queue_fault(self, fault: Fault | str, times: int = 1, endpoint: str | None = None) -> None:
        """Apply ``fault`` to the next ``times`` requests to ``endpoint`` (None: any)."""
        chosen = fault if isinstance(fault, Fault) else Fault.parse(fault)
        self._state.queue_fault(chosen, times, endpoint)

    def request_count(self, endpoint: str) -> int:
        """Requests that reached ``token``, ``advertisers`` or ``conversions`` (faulted too)."""
        return self._state.request_count(endpoint)

    def received(self) -> list[ReceivedConversion]:
        return self._state.snapshot()

    def find_received(self, order_id: str) -> list[ReceivedConversion]:
        return [r for r in self._state.snapshot() if order_id in r.order_ids]

    def reset(self) -> None:
        """Forget received conversions, counters, queued faults and seen transactions."""
        self._state.reset()

    def expire_tokens(self) -> None:
        """Every token issued so far answers 401 authorization-token-expired from now on."""
        self._state.expire_tokens()

    def issued_tokens(self) -> list[str]:
        """Every access token handed out, so leak tests can search files for them."""
        with self._state.lock:
            return list(self._state.tokens)
