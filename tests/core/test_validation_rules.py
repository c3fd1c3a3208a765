"""One case per validation rule: the right level, on the field the user has to fix."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from criteo_console.core import Level, ProfileContext, check_order, dumps_json
from tests.core.orders import DROP, guide_order

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
E, W = Level.ERROR, Level.WARNING


def _item(**changes: Any) -> list[dict[str, Any]]:
    item: dict[str, Any] = {"id": "SKU-1", "price": "149.90", "quantity": 1}
    item.update(changes)
    return [item]


RULES: list[tuple[str, dict[str, Any], dict[str, Any], Level, str]] = [
    # (code, order changes, profile changes, level, field)
    ("order-id-missing", {"order_id": DROP}, {}, E, "order_id"),
    ("order-id-missing", {"order_id": "   "}, {}, E, "order_id"),
    ("order-id-whitespace", {"order_id": " PS-1 "}, {}, W, "order_id"),
    ("order-id-contains-email", {"order_id": "jane@shop.com"}, {}, E, "order_id"),
    ("currency-missing", {"currency": DROP}, {}, E, "currency"),
    ("currency-unknown", {"currency": "EURO"}, {}, E, "currency"),
    ("currency-unknown", {"currency": "XYZ"}, {}, E, "currency"),
    ("currency-normalized", {"currency": "eur"}, {}, W, "currency"),
    ("value-missing", {"value": DROP}, {}, E, "value"),
    ("value-not-a-number", {"value": "lots"}, {}, E, "value"),
    ("value-not-a-number", {"value": "149,90"}, {}, E, "value"),
    ("value-not-a-number", {"value": True}, {}, E, "value"),
    ("value-negative", {"value": "-149.90"}, {}, E, "value"),
    ("value-too-many-decimals", {"value": "149.905"}, {}, E, "value"),
    (
        "value-too-many-decimals",
        {
            "currency": "JPY",
            "value": "149.90",
            "items": [{"id": "A", "price": "150", "quantity": 1}],
        },
        {},
        E,
        "value",
    ),
    ("value-mismatch", {"value": "200.00"}, {}, W, "value"),
    ("value-zero", {"value": "0", "items": _item(price="0")}, {}, W, "value"),
    ("items-missing", {"items": DROP}, {}, E, "items"),
    ("items-missing", {"items": []}, {}, E, "items"),
    ("items-invalid", {"items": "SKU-1"}, {}, E, "items"),
    ("item-invalid", {"items": ["SKU-1"]}, {}, E, "items[0]"),
    ("item-id-missing", {"items": _item(id=DROP)}, {}, E, "items[0].id"),
    ("item-id-contains-email", {"items": _item(id="a@b.co")}, {}, E, "items[0].id"),
    ("item-price-missing", {"items": _item(price=None)}, {}, E, "items[0].price"),
    ("item-price-not-a-number", {"items": _item(price="abc")}, {}, E, "items[0].price"),
    ("item-price-negative", {"items": _item(price="-1")}, {}, E, "items[0].price"),
    ("item-price-too-many-decimals", {"items": _item(price="1.001")}, {}, E, "items[0].price"),
    ("item-quantity-missing", {"items": _item(quantity=None)}, {}, E, "items[0].quantity"),
    ("item-quantity-invalid", {"items": _item(quantity=0)}, {}, E, "items[0].quantity"),
    ("item-quantity-invalid", {"items": _item(quantity=1.5)}, {}, E, "items[0].quantity"),
    ("item-quantity-invalid", {"items": _item(quantity=-2)}, {}, E, "items[0].quantity"),
    ("item-quantity-invalid", {"items": _item(quantity="two")}, {}, E, "items[0].quantity"),
    ("unknown-field", {"ordr_id": "x"}, {}, W, "ordr_id"),
    ("unknown-field", {"items": _item(sku="x")}, {}, W, "items[0].sku"),
    ("identifier-missing", {"email_sha256": DROP, "customer_id": DROP}, {}, E, "email"),
    ("email-invalid", {"email": "john.doe-at-example.com"}, {}, E, "email"),
    ("email-md5", {"email": "0" * 32}, {}, E, "email"),
    ("email-sha256-malformed", {"email_sha256": "abc123"}, {}, E, "email_sha256"),
    ("email-sha256-malformed", {"email_sha256": "a" * 32}, {}, E, "email_sha256"),
    ("email-sha256-is-email", {"email_sha256": "john@example.com"}, {}, E, "email_sha256"),
    ("email-hash-mismatch", {"email": "someone.else@example.com"}, {}, E, "email_sha256"),
    ("customer-id-contains-email", {"customer_id": "john@example.com"}, {}, E, "customer_id"),
    ("madid-contains-email", {"madid": "john@example.com"}, {}, E, "madid"),
    ("madid-invalid", {"madid": "device-123"}, {}, E, "madid"),
    ("madid-zeroed", {"madid": "00000000-0000-0000-0000-000000000000"}, {}, W, "madid"),
    ("event-time-missing", {"event_time": DROP}, {}, E, "event_time"),
    ("event-time-invalid", {"event_time": "yesterday"}, {}, E, "event_time"),
    ("event-time-no-offset", {"event_time": "2026-04-24T15:14:58"}, {}, E, "event_time"),
    ("event-time-future", {"event_time": "2026-11-28T13:00:00Z"}, {}, E, "event_time"),
    ("event-missing", {"event": DROP}, {}, W, "event"),
    ("event-name-near-miss", {"event": "Purchase"}, {}, E, "event"),
    ("event-name-near-miss", {"event": " purchase"}, {}, E, "event"),
    ("event-name-near-miss", {"event": "purchase_event"}, {}, E, "event"),
    ("event-unknown", {"event": "signup"}, {}, E, "event"),
    ("event-mapping-invalid", {}, {"event_names": {"purchase": " purchase"}}, E, "event"),
    ("advertiser-id-missing", {}, {"advertiser_id": None}, E, "advertiser_id"),
    ("advertiser-id-invalid", {}, {"advertiser_id": "12ab"}, E, "advertiser_id"),
    ("advertiser-id-invalid", {}, {"advertiser_id": "0"}, E, "advertiser_id"),
    ("advertiser-id-invalid", {}, {"advertiser_id": -5}, E, "advertiser_id"),
    ("order-not-an-object", {"__replace__": ["not", "an", "order"]}, {}, E, ""),
    ("item-quantity-invalid", {"items": _item(quantity="²")}, {}, E, "items[0].quantity"),
    (
        "item-quantity-invalid",
        {"items": _item(quantity=Decimal("NaN"))},
        {},
        E,
        "items[0].quantity",
    ),
    ("item-quantity-invalid", {"items": _item(quantity=float("inf"))}, {}, E, "items[0].quantity"),
    (
        "item-quantity-invalid",
        {"items": _item(quantity=Decimal("1e400"))},
        {},
        E,
        "items[0].quantity",
    ),
    ("value-too-large", {"value": "1" + "0" * 30}, {}, E, "value"),
    ("event-time-invalid", {"event_time": "0001-01-01T00:00:00+01:00"}, {}, E, "event_time"),
    ("event-time-invalid", {"event_time": "9999-12-31T23:59:59-01:00"}, {}, E, "event_time"),
    ("advertiser-id-invalid", {}, {"advertiser_id": "²"}, E, "advertiser_id"),
    ("field-name-contains-email", {"jane@shop.com": "x"}, {}, E, ""),
    (
        "identifier-missing",
        {
            "email_sha256": DROP,
            "customer_id": DROP,
            "madid": "00000000-0000-0000-0000-000000000000",
        },
        {},
        E,
        "email",
    ),
    (
        "event-name-near-miss",
        {},
        {"event_names": {"purchase": "Purchase"}},
        W,
        "event_names.purchase",
    ),
    (
        "event-mapping-unknown-event",
        {"event": "Purchase"},
        {"event_names": {"Purchase": "purchase"}},
        E,
        "event_names.Purchase",
    ),
]


@pytest.mark.parametrize(
    ("code", "order_changes", "profile_changes", "level", "field"),
    RULES,
    ids=[f"{rule[0]}-{n}" for n, rule in enumerate(RULES)],
)
def test_rule(
    code: str,
    order_changes: dict[str, Any],
    profile_changes: dict[str, Any],
    level: Level,
    field: str,
) -> None:
    order: Any = order_changes.get("__replace__", guide_order(**order_changes))
    if "value" not in order_changes and isinstance(order, dict) and "items" in order_changes:
        order["value"] = "149.90"
    profile = {"advertiser_id": 1234567, **profile_changes}

    result = check_order(order, ProfileContext(**profile), now=NOW)

    matching = [issue for issue in result.issues if issue.code == code]
    assert matching, f"expected {code}, got {[i.code for i in result.issues]}"
    assert matching[0].level is level
    assert matching[0].field == field
    assert matching[0].message.strip()
    if level is Level.ERROR:
        assert not result.ok
        assert result.payload is None
    else:
        assert result.ok, result.issues
        assert result.payload is not None


def test_valid_order_has_no_issues() -> None:
    result = check_order(guide_order(), ProfileContext(advertiser_id=1234567), now=NOW)
    assert result.issues == []


def test_every_problem_is_reported_at_once() -> None:
    order = guide_order(
        order_id=DROP, currency="XXY", items=[{"id": "", "price": "-1", "quantity": 0}]
    )

    fields = {i.field for i in check_order(order, ProfileContext(advertiser_id=1), now=NOW).errors}

    assert {"order_id", "currency", "items[0].id", "items[0].price", "items[0].quantity"} <= fields


def test_configured_event_name_is_what_gets_sent() -> None:
    profile = ProfileContext(advertiser_id=1234567, event_names={"purchase": "sale"})

    payload = check_order(guide_order(), profile, now=NOW).payload

    assert payload is not None
    assert payload["data"][0]["attributes"]["event_name"] == "sale"


def test_any_utc_offset_is_converted_to_utc_z() -> None:
    for given in ("2026-04-24T22:14:58+09:00", "2026-04-24T08:14:58-05:00", "2026-04-24T13:14:58Z"):
        payload = check_order(
            guide_order(event_time=given), ProfileContext(advertiser_id=1), now=NOW
        ).payload
        assert payload is not None
        assert payload["data"][0]["attributes"]["event_time"] == "2026-04-24T13:14:58Z"


def test_small_clock_skew_into_the_future_is_tolerated() -> None:
    result = check_order(
        guide_order(event_time="2026-11-28T12:03:00Z"), ProfileContext(advertiser_id=1), now=NOW
    )
    assert result.ok


def test_raw_email_is_hashed_into_the_payload() -> None:
    order = guide_order(email="  John.Doe@Example.COM ", email_sha256=DROP)

    payload = check_order(order, ProfileContext(advertiser_id=1), now=NOW).payload

    assert payload is not None
    identifiers = payload["data"][0]["attributes"]["identifiers"]
    assert identifiers["email_sha256"] == (
        "836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f"
    )
    assert "email" not in identifiers


def test_identifiers_missing_message_is_the_only_one_when_no_identifier_was_given() -> None:
    order = guide_order(email_sha256=DROP, customer_id=DROP)
    result = check_order(order, ProfileContext(advertiser_id=1), now=NOW)
    assert [i.code for i in result.errors] == ["identifier-missing"]
    assert result.coverage.score == 0


def test_negative_zero_is_sent_as_zero() -> None:
    order = guide_order(value="-0.00", items=[{"id": "A", "price": "-0", "quantity": 1}])

    payload = check_order(order, ProfileContext(advertiser_id=1), now=NOW).payload

    assert payload is not None
    assert '"value": 0.00,' in dumps_json(payload)
    assert '"price": 0.00,' in dumps_json(payload)


def test_custom_criteo_name_for_purchase_still_needs_transaction_data() -> None:
    profile = ProfileContext(advertiser_id=1, event_names={"purchase": "sale"})

    result = check_order(guide_order(order_id=DROP), profile, now=NOW)

    assert "order-id-missing" in [i.code for i in result.errors]


@pytest.mark.parametrize(
    "changes",
    [
        {"currency": "John.Doe@Example.COM"},
        {"event": "John.Doe@Example.COM"},
        {"John.Doe@Example.COM": "x"},
        {"items": [{"id": "A", "price": "1", "quantity": 1, "John.Doe@Example.COM": 1}]},
    ],
)
def test_an_email_in_the_wrong_place_is_never_echoed(changes: dict[str, Any]) -> None:
    result = check_order(guide_order(**changes), ProfileContext(advertiser_id=1), now=NOW)

    text = dumps_json(result.as_dict()).lower()
    assert not result.ok or result.warnings
    assert "john.doe@example.com" not in text
    assert "john.doe@exa" not in text


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("EURO", "EUR (Euro)"), ("euro", "EUR (Euro)"), ("EUE", "EUR (Euro)"), ("GPB", "GBP")],
)
def test_unknown_currency_suggests_the_likely_one(typed: str, suggested: str) -> None:
    result = check_order(guide_order(currency=typed), ProfileContext(advertiser_id=1), now=NOW)

    issue = next(i for i in result.errors if i.code == "currency-unknown")
    assert f"Did you mean {suggested}" in issue.message


def test_a_fund_code_is_never_suggested_for_a_common_name() -> None:
    result = check_order(guide_order(currency="WIR"), ProfileContext(advertiser_id=1), now=NOW)

    issue = next(i for i in result.errors if i.code == "currency-unknown")
    assert "CHE" not in issue.message and "CHW" not in issue.message


def test_a_misspelt_field_points_to_the_likely_one() -> None:
    order = guide_order(customer_id=DROP, customer="cust_1")

    issues = check_order(order, ProfileContext(advertiser_id=1), now=NOW).issues

    unknown = next(i for i in issues if i.code == "unknown-field")
    assert "Did you mean “customer_id”?" in unknown.message
