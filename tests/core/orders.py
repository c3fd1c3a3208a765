"""Order inputs shared by the core and CLI tests."""

from __future__ import annotations

import copy
from typing import Any

GUIDE_EMAIL_SHA256 = "4a7d1ed414474e4033ac29ccb8653d9b2f4b1a6f6d8d1df9bca7eac191f85632"

# STEP 05 of the integration guide, as a canonical order input.
GUIDE_ORDER: dict[str, Any] = {
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


def guide_order(**changes: Any) -> dict[str, Any]:
    order = copy.deepcopy(GUIDE_ORDER)
    for key, value in changes.items():
        if value is _DROP:
            order.pop(key, None)
        else:
            order[key] = value
    return order


class _Drop:
    pass


_DROP = _Drop()
DROP: Any = _DROP
