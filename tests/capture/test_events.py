"""The Events API (``POST /m/event?version=s2s_v0``) through the capture endpoint: judged by
the core's rules for an Events API order, answered through the sandbox (inspect) or relayed
(forward), recorded as a ``shop`` attempt. Real loopback throughout."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

from criteo_console.capture import CaptureConfig, CaptureMode, CaptureServer
from criteo_console.core.checklist import Check, CheckState
from criteo_console.core.verdict import evaluate_attempt
from criteo_console.sandbox import SandboxConfig, SandboxServer
from criteo_console.storage.event_log import EventLog, LogFilter
from tests.capture.shop import (
    CANONICAL,
    CHECKOUT_EMAIL,
    EMAIL_MISTAKES,
    StandInShop,
    drained,
    event,
)

EVENT_PATH = "/m/event?version=s2s_v0"


def last(capture: CaptureServer) -> dict[str, Any]:
    return drained(capture)[-1].as_json()


def codes(seen: dict[str, Any]) -> list[str]:
    return [issue["code"] for issue in seen["issues"]]


# -- inspect --------------------------------------------------------------------------------


def test_a_correct_event_is_answered_judged_and_recorded_as_the_shops(
    capture: CaptureServer, shop: StandInShop, event_log: EventLog
) -> None:
    capture.set_checkout_order(
        {"order_id": "EV-1", "value": "79.95", "currency": "EUR",
         "items": [{"id": "SKU-1", "price": "79.95", "quantity": 1}]}
    )  # fmt: skip
    answer = shop.send_event(event("EV-1", mapping_key="whatever-the-shop-has", account="777"))
    assert answer.status_code == 200
    assert answer.json() == {"errors": [], "warnings": []}  # the sandbox's own answer
    seen = last(capture)
    assert (seen["kind"], seen["verdict"], seen["issues"]) == ("event", "ok", [])
    assert (seen["order_id"], seen["email_match"], seen["status"]) == ("EV-1", "match", 200)
    assert seen["path"] == "/m/event"
    assert capture.sandbox is not None
    (kept,) = capture.sandbox.received()
    assert kept.endpoint == "events" and kept.order_id == "EV-1"

    (attempt,) = event_log.page(filters=LogFilter(source="shop"))
    assert attempt.id == seen["attempt_id"]
    assert (attempt.state, attempt.http_status, attempt.order_id) == ("accepted", 200, "EV-1")
    assert attempt.advertiser_id == 777  # the partner account the shop sent
    assert attempt.request_url.endswith(EVENT_PATH)
    received = [entry.to_json() for entry in capture.sandbox.received()]
    evaluation = evaluate_attempt(attempt.to_dict(), received)
    states = {result.check: result.state for result in evaluation.checks}
    assert set(states.values()) == {CheckState.OK}, evaluation.checks
    assert evaluation.check(Check.TOKEN).detail.startswith("The Events API (s2s) needs no token")
    assert evaluation.reconciliation.all_match
    assert not [w.code for w in evaluation.warnings]


@pytest.mark.parametrize("code", ["match", "not-lowercased", "md5", "other-address", "missing"])
def test_the_events_email_sha256_is_matched_against_the_checkout_email(
    code: str, capture: CaptureServer, shop: StandInShop
) -> None:
    shop.send_event(event(email_sha256=EMAIL_MISTAKES[code]))
    seen = last(capture)
    assert seen["email_match"] == code
    assert seen["verdict"] == {"match": "ok", "missing": "warning"}.get(code, "error")


def test_a_raw_email_is_refused_never_forwarded_and_stored_redacted(
    capture: CaptureServer, shop: StandInShop, event_log: EventLog
) -> None:
    body = event("RAW-1")
    body["id"]["email"]["sha256"] = "Jane.Doe@Example.COM"
    answer = shop.send_event(body)
    assert answer.status_code == 400
    error = answer.json()["errors"][0]
    assert (error["code"], error["source"]["pointer"]) == (
        "personal-data-in-clear",
        "/id/email/sha256",
    )
    assert "id.email.sha256" in error["detail"]
    assert "@" not in answer.text
    assert capture.sandbox is not None and capture.sandbox.received() == []  # not forwarded
    seen = last(capture)
    assert (seen["kind"], seen["verdict"]) == ("event", "error")
    assert "raw-email-refused" in codes(seen)
    attempt = event_log.get(int(seen["attempt_id"]))
    assert attempt is not None and attempt.state == "rejected"
    assert "[email removed]" in (attempt.request_body or "")
    event_log.close()
    stored = b"".join(p.read_bytes() for p in Path(event_log.path).parent.glob("log.sqlite3*"))
    for value in ("Jane.Doe@Example.COM", CANONICAL, CHECKOUT_EMAIL.strip()):
        assert value.encode() not in stored


def test_an_old_timestamp_is_a_warning_from_the_core_rule(
    capture: CaptureServer, shop: StandInShop
) -> None:
    answer = shop.send_event(event("OLD-1", timestamp="2026-01-05T10:00:00.000Z"))
    assert answer.status_code == 200  # taken, with a warning of the sandbox's own
    assert answer.json()["warnings"]
    seen = last(capture)
    assert codes(seen) == ["event-time-stale"]
    assert seen["issues"][0]["level"] == "warning"
    assert seen["verdict"] == "warning"


def test_the_cores_codes_and_errors_inside_a_200(capture: CaptureServer, shop: StandInShop) -> None:
    body = event("JP-1", currency="JPY", price=1500.5, md5_form=False)
    body["events"][0]["colour"] = "red"
    answer = shop.send_event(body)
    assert answer.status_code == 200 and answer.json()["errors"]  # the Events API's way
    seen = last(capture)
    assert codes(seen) == [
        "unknown-field",
        "item-price-too-many-decimals",
        "email-md5-unavailable",
    ]
    assert seen["issues"][1]["field"] == "items[0].price"
    assert seen["verdict"] == "error"

    shop.send_event({"account": "12345", "id": {"mapping_key": "k"}})
    assert codes(last(capture)) == ["events-missing"]
    shop.send_event(event(account="ACME", mapping_key=""))
    assert {"account-invalid", "mapping-key-missing"} <= set(codes(last(capture)))


def test_a_307_is_passed_back_pointing_at_this_endpoint_and_the_retry_is_served(
    capture: CaptureServer, shop: StandInShop, event_log: EventLog
) -> None:
    redirected = shop.send_event(event("R-1"), headers={"X-Sandbox-Fault": "redirect"})
    assert redirected.status_code == 307
    location = redirected.headers["location"]
    assert location == capture.base_url.rstrip("/") + "/eu" + EVENT_PATH
    first = last(capture)
    assert (first["kind"], first["verdict"]) == ("event", "warning")
    assert "not followed" in first["summary"]

    again = shop.http.post(location, json=event("R-1"))
    assert again.status_code == 200 and again.json()["errors"] == []
    seen = last(capture)
    assert (seen["kind"], seen["path"], seen["verdict"]) == ("event", "/eu/m/event", "ok")
    assert [a.state for a in event_log.page(filters=LogFilter(source="shop"))] == [
        "accepted",
        "failed",
    ]


# -- forward --------------------------------------------------------------------------------


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig()) as server:
        yield server


@pytest.fixture
def forward(sandbox: SandboxServer, event_log: EventLog) -> Iterator[CaptureServer]:
    config = CaptureConfig(mode=CaptureMode.FORWARD, forward_url=sandbox.base_url, profile="ACME")
    with CaptureServer(config, event_log=event_log, checkout_email=CHECKOUT_EMAIL) as capture:
        yield capture


def sandbox_event(order_id: str, **kwargs: Any) -> dict[str, Any]:
    config = SandboxConfig()
    return event(
        order_id, account=config.events_account, mapping_key=config.events_caller_id, **kwargs
    )


def test_forward_relays_the_upstreams_answer_and_records_it(
    forward: CaptureServer, sandbox: SandboxServer, event_log: EventLog
) -> None:
    shop = StandInShop(forward.base_url)
    through = shop.send_event(sandbox_event("FWD-1"))
    unknown = shop.send_event(event("FWD-2", account="999"))  # not re-signed in forward mode
    shop.close()
    assert through.status_code == 200 and through.json() == {"errors": [], "warnings": []}
    assert [r.order_id for r in sandbox.received()] == ["FWD-1", "FWD-2"]
    assert through.headers["x-criteo-trace-id"] == sandbox.received()[0].trace_id
    assert unknown.status_code == 200
    assert unknown.json()["errors"][0]["code"] == "unknown-account"
    first, second = drained(forward)
    assert (first.kind, first.forwarded, first.verdict) == ("event", True, "ok")
    assert (second.verdict, second.forwarded) == ("error", True)  # errors inside a 200

    attempts = {a.order_id: a for a in event_log.page(filters=LogFilter(source="shop"))}
    assert (attempts["FWD-1"].state, attempts["FWD-2"].state) == ("accepted", "rejected")
    assert attempts["FWD-1"].request_url == sandbox.base_url + EVENT_PATH
    assert attempts["FWD-1"].profile == "ACME"


def test_forward_never_sends_a_raw_email_on(forward: CaptureServer, sandbox: SandboxServer) -> None:
    body = sandbox_event("RAW-2")
    body["ip"] = "jane.doe@example.com"
    shop = StandInShop(forward.base_url)
    answer = shop.send_event(body)
    shop.close()
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["source"]["pointer"] == "/ip"
    assert sandbox.request_count("events") == 0
    assert drained(forward)[-1].forwarded is False


class _Redirector(BaseHTTPRequestHandler):
    location = ""
    seen: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append(self.path)
        self.send_response(307)
        self.send_header("Location", self.location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def redirector() -> Iterator[str]:
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Redirector)
    thread = threading.Thread(target=upstream.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    _Redirector.seen = []
    try:
        yield f"http://127.0.0.1:{upstream.server_address[1]}"
    finally:
        upstream.shutdown()
        upstream.server_close()
        thread.join()


def test_a_307_to_a_regional_criteo_host_is_passed_back_not_followed(redirector: str) -> None:
    regional = "https://eu.widget.criteo.com/m/event?version=s2s_v0"
    _Redirector.location = regional
    with CaptureServer(CaptureConfig(mode=CaptureMode.FORWARD, forward_url=redirector)) as capture:
        shop = StandInShop(capture.base_url)
        answer = shop.send_event(event("REG-1"))  # httpx does not follow by default
        shop.close()
        seen = drained(capture)[-1]
    assert answer.status_code == 307 and answer.headers["location"] == regional
    assert _Redirector.seen == [EVENT_PATH]  # reached once, the redirect not followed
    assert (seen.kind, seen.verdict) == ("event", "warning")
    assert regional in seen.summary


def test_a_307_to_another_host_is_refused(redirector: str, sandbox: SandboxServer) -> None:
    _Redirector.location = sandbox.base_url.replace("127.0.0.1", "localhost") + EVENT_PATH
    with CaptureServer(CaptureConfig(mode=CaptureMode.FORWARD, forward_url=redirector)) as capture:
        shop = StandInShop(capture.base_url)
        answer = shop.send_event(sandbox_event("ELSE-1"))
        shop.close()
    assert answer.status_code == 502
    assert "another host" in answer.json()["errors"][0]["detail"]
    assert sandbox.request_count("events") == 0
    with httpx.Client() as client:  # the redirector itself is still the only host reached
        assert client.get(f"{sandbox.base_url}/_sandbox/received").json() == []


def test_no_identifier_at_all_is_the_cores_error(capture: CaptureServer, shop: StandInShop) -> None:
    shop.send_event(event("NOID-1", email_sha256=None, md5_form=False))
    seen = last(capture)
    assert codes(seen) == ["events-identifier-missing"]
    assert (seen["verdict"], seen["email_match"]) == ("error", "missing")
