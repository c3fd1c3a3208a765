"""The Events API ("s2s") body, checked the way the sandbox plays Criteo: errors and warnings.

Written apart from ``criteo_console.core`` on purpose, like the conversions contract: if the
console and the sandbox shared a rule, a bug in it would pass unseen. What Criteo's real
endpoint checks is not published; these are the documented shape and the guides' advice.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from criteo_console.sandbox.contract import Problem, pointer
from criteo_console.sandbox.currencies import MINOR_UNITS

BODY_KEYS = ("account", "site_type", "id", "ip", "useragent", "full_url", "events")
# Sent by some integrations; accepted and not checked.
TOLERATED_KEYS = ("version", "previous_url", "retailer_visitor_id", "country", "language")
ID_KEYS = ("mapping_key", "mapped_user_id", "email")
EMAIL_FORMS = {"sha256": 64, "md5": 32, "sha256_md5": 64}
SITE_TYPES = ("d", "m", "aa", "ai")
EVENT_NAMES = frozenset(
    {
        "viewHome",
        "viewPage",
        "viewItem",
        "viewList",
        "addToCart",
        "viewBasket",
        "beginCheckout",
        "addPaymentInfo",
        "trackTransaction",
        "login",
    }
)
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z")


@dataclass
class EventsVerdict:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, at: str, code: str, title: str, detail: str) -> None:
        self.errors.append(Problem(at, code, title, detail))

    def warn(self, at: str, code: str, title: str, detail: str) -> None:
        self.warnings.append(Problem(at, code, title, detail))


def check_events(
    body: Any, *, account: str, caller_id: str, now: datetime, max_age_s: float
) -> EventsVerdict:
    """Every problem of an s2s body parsed with ``parse_float=Decimal``."""
    v = EventsVerdict()
    if not isinstance(body, dict):
        v.error("", "invalid-type", "Body is not an object", "The body must be a JSON object.")
        return v
    for key in body:
        if key not in BODY_KEYS and key not in TOLERATED_KEYS:
            v.error(pointer(key), "unknown-field", f"Unknown field '{key}'", _expected(BODY_KEYS))
    _account(v, body, account)
    site_type = body.get("site_type")
    if site_type not in SITE_TYPES:
        v.error(
            pointer("site_type"),
            "invalid-site-type",
            "Invalid site_type",
            f"site_type must be one of {', '.join(SITE_TYPES)}.",
        )
    _identity(v, body.get("id"), caller_id)
    _visit(v, body)
    _events(v, body.get("events"), now, max_age_s)
    return v


def _expected(keys: tuple[str, ...]) -> str:
    return f"Expected one of: {', '.join(keys)}."


def _account(v: EventsVerdict, body: dict[str, Any], account: str) -> None:
    value = body.get("account")
    text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None
    if value is None:
        v.error(
            pointer("account"), "missing-field", "Missing field 'account'", "'account' is required."
        )
    elif text is None or not text.isdigit():
        v.error(
            pointer("account"),
            "invalid-account",
            "Invalid account",
            "account must be the partner id, a whole number (as text or number).",
        )
    elif text != account:
        v.error(
            pointer("account"),
            "unknown-account",
            "Unknown account",
            f"Partner account {text} is not known here. The sandbox's account is {account}.",
        )


def _identity(v: EventsVerdict, ids: Any, caller_id: str) -> None:
    at = pointer("id")
    if not isinstance(ids, dict):
        v.error(
            at, "missing-field", "Missing field 'id'", "'id' must be an object with mapping_key."
        )
        return
    for key in ids:
        if key not in ID_KEYS:
            v.error(
                pointer("id", key), "unknown-field", f"Unknown field '{key}'", _expected(ID_KEYS)
            )
    key = ids.get("mapping_key")
    if not isinstance(key, str) or not key:
        v.error(
            pointer("id", "mapping_key"),
            "missing-mapping-key",
            "Missing mapping_key",
            "id.mapping_key (the caller id Criteo gave) is required.",
        )
    elif key != caller_id:
        v.error(
            pointer("id", "mapping_key"),
            "unknown-mapping-key",
            "Unknown caller id",
            "id.mapping_key is not the caller id of this account.",
        )
    gum = ids.get("mapped_user_id")
    if gum is not None and not (isinstance(gum, str) and gum and " " not in gum):
        v.error(
            pointer("id", "mapped_user_id"),
            "invalid-mapped-user-id",
            "Invalid mapped_user_id",
            "mapped_user_id must be the crto_mapped_user_id cookie's value (text).",
        )
    email = ids.get("email")
    forms = _email(v, email) if email is not None else set()
    if not gum and not forms:
        v.error(
            at,
            "user-identifier-missing",
            "No user identifier",
            "The event cannot be matched: send id.mapped_user_id (the GUM id) or id.email.",
        )
    if "sha256" in forms and not forms & {"md5", "sha256_md5"}:
        v.warn(
            pointer("id", "email"),
            "email-md5-missing",
            "Only SHA-256 of the email",
            "Send md5 or sha256_md5 together with sha256 for a better match.",
        )


def _email(v: EventsVerdict, email: Any) -> set[str]:
    at = pointer("id", "email")
    if isinstance(email, str):
        # Never echoed: it may be a plain address.
        v.error(at, "invalid-email", "Email sent as text", "id.email must be an object of hashes.")
        return set()
    if not isinstance(email, dict):
        v.error(at, "invalid-email", "Invalid email", "id.email must be an object of hashes.")
        return set()
    good = set()
    for name, value in email.items():
        length = EMAIL_FORMS.get(name)
        where = pointer("id", "email", name)
        if length is None:
            v.error(
                where, "unknown-field", f"Unknown field '{name}'", _expected(tuple(EMAIL_FORMS))
            )
        elif not (isinstance(value, str) and re.fullmatch(f"[0-9a-f]{{{length}}}", value)):
            raw = isinstance(value, str) and "@" in value
            v.error(
                where,
                "raw-email-not-allowed" if raw else "invalid-hash",
                "Raw email address sent" if raw else f"Invalid {name}",
                f"{name} must be {length} lower-case hexadecimal characters"
                + (": send the hash, never the address." if raw else "."),
            )
        else:
            good.add(name)
    return good


def _visit(v: EventsVerdict, body: dict[str, Any]) -> None:
    ip = body.get("ip")
    if ip is not None:
        try:
            ipaddress.ip_address(ip if isinstance(ip, str) else "")
        except ValueError:
            v.error(
                pointer("ip"), "invalid-ip", "Invalid ip", "ip must be an IPv4 or IPv6 address."
            )
    for key in ("useragent", "full_url"):
        value = body.get(key)
        if value is not None and not (isinstance(value, str) and value):
            v.error(
                pointer(key),
                "invalid-type",
                f"'{key}' has the wrong type",
                f"'{key}' must be text.",
            )
    url = body.get("full_url")
    if isinstance(url, str) and not url.startswith(("http://", "https://")):
        v.error(
            pointer("full_url"),
            "invalid-url",
            "Invalid full_url",
            "full_url must be a web address.",
        )


def _events(v: EventsVerdict, events: Any, now: datetime, max_age_s: float) -> None:
    at = pointer("events")
    if not isinstance(events, list) or not events:
        v.error(at, "missing-event", "No event", "events must list at least one event.")
        return
    for i, event in enumerate(events):
        if not isinstance(event, dict):
            v.error(
                pointer("events", i), "invalid-type", "Invalid event", "Each event is an object."
            )
            continue
        name = event.get("event")
        if name not in EVENT_NAMES:
            v.error(
                pointer("events", i, "event"),
                "unknown-event",
                "Unknown event",
                f"event must be one of: {', '.join(sorted(EVENT_NAMES))}.",
            )
        _timestamp(v, event.get("timestamp"), i, now, max_age_s)
        if name == "trackTransaction":
            _transaction(v, event, i)


def _timestamp(v: EventsVerdict, value: Any, i: int, now: datetime, max_age_s: float) -> None:
    at = pointer("events", i, "timestamp")
    moment = None
    if isinstance(value, str) and _TIMESTAMP.fullmatch(value):
        try:
            moment = datetime.fromisoformat(value[:19]).replace(tzinfo=UTC)
        except ValueError:
            moment = None
    if moment is None:
        v.error(
            at,
            "invalid-timestamp",
            "Invalid timestamp",
            "timestamp must be a UTC ISO-8601 time such as 2026-04-24T13:14:58.000Z.",
        )
        return
    age = (now - moment).total_seconds()
    if age > max_age_s:
        v.warn(
            at,
            "event-too-old",
            "Event too old",
            f"The event is {int(age // 60)} minutes old; events are expected within "
            f"{int(max_age_s // 60)} minutes and an older one may not be attributed.",
        )


def _transaction(v: EventsVerdict, event: dict[str, Any], i: int) -> None:
    order_id = event.get("id")
    if not (isinstance(order_id, str) and order_id.strip()):
        v.error(
            pointer("events", i, "id"),
            "missing-field",
            "Missing field 'id'",
            "A transaction needs its order id.",
        )
    currency = event.get("currency")
    minor = MINOR_UNITS.get(currency) if isinstance(currency, str) else None
    if minor is None:
        v.error(
            pointer("events", i, "currency"),
            "invalid-currency",
            "Invalid currency",
            "currency must be an ISO 4217 code such as EUR.",
        )
    lines = event.get("item")
    if not isinstance(lines, list) or not lines:
        v.error(
            pointer("events", i, "item"),
            "empty-item",
            "No order lines",
            "item must list the order lines.",
        )
        return
    for j, line in enumerate(lines):
        base = ("events", i, "item", j)
        if not isinstance(line, dict):
            v.error(pointer(*base), "invalid-type", "Invalid item line", "Each line is an object.")
            continue
        if not (isinstance(line.get("id"), str) and line["id"].strip()):
            v.error(pointer(*base, "id"), "invalid-item-id", "Invalid item id", "id must be text.")
        price = line.get("price")
        if not _amount_ok(price, minor):
            v.error(
                pointer(*base, "price"),
                "invalid-price",
                "Invalid price",
                "price must be a number of at least 0, with no more decimals than the currency.",
            )
        quantity = line.get("quantity")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            v.error(
                pointer(*base, "quantity"),
                "invalid-quantity",
                "Invalid quantity",
                "quantity must be a whole number of at least 1.",
            )


def _amount_ok(value: Any, minor: int | None) -> bool:
    if not isinstance(value, int | Decimal) or isinstance(value, bool) or value < 0:
        return False
    if isinstance(value, int) or minor is None:
        return True
    exponent = value.normalize().as_tuple().exponent
    return not isinstance(exponent, int) or max(0, -exponent) <= minor
