"""Money typed in the user's number format: read exactly, or flagged in plain words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from criteo_console.core import ProfileContext
from criteo_console.core.locale_money import check_form, number_format, read_amount
from tests.core.orders import guide_order

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("locale", "typed", "meant"),
    [
        ("fr_FR", "149,90", "149.90"),
        ("fr_FR", "1 499,90", "1499.90"),
        ("fr_FR", "1\u202f499,90", "1499.90"),
        ("fr_FR", "149.90", "149.90"),  # the dot is not a French group mark: one reading only
        ("de_DE", "1.499,90", "1499.90"),
        ("de_DE", "1.234.567", "1234567"),
        ("en_US", "1,499.90", "1499.90"),
        ("de_CH", "1'499.90", "1499.90"),
        ("fr_FR", "-3,5", "-3.5"),
        ("C", "12", "12"),
        # A comma before exactly two digits cannot be a group mark in any locale.
        ("en_US", "149,90", "149.90"),
        ("en_US", "-3,05", "-3.05"),
        ("de_CH", "149,90", "149.90"),
    ],
)
def test_amounts_in_the_users_format_are_read_exactly(locale: str, typed: str, meant: str) -> None:
    reading = read_amount(typed, locale)

    assert reading.problem is None
    assert reading.canonical == meant


@pytest.mark.parametrize(
    ("locale", "typed"), [("de_DE", "1.499"), ("en_US", "1,499"), ("en_GB", "1,499")]
)
def test_a_single_separator_before_three_digits_is_flagged_not_guessed(
    locale: str, typed: str
) -> None:
    reading = read_amount(typed, locale)

    assert reading.canonical is None
    assert reading.problem is not None
    assert "could mean 1499 or 1.499" in reading.problem


@pytest.mark.parametrize(
    ("locale", "typed", "example"),
    [
        ("de_DE", "149.90", "149,90"),  # the dot is the German group mark
        ("en_US", "149,9x", "149.90"),
        ("en_US", "1,49,90", "149.90"),
        ("fr_FR", "12abc", "149,90"),
        ("de_DE", "1,499.90", "149,90"),
    ],
)
def test_unreadable_amounts_say_how_to_type_them(locale: str, typed: str, example: str) -> None:
    reading = read_amount(typed, locale)

    assert reading.canonical is None
    assert reading.problem is not None
    assert f"Type it like {example}" in reading.problem


def test_blank_is_empty_not_a_problem() -> None:
    assert read_amount("  ", "fr_FR").empty


def test_writing_back_uses_the_locale_decimal_and_reads_back_the_same() -> None:
    fmt = number_format("fr_FR")

    assert fmt.write("149.90") == "149,90"
    assert read_amount(fmt.write("1499.90"), "fr_FR").canonical == "1499.90"
    assert fmt.write("1,499.90") == "1,499.90"  # not a plain number: left alone


def test_an_unreadable_entry_blocks_the_payload_and_replaces_the_core_message() -> None:
    order = guide_order(value="1.499")

    check = check_form(
        order, {"value": "Order value: could mean two things"}, ProfileContext(1234567), now=NOW
    )

    assert check.payload is None
    value_issues = [issue for issue in check.issues if issue.field == "value"]
    assert [(i.code, i.message) for i in value_issues] == [
        ("entry-unreadable", "Order value: could mean two things")
    ]


def test_an_unreadable_item_price_is_not_summed() -> None:
    order = guide_order()
    check = check_form(
        order, {"items[1].price": "Item line 2's price: unreadable"}, ProfileContext(1), now=NOW
    )

    assert check.payload is None
    assert check.items_total is None
    assert not [i for i in check.issues if i.code == "value-mismatch"]


def test_without_problems_it_is_the_core_check() -> None:
    check = check_form(guide_order(), {}, ProfileContext(1234567), now=NOW)

    assert check.ok
    assert check.payload is not None
