"""Pasting order JSON: the console judges exactly what was pasted, like ``validate`` does.

A value the form cannot show as it is (a list for an order id, ``true``, a time before the
date picker's first day, a lone surrogate, ``"items": "abc"``…) is kept as pasted, so the
core reports it instead of the form quietly turning it into something else.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from criteo_console.core import check_order, dumps_json, loads_json
from criteo_console.ui.line_items import PRICE
from criteo_console.ui.pages.compose import ComposeWorkspace
from tests.core.orders import GUIDE_ORDER
from tests.ui.compose.conftest import CONTEXT, NOW


def _with(field: str, raw_json: str) -> str:
    """The guide's order as JSON text with ``field`` set to the literal ``raw_json``."""
    rest = {k: v for k, v in GUIDE_ORDER.items() if k != field}
    return dumps_json(rest)[:-1] + f", {json.dumps(field)}: {raw_json}}}"


ODD_ORDERS = [
    _with("order_id", '["PS-1"]'),
    _with("order_id", "true"),
    _with("order_id", "12345"),
    _with("order_id", '""'),
    _with("order_id", '"\\ud800X"'),
    _with("order_id", json.dumps("A" * 40000)),
    _with("customer_id", '{"id": 7}'),
    _with("email", "5"),
    _with("madid", "[]"),
    _with("email_sha256", "false"),
    _with("event", "5"),
    _with("currency", "3"),
    _with("currency", '"EUR — Euro"'),
    _with("value", '{"a": 1}'),
    _with("value", "true"),
    _with("value", "149.9"),
    _with("value", "1e999999"),
    _with("value", '"NaN"'),
    _with("value", '"149,90"'),
    _with("value", "123456789012345678901234567890123456789"),
    _with("event_time", '"0001-01-01T00:00:00Z"'),
    _with("event_time", '"1500-01-01T00:00:00Z"'),
    _with("event_time", '"9999-12-31T23:59:59Z"'),
    _with("event_time", '"2026-04-24T13:14:58"'),
    _with("event_time", '"2026-04-24T13:14:58.750Z"'),
    _with("event_time", "1e308"),
    _with("event_time", '{"a": 1}'),
    _with("event_time", "1777036498"),
    _with("items", '"abc"'),
    _with("items", '{"id": 1}'),
    _with("items", "[]"),
    _with("items", '[1, "x", null]'),
    _with("items", '[{"id": ["A"], "price": "1.00", "quantity": 1}]'),
    _with("items", '[{"id": "A", "price": {"x": 1}, "quantity": [1]}]'),
    _with("items", '[{"id": "A", "price": "1,234", "quantity": 1}]'),
    _with("items", '[{"id": "A", "price": 9e999999, "quantity": 10}]'),
    _with("items", '[{"id": "A", "price": "1", "quantity": 1e30}]'),
    _with("items", '[{"id": "A", "price": "1", "quantity": true}]'),
    _with("items", '[{"id": 42, "price": 149.90, "quantity": "1"}]'),
    _with("items", '[{"id": "\\udc00", "price": "149.90", "quantity": 1}]'),
]


def _codes(issues: Any) -> list[tuple[str, str]]:
    return sorted((issue.field, issue.code) for issue in issues)


@pytest.mark.parametrize("text", ODD_ORDERS, ids=lambda text: text[-48:])
def test_the_console_reports_what_validate_reports_for_the_same_json(
    workspace: ComposeWorkspace, text: str
) -> None:
    expected = check_order(loads_json(text), CONTEXT, now=NOW)

    assert workspace.paste_order_json(text)

    check = workspace.current_check()
    assert _codes(check.issues) == _codes(expected.issues)
    assert check.payload == expected.payload


def test_a_list_order_id_is_shown_as_json_and_reported_not_sent(
    workspace: ComposeWorkspace,
) -> None:
    assert workspace.paste_order_json(_with("order_id", '["PS-1"]'))

    assert workspace.order_id.text() == '["PS-1"]'  # not the Python "['PS-1']"
    assert workspace.current_order()["order_id"] == ["PS-1"]
    assert "order-id-invalid" in [i.code for i in workspace.current_check().errors]
    assert workspace.current_check().payload is None


def test_typing_over_a_kept_value_uses_what_is_typed(
    qtbot: QtBot, workspace: ComposeWorkspace
) -> None:
    assert workspace.paste_order_json(_with("customer_id", '{"id": 7}'))
    assert "customer-id-invalid" in [i.code for i in workspace.current_check().issues]

    workspace.customer_id.selectAll()
    qtbot.keyClicks(workspace.customer_id, "cust_7")

    assert workspace.current_order()["customer_id"] == "cust_7"
    assert workspace.current_check().ok


def test_a_time_before_the_picker_is_kept_and_judged_not_clamped(
    workspace: ComposeWorkspace,
) -> None:
    assert workspace.paste_order_json(_with("event_time", '"1500-01-01T00:00:00Z"'))

    assert workspace.current_order()["event_time"] == "1500-01-01T00:00:00Z"
    assert workspace.event_time.date().year() != 1752  # not the picker's first day
    assert "1500-01-01 00:00:00 UTC" in workspace.event_time_utc.text()
    assert "outside the picker" in workspace.event_time_utc.text()

    workspace.set_time_now()  # the user picks a time: the picker's time is used again
    assert workspace.current_order()["event_time"].startswith("2026-11-28")
    assert workspace.event_time_utc.text() == "= 2026-11-28 12:00:00 UTC"


def test_items_that_are_not_a_list_are_reported_as_invalid(
    workspace: ComposeWorkspace,
) -> None:
    assert workspace.paste_order_json(_with("items", '"abc"'))

    codes = [i.code for i in workspace.current_check().issues]
    assert "items-invalid" in codes
    assert "items-missing" not in codes


def test_editing_a_kept_item_line_uses_the_cells(workspace: ComposeWorkspace) -> None:
    assert workspace.paste_order_json(
        _with("items", '[{"id": "A", "price": {"x": 1}, "quantity": 1}]')
    )
    assert workspace.current_check().payload is None
    model = workspace.items_model

    model.setData(model.index(0, PRICE), "149,90")

    assert workspace.current_order()["items"] == [{"id": "A", "price": "149.90", "quantity": 1}]
    assert workspace.current_check().ok


def test_a_lone_surrogate_is_kept_not_dropped(workspace: ComposeWorkspace) -> None:
    assert workspace.paste_order_json(_with("order_id", '"PS-\\ud800-1"'))

    assert workspace.current_order()["order_id"] == "PS-\ud800-1"
    assert workspace.order_id.text() == "PS-\ufffd-1"  # shown with a replacement mark


def test_a_lone_surrogate_email_is_reported_not_hashed(workspace: ComposeWorkspace) -> None:
    # The core cannot hash such text; the console says so on the field and sends nothing.
    assert workspace.paste_order_json(_with("email", '"\\ud800@example.com"'))

    check = workspace.current_check()
    assert [(i.field, i.code) for i in check.errors] == [("email", "text-invalid-characters")]
    assert check.payload is None
    assert workspace.email.text() == "\ufffd@example.com"


def test_pasted_visit_fields_are_kept_and_judged(workspace: ComposeWorkspace) -> None:
    # Compose has no boxes for the Events API's visit fields: a paste keeps them as they are.
    text = _with("ip", '"999.1.1.1"')[:-1] + ', "gum_id": "d0f3a1c2e4b5"}'
    assert workspace.paste_order_json(text)

    order = workspace.current_order()
    assert (order["gum_id"], order["ip"]) == ("d0f3a1c2e4b5", "999.1.1.1")
    assert "ip-invalid" in [i.code for i in workspace.current_check().errors]
