"""Sign-off comparison: the shop's order, what was sent and what Criteo answered."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from criteo_console.core import ProfileContext, check_order
from criteo_console.core.reconcile import (
    reconcile,
    summarize_conversion,
    summarize_order_input,
)
from tests.core.orders import GUIDE_ORDER, guide_order

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def _sent(order: dict[str, object]) -> dict[str, object]:
    payload = check_order(order, ProfileContext(advertiser_id=1234567), now=NOW).payload
    assert payload is not None
    return payload


def test_guide_order_reconciles_all_green() -> None:
    shop = summarize_order_input(GUIDE_ORDER)
    sent = summarize_conversion(_sent(GUIDE_ORDER))

    result = reconcile(shop, sent, sent)

    assert result.all_match
    assert [row.label for row in result.rows] == [
        "Order id",
        "Value",
        "Currency",
        "Item lines",
        "Items total (price × qty)",
    ]
    assert result.rows[1].shop == "149.90"
    assert shop.items_total == Decimal("149.90")
    assert shop.line_count == 2


def test_value_written_differently_still_matches() -> None:
    shop = summarize_order_input(guide_order(value=149.9))
    sent = summarize_conversion(_sent(GUIDE_ORDER))

    assert reconcile(shop, sent, sent).all_match


def test_mismatch_is_flagged_on_its_row_only() -> None:
    shop = summarize_order_input(guide_order(value="150.00"))
    sent = summarize_conversion(_sent(GUIDE_ORDER))

    result = reconcile(shop, sent, sent)

    assert not result.all_match
    assert [row.label for row in result.mismatches] == ["Value"]


def test_answer_that_differs_from_what_was_sent_is_flagged() -> None:
    sent_body = _sent(GUIDE_ORDER)
    answered_body = _sent(guide_order(currency="USD"))

    result = reconcile(
        summarize_order_input(GUIDE_ORDER),
        summarize_conversion(sent_body),
        summarize_conversion(answered_body),
    )

    assert [row.label for row in result.mismatches] == ["Currency"]
    assert result.rows[2].answered == "USD"


def test_no_answer_is_never_all_green() -> None:
    sent = summarize_conversion(_sent(GUIDE_ORDER))

    result = reconcile(summarize_order_input(GUIDE_ORDER), sent, None)

    assert not result.all_match
    assert result.rows[0].answered == "no answer"


def test_broken_sides_summarize_to_blanks_not_errors() -> None:
    assert summarize_conversion({"data": "nope"}).order_id is None
    assert summarize_conversion(None).value is None
    assert summarize_order_input(["x"]).currency is None
    odd = summarize_order_input({"items": [{"price": "x", "quantity": 1}]})
    assert odd.line_count == 1
    assert odd.items_total is None


def test_money_reads_with_one_number_of_decimals_across_a_row() -> None:
    sent = summarize_conversion(_sent(GUIDE_ORDER))
    echoed = summarize_conversion(
        {
            "data": [
                {
                    "attributes": {
                        "transaction_data": {
                            "id": "PS-10428",
                            "currency": "EUR",
                            "value": 149.9,
                            "item": [],
                        }
                    }
                }
            ]
        }
    )

    row = reconcile(summarize_order_input(GUIDE_ORDER), sent, echoed).rows[1]

    assert (row.shop, row.sent, row.answered) == ("149.90", "149.90", "149.90")
    assert row.match
