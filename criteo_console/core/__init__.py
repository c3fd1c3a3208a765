"""The pure domain: order model, normalisation and hashing, validation, payload. No Qt, no I/O."""

from criteo_console.core.events import DEFAULT_EVENT_NAMES, check_event_mapping
from criteo_console.core.identifiers import Coverage, EmailLadder, email_ladder, hash_email
from criteo_console.core.issues import Issue, Level
from criteo_console.core.jsonfmt import dumps_json, loads_json
from criteo_console.core.money import all_currencies, currency_info
from criteo_console.core.order import LineItem, Order, ProfileContext
from criteo_console.core.payload import build_payload
from criteo_console.core.validation import OrderCheck, check_order

__all__ = [
    "DEFAULT_EVENT_NAMES",
    "Coverage",
    "EmailLadder",
    "Issue",
    "Level",
    "LineItem",
    "Order",
    "OrderCheck",
    "ProfileContext",
    "all_currencies",
    "build_payload",
    "check_event_mapping",
    "check_order",
    "currency_info",
    "dumps_json",
    "email_ladder",
    "hash_email",
    "loads_json",
]
