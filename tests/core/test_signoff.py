"""The sign-off: the six checks read back from a logged attempt, and the printable report."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from criteo_console.core import ProfileContext, check_order, dumps_json
from criteo_console.core.checklist import Check, CheckState
from criteo_console.core.reconcile import summarize_order_input
from criteo_console.core.signoff import evaluate_signoff, render_signoff_html
from tests.core.orders import GUIDE_ORDER, guide_order

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
OK_STEPS = [
    {"step": "token", "state": "ok", "message": "Criteo issued an access token, valid for 900 s."},
    {"step": "scope", "state": "ok", "message": "Advertiser 1234567 is in this account's scope."},
    {"step": "post", "state": "ok", "message": "Criteo accepted the conversion."},
]


def record(order: dict[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
    """What EventLog keeps for an attempt (Attempt.to_dict()), for an accepted send."""
    order = order or GUIDE_ORDER
    payload = check_order(order, ProfileContext(advertiser_id=1234567), now=NOW).payload
    assert payload is not None
    body = dumps_json(payload)
    answer = {"data": payload["data"], "errors": [], "warnings": []}
    shop = summarize_order_input(order).as_dict()
    base: dict[str, Any] = {
        "id": 7,
        "created_at": "2026-11-28T12:00:01.123456Z",
        "state": "accepted",
        "profile": "Shop FR",
        "environment": "criteo",
        "advertiser_id": 1234567,
        "order_id": "PS-10428",
        "value": "149.90",
        "currency": "EUR",
        "request_body": body,
        "response_body": dumps_json(answer),
        "http_status": 200,
        "trace_id": "trace-123",
        "request_url": "https://api.criteo.com/2023-07/conversions",
        "error_explanation": "Criteo accepted the conversion (trace id trace-123).",
        "steps": [{"step": "order", "shop": shop}, *OK_STEPS],
        "app_version": "0.1.0",
    }
    base.update(changes)
    return base


def test_accepted_matching_attempt_passes_all_six_checks() -> None:
    signoff = evaluate_signoff(record(request_url="https://api.criteo.com/2025-10/conversions"))

    assert [line.check for line in signoff.lines] == list(Check)
    assert all(line.state is CheckState.OK for line in signoff.lines), signoff.lines
    assert signoff.passed
    assert signoff.verdict.startswith("All six checks pass: conversions reach Criteo")
    assert "2 of 3 identifiers" in signoff.lines[3].detail


def test_sandbox_attempt_is_called_a_rehearsal() -> None:
    signoff = evaluate_signoff(record(request_url="http://127.0.0.1:8765/2026-01/conversions"))

    assert signoff.passed
    assert "rehearsal" in signoff.verdict


def test_scope_failure_fails_check_two_and_the_send() -> None:
    steps = [OK_STEPS[0], {"step": "scope", "state": "failed", "message": "Not in scope."}]
    signoff = evaluate_signoff(
        record(state="failed", steps=steps, response_body=None, error_explanation="Not in scope.")
    )

    states = {line.check: line.state for line in signoff.lines}
    assert states[Check.ADVERTISER_SCOPE] is CheckState.FAILED
    assert states[Check.SIGN_OFF] is CheckState.FAILED
    assert not signoff.passed
    assert "Advertiser scope" in signoff.verdict


def test_answer_that_differs_is_a_warning_naming_the_field() -> None:
    other = check_order(guide_order(currency="USD"), ProfileContext(advertiser_id=1), now=NOW)
    assert other.payload is not None

    signoff = evaluate_signoff(record(response_body=dumps_json(other.payload)))

    assert signoff.lines[-1].state is CheckState.WARNING
    assert "Currency" in signoff.lines[-1].detail
    assert not signoff.passed


def test_attempt_without_steps_shows_checks_as_not_run() -> None:
    signoff = evaluate_signoff(record(steps=[]))

    assert signoff.lines[0].state is CheckState.NOT_STARTED
    assert not signoff.passed


def test_report_is_self_contained_escaped_and_signed() -> None:
    hostile = guide_order(order_id="<script>alert(1)</script>")
    page = render_signoff_html(
        evaluate_signoff(record(hostile)), signed_by="Ana <QA>", signed_on="2026-11-28"
    )

    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "Ana &lt;QA&gt;" in page
    assert "2026-11-28 12:00:01 UTC" in page
    assert "http" not in page.split("<body>")[0].replace("http-equiv", "")  # no external files
    assert page.count("✓ pass") == 6
    assert "trace-123" in page


def test_report_shows_the_exact_bodies() -> None:
    rec = record()
    page = render_signoff_html(evaluate_signoff(rec))

    sent = json.loads(rec["request_body"])
    assert sent["data"][0]["attributes"]["transaction_data"]["id"] in page
    assert "149.90" in page


def test_report_of_an_attempt_never_sent_shows_no_match() -> None:
    steps = [OK_STEPS[0], {"step": "scope", "state": "failed", "message": "Not in scope."}]
    rec = record(
        state="failed", steps=steps, response_body=None, http_status=None, trace_id="ref-1"
    )

    page = render_signoff_html(evaluate_signoff(rec))

    assert "✓ matches" not in page
    assert page.count("✗ no answer from Criteo") == 5
    assert "Prepared (never sent)" in page and "— not sent" in page
    assert "Criteo trace id" not in page
    assert "Criteo did not answer" in page


def test_sandbox_report_is_titled_a_rehearsal() -> None:
    rehearsal = record(environment="criteo", request_url="http://127.0.0.1:1/2026-01/conversions")
    page = render_signoff_html(evaluate_signoff(rehearsal), signed_by="Ana")

    assert "<h1>SANDBOX REHEARSAL — not a sign-off</h1>" in page
