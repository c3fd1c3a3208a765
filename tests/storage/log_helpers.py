"""Build event-log rows the way the send path will (hashed identifiers, redacted headers)."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from criteo_console.storage import EventLog


def email_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()


def body(order_id: str, value: str, email: str, advertiser_id: int = 1234567) -> str:
    attributes = {
        "advertiser_id": advertiser_id,
        "event_name": "purchase",
        "event_time": "2026-04-24T13:14:58Z",
        "identifiers": {"email_sha256": email_hash(email), "customer_id": "cust_78421"},
        "transaction_data": {"id": order_id, "currency": "EUR", "value": float(value)},
    }
    return json.dumps({"data": [{"type": "Conversion", "attributes": attributes}]})


def record(
    log: EventLog,
    order_id: str,
    *,
    profile: str = "ACME",
    advertiser_id: int = 1234567,
    value: str = "149.90",
    email: str = "shopper@example.com",
    token: str = "tok",
    forbidden: tuple[str, ...] = (),
) -> int:
    return log.begin_attempt(
        profile=profile,
        environment="criteo",
        advertiser_id=advertiser_id,
        event_name="purchase",
        order_id=order_id,
        value=Decimal(value),
        currency="EUR",
        request_body=body(order_id, value, email, advertiser_id),
        request_headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        request_url="https://api.criteo.com/2023-07/conversions",
        identifier_coverage="email,customer_id",
        coverage_score=80,
        token_step="ok",
        scope_check="ok",
        steps=[{"step": "token", "outcome": "ok"}],
        forbidden=forbidden,
    )
