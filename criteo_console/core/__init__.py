"""The pure domain: order model, normalisation and hashing, validation, payload. No Qt, no I/O.

The names below are loaded on first use (module ``__getattr__``): ``import
criteo_console.core.redaction`` or ``from criteo_console.core import Issue`` does not pull in
every rule, the currency table and babel (start-up time: the console is usable sooner).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from criteo_console.core.events import DEFAULT_EVENT_NAMES, check_event_mapping
    from criteo_console.core.identifiers import Coverage, EmailLadder, email_ladder, hash_email
    from criteo_console.core.issues import Issue, Level
    from criteo_console.core.jsonfmt import dumps_json, loads_json
    from criteo_console.core.money import all_currencies, currency_info
    from criteo_console.core.order import LineItem, Order, ProfileContext
    from criteo_console.core.payload import build_payload
    from criteo_console.core.validation import OrderCheck, check_order

# public name -> the module under criteo_console.core that defines it
_LAZY: dict[str, str] = {
    "DEFAULT_EVENT_NAMES": "events",
    "check_event_mapping": "events",
    "Coverage": "identifiers",
    "EmailLadder": "identifiers",
    "email_ladder": "identifiers",
    "hash_email": "identifiers",
    "Issue": "issues",
    "Level": "issues",
    "dumps_json": "jsonfmt",
    "loads_json": "jsonfmt",
    "all_currencies": "money",
    "currency_info": "money",
    "LineItem": "order",
    "Order": "order",
    "ProfileContext": "order",
    "build_payload": "payload",
    "OrderCheck": "validation",
    "check_order": "validation",
}

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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # once loaded, a plain module attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
