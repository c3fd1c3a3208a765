"""Where an order can be sent, as one registry: the code asks a Destination, never a name.

``conversions`` is the integration guide's contract (the default); ``events`` is Criteo's
public server-side Events API. Add a destination here and everything that lists, validates,
builds or sends reads it from this table.
"""

from __future__ import annotations

from collections.abc import Mapping

from criteo_console.core.destination_settings import UnknownDestination, request_url
from criteo_console.core.destinations.base import (
    SITE_TYPES,
    Destination,
    DestinationSettings,
    OrderFacts,
    SentFacts,
)
from criteo_console.core.destinations.conversions import CONVERSIONS
from criteo_console.core.destinations.events import EVENTS
from criteo_console.core.reconcile import EMPTY_SUMMARY, OrderSummary

DEFAULT_DESTINATION = CONVERSIONS.name  # == destination_settings.DEFAULT_DESTINATION (tested)
DESTINATIONS: Mapping[str, Destination] = {d.name: d for d in (CONVERSIONS, EVENTS)}
DESTINATION_NAMES = tuple(DESTINATIONS)


def summarize_any_body(body: object) -> OrderSummary:
    """The order a request body (or a sandbox's kept copy) describes, whichever destination's
    shape it has; the empty summary when none recognises it."""
    for destination in DESTINATIONS.values():
        summary = destination.summarize_body(body)
        if summary.order_id is not None:
            return summary
    return EMPTY_SUMMARY


def read_any_sent(body: object) -> SentFacts:
    """The sign-off's reading of a logged body, by the destination whose shape it has."""
    for destination in DESTINATIONS.values():
        facts = destination.read_sent(body)
        if facts is not None:
            return facts
    return SentFacts(None, None, (), 0, "", False, EMPTY_SUMMARY)


def get_destination(name: str) -> Destination:
    try:
        return DESTINATIONS[name]
    except KeyError:
        raise UnknownDestination(name) from None


__all__ = [
    "DEFAULT_DESTINATION",
    "DESTINATIONS",
    "DESTINATION_NAMES",
    "SITE_TYPES",
    "Destination",
    "DestinationSettings",
    "OrderFacts",
    "SentFacts",
    "UnknownDestination",
    "get_destination",
    "read_any_sent",
    "request_url",
    "summarize_any_body",
]
