"""The sidebar's sign-off (check 6) reads the same three sides as Compare."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from criteo_console.core import ProfileContext, check_order, dumps_json
from criteo_console.core.checklist import Check, CheckState
from criteo_console.session import SendReport, SendStatus, guide_example_order
from criteo_console.storage import EventLog
from criteo_console.ui.service import ConsoleService

ORDER = guide_example_order()


def accepted(log: EventLog, response_body: str) -> SendReport:
    check = check_order(ORDER, ProfileContext(advertiser_id=1234567))
    shop = {
        "step": "order",
        "shop": {
            "order_id": "PS-10428",
            "value": "149.90",
            "currency": "EUR",
            "line_count": 2,
            "items_total": "149.90",
        },
    }
    attempt_id = log.begin_attempt(
        profile="Sandbox",
        environment="sandbox",
        advertiser_id=1234567,
        event_name="purchase",
        order_id="PS-10428",
        value="149.90",
        currency="EUR",
        request_body=dumps_json(check.payload),
        request_url="http://127.0.0.1:9/2026-01/conversions",
        steps=[shop],
    )
    attempt = log.complete_attempt(
        attempt_id,
        state="accepted",
        http_status=200,
        response_body=response_body,
        trace_id="trace-this-attempt",
    )
    return SendReport(SendStatus.ACCEPTED, "Accepted.", check, attempt=attempt)


def sign_off(service: ConsoleService) -> Any:
    return next(s for s in service.checks() if s.check is Check.SIGN_OFF)


@pytest.mark.parametrize("echo", [False, True])
def test_without_an_answer_there_is_no_sign_off(qapp: Any, tmp_path: Path, echo: bool) -> None:
    # The sandbox kept a record of the same order, but of another attempt (another trace id).
    other = check_order(guide_example_order(value="999.00"), ProfileContext(advertiser_id=1234567))
    record = {"trace_id": "trace-another-attempt", "body": json.loads(dumps_json(other.payload))}
    service = ConsoleService(http=None, paths=None, received_lookup=lambda _order: [record])
    with EventLog(tmp_path / "log.sqlite3") as log:
        body = dumps_json(check_order(ORDER, ProfileContext(advertiser_id=1234567)).payload)
        service.record_send_result(accepted(log, body if echo else '{"errors": []}'))
    status = sign_off(service)
    if echo:  # Criteo's own echo of this attempt is an answer, and it matches
        assert status.state is CheckState.OK, status.reason
    else:  # neither the body sent nor another attempt's record stands in for an answer
        assert status.state is CheckState.WARNING
        assert "no answer to compare" in status.reason
