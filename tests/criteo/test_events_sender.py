"""The Events API sender against the sandbox over real loopback: the fault matrix for the
second destination (307, errors in a 200, 5xx, a dropped connection) and where a 307 may go."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from criteo_console.core import ProfileContext, check_order
from criteo_console.core.destinations import DestinationSettings
from criteo_console.criteo import Kind, RetryPolicy
from criteo_console.criteo.events import EventsSender, redirect_allowed
from criteo_console.sandbox import Fault, SandboxServer
from tests.core.orders import DROP, guide_order

from .helpers import Sleeps
from .stub_server import StubServer

FAST = RetryPolicy(max_attempts=3, max_total_seconds=30, base_delay=0.01, max_delay=0.05)
RAW_EMAIL = " Jane.Shopper@Example.com "


def events_body(order_id: str = "PS-EV1", **settings: Any) -> dict[str, Any]:
    """The core's Events API body for a fresh order (the sandbox's account and caller id)."""
    chosen = {"account": "12345", "mapping_key": "sandbox-caller", **settings}
    context = ProfileContext(
        advertiser_id=None, destination="events", settings=DestinationSettings(**chosen)
    )
    order = guide_order(
        order_id=order_id,
        event_time=datetime.now(UTC).isoformat(),
        email=RAW_EMAIL,
        email_sha256=DROP,
        gum_id="d0f3a1c2e4b5",
    )
    check = check_order(order, context)
    assert check.ok and check.payload is not None, check.issues
    return check.payload


@pytest.fixture
def sender(http: httpx.AsyncClient, sandbox: SandboxServer, sleeps: Sleeps) -> EventsSender:
    return EventsSender(http, sandbox.base_url, policy=FAST, sleep=sleeps)


def _no_raw_email(*texts: str) -> None:
    for text in texts:
        assert "jane" not in text.lower()


async def test_a_good_event_is_taken(sender: EventsSender, sandbox: SandboxServer) -> None:
    sent = await sender.send(events_body("PS-GOOD"))

    assert sent.ok and sent.kind is Kind.ACCEPTED, sent.explanation
    assert sent.trace_id and sent.trace_id in sent.explanation
    assert [(e.step, e.method, e.status) for e in sent.exchanges] == [("events", "POST", 200)]
    assert "authorization" not in sent.exchanges[0].request_headers  # no OAuth
    received = sandbox.find_received("PS-GOOD")[0]
    assert received.accepted and received.body["id"]["email"]["md5"]
    _no_raw_email(json.dumps([e.to_dict() for e in sent.exchanges]))


async def test_a_307_is_followed_with_the_same_method_and_body(
    sender: EventsSender, sandbox: SandboxServer
) -> None:
    sandbox.queue_fault(Fault.REDIRECT, endpoint="events")
    sent = await sender.send(events_body("PS-307"))

    assert sent.ok, sent.explanation
    first, second = sent.exchanges
    assert (first.status, second.status) == (307, 200)
    assert second.url == f"{sandbox.base_url}/eu/m/event?version=s2s_v0"
    assert second.method == "POST" and second.request_body == first.request_body
    assert sandbox.request_count("events") == 2
    assert len(sandbox.find_received("PS-307")) == 1


async def test_errors_inside_a_200_are_not_a_success(
    sender: EventsSender, sandbox: SandboxServer
) -> None:
    sandbox.queue_fault(Fault.ERRORS_IN_200, endpoint="events")
    sent = await sender.send(events_body())

    assert not sent.ok and sent.kind is Kind.REJECTED
    assert sent.status == 200
    assert "answered 200 but listed errors" in sent.explanation
    assert [p.code for p in sent.errors] == ["event-not-processed"]


async def test_a_contract_error_in_a_200_names_the_field(sender: EventsSender) -> None:
    sent = await sender.send(events_body(mapping_key="not-our-caller"))

    assert sent.kind is Kind.REJECTED
    assert "/id/mapping_key" in sent.explanation


async def test_a_5xx_is_retried_then_reported(
    sender: EventsSender, sandbox: SandboxServer, sleeps: Sleeps
) -> None:
    sandbox.queue_fault(Fault.SERVER_ERROR, times=5, endpoint="events")
    sent = await sender.send(events_body())

    assert sent.kind is Kind.SERVER and sent.status == 503
    assert "after 3 attempts" in sent.explanation
    assert sandbox.request_count("events") == 3 and len(sleeps.calls) == 2


async def test_a_5xx_then_success(sender: EventsSender, sandbox: SandboxServer) -> None:
    sandbox.queue_fault(Fault.SERVER_ERROR, times=1, endpoint="events")
    sent = await sender.send(events_body("PS-RETRY"))

    assert sent.ok and [e.status for e in sent.exchanges] == [503, 200]


async def test_a_dropped_connection_may_or_may_not_have_arrived(
    sender: EventsSender, sandbox: SandboxServer
) -> None:
    sandbox.queue_fault(Fault.DROP_CONNECTION, times=5, endpoint="events")
    sent = await sender.send(events_body())

    assert sent.kind is Kind.NETWORK and sent.status is None
    assert "may or may not have reached the sandbox" in sent.explanation
    assert sandbox.request_count("events") == 3


async def test_a_307_to_another_host_is_not_followed(
    http: httpx.AsyncClient, sleeps: Sleeps
) -> None:
    routes = {"/m/event?version=s2s_v0": (307, {"Location": "https://evil.example/m/event"}, {})}
    with StubServer(routes) as stub:
        sender = EventsSender(http, stub.base_url, policy=FAST, sleep=sleeps)
        sent = await sender.send(events_body())

    assert not sent.ok and sent.kind is Kind.REFUSED_URL
    assert "evil.example" in sent.explanation and "not followed" in sent.explanation
    assert len(sent.exchanges) == 1 and stub.counts["/m/event?version=s2s_v0"] == 1


async def test_a_redirect_loop_stops(http: httpx.AsyncClient, sleeps: Sleeps) -> None:
    with StubServer({"/m/event?version=s2s_v0": (307, {}, {})}) as stub:
        stub.routes["/m/event?version=s2s_v0"] = (
            307,
            {"Location": f"{stub.base_url}/m/event?version=s2s_v0"},
            {},
        )
        sent = await EventsSender(http, stub.base_url, policy=FAST, sleep=sleeps).send(
            events_body()
        )
    assert sent.kind is Kind.REFUSED_URL and len(sent.exchanges) == 4


async def test_an_unreadable_200_may_have_been_recorded(
    http: httpx.AsyncClient, sleeps: Sleeps
) -> None:
    with StubServer({"/m/event?version=s2s_v0": (200, {}, b"<html>ok</html>")}) as stub:
        sent = await EventsSender(http, stub.base_url, policy=FAST, sleep=sleeps).send(
            events_body()
        )
    assert sent.kind is Kind.BAD_RESPONSE
    assert "may have been recorded" in sent.explanation


async def test_plain_http_to_a_remote_host_is_refused(http: httpx.AsyncClient) -> None:
    sent = await EventsSender(http, "http://widget.criteo.com").send(events_body())
    assert sent.kind is Kind.REFUSED_URL and sent.exchanges == ()


@pytest.mark.parametrize(
    ("base", "target", "allowed"),
    [
        ("https://widget.criteo.com", "https://widget-eu.criteo.com/m/event?version=s2s_v0", True),
        ("https://widget.criteo.com", "https://sslwidget.criteo.net/m/event", True),
        ("https://widget.criteo.com", "https://criteo.com/m/event", True),
        ("https://widget.criteo.com", "http://widget-eu.criteo.com/m/event", False),
        ("https://widget.criteo.com", "https://criteo.com.evil.example/m/event", False),
        ("https://widget.criteo.com", "https://evilcriteo.com/m/event", False),
        ("https://widget.criteo.com", "https://user:pw@widget.criteo.com/m/event", False),
        ("https://widget.criteo.com", "http://127.0.0.1:8787/eu/m/event", False),
        ("http://127.0.0.1:8787", "http://127.0.0.1:8787/eu/m/event", True),
        ("http://127.0.0.1:8787", "http://127.0.0.1:9999/eu/m/event", True),
        ("http://127.0.0.1:8787", "http://localhost:8787/eu/m/event", False),
        ("http://127.0.0.1:8787", "https://widget.criteo.com/m/event", False),
    ],
)
def test_where_a_307_may_lead(base: str, target: str, allowed: bool) -> None:
    assert redirect_allowed(base, target) is allowed


def test_every_destination_has_a_sender() -> None:
    from criteo_console.core.destinations import DESTINATION_NAMES
    from criteo_console.criteo.senders import SENDERS

    assert tuple(SENDERS) == DESTINATION_NAMES


async def test_a_dripping_events_answer_cannot_extend_the_deadline(sleeps: Sleeps) -> None:
    # main's hardened client (issue 9): one request has a hard deadline from connecting to the
    # last byte; the Events API sender goes through the same perform() and keeps to it.
    from criteo_console.criteo import make_http_client
    from tests.hostile_server import HostileServer, drip

    policy = RetryPolicy(max_attempts=1, max_total_seconds=1.0, max_request_seconds=1.0)
    with HostileServer({"s2s_v0": drip(0.3, 40)}) as server:
        async with make_http_client(timeout=5.0) as http:
            sent = await EventsSender(http, server.base_url, policy=policy, sleep=sleeps).send(
                events_body("PS-DRIP")
            )
        dripped = server.dripped
    assert sent.kind is Kind.TIMEOUT
    assert "the answer was still arriving after" in sent.explanation
    assert "may or may not have reached the sandbox" in sent.explanation
    assert dripped < 10
