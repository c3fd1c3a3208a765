"""The integration guide's contract: OAuth token, then ``POST {version}/conversions``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from criteo_console.core.destination_settings import DESTINATION_FACTS, endpoint_path
from criteo_console.core.destinations._ids import whole_id
from criteo_console.core.destinations.base import DestinationSettings, OrderFacts, SentFacts
from criteo_console.core.emailforms import SHA256
from criteo_console.core.identifiers import Coverage
from criteo_console.core.issues import Issue, error
from criteo_console.core.order import Order, ProfileContext
from criteo_console.core.payload import build_payload
from criteo_console.core.reconcile import (
    OrderSummary,
    conversion_attributes,
    summarize_conversion,
)
from criteo_console.core.visit import Visit


class ConversionsDestination:
    name = "conversions"
    label = DESTINATION_FACTS[name].label
    default_base_url = DESTINATION_FACTS[name].default_base_url
    uses_oauth = DESTINATION_FACTS[name].uses_oauth
    email_fields: Mapping[str, str] = {SHA256: "email_sha256"}
    email_forms = tuple(email_fields)

    def base_url_problem(self, base_url: str) -> str | None:
        return None  # any https address: the guide's host is not fixed

    def event_names(self, context: ProfileContext) -> Mapping[str, str]:
        return context.event_names

    def coverage(self, carried: Coverage, visit: Visit) -> Coverage:
        return carried

    def read_account(self, context: ProfileContext) -> tuple[int | None, list[Issue]]:
        number, problem = whole_id(context.advertiser_id)
        if problem == "missing":
            return None, [
                error(
                    "advertiser_id",
                    "advertiser-id-missing",
                    "No advertiser id is set. Give the advertiser's numeric Criteo id: in the "
                    "profile, with --advertiser-id, or as CRITEO_ADVERTISER_ID.",
                )
            ]
        if problem:
            return None, [
                error(
                    "advertiser_id",
                    "advertiser-id-invalid",
                    "The advertiser id must be a whole positive number, such as 1234567. Copy "
                    "it from the advertiser's Criteo account.",
                )
            ]
        return number, []

    def order_rules(self, facts: OrderFacts) -> list[Issue]:
        if facts.coverage.score or facts.identifier_broken:
            return []
        return [
            error(
                "email",
                "identifier-missing",
                "There is no identifier, so Criteo cannot match this sale to a shopper. Add the "
                "customer's email (it is hashed on this computer), a customer id or a MADID.",
            )
        ]

    def build_payload(self, order: Order, settings: DestinationSettings) -> dict[str, Any]:
        return build_payload(order)

    def endpoint_path(self, version: str) -> str:
        return endpoint_path(self.name, version)

    def summarize_body(self, body: object) -> OrderSummary:
        return summarize_conversion(body)

    def read_sent(self, body: object) -> SentFacts | None:
        attributes = conversion_attributes(body)
        if attributes is None:
            return None
        ids = attributes.get("identifiers")
        ids = ids if isinstance(ids, Mapping) else {}
        name, time = attributes.get("event_name"), attributes.get("event_time")
        return SentFacts(
            event_name=name if isinstance(name, str) and name else None,
            event_time=time if isinstance(time, str) else None,
            identifiers=tuple(_KIND_NAMES[k] for k in _KIND_NAMES if ids.get(k)),
            identifier_kinds=len(_KIND_NAMES),
            email_note="the email left this computer only as its SHA-256",
            raw_email=any("@" in str(value) for value in ids.values()),
            transaction=summarize_conversion(body),
        )


_KIND_NAMES = {"email_sha256": "hashed email", "customer_id": "customer id", "madid": "MADID"}


CONVERSIONS = ConversionsDestination()
