"""What was answered for an attempt, and whether a target creates real conversions."""

from __future__ import annotations

from typing import Any

import pytest

from criteo_console.core import ProfileContext, check_order, dumps_json
from criteo_console.core.examples import guide_example_order
from criteo_console.core.verdict import (
    ANSWER_ECHO,
    ANSWER_SANDBOX,
    answered_summary,
    sends_real_conversions,
)


@pytest.mark.parametrize(
    ("url", "real"),
    [
        ("https://api.criteo.com", True),
        ("https://api.criteo.com:443/", True),
        ("https://example.org", True),
        ("http://127.0.0.1:8787", False),
        ("http://127.0.0.2:1", False),
        ("http://localhost:9", False),
        ("http://[::1]:8787", False),
    ],
)
def test_real_conversions_follow_the_address(url: str, real: bool) -> None:
    assert sends_real_conversions(url) is real


def _body(**changes: Any) -> dict[str, Any]:
    payload = check_order(guide_example_order(**changes), ProfileContext(advertiser_id=1234567))
    assert payload.payload is not None
    return payload.payload


def test_echo_in_the_response_comes_first() -> None:
    record = {"response_body": dumps_json(_body()), "trace_id": "t1"}

    summary, source = answered_summary(record, [{"trace_id": "t1", "body": _body(value="1.00")}])

    assert summary is not None and str(summary.value) == "149.90"
    assert source == ANSWER_ECHO


def test_sandbox_record_only_with_this_attempts_trace_id_and_local_target() -> None:
    local = {"response_body": None, "trace_id": "t2", "request_url": "http://127.0.0.1:1/x"}
    other_attempt = [{"trace_id": "t1", "body": _body()}]
    this_attempt = [{"trace_id": "t2", "body": _body()}]

    assert answered_summary(local, other_attempt) == (None, "")
    summary, source = answered_summary(local, this_attempt)
    assert summary is not None and source == ANSWER_SANDBOX
    remote = dict(local, request_url="https://api.criteo.com/2023-07/conversions")
    assert answered_summary(remote, this_attempt) == (None, "")


def test_attempt_that_never_posted_has_no_answer() -> None:
    assert answered_summary({"state": "failed", "response_body": None}, []) == (None, "")


def test_a_redirected_capture_has_a_plain_reason() -> None:
    from criteo_console.core.failures import reason_text

    assert reason_text("redirected") == "Criteo answered with a redirect to another address"
    assert reason_text("redirected", "the sandbox") == (
        "the sandbox answered with a redirect to another address"
    )
