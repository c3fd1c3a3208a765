"""Criteo's public server-side Events API ("s2s"): ``POST /m/event?version=s2s_v0``.

No OAuth: the partner account and the caller id (``id.mapping_key``) travel in the body. The
shape follows Criteo's OneTag/s2s guides and integrators' public code; what the sandbox
cannot confirm is listed in docs/events-api.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, timedelta
from typing import Any
from urllib.parse import urlsplit

from criteo_console.core.destination_settings import DESTINATION_FACTS, EVENTS_PATH
from criteo_console.core.destinations._ids import whole_id
from criteo_console.core.destinations.base import (
    SITE_TYPES,
    DestinationSettings,
    OrderFacts,
    SentFacts,
)
from criteo_console.core.emailforms import FORM_LABELS, FORM_NAMES, EmailForms
from criteo_console.core.identifiers import Coverage, contains_email
from criteo_console.core.issues import Issue, error, warning
from criteo_console.core.money import currency_info, quantize_for
from criteo_console.core.order import Order, ProfileContext
from criteo_console.core.reconcile import EMPTY_SUMMARY, OrderSummary, _id, _lines
from criteo_console.core.visit import Visit

PATH = EVENTS_PATH
# Canonical event -> the Events API's name (Criteo OneTag event names).
S2S_EVENT_NAMES: Mapping[str, str] = {
    "purchase": "trackTransaction",
    "add_to_cart": "addToCart",
    "view_item": "viewItem",
    "view_list": "viewList",
    "view_home": "viewHome",
    "view_basket": "viewBasket",
    "begin_checkout": "beginCheckout",
    "add_payment_info": "addPaymentInfo",
    "login": "login",
}
# Criteo expects events within minutes of the visit; older ones may not be attributed.
FRESH_FOR = timedelta(minutes=15)
# What the Events API matches a sale by (a customer id or MADID has no place in its body).
IDENTIFIERS = ("gum_id", "email_sha256")
CRITEO_DOMAINS = ("criteo.com", "criteo.net")
_MAPPING_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class EventsDestination:
    name = "events"
    label = DESTINATION_FACTS[name].label
    default_base_url = DESTINATION_FACTS[name].default_base_url
    uses_oauth = DESTINATION_FACTS[name].uses_oauth
    email_fields: Mapping[str, str] = {form: f"id.email.{form}" for form in FORM_NAMES}
    email_forms = tuple(email_fields)

    def base_url_problem(self, base_url: str) -> str | None:
        try:
            host = urlsplit(base_url).hostname or ""
        except ValueError:
            host = ""
        if is_criteo_host(host):
            return None
        return (
            f"The Events API is at {self.default_base_url}: a profile sending to Criteo must "
            "use a criteo.com or criteo.net address."
        )

    def event_names(self, context: ProfileContext) -> Mapping[str, str]:
        return S2S_EVENT_NAMES

    def coverage(self, carried: Coverage, visit: Visit) -> Coverage:
        return replace(carried, gum_id=visit.gum_id is not None, kinds=IDENTIFIERS)

    def read_account(self, context: ProfileContext) -> tuple[int | None, list[Issue]]:
        settings = context.settings
        issues: list[Issue] = []
        number, problem = whole_id(settings.account)
        if problem == "missing":
            issues.append(
                error(
                    "account",
                    "account-missing",
                    "No Criteo partner account is set. The Events API needs it in every event: "
                    "give it in the profile, with --account, or as CRITEO_ACCOUNT_ID.",
                )
            )
        elif problem:
            issues.append(
                error(
                    "account",
                    "account-invalid",
                    "The partner account must be a whole positive number, such as 12345 (the "
                    "account id of the site's Criteo OneTag).",
                )
            )
        key = settings.mapping_key.strip()
        if not key:
            issues.append(
                error(
                    "mapping_key",
                    "mapping-key-missing",
                    "No caller id (mapping key) is set. Criteo gives it when it enables the "
                    "Events API: enter it in the profile, with --mapping-key, or as "
                    "CRITEO_CALLER_ID.",
                )
            )
        elif contains_email(key) or not _MAPPING_KEY.match(key):
            issues.append(
                error(
                    "mapping_key",
                    "mapping-key-invalid",
                    "The caller id (mapping key) must be one word of letters, digits, '.', "
                    "'_', ':' or '-', as Criteo gave it.",
                )
            )
        if settings.site_type not in SITE_TYPES:
            choices = ", ".join(f"{code} ({what})" for code, what in SITE_TYPES.items())
            issues.append(
                error(
                    "site_type",
                    "site-type-invalid",
                    f"The site type must be one of {choices}.",
                )
            )
        return number, issues

    def order_rules(self, facts: OrderFacts) -> list[Issue]:
        issues: list[Issue] = []
        if facts.event_time is not None and facts.now - facts.event_time > FRESH_FOR:
            issues.append(
                warning(
                    "event_time",
                    "event-time-stale",
                    "The event time is more than 15 minutes ago. The Events API expects events "
                    "within minutes of the visit and may not attribute an older one. For a "
                    "test, use the time of the test checkout.",
                )
            )
        forms = facts.email_forms
        if facts.visit.gum_id is None and forms is None and not facts.identifier_broken:
            issues.append(
                error(
                    "email",
                    "events-identifier-missing",
                    "The Events API matches a sale by the GUM id (the crto_mapped_user_id "
                    "cookie) or a hashed email; this order has neither. Add the customer's "
                    "email (it is hashed on this computer) or the GUM id.",
                )
            )
        elif forms is not None and forms.md5 is None:
            issues.append(
                warning(
                    "email_sha256",
                    "email-md5-unavailable",
                    "Only the email's SHA-256 is known, so its MD5 forms cannot be sent; "
                    "Criteo asks for SHA-256 together with MD5. Enter the address itself "
                    "(it is hashed on this computer) to send all three.",
                )
            )
        return issues

    def build_payload(self, order: Order, settings: DestinationSettings) -> dict[str, Any]:
        identity: dict[str, Any] = {"mapping_key": settings.mapping_key.strip()}
        if order.visit.gum_id:
            identity["mapped_user_id"] = order.visit.gum_id
        forms: EmailForms | None = order.email_forms
        if forms is None and order.email_sha256:
            forms = EmailForms(sha256=order.email_sha256)
        if forms is not None:
            identity["email"] = forms.present(self.email_forms)
        body: dict[str, Any] = {
            "account": str(order.advertiser_id),
            "site_type": settings.site_type,
            "id": identity,
        }
        if order.visit.ip:
            body["ip"] = order.visit.ip
        if order.visit.user_agent:
            body["useragent"] = order.visit.user_agent
        if order.visit.page_url:
            body["full_url"] = order.visit.page_url
        body["events"] = [self._event(order)]
        return body

    def _event(self, order: Order) -> dict[str, Any]:
        event: dict[str, Any] = {"event": order.event_name}
        minor = 2
        if order.currency:
            info = currency_info(order.currency)
            minor = info.minor_units if info else 2
        if order.is_purchase and order.order_id:
            event["id"] = order.order_id
        if order.currency:
            event["currency"] = order.currency
        event["timestamp"] = timestamp(order)
        if order.items:
            event["item"] = [
                {"id": item.id, "price": quantize_for(item.price, minor), "quantity": item.quantity}
                for item in order.items
            ]
        return event

    def endpoint_path(self, version: str) -> str:
        return PATH

    def summarize_body(self, body: object) -> OrderSummary:
        event = _first_event(body)
        if event is None:
            return EMPTY_SUMMARY
        count, total = _lines(event.get("item"))
        currency = event.get("currency")
        return OrderSummary(
            order_id=_id(event.get("id")),
            # The Events API carries no order total: Criteo counts the item lines, so their
            # sum is the value sent (a shop total with shipping then shows as a difference).
            value=total,
            currency=currency if isinstance(currency, str) else None,
            line_count=count,
            items_total=total,
        )

    def read_sent(self, body: object) -> SentFacts | None:
        event = _first_event(body)
        if event is None or not isinstance(body, Mapping):
            return None
        ids = _mapping(body.get("id"))
        email = _mapping(ids.get("email"))
        forms = [FORM_LABELS[f] for f in FORM_NAMES if email.get(f)]
        present = (["GUM id"] if ids.get("mapped_user_id") else []) + (
            ["hashed email"] if forms else []
        )
        name, time = event.get("event"), event.get("timestamp")
        return SentFacts(
            event_name=name if isinstance(name, str) and name else None,
            event_time=time if isinstance(time, str) else None,
            identifiers=tuple(present),
            identifier_kinds=len(IDENTIFIERS),
            email_note=(
                f"the email left this computer only as {' and '.join(forms)}"
                if forms
                else "no email was sent"
            ),
            raw_email=any("@" in str(v) for v in (*email.values(), ids.get("mapped_user_id"))),
            transaction=self.summarize_body(body),
        )


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _first_event(body: object) -> Mapping[str, Any] | None:
    events = body.get("events") if isinstance(body, Mapping) else None
    if isinstance(events, list) and events and isinstance(events[0], Mapping):
        return events[0]
    return None


def is_criteo_host(host: str) -> bool:
    """criteo.com, criteo.net and their subdomains (not ``criteo.com.evil.example``)."""
    host = host.lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in CRITEO_DOMAINS)


def timestamp(order: Order) -> str:
    """UTC with milliseconds, as JavaScript's toISOString writes it: 2026-04-24T13:14:58.000Z."""
    moment = order.event_time.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


EVENTS = EventsDestination()


# -- a captured body read back into the canonical order ---------------------------------------

BODY_KEYS = ("account", "site_type", "id", "ip", "useragent", "full_url", "events")
ID_KEYS = ("mapping_key", "mapped_user_id", "email")
EVENT_KEYS = ("event", "id", "currency", "timestamp", "item")
ITEM_KEYS = ("id", "price", "quantity")
_HEX_LENGTH = {"sha256": 64, "md5": 32, "sha256_md5": 64}
_HEX = re.compile(r"[0-9a-f]+")


@dataclass(frozen=True, slots=True)
class WireEvents:
    """An Events API body as a shop sent it, read back into canonical orders (one per event)
    and the profile settings it names, with the problems of its envelope."""

    issues: tuple[Issue, ...]
    orders: tuple[tuple[int, dict[str, Any], tuple[Issue, ...]], ...]  # (index, order, issues)
    settings: DestinationSettings
    has_md5: bool  # an MD5 form was sent alongside (the core's email-md5-unavailable is moot)


def read_wire(body: object) -> WireEvents:
    """The body's orders in the canonical input shape (DESIGN §5), for ``check_order``: the
    identity (``id``) and visit fields are shared by every event; the order value is the sum
    of the item lines, since the Events API carries no total."""
    if not isinstance(body, Mapping):
        problem = error(
            "",
            "body-not-an-object",
            'The request body is not a JSON object. The shop must send {"account": …, '
            '"id": {…}, "events": [{"event": "trackTransaction", …}]}.',
        )
        return WireEvents((problem,), (), DestinationSettings(), False)
    issues: list[Issue] = []
    _unknown(issues, body, BODY_KEYS, "")
    shared: dict[str, Any] = {}
    ids = body.get("id")
    if ids is not None and not isinstance(ids, Mapping):
        issues.append(
            error("id", "id-invalid", "“id” must be an object holding mapping_key and email.")
        )
    identity = _mapping(ids)
    _unknown(issues, identity, ID_KEYS, "id")
    if "mapped_user_id" in identity:
        shared["gum_id"] = identity["mapped_user_id"]
    has_md5 = False
    email = identity.get("email")
    if email is not None and not isinstance(email, Mapping):
        issues.append(
            error(
                "id.email",
                "email-forms-invalid",
                "“id.email” must be an object of hashes: sha256, md5 and sha256_md5.",
            )
        )
    for form, value in _mapping(email).items():
        length = _HEX_LENGTH.get(str(form))
        if length is None:
            _unknown(issues, {form: value}, tuple(_HEX_LENGTH), "id.email")
        elif form == "sha256":
            shared["email_sha256"] = value  # judged by the core's own email rules
        elif isinstance(value, str) and len(value) == length and _HEX.fullmatch(value):
            has_md5 = True
        else:
            issues.append(
                error(
                    f"id.email.{form}",
                    "email-form-invalid",
                    f"id.email.{form} must be {length} lower-case hexadecimal characters: the "
                    f"{FORM_LABELS[str(form)]} of the trimmed, lower-cased address.",
                )
            )
    visit = (("ip", "ip"), ("useragent", "user_agent"), ("full_url", "page_url"))
    for wire_key, order_key in visit:
        if wire_key in body:
            shared[order_key] = body[wire_key]
    settings = DestinationSettings(
        account=_setting(body.get("account")),
        mapping_key=_setting(identity.get("mapping_key")),
        site_type=_setting(body.get("site_type")),
    )
    events = body.get("events")
    if events is None or (isinstance(events, list) and not events):
        issues.append(
            error(
                "events",
                "events-missing",
                "The request has no “events” list. The shop must send at least one event, such "
                'as {"event": "trackTransaction", "id": …, "currency": …, "item": […]}.',
            )
        )
        return WireEvents(tuple(issues), (), settings, has_md5)
    if not isinstance(events, list):
        issues.append(error("events", "events-invalid", "“events” must be a list of events."))
        return WireEvents(tuple(issues), (), settings, has_md5)
    orders = tuple(_read_event(index, event, shared) for index, event in enumerate(events))
    return WireEvents(tuple(issues), orders, settings, has_md5)


def _read_event(
    index: int, event: object, shared: Mapping[str, Any]
) -> tuple[int, dict[str, Any], tuple[Issue, ...]]:
    at = f"events[{index}]"
    if not isinstance(event, Mapping):
        problem = error(at, "event-not-an-object", "Each entry of “events” must be an object.")
        return index, {}, (problem,)
    issues: list[Issue] = []
    _unknown(issues, event, EVENT_KEYS, at)
    order: dict[str, Any] = dict(shared)
    name = event.get("event")
    if name is not None:
        # The canonical event whose Events API name the shop sent; otherwise the name as
        # sent, so the core explains a near-miss.
        order["event"] = next((c for c, s in S2S_EVENT_NAMES.items() if s == name), name)
    for wire_key, order_key in (("timestamp", "event_time"), ("id", "order_id")):
        if wire_key in event:
            order[order_key] = event[wire_key]
    if "currency" in event:
        order["currency"] = event["currency"]
    items = event.get("item")
    if isinstance(items, list):
        lines = []
        for i, line in enumerate(items):
            if isinstance(line, Mapping):
                _unknown(issues, line, ITEM_KEYS, f"{at}.item[{i}]")
                line = {k: line[k] for k in ITEM_KEYS if k in line}
            lines.append(line)
        order["items"] = lines
        _, total = _lines(items)
        if total is not None:
            order["value"] = total  # no total in the body: the item lines are the value
    elif items is not None:
        order["items"] = items
    return index, order, tuple(issues)


def _setting(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return "?"  # a list, an object, a boolean: not an id, reported as invalid


def _unknown(issues: list[Issue], obj: Mapping[Any, Any], known: tuple[str, ...], at: str) -> None:
    for key in obj:
        if key in known:
            continue
        where = f"{at}.{key}" if at else str(key)
        name = "a field named with an email address" if "@" in str(key) else f"“{key}”"
        issues.append(
            warning(
                at if "@" in str(key) else where,
                "unknown-field",
                f"{name[0].upper()}{name[1:]} is not part of the Events API body here (expected "
                f"{', '.join(known)}); Criteo ignores or refuses it.",
            )
        )
