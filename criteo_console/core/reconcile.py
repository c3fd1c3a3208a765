"""Sign-off comparison: the shop's order vs what was sent vs what Criteo answered.

Each side is reduced to an ``OrderSummary`` read leniently (a broken side still shows what it
has), then compared field by field. Money compares as Decimal, so 149.9 equals 149.90.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from criteo_console.core.money import MoneyError, parse_amount


@dataclass(frozen=True, slots=True)
class OrderSummary:
    order_id: str | None
    value: Decimal | None
    currency: str | None
    line_count: int | None
    items_total: Decimal | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "value": None if self.value is None else str(self.value),
            "currency": self.currency,
            "line_count": self.line_count,
            "items_total": None if self.items_total is None else str(self.items_total),
        }


EMPTY_SUMMARY = OrderSummary(None, None, None, None, None)


def _amount(raw: object) -> Decimal | None:
    try:
        return parse_amount(raw)
    except MoneyError:
        return None


def _id(raw: object) -> str | None:
    if isinstance(raw, str | int) and not isinstance(raw, bool):
        return str(raw)
    return None


def _lines(items: object, price_key: str = "price") -> tuple[int | None, Decimal | None]:
    if not isinstance(items, Sequence) or isinstance(items, str):
        return None, None
    total = Decimal(0)
    for item in items:
        if not isinstance(item, Mapping):
            return len(items), None
        price, quantity = _amount(item.get(price_key)), _amount(item.get("quantity"))
        if price is None or quantity is None:
            return len(items), None
        total += price * quantity
    return len(items), total


def summarize_order_input(raw: object) -> OrderSummary:
    """The shop's order in the canonical input shape (DESIGN §5)."""
    if not isinstance(raw, Mapping):
        return EMPTY_SUMMARY
    count, total = _lines(raw.get("items"))
    currency = raw.get("currency")
    return OrderSummary(
        order_id=_id(raw.get("order_id")),
        value=_amount(raw.get("value")),
        currency=currency.strip().upper() if isinstance(currency, str) else None,
        line_count=count,
        items_total=total,
    )


def conversion_attributes(body: object) -> Mapping[str, Any] | None:
    """The first conversion's ``attributes`` in a Conversions API body (as sent, or as echoed
    back in Criteo's ``data`` envelope); None for any other shape."""
    if isinstance(body, Mapping):
        data = body.get("data")
        if isinstance(data, Sequence) and data and isinstance(data[0], Mapping):
            attributes = data[0].get("attributes")
            if isinstance(attributes, Mapping):
                return attributes
    return None


def summarize_conversion(body: object) -> OrderSummary:
    """A conversion body as sent, or as echoed back in Criteo's ``data`` envelope."""
    attributes = conversion_attributes(body)
    if attributes is None:
        return EMPTY_SUMMARY
    transaction = attributes.get("transaction_data")
    if not isinstance(transaction, Mapping):
        return EMPTY_SUMMARY
    count, total = _lines(transaction.get("item"))
    currency = transaction.get("currency")
    return OrderSummary(
        order_id=_id(transaction.get("id")),
        value=_amount(transaction.get("value")),
        currency=currency if isinstance(currency, str) else None,
        line_count=count,
        items_total=total,
    )


SHOP_ORDER_STEP = "order"  # the event log keeps {"step": "order", "shop": {...}} per attempt


def shop_order_step(order: object) -> dict[str, Any]:
    """The step an attempt records for the shop's own order (the "shop" side of Compare)."""
    return {"step": SHOP_ORDER_STEP, "shop": summarize_order_input(order).as_dict()}


def shop_summary_from_steps(steps: object) -> OrderSummary | None:
    """The shop's order as an attempt recorded it in its steps (``OrderSummary.as_dict``)."""
    if not isinstance(steps, Sequence) or isinstance(steps, str):
        return None
    for entry in steps:
        if isinstance(entry, Mapping) and entry.get("step") == SHOP_ORDER_STEP:
            raw = entry.get("shop")
            if not isinstance(raw, Mapping):
                return None
            count = raw.get("line_count")
            return OrderSummary(
                order_id=_id(raw.get("order_id")),
                value=_amount(raw.get("value")),
                currency=raw.get("currency") if isinstance(raw.get("currency"), str) else None,
                line_count=count if isinstance(count, int) else None,
                items_total=_amount(raw.get("items_total")),
            )
    return None


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    label: str
    shop: str
    sent: str
    answered: str
    match: bool
    # Something to read even when the sides agree (the value differs from the items total).
    note: str = ""


@dataclass(frozen=True, slots=True)
class Reconciliation:
    rows: tuple[ComparisonRow, ...]
    answered_known: bool

    @property
    def all_match(self) -> bool:
        return self.answered_known and all(row.match for row in self.rows)

    @property
    def mismatches(self) -> tuple[ComparisonRow, ...]:
        return tuple(row for row in self.rows if not row.match)


_FIELDS = (
    ("Order id", "order_id"),
    ("Value", "value"),
    ("Currency", "currency"),
    ("Item lines", "line_count"),
    ("Items total (price × qty)", "items_total"),
)


def _show(value: object, places: int = 0) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        # One number of decimals across the row, so 149.9 (an echo) reads as 149.90.
        return str(value.quantize(Decimal(1).scaleb(-places)))
    return str(value)


def _places(values: list[object]) -> int:
    decimals = [v for v in values if isinstance(v, Decimal)]
    return max((max(0, -int(d.as_tuple().exponent)) for d in decimals), default=0)


def value_mismatch_text(value: Decimal, items_total: Decimal) -> str | None:
    """The one wording of an order value that is not the sum of its items, or None."""
    if value == items_total:
        return None
    return (
        f"The order value ({value}) is not the sum of the items' price × quantity "
        f"({items_total}). That is fine if it includes shipping, tax or a discount; "
        "otherwise fix the value or the items."
    )


VALUE_VS_ITEMS_NOTE = "the value is not the items total"


def reconcile(
    shop: OrderSummary, sent: OrderSummary, answered: OrderSummary | None
) -> Reconciliation:
    """Compare the three sides; without an answer, the answered column reads "no answer".

    The value and items-total rows carry a note when the order sent has a value that is not
    its items total: the sides may agree with each other and still not add up.
    """
    unbalanced = (
        sent.value is not None
        and sent.items_total is not None
        and value_mismatch_text(sent.value, sent.items_total) is not None
    )
    rows = []
    for label, attribute in _FIELDS:
        values = [getattr(shop, attribute), getattr(sent, attribute)]
        answered_value = None if answered is None else getattr(answered, attribute)
        if answered is not None:
            values.append(answered_value)
        match = values[0] is not None and all(value == values[0] for value in values)
        places = _places([*values, answered_value])
        rows.append(
            ComparisonRow(
                label=label,
                shop=_show(values[0], places),
                sent=_show(values[1], places),
                answered="no answer" if answered is None else _show(answered_value, places),
                match=match,
                note=VALUE_VS_ITEMS_NOTE
                if unbalanced and attribute in ("value", "items_total")
                else "",
            )
        )
    return Reconciliation(tuple(rows), answered_known=answered is not None)
