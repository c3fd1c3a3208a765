"""The integration guide's example order (STEP 05) as canonical input.

One definition for the demo, the self-test, the packaged app's smoke test and the tests.
The guide gives only the email's SHA-256, so the example carries ``email_sha256``.
"""

from __future__ import annotations

import copy
from typing import Any

GUIDE_EMAIL_SHA256 = "4a7d1ed414474e4033ac29ccb8653d9b2f4b1a6f6d8d1df9bca7eac191f85632"
GUIDE_ADVERTISER_ID = 1234567

_GUIDE_ORDER: dict[str, Any] = {
    "event": "purchase",
    "event_time": "2026-04-24T15:14:58+02:00",
    "order_id": "PS-10428",
    "currency": "EUR",
    "value": "149.90",
    "items": [
        {"id": "SKU-BLK-42", "price": "79.95", "quantity": 1},
        {"id": "SKU-GRN-11", "price": "69.95", "quantity": 1},
    ],
    "email_sha256": GUIDE_EMAIL_SHA256,
    "customer_id": "cust_78421",
}


def guide_example_order(**changes: Any) -> dict[str, Any]:
    """A fresh copy (callers may edit it) with ``changes`` applied; a change to None drops
    the field."""
    order = copy.deepcopy(_GUIDE_ORDER)
    for key, value in changes.items():
        if value is None:
            order.pop(key, None)
        else:
            order[key] = value
    return order
