"""Hostile order input (issue 9, items 9 and 12): broken text in keys, email-named keys, deep
nesting and absurd numbers become plain issues, never a traceback or a printed address."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from criteo_console.commands.validate import _summary
from criteo_console.core import ProfileContext, check_order, dumps_json, loads_json
from criteo_console.core.jsonfmt import MAX_JSON_DEPTH, JsonTooDeepError, nesting_depth
from tests.core.orders import GUIDE_ORDER, guide_order

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CONTEXT = ProfileContext(advertiser_id=1234567)
ADDRESS = "jane.shopper@example.com"


def _check(order: Any, context: ProfileContext = CONTEXT) -> Any:
    return check_order(order, context, now=NOW)


def _printed(result: Any) -> str:
    """Everything `validate` and `validate --json` would print; encoding it proves it prints."""
    text = _summary(result) + dumps_json(result.as_dict(), indent=2)
    text.encode("utf-8")
    return text


def _codes(result: Any) -> set[tuple[str, str]]:
    return {(issue.field, issue.code) for issue in result.issues}


def test_an_email_named_key_with_broken_text_is_not_printed_in_the_field() -> None:
    order = guide_order()
    order[ADDRESS] = "broken \ud800 text"
    order["items"][0][ADDRESS] = "\udc00"

    result = _check(order)

    assert ("(email address)", "text-invalid-characters") in _codes(result)
    assert ("items[0].(email address)", "text-invalid-characters") in _codes(result)
    assert ("", "field-name-contains-email") in _codes(result)
    assert ADDRESS not in _printed(result)
    assert all("@" not in issue.field for issue in result.issues)


def test_a_lone_surrogate_in_a_key_is_an_issue_and_the_output_prints() -> None:
    order = guide_order()
    order["note\ud800"] = 1
    order["items"][0]["\udfff"] = "x"

    result = _check(order)

    assert ("note?", "text-invalid-characters") in _codes(result)
    assert ("items[0].?", "text-invalid-characters") in _codes(result)
    assert not result.ok
    _printed(result)  # would raise UnicodeEncodeError if any surrogate reached the output


def test_a_surrogate_key_never_becomes_a_known_field() -> None:
    order = guide_order()
    order["order_id\ud800"] = "PS-EVIL"

    result = _check(order)

    assert not result.ok
    assert result.payload is None


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


def test_items_nested_500_deep_as_an_object_is_a_plain_issue() -> None:
    result = _check(guide_order(items=_nested(500)))

    assert ("items[0]", "item-invalid") in _codes(result)
    assert any(issue.code == "nested-too-deeply" for issue in result.issues)
    _printed(result)


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 500, 100_000])
def test_json_nested_past_the_limit_is_refused_before_parsing(depth: int) -> None:
    text = '{"items": ' + "[" * depth + "]" * depth + "}"

    with pytest.raises(JsonTooDeepError, match=f"more than {MAX_JSON_DEPTH} levels"):
        loads_json(text)


def test_json_at_the_limit_still_parses() -> None:
    depth = MAX_JSON_DEPTH - 1
    text = '{"a": ' + "[" * depth + "]" * depth + "}"

    assert loads_json(text)["a"] == _nested(depth - 1)


def test_brackets_and_escaped_quotes_inside_strings_do_not_count_as_nesting() -> None:
    text = json.dumps({"note": '[[[[{{{{ "quoted" \\ [[[[' * 100, "items": [{"id": "a"}]})

    assert nesting_depth(text) == 3
    assert loads_json(text)["items"] == [{"id": "a"}]


def _with_literal(field: str, literal: str) -> Any:
    """The guide order as JSON text with ``field`` replaced by a raw JSON number literal."""
    text = json.dumps(guide_order(**{field: "PLACEHOLDER"}))
    return loads_json(text.replace('"PLACEHOLDER"', literal))


HUGE_LITERALS = {
    "100,000 digits": "9" * 100_000,
    "100,000 decimals": "0." + "1" * 100_000,
    "exponent past Decimal": "1e99999999999999999999",
    "negative exponent past Decimal": "1e-99999999999999999999",
    "exponent at Decimal's edge": "1E+999999999999999999",
    "NaN": "NaN",
    "Infinity": "Infinity",
    "-Infinity": "-Infinity",
}


@pytest.mark.parametrize("literal", HUGE_LITERALS.values(), ids=HUGE_LITERALS.keys())
@pytest.mark.parametrize(
    ("field", "codes"),
    [
        ("value", {"value-too-large", "value-not-a-number", "value-too-many-decimals"}),
        ("order_id", {"order-id-invalid"}),
        ("customer_id", {"customer-id-invalid"}),
    ],
)
def test_absurd_json_numbers_are_plain_issues(field: str, codes: set[str], literal: str) -> None:
    result = _check(_with_literal(field, literal))

    found = {issue.code for issue in result.issues if issue.field == field}
    assert found & codes, found
    assert not result.ok
    assert len(_printed(result)) < 5_000  # the 100,000 digits are not echoed back


@pytest.mark.parametrize("literal", HUGE_LITERALS.values(), ids=HUGE_LITERALS.keys())
def test_absurd_numbers_in_an_item_line_are_plain_issues(literal: str) -> None:
    text = json.dumps(guide_order(items=[{"id": "A", "price": "P", "quantity": "Q"}]))
    order = loads_json(text.replace('"P"', literal).replace('"Q"', literal))

    result = _check(order)

    assert {"items[0].price", "items[0].quantity"} <= {i.field for i in result.errors}


def test_a_huge_python_integer_is_judged_without_converting_it_to_text() -> None:
    huge = 10**100_000  # str() of this raises ValueError in Python 3.11+

    result = _check(guide_order(order_id=huge, customer_id=huge, value=huge))

    assert {("order_id", "order-id-invalid"), ("value", "value-too-large")} <= _codes(result)
    _printed(result)


def test_an_event_name_holding_an_email_is_refused_and_never_printed() -> None:
    context = ProfileContext(advertiser_id=1234567, event_names={"purchase": f"purchase {ADDRESS}"})

    result = _check(GUIDE_ORDER, context)

    assert ("event_names.purchase", "event-name-contains-email") in _codes(result)
    assert result.payload is None
    assert ADDRESS not in _printed(result)


def test_a_near_miss_event_name_with_an_at_sign_is_not_quoted() -> None:
    context = ProfileContext(advertiser_id=1234567, event_names={"purchase": "purchase@shop"})

    result = _check(GUIDE_ORDER, context)

    near = [i for i in result.issues if i.code == "event-name-near-miss"]
    assert near
    assert "purchase@shop" not in near[0].message


@pytest.mark.parametrize("literal", ["1E+999999999999999999", "1E-999999999999999999", "1E+1001"])
def test_a_number_with_a_huge_exponent_is_written_in_exponent_form(literal: str) -> None:
    """Plain digits would be 10^18 characters (MemoryError): the paste box shows it so."""
    written = dumps_json(Decimal(literal))

    assert written == literal
    assert loads_json(written) == Decimal(literal)


def test_money_is_still_written_in_plain_digits() -> None:
    amounts = [Decimal("149.90"), Decimal("1E+3"), Decimal("0E-2")]

    assert dumps_json(amounts) == "[149.90, 1000, 0.00]"


def test_control_characters_in_a_field_name_never_reach_the_terminal() -> None:
    order = guide_order()
    order["\x1b[2J\x1b[31mred\nline"] = 1
    order["items"][0]["qty\r\u202e"] = 2

    result = _check(order)

    unknown = [i for i in result.issues if i.code == "unknown-field"]
    assert {i.field for i in unknown} == {"?[2J?[31mred?line", "items[0].qty??"}
    printed = _summary(result)
    assert not any(c in printed for c in "\x1b\r\u202e")
    # one line per issue, between the headline and the identifiers and destination lines
    assert len(printed.splitlines()) == 3 + len(result.issues)


def test_a_long_field_name_is_cut_in_the_field_and_the_message() -> None:
    order = guide_order()
    order["x" * 100_000] = 1

    result = _check(order)

    assert len(_printed(result)) < 5_000
