"""A captured request body is judged by the same core rules and codes as a composed order."""

from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime
from typing import Any

from criteo_console.core import ProfileContext, check_order
from criteo_console.core.wire import check_captured

NOW = datetime(2026, 4, 24, 14, 0, tzinfo=UTC)
DIGEST = hashlib.sha256(b"jane.doe@example.com").hexdigest()


def body(**changes: Any) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "advertiser_id": 1234567,
        "event_name": "purchase",
        "event_time": "2026-04-24T13:14:58Z",
        "identifiers": {"email_sha256": DIGEST},
        "transaction_data": {
            "id": "ORD-1",
            "currency": "EUR",
            "value": 149.9,
            "item": [{"id": "SKU-1", "price": 74.95, "quantity": 2}],
        },
    }
    attributes.update(changes)
    return {"data": [{"type": "Conversion", "attributes": attributes}]}


def codes(raw: object) -> list[str]:
    envelope, checks = check_captured(raw, now=NOW)
    return [i.code for i in envelope] + [i.code for c in checks for i in c.issues]


def test_a_correct_body_is_ok_and_reads_back_the_order() -> None:
    envelope, [captured] = check_captured(body(), now=NOW)
    assert envelope == [] and captured.issues == [] and captured.verdict == "ok"
    assert captured.check.order is not None
    assert captured.check.order.order_id == "ORD-1"
    assert str(captured.check.order.value) == "149.9"
    # Read back, the order rebuilds to the same payload (keys aside from number formatting).
    assert captured.check.payload is not None
    assert captured.check.payload["data"][0]["attributes"]["transaction_data"]["id"] == "ORD-1"


def test_same_codes_as_validate_for_the_same_mistake() -> None:
    items = [{"id": "A", "price": 1500.5, "quantity": 1}]
    wire = body(transaction_data={"id": "ORD-2", "currency": "JPY", "value": 1500.5, "item": items})
    order = {"event": "purchase", "event_time": "2026-04-24T13:14:58Z", "order_id": "ORD-2",
             "currency": "JPY", "value": 1500.5, "email_sha256": DIGEST,
             "items": [{"id": "A", "price": 1500.5, "quantity": 1}]}  # fmt: skip
    composed = [i.code for i in check_order(order, ProfileContext(1234567), now=NOW).issues]
    assert codes(wire) == composed == ["value-too-many-decimals", "item-price-too-many-decimals"]


def test_missing_transaction_data_is_one_issue_not_four() -> None:
    raw = body()
    del raw["data"][0]["attributes"]["transaction_data"]
    _, [captured] = check_captured(raw, now=NOW)
    assert [i.code for i in captured.issues] == ["transaction-data-missing"]
    assert captured.issues[0].field == "transaction_data"
    assert captured.verdict == "error"


def test_envelope_problems_are_issues() -> None:
    assert codes({"conversions": []}) == ["data-missing"]
    assert codes({"data": []}) == ["data-invalid"]
    assert codes([1, 2]) == ["body-not-an-object"]
    wrong = body()
    wrong["data"][0]["type"] = "conversion"
    assert codes(wrong) == ["conversion-type-wrong"]
    assert codes({"data": [{"type": "Conversion"}]}) == ["attributes-missing"]


def test_event_name_near_miss_and_unknown_wire_fields() -> None:
    found = codes(body(event_name="Purchase", extra=1))
    assert "event-name-near-miss" in found and "unknown-field" in found


def test_a_second_conversion_names_its_index() -> None:
    raw = body()
    second = copy.deepcopy(raw["data"][0])
    second["attributes"]["transaction_data"]["currency"] = "EURO"
    raw["data"].append(second)
    _, checks = check_captured(raw, now=NOW)
    assert checks[0].issues == []
    assert [(i.field, i.code) for i in checks[1].issues] == [
        ("data[1].currency", "currency-unknown")
    ]


def test_a_raw_email_in_email_sha256_is_the_cores_error() -> None:
    raw = body(identifiers={"email_sha256": "jane@example.com"})
    assert "email-sha256-is-email" in codes(raw)
