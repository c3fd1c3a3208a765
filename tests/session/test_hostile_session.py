"""A send against servers that echo or cut off what they return: the row is always completed,
never holds the token, and an order that was never POSTed is not held back as a duplicate."""

from __future__ import annotations

import copy
import io
import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from criteo_console.core.examples import guide_example_order
from criteo_console.criteo import RetryPolicy
from criteo_console.session import SendStatus, ValidationSession
from criteo_console.storage import EventLog, sandbox_profile

from ..hostile_server import HostileServer, Request, echo_in_error, raw, respond, token
from .conftest import Sleeps

TOKEN = "eyJhbGciOiJIUzI1NiJ9.CANARY-token-5e1d"
SECRET = "CANARY-secret-77qp"
UNKNOWN_TO_THE_CLIENT = "CANARY-known-only-to-the-log"


def order() -> dict[str, Any]:
    out = copy.deepcopy(guide_example_order())
    out["event_time"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return out


@pytest.fixture
def hostile() -> Iterator[list[HostileServer]]:
    servers: list[HostileServer] = []
    yield servers
    for server in servers:
        server.__exit__(None, None, None)


def start(hostile: list[HostileServer], **routes: Any) -> HostileServer:
    server = HostileServer({"/oauth2/token": token(TOKEN), **routes})
    hostile.append(server.__enter__())
    return server


def session(
    http: httpx.AsyncClient, event_log: EventLog, server: HostileServer, sleeps: Sleeps
) -> ValidationSession:
    return ValidationSession(
        http=http,
        profile=sandbox_profile(),
        secret=SECRET,
        event_log=event_log,
        base_url=server.base_url,
        policy=RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.01),
        sleep=sleeps,
    )


def everything_stored(event_log: EventLog) -> str:
    out = io.StringIO()
    event_log.export(out, "csv")
    out.write(json.dumps([a.to_dict() for a in event_log.page()], ensure_ascii=False))
    return out.getvalue()


async def test_an_echoing_advertisers_endpoint_completes_the_row_as_failed_without_the_token(
    http: httpx.AsyncClient, event_log: EventLog, sleeps: Sleeps, hostile: list[HostileServer]
) -> None:
    server = start(hostile, **{"/advertisers/me": echo_in_error(403)})
    s = session(http, event_log, server, sleeps)
    report = await s.send(order())
    assert report.status is SendStatus.FAILED
    assert report.attempt is not None and report.attempt.state == "failed"
    assert "Bearer •••" in (report.attempt.scope_check or "")  # the echo is kept, masked
    stored = everything_stored(event_log)
    assert TOKEN not in stored and "CANARY" not in stored
    assert s.earlier_send(report.check.order.order_id) is None  # type: ignore[union-attr]
    again = await s.send(order())
    assert again.status is SendStatus.FAILED  # tried again, not held back as a duplicate
    assert server.counts["/conversions"] == 0


def _echo_with(value: str) -> Any:
    def handler(server: HostileServer, request: Request, conn: socket.socket) -> None:
        detail = f"denied for {value}"
        respond(conn, 403, {"errors": [{"code": "denied", "detail": detail}]})

    return handler


async def test_evidence_the_log_refuses_is_withheld_and_the_row_still_completed(
    http: httpx.AsyncClient, event_log: EventLog, sleeps: Sleeps, hostile: list[HostileServer]
) -> None:
    # The log knows a value the client does not (so the client cannot mask it): the guard
    # refuses the evidence; the row must still be completed, and say why it is bare.
    event_log.forbid(UNKNOWN_TO_THE_CLIENT)
    server = start(hostile, **{"/advertisers/me": _echo_with(UNKNOWN_TO_THE_CLIENT)})
    s = session(http, event_log, server, sleeps)
    report = await s.send(order())
    assert report.status is SendStatus.FAILED
    row = event_log.get(report.attempt.id if report.attempt else 1)
    assert row is not None and row.state == "failed" and row.reason == "auth"
    assert row.error_explanation == (
        "The attempt ended failed (auth), but its evidence (Criteo's answer, the explanation, "
        "the exchanges) was withheld from the log because the explanation contained a client "
        "secret or access token, which the log never stores."
    )
    assert {"step": "evidence-withheld", "posted": False} in row.steps
    assert UNKNOWN_TO_THE_CLIENT not in everything_stored(event_log)
    assert s.earlier_send(row.order_id or "") is None


async def test_a_cut_off_token_answer_is_in_no_column_and_no_export(
    http: httpx.AsyncClient, event_log: EventLog, sleeps: Sleeps, hostile: list[HostileServer]
) -> None:
    cut = b'{"access_token": "' + TOKEN.encode()
    server = start(hostile, **{"/oauth2/token": raw(200, cut)})
    report = await session(http, event_log, server, sleeps).send(order())
    assert report.status is SendStatus.FAILED
    assert report.attempt is not None and report.attempt.reason == "bad-response"
    stored = everything_stored(event_log)
    assert '\\"access_token\\": \\"•••' in stored or '"access_token": "•••' in stored
    assert "CANARY" not in stored


async def test_an_unreadable_scope_answer_does_not_hold_the_order_back_as_a_duplicate(
    http: httpx.AsyncClient, event_log: EventLog, sleeps: Sleeps, hostile: list[HostileServer]
) -> None:
    server = start(hostile, **{"/advertisers/me": raw(200, b"<html>proxy login</html>")})
    s = session(http, event_log, server, sleeps)
    first = await s.send(order())
    assert first.attempt is not None and first.attempt.reason == "bad-response"
    again = await s.send(order())
    assert again.status is SendStatus.FAILED  # never POSTed, so not a possible duplicate
    assert server.counts["/conversions"] == 0


async def test_an_unanswered_post_still_holds_the_order_back(
    http: httpx.AsyncClient, event_log: EventLog, sleeps: Sleeps, hostile: list[HostileServer]
) -> None:
    advertisers = {"data": [{"id": "1234567", "attributes": {"advertiserName": "Shop"}}]}
    server = start(
        hostile,
        **{
            "/advertisers/me": raw(200, json.dumps(advertisers).encode()),
            "/conversions": raw(200, b"not json"),
        },
    )
    s = session(http, event_log, server, sleeps)
    first = await s.send(order())
    assert first.attempt is not None and first.attempt.reason == "bad-response"
    again = await s.send(order())
    assert again.status is SendStatus.DUPLICATE
    assert server.counts["/conversions"] == 1


async def test_an_order_the_log_would_refuse_is_not_sent_and_says_why(
    http: httpx.AsyncClient, event_log: EventLog, sleeps: Sleeps, hostile: list[HostileServer]
) -> None:
    # The order check lets a URL-encoded email through; the log's guard does not.
    server = start(hostile)
    report = await session(http, event_log, server, sleeps).send(
        {**order(), "customer_id": "jane%40example.com"}
    )
    assert report.status is SendStatus.FAILED
    assert report.explanation == (
        "Nothing was sent: the order's request_body contains a raw email address, which the "
        "event log never stores (and every send is recorded first). Remove it from the order."
    )
    assert event_log.count() == 0 and server.connections == 0
