"""The capture endpoint: a local HTTP server the shop's staging integration points at.

Built like the sandbox (stdlib ``ThreadingHTTPServer`` in a thread): no dependency, runs
beside the Qt loop without touching it. Each request is read with limits, answered (by the
embedded sandbox in inspect mode, by the upstream in forward mode), judged and reported.
"""

from __future__ import annotations

import dataclasses
import queue
import secrets
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import parse_qsl, urlencode, urlsplit

from criteo_console.capture.config import CaptureConfig, CaptureMode
from criteo_console.capture.exchange import Exchange, Request
from criteo_console.capture.record import CapturedRequest
from criteo_console.capture.tokens import TokenWatch
from criteo_console.capture.upstream import Upstream, UpstreamAnswer
from criteo_console.core.destinations.events import is_criteo_host
from criteo_console.core.hosts import is_loopback_host
from criteo_console.core.jsonfmt import dumps_json, loads_json
from criteo_console.criteo.events import redirect_allowed
from criteo_console.sandbox import SandboxConfig, SandboxServer
from criteo_console.sandbox.httpserver import TrackedHandler, TrackedHTTPServer

if TYPE_CHECKING:
    from criteo_console.storage.event_log import EventLog

RequestCallback = Callable[[CapturedRequest], None]
_KEPT = 1000  # requests kept in memory for the window and tests


class _RateLimiter:
    def __init__(self, per_second: int) -> None:
        self._per_second = per_second
        self._times: deque[float] = deque()
        self._lock = threading.Lock()

    def allow(self, now: float) -> bool:
        with self._lock:
            while self._times and now - self._times[0] >= 1.0:
                self._times.popleft()
            if len(self._times) >= self._per_second:
                return False
            self._times.append(now)
            return True


class CaptureServer:
    """``with CaptureServer(CaptureConfig()) as capture: capture.base_url``."""

    def __init__(
        self,
        config: CaptureConfig | None = None,
        *,
        event_log: EventLog | None = None,
        checkout_email: str | None = None,
        on_request: RequestCallback | None = None,
    ) -> None:
        self.config = config or CaptureConfig()
        self.host = self.config.host.strip().strip("[]")
        self.port = self.config.port
        self.event_log = event_log
        self.on_request = on_request
        self.tokens = TokenWatch()
        keyed = self.config.require_key
        if keyed is None:
            keyed = not is_loopback_host(self.host)
        self.key: str | None = secrets.token_urlsafe(12) if keyed else None
        self._checkout_email = checkout_email
        self._checkout_order: dict[str, Any] | None = (
            dict(self.config.checkout_order) if self.config.checkout_order else None
        )
        self._limiter = _RateLimiter(self.config.rate_limit)
        self._requests: deque[CapturedRequest] = deque(maxlen=_KEPT)
        self._number = 0
        self._lock = threading.Lock()
        self.scope_seen: set[int] = set()
        self.sandbox: SandboxServer | None = None
        self.upstream: Upstream | None = None
        self._httpd: _CaptureHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._jobs: queue.Queue[tuple[CapturedRequest, Callable[[], int | None] | None] | None]
        self._jobs = queue.Queue()
        self._writer: threading.Thread | None = None

    # --- what the marketer gives, in memory only ---------------------------------------------

    def __repr__(self) -> str:  # never the checkout email
        return f"CaptureServer(mode={self.config.mode.value}, base_url={self.base_url!r})"

    def set_checkout_email(self, email: str | None) -> None:
        self._checkout_email = (email or "").strip() or None

    @property
    def checkout_email(self) -> str | None:
        return self._checkout_email

    def set_checkout_order(self, order: dict[str, Any] | None) -> None:
        self._checkout_order = dict(order) if order else None

    @property
    def checkout_order(self) -> dict[str, Any] | None:
        return self._checkout_order

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> CaptureServer:
        if self._httpd is not None:
            raise RuntimeError("the capture endpoint is already running")
        if self.config.mode is CaptureMode.INSPECT:
            self.sandbox = SandboxServer(self._sandbox_config()).start()
            # The sandbox on this computer: never through a proxy, whatever is configured.
            self.upstream = Upstream(
                self.sandbox.base_url, self.config.upstream_timeout, proxies={}
            )
        else:
            assert self.config.forward_url is not None
            self.upstream = Upstream(self.config.forward_url, self.config.upstream_timeout)
        try:
            httpd = _CaptureHTTPServer((self.host, self.port), self)
        except BaseException:
            self._stop_upstream()
            raise
        self.port = int(httpd.server_address[1])
        self._httpd = httpd
        self._writer = threading.Thread(
            target=self._write_and_report, name=f"criteo-capture-log:{self.port}", daemon=True
        )
        self._writer.start()
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"criteo-capture:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None or thread is None:
            return
        httpd.shutdown()
        thread.join()
        httpd.cut_connections()
        httpd.server_close()
        self._httpd = self._thread = None
        if self._writer is not None:
            self._jobs.put(None)  # after every answered request: all are recorded first
            self._writer.join()
            self._writer = None
        self._stop_upstream()

    def _stop_upstream(self) -> None:
        if self.upstream is not None:
            self.upstream.close()
            self.upstream = None
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None

    def __enter__(self) -> CaptureServer:
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
        host = self.host
        if host in ("0.0.0.0", "::", ""):
            host = socket.gethostname()
        shown = f"[{host}]" if ":" in host else host
        root = f"http://{shown}:{self.port}"
        return f"{root}/{self.key}/" if self.key else root

    @property
    def mode_text(self) -> str:
        if self.config.mode is CaptureMode.INSPECT:
            return "Inspect: answered here as Criteo would; nothing leaves this computer."
        return f"Forward: every request goes on to {self.config.forward_url} and its answer back."

    def requests(self) -> list[CapturedRequest]:
        with self._lock:
            return list(self._requests)

    def expire_tokens(self) -> None:
        """Every token handed out so far counts as expired (inspect mode's sandbox too)."""
        self.tokens.expire_all()
        if self.sandbox is not None:
            self.sandbox.expire_tokens()

    # --- per request (called on the server's threads) -----------------------------------------

    def _sandbox_config(self) -> SandboxConfig:
        ids = [str(a) for a in self.config.advertiser_ids]
        advertisers = {a: "Your shop" for a in ids}
        advertisers.setdefault("7654321", "Another shop (not in scope)")
        return SandboxConfig(
            advertisers=advertisers,
            in_scope=frozenset(ids),
            event_names=frozenset(self.config.event_names.values()),
            rate_limit=10**9,  # the capture's own limit applies first
            max_body_bytes=self.config.max_body_bytes,
        )

    def next_number(self) -> int:
        with self._lock:
            self._number += 1
            return self._number

    def allow(self, now: float) -> bool:
        return self._limiter.allow(now)

    def forward(self, request: Request, body: bytes) -> UpstreamAnswer:
        upstream = self.upstream
        if upstream is None:
            return UpstreamAnswer(503, problem="the capture endpoint is stopping")
        if self.config.mode is CaptureMode.INSPECT and request.kind == "token":
            body = self._sandbox_credentials(body)
        if request.kind != "event":
            answer = upstream.send(request.method, request.target, request.headers, body)
        else:
            if self.config.mode is CaptureMode.INSPECT:
                body = self._sandbox_account(body)
            # The Events API may answer 307 to a regional Criteo host: handed back to the shop
            # (its body carries no secret), never followed from here.
            answer = upstream.send(
                request.method, request.target, request.headers, body,
                passed_back=self._may_pass_back,
            )  # fmt: skip
        return self._located_here(answer)

    def _may_pass_back(self, target: str) -> bool:
        """A redirect the shop may be told about: https on a Criteo host (a regional Events API
        host), or what the console's own Events API sender would follow from this upstream."""
        try:
            parts = urlsplit(target)
        except ValueError:
            return False
        bare = parts.username is None and parts.password is None
        criteo = bare and parts.scheme == "https" and is_criteo_host(parts.hostname or "")
        return criteo or redirect_allowed(self.config.forward_url or "", target)

    def _located_here(self, answer: UpstreamAnswer) -> UpstreamAnswer:
        """A redirect back to the upstream itself (a path) points at this endpoint instead."""
        location = next((v for k, v in answer.headers if k.lower() == "location"), None)
        if location is None or not location.startswith("/"):
            return answer
        headers = [(k, v) for k, v in answer.headers if k.lower() != "location"]
        headers.append(("Location", self.base_url.rstrip("/") + location))
        return dataclasses.replace(answer, headers=headers)

    def upstream_url(self, target: str) -> str:
        return self.upstream.url_for(target) if self.upstream else target

    def _sandbox_account(self, body: bytes) -> bytes:
        """Inspect mode takes the Events API body of any partner account and caller id: both
        are replaced with the embedded sandbox's own, when they are there at all (the core's
        rules still judge the shop's own values; nothing here is stored)."""
        assert self.sandbox is not None
        try:
            payload = loads_json(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return body
        identity = payload.get("id") if isinstance(payload, dict) else None
        if not isinstance(payload, dict) or not isinstance(identity, dict):
            return body
        if str(payload.get("account", "")).strip().isdigit():
            payload["account"] = self.sandbox.config.events_account
        if isinstance(identity.get("mapping_key"), str) and identity["mapping_key"].strip():
            identity["mapping_key"] = self.sandbox.config.events_caller_id
        return dumps_json(payload).encode("utf-8")

    def _sandbox_credentials(self, body: bytes) -> bytes:
        """Inspect mode gives a token for whatever credentials the shop holds: the form is
        re-signed with the embedded sandbox's own (nothing here is stored)."""
        assert self.sandbox is not None
        try:
            form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except (UnicodeDecodeError, ValueError):
            return body
        if (
            form.get("grant_type") == "client_credentials"
            and form.get("client_id", "").strip()
            and form.get("client_secret", "").strip()
        ):
            form["client_id"] = self.sandbox.config.client_id
            form["client_secret"] = self.sandbox.config.client_secret
            return urlencode(form).encode()
        return body

    def report(self, captured: CapturedRequest, record: Callable[[], int | None] | None) -> None:
        """Queue a request for the writer thread: recorded (if it is a conversion), then
        reported, in the order the shop was answered."""
        self._jobs.put((captured, record))

    def drain(self) -> None:
        """Wait until every request answered so far is recorded and reported."""
        self._jobs.join()

    def _write_and_report(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                captured, record = job
                if record is not None:
                    captured = dataclasses.replace(captured, attempt_id=record())
                self._publish(captured)
            finally:
                self._jobs.task_done()

    def _publish(self, captured: CapturedRequest) -> None:
        with self._lock:
            self._requests.append(captured)
        callback = self.on_request
        if callback is not None:
            try:
                callback(captured)
            except Exception:  # a broken listener must not break the shop's checkout
                sys.stderr.write("capture: a listener failed; the request was still answered\n")


class _CaptureHTTPServer(TrackedHTTPServer):
    def __init__(self, address: tuple[str, int], capture: CaptureServer) -> None:
        self.capture = capture
        super().__init__(address, _CaptureHandler)


class _CaptureHandler(TrackedHandler):
    server_version = "CriteoConsoleCapture/1.0"

    @property
    def capture(self) -> CaptureServer:
        return cast(_CaptureHTTPServer, self.server).capture

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def _handle(self) -> None:
        arrived = time.perf_counter()
        exchange = Exchange(self.capture, arrived)
        status, headers, body, captured = exchange.run(
            self.command, self.path, dict(self.headers.items()), self._read_body
        )
        if exchange.close_connection:
            self.close_connection = True
        if captured is not None:  # queued first, so drain() after the answer waits for it
            self.capture.report(captured, exchange.record)
        self._write(status, headers, body)

    def _read_body(self, limit: int) -> tuple[bytes | None, str | None]:
        """(body, None) or (None, why it was not read): 'too-large', 'length', 'chunked'."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            return None, "chunked"
        raw_length = self.headers.get("Content-Length")
        try:
            length = int(raw_length) if raw_length else 0
        except ValueError:
            self.close_connection = True
            return None, "length"
        if length < 0:
            self.close_connection = True
            return None, "length"
        if length > limit:
            self.close_connection = True  # the unread body makes the connection unusable
            return None, "too-large"
        return (self.rfile.read(length) if length else b""), None

    def _write(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        names = {name.lower() for name, _ in headers}
        for name, value in headers:
            self.send_header(name, value)
        if "content-type" not in names:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
