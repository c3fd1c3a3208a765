"""What a destination is: where an order goes, the rules it adds, the body it is sent as."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from criteo_console.core.destination_settings import SITE_TYPES, DestinationSettings
from criteo_console.core.emailforms import EmailForms
from criteo_console.core.identifiers import Coverage
from criteo_console.core.issues import Issue
from criteo_console.core.visit import Visit

__all__ = ["SITE_TYPES", "Destination", "DestinationSettings", "OrderFacts", "SentFacts"]

from criteo_console.core.reconcile import OrderSummary

if TYPE_CHECKING:
    from criteo_console.core.order import Order, ProfileContext


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What a destination's order rules look at, read before the Order exists."""

    event_time: datetime | None
    email_forms: EmailForms | None
    visit: Visit
    coverage: Coverage
    identifier_broken: bool  # an identifier field already has an error: no "missing" on top
    now: datetime


@dataclass(frozen=True, slots=True)
class SentFacts:
    """What a logged request body says, for the sign-off: read back, never trusted blindly."""

    event_name: str | None
    event_time: str | None
    identifiers: tuple[str, ...]  # plain names of the identifiers present ("GUM id", …)
    identifier_kinds: int  # how many kinds this destination can carry
    email_note: str  # how the email left this computer
    raw_email: bool  # an identifier holds an address: never acceptable
    transaction: OrderSummary


class Destination(Protocol):
    """One place an order can be sent. Implementations are stateless singletons."""

    @property
    def name(self) -> str:
        """Stable id used in profiles and on the command line."""
        ...

    @property
    def label(self) -> str:
        """How the window and the CLI name it ("Events API (s2s)")."""
        ...

    @property
    def default_base_url(self) -> str:
        """Criteo's address for this destination (a profile may point elsewhere)."""
        ...

    def base_url_problem(self, base_url: str) -> str | None:
        """Why a non-sandbox profile must not send to ``base_url``, or None."""
        ...

    @property
    def uses_oauth(self) -> bool:
        """True when a send needs an access token and an advertiser scope check first."""
        ...

    @property
    def email_forms(self) -> tuple[str, ...]:
        """Which hashed email forms (emailforms.FORM_NAMES) go out in the body."""
        ...

    @property
    def email_fields(self) -> Mapping[str, str]:
        """Each form that goes out -> where it sits in the body (for the email ladder)."""
        ...

    def event_names(self, context: ProfileContext) -> Mapping[str, str]:
        """Canonical event -> the name this destination sends."""
        ...

    def coverage(self, carried: Coverage, visit: Visit) -> Coverage:
        """The identifiers this destination sends, out of those it can carry."""
        ...

    def read_account(self, context: ProfileContext) -> tuple[int | None, list[Issue]]:
        """Whose account the order goes to (the event log's advertiser id), or issues."""
        ...

    def order_rules(self, facts: OrderFacts) -> list[Issue]:
        """Rules this destination adds to the canonical order's own."""
        ...

    def build_payload(self, order: Order, settings: DestinationSettings) -> dict[str, Any]:
        """The exact request body, keys in the documented order."""
        ...

    def endpoint_path(self, version: str) -> str:
        """The path (and query) after the base URL that a send is POSTed to."""
        ...

    def summarize_body(self, body: object) -> OrderSummary:
        """The order a request body of this destination describes (for Compare)."""
        ...

    def read_sent(self, body: object) -> SentFacts | None:
        """The sign-off's reading of a body of this destination; None for another shape."""
        ...
