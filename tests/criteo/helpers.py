"""Shared test helpers: the guide's payload, a recorded sleep, a settable clock."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

GUIDE_PAYLOAD: dict[str, Any] = {
    "data": [
        {
            "type": "Conversion",
            "attributes": {
                "advertiser_id": 1234567,
                "event_name": "purchase",
                "event_time": "2026-04-24T13:14:58Z",
                "identifiers": {
                    "email_sha256": (
                        "4a7d1ed414474e4033ac29ccb8653d9b2f4b1a6f6d8d1df9bca7eac191f85632"
                    ),
                    "customer_id": "cust_78421",
                },
                "transaction_data": {
                    "id": "PS-10428",
                    "currency": "EUR",
                    "value": Decimal("149.90"),
                    "item": [
                        {"id": "SKU-BLK-42", "price": Decimal("79.95"), "quantity": 1},
                        {"id": "SKU-GRN-11", "price": Decimal("69.95"), "quantity": 1},
                    ],
                },
            },
        }
    ]
}


def payload(advertiser_id: int = 1234567, order_id: str = "PS-10428") -> dict[str, Any]:
    body = copy.deepcopy(GUIDE_PAYLOAD)
    attrs = body["data"][0]["attributes"]
    attrs["advertiser_id"] = advertiser_id
    attrs["event_time"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    attrs["transaction_data"]["id"] = order_id
    return body


class Sleeps:
    """An injectable ``sleep`` that records the waits instead of waiting."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
