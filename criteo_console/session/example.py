"""The integration guide's example order (STEP 05), as canonical input: the demo and self-test."""

from __future__ import annotations

import copy
from typing import Any

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
    "email": "john.doe@example.com",
    "customer_id": "cust_78421",
}


def guide_example_order(**changes: Any) -> dict[str, Any]:
    """A fresh copy (callers may edit it), with ``changes`` applied."""
    order = copy.deepcopy(_GUIDE_ORDER)
    order.update(changes)
    return order
