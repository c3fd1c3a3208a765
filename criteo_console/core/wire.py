"""Read a request body as a shop sent it back into the canonical order.

The shop's own integration posts ``{"data": [{"type": "Conversion", "attributes": {...}}]}``.
Each conversion is turned back into the canonical order input (DESIGN §5) so that
``check_order`` judges captured traffic with the same rules and issue codes as ``validate``;
only the problems of the envelope itself (no ``data``, a wrong ``type``, no
``transaction_data``) are reported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from criteo_console.core.destinations.events import EVENTS, S2S_EVENT_NAMES
from criteo_console.core.destinations.events import read_wire as read_events_wire
from criteo_console.core.events import CANONICAL_EVENTS
from criteo_console.core.issues import Issue, Level, error, warning
from criteo_console.core.order import ProfileContext
from criteo_console.core.validation import OrderCheck, check_order

ATTRIBUTE_KEYS = ("advertiser_id", "event_name", "event_time", "identifiers", "transaction_data")
IDENTIFIER_KEYS = ("email_sha256", "customer_id", "madid")
TRANSACTION_KEYS = ("id", "currency", "value", "item")
ITEM_KEYS = ("id", "price", "quantity")
CONVERSION_TYPE = "Conversion"

# The canonical fields a missing transaction_data would each report again as "missing".
_TRANSACTION_FIELDS = ("order_id", "currency", "value", "items")
IDENTITY_EVENT_NAMES: Mapping[str, str] = {name: name for name in CANONICAL_EVENTS}


@dataclass(frozen=True, slots=True)
class WireConversion:
    """One conversion of a request body, read back into the canonical order input."""

    index: int
    order: dict[str, Any]
    advertiser_id: object
    issues: tuple[Issue, ...]
    has_transaction_data: bool


@dataclass(slots=True)
class CapturedCheck:
    """A captured conversion judged like a composed order: envelope issues, then the core's."""

    index: int
    issues: list[Issue]
    check: OrderCheck
    order: dict[str, Any]
    email_sha256: object

    @property
    def verdict(self) -> str:
        if any(issue.level is Level.ERROR for issue in self.issues):
            return "error"
        return "warning" if self.issues else "ok"


def _prefix(index: int) -> str:
    return "" if index == 0 else f"data[{index}]."


def read_wire_body(
    body: object, event_names: Mapping[str, str] = IDENTITY_EVENT_NAMES
) -> tuple[list[Issue], list[WireConversion]]:
    """Envelope issues of the whole body, and each conversion it carries."""
    if not isinstance(body, Mapping):
        return [
            error(
                "",
                "body-not-an-object",
                "The request body is not a JSON object. The shop must send "
                '{"data": [{"type": "Conversion", "attributes": {...}}]}.',
            )
        ], []
    data = body.get("data")
    if data is None:
        return [
            error(
                "data",
                "data-missing",
                "The request has no “data” list. The shop must wrap the conversion as "
                '{"data": [{"type": "Conversion", "attributes": {...}}]}.',
            )
        ], []
    if not isinstance(data, list) or not data:
        return [
            error(
                "data",
                "data-invalid",
                "“data” must be a list holding at least one conversion.",
            )
        ], []
    return [], [_read_one(index, entry, event_names) for index, entry in enumerate(data)]


def _read_one(index: int, entry: object, event_names: Mapping[str, str]) -> WireConversion:
    at = f"data[{index}]"
    issues: list[Issue] = []
    if not isinstance(entry, Mapping):
        issues.append(
            error(at, "conversion-not-an-object", "Each entry of “data” must be an object.")
        )
        return WireConversion(index, {}, None, tuple(issues), False)
    kind = entry.get("type")
    if kind != CONVERSION_TYPE:
        shown = f"“{kind}”" if isinstance(kind, str) and "@" not in kind else "missing"
        issues.append(
            error(
                f"{at}.type",
                "conversion-type-wrong",
                f"The entry's type is {shown}; it must be exactly “{CONVERSION_TYPE}”.",
            )
        )
    attributes = entry.get("attributes")
    if not isinstance(attributes, Mapping):
        issues.append(
            error(
                f"{at}.attributes",
                "attributes-missing",
                "The conversion has no “attributes” object, so it carries no event at all.",
            )
        )
        return WireConversion(index, {}, None, tuple(issues), False)
    _unknown(issues, attributes, ATTRIBUTE_KEYS, f"{at}.attributes")

    order: dict[str, Any] = {}
    event_name = attributes.get("event_name")
    if event_name is not None:
        order["event"] = _canonical_event(event_name, event_names)
    if "event_time" in attributes:
        order["event_time"] = attributes["event_time"]

    identifiers = attributes.get("identifiers")
    if isinstance(identifiers, Mapping):
        _unknown(issues, identifiers, IDENTIFIER_KEYS, f"{at}.attributes.identifiers")
        order.update({k: identifiers[k] for k in IDENTIFIER_KEYS if k in identifiers})
    elif identifiers is not None:
        issues.append(
            error(
                "identifiers",
                "identifiers-invalid",
                "“identifiers” must be an object holding email_sha256, customer_id or madid.",
            )
        )

    transaction = attributes.get("transaction_data")
    has_transaction = isinstance(transaction, Mapping)
    if has_transaction:
        assert isinstance(transaction, Mapping)
        _unknown(issues, transaction, TRANSACTION_KEYS, f"{at}.attributes.transaction_data")
        for wire_key, order_key in (("id", "order_id"), ("currency", "currency")):
            if wire_key in transaction:
                order[order_key] = transaction[wire_key]
        if "value" in transaction:
            order["value"] = transaction["value"]
        items = transaction.get("item")
        if isinstance(items, list):
            at_item = f"{at}.attributes.transaction_data.item"
            order["items"] = [
                _item(issues, line, f"{at_item}[{i}]") for i, line in enumerate(items)
            ]
        elif items is not None:
            order["items"] = items
    elif transaction is not None:
        issues.append(
            error(
                "transaction_data",
                "transaction-data-invalid",
                "“transaction_data” must be an object with id, currency, value and item.",
            )
        )
    return WireConversion(
        index, order, attributes.get("advertiser_id"), tuple(issues), has_transaction
    )


def _item(issues: list[Issue], line: object, at: str) -> object:
    if isinstance(line, Mapping):
        _unknown(issues, line, ITEM_KEYS, at)
        return {k: line[k] for k in ITEM_KEYS if k in line}
    return line


def _canonical_event(event_name: object, event_names: Mapping[str, str]) -> object:
    """The canonical event whose Criteo name the shop sent; otherwise the name as sent, so
    the core explains a near-miss or an unmapped name."""
    for canonical, criteo_name in event_names.items():
        if criteo_name == event_name:
            return canonical
    return event_name


def _unknown(issues: list[Issue], obj: Mapping[Any, Any], known: tuple[str, ...], at: str) -> None:
    for key in obj:
        if key in known:
            continue
        name = "a field named with an email address" if "@" in str(key) else f"“{key}”"
        issues.append(
            warning(
                f"{at}.{key}" if "@" not in str(key) else at,
                "unknown-field",
                f"{name[0].upper()}{name[1:]} is not part of Criteo's contract here (expected "
                f"{', '.join(known)}); Criteo ignores or refuses it.",
            )
        )


def check_captured(
    body: object,
    *,
    event_names: Mapping[str, str] = IDENTITY_EVENT_NAMES,
    now: datetime | None = None,
) -> tuple[list[Issue], list[CapturedCheck]]:
    """Judge every conversion of a captured body with ``check_order``."""
    envelope, conversions = read_wire_body(body, event_names)
    checks: list[CapturedCheck] = []
    for conversion in conversions:
        context = ProfileContext(conversion.advertiser_id, event_names)
        check = check_order(conversion.order, context, now=now)
        # Without attributes there is no order to judge: the envelope issue says it all.
        core = check.issues if conversion.order or conversion.advertiser_id is not None else []
        if not conversion.has_transaction_data and conversion.order.get("event") == "purchase":
            core = [
                i
                for i in core
                if not (i.field in _TRANSACTION_FIELDS and i.code.endswith("missing"))
            ]
            core.insert(
                0,
                error(
                    "transaction_data",
                    "transaction-data-missing",
                    "The purchase carries no “transaction_data”, so Criteo cannot see the "
                    "order id, value, currency or items. Add transaction_data with id, "
                    "currency, value and item.",
                ),
            )
        prefix = _prefix(conversion.index)
        issues = [*conversion.issues, *(_prefixed(i, prefix) for i in core)]
        digest = conversion.order.get("email_sha256")
        checks.append(CapturedCheck(conversion.index, issues, check, conversion.order, digest))
    return envelope, checks


def _prefixed(issue: Issue, prefix: str) -> Issue:
    if not prefix:
        return issue
    return Issue(issue.level, f"{prefix}{issue.field}", issue.code, issue.message)


_MD5_MOOT = ("email-md5-unavailable", "events-identifier-missing")


def check_captured_events(
    body: object, *, now: datetime | None = None
) -> tuple[list[Issue], list[CapturedCheck]]:
    """Judge every event of a captured Events API body with ``check_order``, as a composed
    order for an Events API profile is judged: the body is read back by the destination's
    own reader (``core.destinations.events.read_wire``); no rule is repeated here."""
    wire = read_events_wire(body)
    context = ProfileContext(None, S2S_EVENT_NAMES, destination=EVENTS.name, settings=wire.settings)
    checks: list[CapturedCheck] = []
    for index, order, envelope in wire.orders:
        check = check_order(order, context, now=now)
        core = [
            i
            for i in check.issues
            # The body carries no order total (the value is the item lines' sum, so their own
            # issues say it); an MD5 form is a hashed email too, which the canonical order
            # cannot hold: with one, neither "MD5 unavailable" nor "no identifier" applies.
            if i.field != "value" and not (wire.has_md5 and i.code in _MD5_MOOT)
        ]
        prefix = "" if index == 0 else f"events[{index}]."
        issues = [*envelope, *(_prefixed(i, prefix) for i in core)]
        checks.append(CapturedCheck(index, issues, check, order, order.get("email_sha256")))
    return list(wire.issues), checks
