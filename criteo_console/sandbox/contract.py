"""The conversions contract, checked the way Criteo would: one problem per broken rule.

Written independently of ``criteo_console.core`` on purpose: if the console and the sandbox
shared a rule, a bug in it would pass unseen. Each problem carries a JSON pointer (RFC 6901)
into the request body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from criteo_console.sandbox.currencies import MINOR_UNITS

_SHA256 = re.compile(r"[0-9a-f]{64}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_EVENT_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z")

ATTRIBUTE_KEYS = ("advertiser_id", "event_name", "event_time", "identifiers", "transaction_data")
IDENTIFIER_KEYS = ("email_sha256", "customer_id", "madid")
TRANSACTION_KEYS = ("id", "currency", "value", "item")
ITEM_KEYS = ("id", "price", "quantity")


@dataclass(frozen=True)
class Problem:
    pointer: str
    code: str
    title: str
    detail: str


def pointer(*parts: str | int) -> str:
    """An RFC 6901 JSON pointer: '~' and '/' in a key are escaped."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _is_number(value: object) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _decimal_places(value: int | Decimal) -> int:
    if isinstance(value, int):
        return 0
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


class _Checker:
    def __init__(self, event_names: frozenset[str]) -> None:
        self.event_names = event_names
        self.problems: list[Problem] = []

    def add(self, at: str, code: str, title: str, detail: str) -> None:
        self.problems.append(Problem(at, code, title, detail))

    def missing(self, at: str, name: str, why: str = "") -> None:
        self.add(at, "missing-field", f"Missing field '{name}'", f"'{name}' is required{why}.")

    def wrong_type(self, at: str, name: str, expected: str) -> None:
        self.add(
            at, "invalid-type", f"'{name}' has the wrong type", f"'{name}' must be {expected}."
        )

    def unknown_keys(self, obj: dict[str, Any], known: Iterable[str], *base: str | int) -> None:
        allowed = set(known)
        for key in obj:
            if key not in allowed:
                self.add(
                    pointer(*base, key),
                    "unknown-field",
                    f"Unknown field '{key}'",
                    f"'{key}' is not part of the contract here; expected one of: "
                    + ", ".join(sorted(allowed))
                    + ".",
                )

    # --- body -----------------------------------------------------------------------------

    def body(self, body: Any) -> None:
        if not isinstance(body, dict):
            self.wrong_type("", "body", 'a JSON object like {"data": [...]}')
            return
        if "data" not in body:
            self.missing(pointer("data"), "data")
            return
        data = body["data"]
        if not isinstance(data, list):
            self.wrong_type(pointer("data"), "data", "a list of conversions")
            return
        if not data:
            self.add(pointer("data"), "empty-data", "No conversion sent", "'data' is empty.")
        for index, entry in enumerate(data):
            self.conversion(entry, index)

    def conversion(self, entry: Any, i: int) -> None:
        if not isinstance(entry, dict):
            self.wrong_type(pointer("data", i), "data item", "an object")
            return
        if entry.get("type") != "Conversion":
            self.add(
                pointer("data", i, "type"),
                "invalid-type",
                "Wrong resource type",
                f"'type' must be \"Conversion\", got {_show(entry.get('type'))}.",
            )
        attributes = entry.get("attributes")
        if attributes is None:
            self.missing(pointer("data", i, "attributes"), "attributes")
            return
        if not isinstance(attributes, dict):
            self.wrong_type(pointer("data", i, "attributes"), "attributes", "an object")
            return
        base = ("data", i, "attributes")
        self.unknown_keys(attributes, ATTRIBUTE_KEYS, *base)
        self.advertiser_id(attributes, base)
        event_name = self.event_name(attributes, base)
        self.event_time(attributes, base)
        self.identifiers(attributes, base)
        self.transaction_data(attributes, base, event_name == "purchase")

    # --- attributes -----------------------------------------------------------------------

    def advertiser_id(self, attrs: dict[str, Any], base: tuple[str | int, ...]) -> None:
        at = pointer(*base, "advertiser_id")
        if "advertiser_id" not in attrs:
            self.missing(at, "advertiser_id")
            return
        value = attrs["advertiser_id"]
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            self.add(
                at,
                "invalid-advertiser-id",
                "advertiser_id must be a whole number",
                "advertiser_id must be a positive JSON integer such as 1234567, "
                f"got {_show(value)}.",
            )

    def event_name(self, attrs: dict[str, Any], base: tuple[str | int, ...]) -> str | None:
        at = pointer(*base, "event_name")
        if "event_name" not in attrs:
            self.missing(at, "event_name")
            return None
        value = attrs["event_name"]
        if not isinstance(value, str) or not value:
            self.add(at, "invalid-event-name", "Invalid event_name", "event_name must be text.")
            return None
        if value not in self.event_names:
            near = value.strip().lower().replace("-", "_").replace(" ", "_")
            hint = f" Did you mean '{near}'?" if near in self.event_names else ""
            self.add(
                at,
                "unknown-event-name",
                "Unknown event_name",
                f"{_show(value)} is not an event configured for this advertiser.{hint}",
            )
        return value

    def event_time(self, attrs: dict[str, Any], base: tuple[str | int, ...]) -> None:
        at = pointer(*base, "event_time")
        if "event_time" not in attrs:
            self.missing(at, "event_time")
            return
        value = attrs["event_time"]
        ok = isinstance(value, str) and _EVENT_TIME.fullmatch(value) is not None
        if ok:
            try:
                datetime.fromisoformat(str(value)[:19])
            except ValueError:
                ok = False
        if not ok:
            self.add(
                at,
                "invalid-event-time",
                "Invalid event_time",
                "event_time must be a UTC ISO-8601 time ending in 'Z', such as "
                f"2026-04-24T13:14:58Z; got {_show(value)}.",
            )

    def identifiers(self, attrs: dict[str, Any], base: tuple[str | int, ...]) -> None:
        at = pointer(*base, "identifiers")
        if "identifiers" not in attrs:
            self.missing(at, "identifiers")
            return
        ids = attrs["identifiers"]
        if not isinstance(ids, dict):
            self.wrong_type(at, "identifiers", "an object")
            return
        for key, value in ids.items():
            key_at = pointer(*base, "identifiers", key)
            if (isinstance(value, str) and "@" in value) or (
                "email" in key.lower() and key != "email_sha256"
            ):
                # The value is never echoed: it is personal data.
                self.add(
                    key_at,
                    "raw-email-not-allowed",
                    "Raw email address sent",
                    f"'{key}' looks like a plain email address. Send only email_sha256: the "
                    "SHA-256 of the trimmed, lower-cased address.",
                )
            elif key == "email_sha256":
                self._check_sha(key_at, value)
            elif key == "customer_id":
                self._check_text(key_at, "customer_id", "invalid-customer-id", value)
            elif key == "madid":
                if not (isinstance(value, str) and _UUID.fullmatch(value)):
                    self.add(
                        key_at,
                        "invalid-madid",
                        "Invalid madid",
                        "madid must be a mobile advertising id in UUID form "
                        "(8-4-4-4-12 hexadecimal digits).",
                    )
            else:
                self.unknown_keys({key: value}, IDENTIFIER_KEYS, *base, "identifiers")
        if not ids:
            self.add(
                at,
                "missing-identifier",
                "No identifier",
                "identifiers needs at least one of email_sha256, customer_id, madid.",
            )

    def _check_sha(self, at: str, value: Any) -> None:
        if isinstance(value, str) and _SHA256.fullmatch(value):
            return
        detail = "email_sha256 must be 64 lower-case hexadecimal characters."
        if isinstance(value, str) and _SHA256.fullmatch(value.lower()):
            detail += " Upper-case hex was sent: lower-case it."
        self.add(at, "invalid-email-sha256", "Invalid email_sha256", detail)

    def _check_text(self, at: str, name: str, code: str, value: Any) -> None:
        if not (isinstance(value, str) and value.strip()):
            self.add(at, code, f"Invalid {name}", f"{name} must be non-empty text.")

    # --- transaction_data -----------------------------------------------------------------

    def transaction_data(
        self, attrs: dict[str, Any], base: tuple[str | int, ...], is_purchase: bool
    ) -> None:
        at = pointer(*base, "transaction_data")
        if "transaction_data" not in attrs:
            if is_purchase:
                self.missing(at, "transaction_data", " on a purchase")
            return
        tx = attrs["transaction_data"]
        if not isinstance(tx, dict):
            self.wrong_type(at, "transaction_data", "an object")
            return
        tbase = (*base, "transaction_data")
        self.unknown_keys(tx, TRANSACTION_KEYS, *tbase)
        if "id" not in tx:
            self.missing(pointer(*tbase, "id"), "id", " (the order id)")
        else:
            self._check_text(pointer(*tbase, "id"), "id", "invalid-transaction-id", tx["id"])
        minor_units = self.currency(tx, tbase)
        if "value" not in tx:
            self.missing(pointer(*tbase, "value"), "value")
        else:
            self.amount(pointer(*tbase, "value"), "value", tx["value"], minor_units)
        self.items(tx, tbase, minor_units)

    def currency(self, tx: dict[str, Any], tbase: tuple[str | int, ...]) -> int | None:
        at = pointer(*tbase, "currency")
        if "currency" not in tx:
            self.missing(at, "currency")
            return None
        value = tx["currency"]
        if isinstance(value, str) and value in MINOR_UNITS:
            return MINOR_UNITS[value]
        hint = ""
        if isinstance(value, str) and value.strip().upper() in MINOR_UNITS:
            hint = f" Use '{value.strip().upper()}' (upper case, no spaces)."
        self.add(
            at,
            "invalid-currency",
            "Invalid currency",
            f"currency must be an ISO 4217 code such as EUR, got {_show(value)}.{hint}",
        )
        return None

    def amount(self, at: str, name: str, value: Any, minor_units: int | None) -> None:
        code = "invalid-value" if name == "value" else "invalid-price"
        if not _is_number(value):
            self.add(
                at,
                code,
                f"Invalid {name}",
                f"{name} must be a JSON number such as 149.90, got {_show(value)}.",
            )
            return
        if value < 0:
            self.add(at, code, f"Invalid {name}", f"{name} must not be negative.")
            return
        if minor_units is not None and _decimal_places(value) > minor_units:
            self.add(
                at,
                code,
                f"Too many decimals in {name}",
                f"{name} {value} has more decimals than the currency allows ({minor_units}).",
            )

    def items(
        self, tx: dict[str, Any], tbase: tuple[str | int, ...], minor_units: int | None
    ) -> None:
        at = pointer(*tbase, "item")
        if "item" not in tx:
            self.missing(at, "item", " (the order lines)")
            return
        lines = tx["item"]
        if not isinstance(lines, list):
            self.wrong_type(at, "item", "a list of order lines")
            return
        if not lines:
            self.add(at, "empty-item", "No order lines", "item must list at least one line.")
        for j, line in enumerate(lines):
            lbase = (*tbase, "item", j)
            if not isinstance(line, dict):
                self.wrong_type(pointer(*lbase), "item line", "an object")
                continue
            self.unknown_keys(line, ITEM_KEYS, *lbase)
            if "id" not in line:
                self.missing(pointer(*lbase, "id"), "id", " (the product id)")
            else:
                self._check_text(pointer(*lbase, "id"), "id", "invalid-item-id", line["id"])
            if "price" not in line:
                self.missing(pointer(*lbase, "price"), "price")
            else:
                self.amount(pointer(*lbase, "price"), "price", line["price"], minor_units)
            self.quantity(line, lbase)

    def quantity(self, line: dict[str, Any], lbase: tuple[str | int, ...]) -> None:
        at = pointer(*lbase, "quantity")
        if "quantity" not in line:
            self.missing(at, "quantity")
            return
        value = line["quantity"]
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            self.add(
                at,
                "invalid-quantity",
                "Invalid quantity",
                f"quantity must be a whole number of at least 1, got {_show(value)}.",
            )


def _show(value: Any) -> str:
    text = repr(str(value)) if isinstance(value, str) else repr(value)
    if isinstance(value, Decimal):
        text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_conversions(body: Any, event_names: frozenset[str]) -> list[Problem]:
    """All contract problems in a conversions body parsed with ``parse_float=Decimal``."""
    checker = _Checker(event_names)
    checker.body(body)
    return checker.problems
