"""The exact request body of the integration guide (STEP 05), keys in the guide's order."""

from __future__ import annotations

from typing import Any

from criteo_console.core.eventtime import format_event_time
from criteo_console.core.money import currency_info, quantize_for
from criteo_console.core.order import Order


def build_payload(order: Order) -> dict[str, Any]:
    identifiers: dict[str, Any] = {}
    if order.email_sha256:
        identifiers["email_sha256"] = order.email_sha256
    if order.customer_id:
        identifiers["customer_id"] = order.customer_id
    if order.madid:
        identifiers["madid"] = order.madid

    attributes: dict[str, Any] = {
        "advertiser_id": order.advertiser_id,
        "event_name": order.event_name,
        "event_time": format_event_time(order.event_time),
        "identifiers": identifiers,
    }
    if order.is_purchase and order.order_id and order.currency and order.value is not None:
        info = currency_info(order.currency)
        minor = info.minor_units if info else 2
        attributes["transaction_data"] = {
            "id": order.order_id,
            "currency": order.currency,
            "value": quantize_for(order.value, minor),
            "item": [
                {"id": item.id, "price": quantize_for(item.price, minor), "quantity": item.quantity}
                for item in order.items
            ],
        }
    return {"data": [{"type": "Conversion", "attributes": attributes}]}
