"""Destinations: the Events API body exactly as Criteo documents it, its rules, and the
Conversions API body left as the guide gives it."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from criteo_console.core import Level, ProfileContext, build_payload, check_order, dumps_json
from criteo_console.core.destinations import (
    DESTINATION_NAMES,
    DestinationSettings,
    get_destination,
)
from tests.core.orders import DROP, guide_order

NOW = datetime(2026, 4, 24, 13, 20, tzinfo=UTC)  # six minutes after the guide's sale
E = Level.ERROR

EMAIL = "  John.Doe@Example.COM "
NORMALISED = b"john.doe@example.com"


def events(**settings: Any) -> ProfileContext:
    chosen = {"account": "12345", "mapping_key": "caller-77", "site_type": "d", **settings}
    return ProfileContext(
        advertiser_id=None, destination="events", settings=DestinationSettings(**chosen)
    )


def visit_order(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "email": EMAIL,
        "email_sha256": DROP,
        "customer_id": DROP,
        "gum_id": "d0f3a1c2e4b5",
        "ip": "203.0.113.7",
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64)",
        "page_url": "https://shop.example/checkout/thanks?o=PS-10428",
    }
    return guide_order(**{**fields, **changes})


def codes(check: Any, level: Level | None = None) -> set[str]:
    return {i.code for i in check.issues if level is None or i.level is level}


def test_events_body_is_exactly_the_documented_shape() -> None:
    check = check_order(visit_order(), events(), now=NOW)
    md5 = hashlib.md5(NORMALISED).hexdigest()

    assert check.ok, check.issues
    assert check.payload == {
        "account": "12345",
        "site_type": "d",
        "id": {
            "mapping_key": "caller-77",
            "mapped_user_id": "d0f3a1c2e4b5",
            "email": {
                "sha256": hashlib.sha256(NORMALISED).hexdigest(),
                "md5": md5,
                "sha256_md5": hashlib.sha256(md5.encode()).hexdigest(),
            },
        },
        "ip": "203.0.113.7",
        "useragent": "Mozilla/5.0 (X11; Linux x86_64)",
        "full_url": "https://shop.example/checkout/thanks?o=PS-10428",
        "events": [
            {
                "event": "trackTransaction",
                "id": "PS-10428",
                "currency": "EUR",
                "timestamp": "2026-04-24T13:14:58.000Z",
                "item": [
                    {"id": "SKU-BLK-42", "price": Decimal("79.95"), "quantity": 1},
                    {"id": "SKU-GRN-11", "price": Decimal("69.95"), "quantity": 1},
                ],
            }
        ],
    }
    # Key order is the documented order, and money leaves exactly as typed.
    text = dumps_json(check.payload)
    assert list(check.payload) == [
        "account", "site_type", "id", "ip", "useragent", "full_url", "events"
    ]  # fmt: skip
    assert '"price": 79.95' in text
    assert check.destination == "events"


def test_events_body_leaves_out_what_the_order_does_not_have() -> None:
    order = guide_order(customer_id=DROP)  # only the guide's SHA-256 of the email
    check = check_order(order, events(site_type="m"), now=NOW)

    assert check.ok, check.issues
    assert check.payload is not None
    assert check.payload["site_type"] == "m"
    assert check.payload["id"] == {
        "mapping_key": "caller-77",
        "email": {"sha256": order["email_sha256"]},
    }
    assert set(check.payload) == {"account", "site_type", "id", "events"}
    assert "email-md5-unavailable" in codes(check, Level.WARNING)


def test_conversions_body_is_unchanged_by_the_visit_fields() -> None:
    plain = check_order(guide_order(), ProfileContext(advertiser_id=1234567), now=NOW)
    with_visit = check_order(
        guide_order(gum_id="abc", ip="203.0.113.7", page_url="https://shop.example/"),
        ProfileContext(advertiser_id=1234567, destination="conversions"),
        now=NOW,
    )
    assert plain.payload is not None and plain.order is not None
    assert with_visit.payload == plain.payload == build_payload(plain.order)
    assert "data" in plain.payload


@pytest.mark.parametrize(
    ("settings", "code", "field"),
    [
        ({"account": ""}, "account-missing", "account"),
        ({"account": "12a45"}, "account-invalid", "account"),
        ({"account": "0"}, "account-invalid", "account"),
        ({"mapping_key": "  "}, "mapping-key-missing", "mapping_key"),
        ({"mapping_key": "ops@agency.com"}, "mapping-key-invalid", "mapping_key"),
        ({"mapping_key": "two words"}, "mapping-key-invalid", "mapping_key"),
        ({"site_type": "desktop"}, "site-type-invalid", "site_type"),
        ({"site_type": "D"}, "site-type-invalid", "site_type"),
    ],
)
def test_events_settings_are_checked_field_by_field(
    settings: dict[str, str], code: str, field: str
) -> None:
    check = check_order(visit_order(), events(**settings), now=NOW)

    assert not check.ok and check.payload is None
    issue = next(i for i in check.issues if i.code == code)
    assert (issue.level, issue.field) == (Level.ERROR, field)
    assert "@" not in issue.message


@pytest.mark.parametrize("site_type", ["d", "m", "aa", "ai"])
def test_every_site_type_is_accepted(site_type: str) -> None:
    assert check_order(visit_order(), events(site_type=site_type), now=NOW).ok


def test_events_need_a_gum_id_or_a_hashed_email() -> None:
    # A customer id is enough for the Conversions API, not for the Events API.
    order = visit_order(email=DROP, gum_id=DROP, customer_id="cust_78421")
    check = check_order(order, events(), now=NOW)
    issue = next(i for i in check.issues if i.code == "events-identifier-missing")
    assert (issue.level, issue.field) == (Level.ERROR, "email")
    assert check_order(order, ProfileContext(advertiser_id=1234567), now=NOW).ok

    assert check_order(visit_order(email=DROP), events(), now=NOW).ok  # GUM id alone
    assert check_order(visit_order(gum_id=DROP), events(), now=NOW).ok  # email alone


def test_an_old_event_is_a_warning_for_the_events_api_only() -> None:
    late = NOW + timedelta(minutes=20)
    check = check_order(visit_order(), events(), now=late)
    assert check.ok
    assert "event-time-stale" in codes(check, Level.WARNING)
    assert "event-time-stale" not in codes(check_order(visit_order(), events(), now=NOW))
    conversions = check_order(guide_order(), ProfileContext(advertiser_id=1234567), now=late)
    assert "event-time-stale" not in codes(conversions)


def test_events_name_events_the_s2s_way() -> None:
    cart = visit_order(event="add_to_cart", order_id=DROP, value=DROP)
    check = check_order(cart, events(), now=NOW)
    assert check.ok, check.issues
    assert check.payload is not None
    event = check.payload["events"][0]
    assert event["event"] == "addToCart" and "id" not in event


def test_an_unknown_destination_is_an_error_on_its_field() -> None:
    context = ProfileContext(advertiser_id=1234567, destination="webhook")
    check = check_order(guide_order(), context, now=NOW)
    issue = next(i for i in check.issues if i.code == "destination-unknown")
    assert issue.field == "destination" and "conversions, events" in issue.message


def test_registry_lists_both_destinations_with_their_email_forms() -> None:
    assert DESTINATION_NAMES == ("conversions", "events")
    assert get_destination("conversions").email_forms == ("sha256",)
    assert get_destination("events").email_forms == ("sha256", "md5", "sha256_md5")
    assert get_destination("events").endpoint_path("2026-01") == "m/event?version=s2s_v0"
    assert get_destination("conversions").endpoint_path("2026-01") == "2026-01/conversions"


def test_compare_reads_an_events_body() -> None:
    check = check_order(visit_order(), events(), now=NOW)
    summary = get_destination("events").summarize_body(check.payload)
    assert summary.order_id == "PS-10428"
    assert summary.items_total == Decimal("149.90") and summary.line_count == 2


@pytest.mark.parametrize(
    ("field", "value", "code", "level"),
    [
        ("gum_id", "jane@shop.com", "gum-id-contains-email", Level.ERROR),
        ("gum_id", "has space", "gum-id-invalid", Level.ERROR),
        ("gum_id", 42, "gum-id-invalid", Level.ERROR),
        ("ip", "999.1.1.1", "ip-invalid", Level.ERROR),
        ("ip", "192.168.1.20", "ip-not-public", Level.WARNING),
        ("user_agent", "Mozilla\n5.0", "user-agent-invalid", Level.ERROR),
        ("user_agent", "bot jane@shop.com", "user-agent-contains-email", Level.ERROR),
        ("page_url", "shop.example/thanks", "page-url-invalid", Level.ERROR),
        ("page_url", "https://shop.example/t?e=jane%40shop.com", "page-url-contains-email", E),
    ],
)  # fmt: skip
def test_visit_fields_are_validated(field: str, value: object, code: str, level: Level) -> None:
    check = check_order(visit_order(**{field: value}), events(), now=NOW)
    issue = next(i for i in check.issues if i.code == code)
    assert (issue.level, issue.field) == (level, field)
    assert "jane" not in issue.message


def test_visit_field_typos_point_at_the_right_name() -> None:
    check = check_order(guide_order(useragent="x", full_url="y"), events(), now=NOW)
    hints = {i.field: i.message for i in check.issues if i.code == "unknown-field"}
    assert "user_agent" in hints["useragent"] and "page_url" in hints["full_url"]


def test_any_body_is_summarised_by_the_destination_whose_shape_it_has() -> None:
    from criteo_console.core.destinations import summarize_any_body

    events_body = check_order(visit_order(), events(), now=NOW).payload
    guide_body = check_order(guide_order(), ProfileContext(advertiser_id=1), now=NOW).payload
    assert summarize_any_body(events_body).order_id == "PS-10428"
    assert summarize_any_body(guide_body).value == Decimal("149.90")
    assert summarize_any_body({"something": "else"}).order_id is None


def test_coverage_counts_what_the_events_api_matches_by() -> None:
    check = check_order(visit_order(customer_id="cust_1"), events(), now=NOW)
    assert check.coverage.label == "2 of 2 identifiers (GUM id, hashed email)"
    only_customer = check_order(
        visit_order(email=DROP, gum_id=DROP, customer_id="c"), events(), now=NOW
    )
    assert only_customer.coverage.score == 0
    conversions = check_order(guide_order(gum_id="g"), ProfileContext(advertiser_id=1), now=NOW)
    assert conversions.coverage.label == "2 of 3 identifiers (hashed email, customer id)"


def test_the_light_destination_table_is_the_registrys() -> None:
    """What a profile needs without the rules (start-up time) — names, default, labels,
    addresses, OAuth, the send path — is the registry's own, destination by destination."""
    from criteo_console.core import destination_settings as light
    from criteo_console.core import destinations as registry

    assert light.DESTINATION_NAMES == registry.DESTINATION_NAMES
    assert light.DEFAULT_DESTINATION == registry.DEFAULT_DESTINATION
    assert light.UnknownDestination is registry.UnknownDestination
    assert light.request_url is registry.request_url
    for name, destination in registry.DESTINATIONS.items():
        facts = light.DESTINATION_FACTS[name]
        assert facts.label == destination.label
        assert facts.default_base_url == destination.default_base_url
        assert facts.uses_oauth == destination.uses_oauth
        for version in ("2025-10", "v1"):
            assert light.endpoint_path(name, version) == destination.endpoint_path(version)
    with pytest.raises(registry.UnknownDestination):
        light.endpoint_path("nowhere", "v1")


def test_the_verdict_re_exports_the_targets() -> None:
    from criteo_console.core import targets, verdict

    for name in (
        "Destination",
        "DestinationWording",
        "classify_target",
        "wording_for",
        "KNOWN_VERSIONS",
        "version_note",
        "version_support",
        "version_of",
        "destination_key",
        "sends_real_conversions",
        "CRITEO_HOSTS",
    ):
        assert getattr(verdict, name) is getattr(targets, name), name
