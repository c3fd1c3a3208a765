"""The canonical order input (DESIGN §5) once read and checked, and the profile context."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from criteo_console.core.destination_settings import DestinationSettings
from criteo_console.core.emailforms import EmailForms
from criteo_console.core.events import DEFAULT_EVENT_NAMES
from criteo_console.core.visit import VISIT_FIELDS, Visit

ORDER_FIELDS = (
    "event",
    "event_time",
    "order_id",
    "currency",
    "value",
    "items",
    "email",
    "email_sha256",
    "customer_id",
    "madid",
    *VISIT_FIELDS,
)
ITEM_FIELDS = ("id", "price", "quantity")
# An order file or pasted order larger than this is refused unread: a real order with a
# thousand item lines is under 150 KB.
MAX_ORDER_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ProfileContext:
    """What the profile adds to an order: whose account it goes to, how events are named,
    and which destination (``core.destinations``) it is sent to, with that one's settings."""

    advertiser_id: object
    event_names: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_EVENT_NAMES))
    destination: str = "conversions"
    settings: DestinationSettings = field(default_factory=DestinationSettings)


@dataclass(frozen=True, slots=True)
class LineItem:
    id: str
    price: Decimal
    quantity: int

    @property
    def total(self) -> Decimal:
        return self.price * self.quantity


@dataclass(frozen=True, slots=True)
class Order:
    """A checked order: every field normalised, nothing raw (the email is only its digest)."""

    advertiser_id: int
    event: str
    event_name: str
    event_time: datetime
    order_id: str | None
    currency: str | None
    value: Decimal | None
    items: tuple[LineItem, ...]
    email_sha256: str | None
    customer_id: str | None
    madid: str | None
    # The three hashed forms of the email (the Events API sends them all); None without one.
    email_forms: EmailForms | None = None
    visit: Visit = field(default_factory=Visit)

    @property
    def is_purchase(self) -> bool:
        return self.event == "purchase"

    @property
    def items_total(self) -> Decimal:
        return sum((item.total for item in self.items), Decimal(0))
