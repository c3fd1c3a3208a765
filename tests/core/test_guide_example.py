"""The integration guide's STEP 05 body, built from an order input, field for field."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from criteo_console.core import ProfileContext, check_order, dumps_json, loads_json
from tests.core.orders import GUIDE_ORDER

GUIDE_BODY = """
{"data": [{"type": "Conversion", "attributes": {
  "advertiser_id": 1234567,
  "event_name": "purchase",
  "event_time": "2026-04-24T13:14:58Z",
  "identifiers": {
    "email_sha256": "4a7d1ed414474e4033ac29ccb8653d9b2f4b1a6f6d8d1df9bca7eac191f85632",
    "customer_id": "cust_78421"
  },
  "transaction_data": {
    "id": "PS-10428", "currency": "EUR", "value": 149.90,
    "item": [
      { "id": "SKU-BLK-42", "price": 79.95, "quantity": 1 },
      { "id": "SKU-GRN-11", "price": 69.95, "quantity": 1 }
    ]
  }
}}]}
"""
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_guide_order_builds_the_guide_body_field_for_field() -> None:
    result = check_order(GUIDE_ORDER, ProfileContext(advertiser_id="1234567"), now=NOW)

    assert result.ok, result.issues
    assert result.issues == []
    assert result.payload == loads_json(GUIDE_BODY)


def test_guide_body_keys_are_in_the_guide_order() -> None:
    payload = check_order(GUIDE_ORDER, ProfileContext(advertiser_id=1234567), now=NOW).payload
    assert payload is not None
    attributes = payload["data"][0]["attributes"]

    assert list(attributes) == [
        "advertiser_id",
        "event_name",
        "event_time",
        "identifiers",
        "transaction_data",
    ]
    assert list(attributes["transaction_data"]) == ["id", "currency", "value", "item"]
    assert list(attributes["transaction_data"]["item"][0]) == ["id", "price", "quantity"]


def test_money_is_written_exactly_as_the_guide_shows_it() -> None:
    payload = check_order(GUIDE_ORDER, ProfileContext(advertiser_id=1234567), now=NOW).payload

    text = dumps_json(payload)

    assert '"value": 149.90' in text
    assert '"price": 79.95' in text
    assert '"advertiser_id": 1234567,' in text  # an integer, not "1234567"


def test_float_input_never_gains_noise_digits() -> None:
    order = dict(GUIDE_ORDER, value=149.9, items=[{"id": "A", "price": 0.1 + 0.2, "quantity": 1}])
    order["currency"] = "KWD"  # three minor units, so 0.30000000000000004 is refused, not rounded
    result = check_order(order, ProfileContext(advertiser_id=1), now=NOW)

    assert [i.code for i in result.errors] == ["item-price-too-many-decimals"]

    order["items"] = [{"id": "A", "price": 149.9, "quantity": 1}]
    payload = check_order(order, ProfileContext(advertiser_id=1), now=NOW).payload
    assert payload is not None
    assert payload["data"][0]["attributes"]["transaction_data"]["value"] == Decimal("149.900")
    assert '"value": 149.900' in dumps_json(payload)
