"""An event log on disk with attempts shaped like the console's sends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from criteo_console.core import ProfileContext, check_order, dumps_json
from criteo_console.core.reconcile import summarize_order_input
from criteo_console.storage.event_log import EventLog
from tests.core.orders import guide_order


@pytest.fixture
def event_log(tmp_path: Path) -> Iterator[EventLog]:
    log = EventLog(tmp_path / "log.sqlite3")
    yield log
    log.close()


def add_sent(
    log: EventLog,
    order: dict[str, Any] | None = None,
    *,
    profile: str = "sandbox",
    state: str = "accepted",
    answered: dict[str, Any] | None = None,
    trace_id: str = "trace-1",
    shop_step: bool = True,
    progress: list[dict[str, Any]] | None = None,
    source: str = "console",
) -> int:
    """Record a send of ``order`` as the console does; Criteo echoes ``answered`` (or the body)."""
    order = order or guide_order()
    payload = check_order(order, ProfileContext(1234567)).payload
    assert payload is not None
    body = dumps_json(payload)
    steps: list[Any] = (
        [{"step": "order", "shop": summarize_order_input(order).as_dict()}] if shop_step else []
    )
    steps += progress or []  # the progress steps (token, scope, post…) the sign-off reads
    attempt_id = log.begin_attempt(
        profile=profile,
        environment="sandbox",
        advertiser_id=1234567,
        event_name="purchase",
        order_id=order["order_id"],
        value=order["value"],
        currency=order["currency"],
        request_body=body,
        request_headers={
            "Authorization": "Bearer secret-token",
            "Content-Type": "application/json",
        },
        request_url="http://127.0.0.1:8787/2023-07/conversions",
        steps=steps,
        source=source,
    )
    if state == "pending":
        return attempt_id
    echoed = answered if answered is not None else payload
    response = dumps_json({"data": echoed["data"], "errors": [], "warnings": []})
    log.complete_attempt(
        attempt_id,
        state=state,  # type: ignore[arg-type]
        http_status=200 if state == "accepted" else 400,
        response_body=response,
        trace_id=trace_id,
        latency_ms=42,
        steps=steps,
    )
    return attempt_id


def add_unposted(log: EventLog, order: dict[str, Any] | None = None) -> int:
    """Record a send that failed at the token step: the conversion was never posted."""
    order = order or guide_order()
    payload = check_order(order, ProfileContext(1234567)).payload
    assert payload is not None
    steps: list[Any] = [{"step": "order", "shop": summarize_order_input(order).as_dict()}]
    attempt_id = log.begin_attempt(
        profile="sandbox",
        environment="sandbox",
        advertiser_id=1234567,
        event_name="purchase",
        order_id=order["order_id"],
        value=order["value"],
        currency=order["currency"],
        request_body=dumps_json(payload),
        request_headers={"Content-Type": "application/json"},
        request_url="http://127.0.0.1:8787/2023-07/conversions",
        steps=steps,
    )
    steps.append({"step": "token", "state": "failed", "message": "The secret was refused."})
    log.complete_attempt(
        attempt_id,
        state="failed",
        reason="auth",
        error_explanation="Criteo refused the client secret.",
        steps=steps,
    )
    return attempt_id
