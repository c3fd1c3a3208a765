"""One deadline for a whole send, and a row that cannot be completed after the POST.

Real loopback servers (tests/hostile_server.py) and a real SQLite event log: the token, the
scope check and the POST share ``RetryPolicy.max_send_seconds``, however slowly each answers;
a full disk after the POST leaves the row pending and says the conversion may have arrived.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from criteo_console.criteo import RetryPolicy
from criteo_console.session import SendStatus, ValidationSession
from criteo_console.storage import EventLog, sandbox_profile

from ..hostile_server import HostileServer, Request, raw, respond, silent
from .conftest import Sleeps
from .test_hostile_session import SECRET, order, start


@pytest.fixture
def hostile() -> Iterator[list[HostileServer]]:
    servers: list[HostileServer] = []
    yield servers
    for server in servers:
        server.__exit__(None, None, None)


SCOPE = {"data": [{"id": "1234567", "attributes": {"advertiserName": "Shop"}}]}


def late(seconds: float, body: Any) -> Any:
    """Answers ``body`` after ``seconds`` (each step within its own budget, but slow)."""

    def handler(server: HostileServer, request: Request, conn: socket.socket) -> None:
        if not server.stop.wait(seconds):
            respond(conn, 200, body)

    return handler


def session(
    http: httpx.AsyncClient, event_log: EventLog, server: HostileServer, policy: RetryPolicy
) -> ValidationSession:
    return ValidationSession(
        http=http,
        profile=sandbox_profile(),
        secret=SECRET,
        event_log=event_log,
        base_url=server.base_url,
        policy=policy,
        sleep=Sleeps(),
    )


async def test_a_slow_scope_check_and_a_silent_post_share_one_deadline(
    http: httpx.AsyncClient, event_log: EventLog, hostile: list[HostileServer]
) -> None:
    # Each step within its own 2 s budget would let this send run 1.5 + 2 = 3.5 s.
    server = start(hostile, **{"/advertisers/me": late(1.5, SCOPE), "/conversions": silent})
    policy = RetryPolicy(max_attempts=1, max_total_seconds=2.0, max_send_seconds=2.0)
    started = time.monotonic()
    report = await session(http, event_log, server, policy).send(order())
    assert time.monotonic() - started < 3.0
    assert report.status is SendStatus.FAILED
    assert server.counts["/conversions"] == 1
    assert report.attempt is not None
    assert (report.attempt.state, report.attempt.reason) == ("failed", "timeout")
    assert report.attempt.attempt_count == 1
    assert "stopped at its 2-second deadline" in report.explanation
    assert "The conversion was sent once without a clear answer" in report.explanation
    # A POST without an answer still holds the order id back.
    assert session(http, event_log, server, policy).earlier_send(report.check.order.order_id)


async def test_a_silent_token_endpoint_ends_the_send_at_its_deadline_with_nothing_sent(
    http: httpx.AsyncClient, event_log: EventLog, hostile: list[HostileServer]
) -> None:
    server = start(hostile, **{"/oauth2/token": silent, "/conversions": raw(200, SCOPE)})
    policy = RetryPolicy(max_attempts=1, max_send_seconds=1.0)  # 20 s per request otherwise
    started = time.monotonic()
    report = await session(http, event_log, server, policy).send(order())
    assert time.monotonic() - started < 2.5
    assert server.counts["/conversions"] == 0
    assert report.attempt is not None and report.attempt.reason == "timeout"
    assert "stopped at its 1-second deadline" in report.explanation
    assert (
        session(http, event_log, server, policy).earlier_send(report.check.order.order_id) is None
    )


def fill_the_disk_then(body: Any, event_log: EventLog) -> Any:
    """Answers the POST, having first let the event log grow no more (SQLite's own "database
    or disk is full" for the completion, as on a full disk)."""

    def handler(server: HostileServer, request: Request, conn: socket.socket) -> None:
        with event_log._lock:
            pages = event_log._conn.execute("PRAGMA page_count").fetchone()[0]
            event_log._conn.execute(f"PRAGMA max_page_count = {pages}")
        respond(conn, 200, body)

    return handler


async def test_a_full_disk_after_the_post_says_the_conversion_may_have_arrived(
    http: httpx.AsyncClient,
    event_log: EventLog,
    hostile: list[HostileServer],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    accepted = {"data": [{"type": "conversion", "attributes": {"note": "x" * 30_000}}]}
    server = start(hostile)
    server.routes["/advertisers/me"] = raw(200, SCOPE)
    server.routes["/conversions"] = fill_the_disk_then(accepted, event_log)
    report = await session(http, event_log, server, RetryPolicy()).send(order())
    assert server.counts["/conversions"] == 1
    assert report.status is SendStatus.FAILED
    assert report.attempt is None
    text = report.explanation
    assert "This outcome could not be recorded" in text
    assert "the disk is full" in text
    assert "may have reached Criteo" in text
    assert "Nothing was changed" not in text and "Nothing was sent" not in text
    rows = event_log.page()
    assert [r.state for r in rows] == ["pending"]
    event_log._conn.execute("PRAGMA max_page_count = 1073741823")
    order_id = report.check.order.order_id
    # Held back at once in this run, and read "outcome unknown" from the next start.
    assert session(http, event_log, server, RetryPolicy()).earlier_send(order_id) is not None
    monkeypatch.setattr("criteo_console.storage.event_log.PROCESS_SESSION", "the-next-run")
    with EventLog(event_log.path) as later:
        row = later.get(rows[0].id)
        assert row is not None and row.outcome_unknown
        assert session(http, later, server, RetryPolicy()).earlier_send(order_id) is not None


async def test_a_send_that_joins_a_slower_token_request_still_ends_at_its_deadline(
    http: httpx.AsyncClient, event_log: EventLog, hostile: list[HostileServer]
) -> None:
    # A connection test already asked for a token (with its own 30 s budget); the send
    # shares that request, so only the session's own timer can stop it.
    server = start(hostile, **{"/oauth2/token": silent})
    s = session(http, event_log, server, RetryPolicy(max_attempts=1, max_send_seconds=1.0))
    # Runs from the send's first await (the duplicate check), before its own token step.
    connecting = asyncio.ensure_future(s.client.check_token())
    started = time.monotonic()
    report = await s.send(order())
    assert time.monotonic() - started < 4.0
    connecting.cancel()
    assert report.attempt is not None
    assert (report.attempt.state, report.attempt.reason) == ("failed", "timeout")
    assert report.explanation.startswith("The send stopped at its 1-second deadline")
    assert "The conversion was not sent: nothing reached Criteo." in report.explanation
    assert server.counts["/conversions"] == 0
    assert s.earlier_send(report.check.order.order_id) is None
