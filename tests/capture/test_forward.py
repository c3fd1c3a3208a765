"""Forward mode: each request goes to the upstream (the sandbox here, over real loopback) and
its exact answer comes back; credentials never go anywhere else and are never stored."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from criteo_console.capture import CaptureConfig, CaptureMode, CaptureServer
from criteo_console.sandbox import SandboxConfig, SandboxServer
from criteo_console.storage.event_log import EventLog, LogFilter
from tests.capture.shop import CHECKOUT_EMAIL, StandInShop, conversion, drained

SECRET = SandboxConfig().client_secret


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(deprecated_versions=frozenset({"2026-01"}))) as server:
        yield server


@pytest.fixture
def forward(sandbox: SandboxServer, event_log: EventLog) -> Iterator[CaptureServer]:
    config = CaptureConfig(mode=CaptureMode.FORWARD, forward_url=sandbox.base_url, profile="ACME")
    with CaptureServer(config, event_log=event_log, checkout_email=CHECKOUT_EMAIL) as capture:
        yield capture


@pytest.fixture
def sandbox_shop(forward: CaptureServer) -> Iterator[StandInShop]:
    shop = StandInShop(forward.base_url, client_id="sandbox-client", client_secret=SECRET)
    yield shop
    shop.close()


def test_the_upstreams_exact_answer_comes_back_and_is_recorded(
    forward: CaptureServer, sandbox: SandboxServer, sandbox_shop: StandInShop, event_log: EventLog
) -> None:
    through = sandbox_shop.send(conversion("FWD-1"))
    direct = httpx.post(
        f"{sandbox.base_url}/2026-01/conversions",
        json=conversion("FWD-2"),
        headers={"Authorization": f"Bearer {sandbox_shop.token}"},
    )
    assert through.status_code == direct.status_code == 200
    for header in ("deprecation", "sunset", "content-type"):
        assert through.headers[header] == direct.headers[header]
    assert [r.order_id for r in sandbox.received()] == ["FWD-1", "FWD-2"]
    first = sandbox.received()[0]
    assert through.json() == first.response  # the upstream's body, unchanged
    assert through.headers["x-criteo-trace-id"] == first.trace_id

    seen = drained(forward)[-1]
    assert (seen.kind, seen.forwarded, seen.verdict, seen.email_match.code.value) == (  # type: ignore[union-attr]
        "conversion",
        True,
        "ok",
        "match",
    )
    (attempt,) = event_log.page(filters=LogFilter(source="shop"))
    assert (attempt.profile, attempt.state, attempt.trace_id) == (
        "ACME", "accepted", through.headers["x-criteo-trace-id"]
    )  # fmt: skip
    assert attempt.request_url == f"{sandbox.base_url}/2026-01/conversions"


def test_wrong_credentials_are_refused_by_the_upstream_not_here(
    forward: CaptureServer, sandbox: SandboxServer
) -> None:
    shop = StandInShop(forward.base_url, client_id="sandbox-client", client_secret="wrong")
    answer = shop.get_token()
    shop.close()
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_client"
    assert drained(forward)[-1].verdict == "error"
    assert sandbox.request_count("token") == 1


def test_an_expired_token_and_jpy_decimals_through_forward_mode(
    forward: CaptureServer, sandbox: SandboxServer, sandbox_shop: StandInShop
) -> None:
    sandbox_shop.send(conversion("A"))
    sandbox.expire_tokens()
    assert sandbox_shop.send(conversion("B")).status_code == 401
    assert "expired" in str(drained(forward)[-1].token_note)
    assert sandbox_shop.send(conversion("B"), new_token=True).status_code == 200
    answer = sandbox_shop.send(conversion("JP", currency="JPY", value=1500.5))
    assert answer.status_code == 400  # the sandbox's own contract says so too
    codes = [i.code for i in drained(forward)[-1].issues]
    assert "value-too-many-decimals" in codes


def test_no_secret_or_token_is_stored(
    forward: CaptureServer, sandbox_shop: StandInShop, event_log: EventLog
) -> None:
    sandbox_shop.check_scope()
    sandbox_shop.send(conversion("S-1"), new_token=True)
    sandbox_shop.send(conversion("S-2"), new_token=True)
    tokens = [t for t in [sandbox_shop.token] if t]
    event_log.close()
    stored = b"".join(p.read_bytes() for p in Path(event_log.path).parent.glob("log.sqlite3*"))
    assert b"S-1" in stored or event_log.path.stat().st_size > 0
    for value in (SECRET, *tokens, CHECKOUT_EMAIL.strip().lower()):
        assert value.encode() not in stored


class _Redirector(BaseHTTPRequestHandler):
    target = ""

    def do_POST(self) -> None:
        self.send_response(307)
        self.send_header("Location", self.target + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST

    def log_message(self, format: str, *args: object) -> None:
        return


def test_a_redirect_to_another_host_is_refused_and_credentials_stay(
    sandbox: SandboxServer,
) -> None:
    # The "other host" is the sandbox under the name localhost: another origin than 127.0.0.1.
    _Redirector.target = sandbox.base_url.replace("127.0.0.1", "localhost")
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Redirector)
    thread = threading.Thread(target=upstream.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        url = f"http://127.0.0.1:{upstream.server_address[1]}"
        config = CaptureConfig(mode=CaptureMode.FORWARD, forward_url=url)
        with CaptureServer(config) as capture:
            shop = StandInShop(capture.base_url, client_id="sandbox-client", client_secret=SECRET)
            answer = shop.get_token()
            shop.close()
        assert answer.status_code == 502
        assert "another host" in answer.json()["errors"][0]["detail"]
        assert sandbox.request_count("token") == 0  # the secret never reached the other host
    finally:
        upstream.shutdown()
        upstream.server_close()
        thread.join()


def test_an_unreachable_upstream_is_a_502_said_plainly() -> None:
    with SandboxServer() as gone:
        url = gone.base_url
    config = CaptureConfig(mode=CaptureMode.FORWARD, forward_url=url)
    with CaptureServer(config) as capture:
        shop = StandInShop(capture.base_url)
        answer = shop.get_token()
        shop.close()
    assert answer.status_code == 502
    assert "could not reach" in answer.json()["errors"][0]["detail"]


# -- the system proxy, as the console's own client uses it ----------------------------------


def test_forwarding_to_a_real_criteo_goes_through_the_system_proxy() -> None:
    """Behind a corporate proxy the shop's request must leave through it (HTTPS_PROXY), as the
    console's own sends do; the stand-in proxy refuses the tunnel, so nothing reaches the
    internet, but it was asked for Criteo's host."""
    from criteo_console.capture.upstream import Upstream
    from tests.criteo.stub_server import StubServer

    with StubServer({}) as proxy:
        upstream = Upstream("https://api.criteo.com", timeout=5, proxies={"https": proxy.base_url})
        try:
            answer = upstream.send("POST", "/oauth2/token", {}, b"grant_type=client_credentials")
        finally:
            upstream.close()
    assert proxy.counts["CONNECT api.criteo.com:443"] >= 1
    assert answer.status == 502 and answer.problem and "could not reach" in answer.problem


def test_forwarding_to_this_computer_never_goes_through_the_proxy(sandbox: SandboxServer) -> None:
    from criteo_console.capture.upstream import Upstream

    with socket_refusing_connections() as dead:
        upstream = Upstream(sandbox.base_url, timeout=5, proxies={"http": dead, "all": dead})
        try:
            answer = upstream.send(
                "POST",
                "/oauth2/token",
                {"content-type": "application/x-www-form-urlencoded"},
                f"grant_type=client_credentials&client_id=sandbox-client&client_secret={SECRET}".encode(),
            )
        finally:
            upstream.close()
    assert answer.status == 200 and answer.problem is None


@contextlib.contextmanager
def socket_refusing_connections() -> Iterator[str]:
    """A proxy address where nothing listens: a request sent there fails at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
