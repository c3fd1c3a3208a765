"""Compare: the shop's order, what was sent and what Criteo answered, row by row."""

from __future__ import annotations

import copy

from pytestqt.qtbot import QtBot

from criteo_console.core import ProfileContext, check_order
from criteo_console.core.checklist import Check
from criteo_console.core.verdict import evaluate_attempt
from criteo_console.storage.event_log import EventLog
from criteo_console.ui.pages.compare import ComparePanel
from tests.core.orders import guide_order
from tests.ui.log.conftest import add_sent, add_unposted


def _panel(qtbot: QtBot) -> ComparePanel:
    panel = ComparePanel()
    qtbot.addWidget(panel)
    return panel


def test_a_matching_attempt_is_all_green(qtbot: QtBot, event_log: EventLog) -> None:
    attempt = event_log.get(add_sent(event_log))
    panel = _panel(qtbot)

    panel.show_attempt(attempt)

    assert panel.result is not None and panel.result.all_match
    assert panel.verdict.text().startswith("✓ Everything matches")
    for label in ("Order id", "Value", "Currency", "Item lines", "Items total (price × qty)"):
        assert panel.cells[(label, "status")].text() == "matches"
    assert panel.cells[("Value", "answered")].text() == "149.90"
    # A send to this computer: its words are the sandbox's, never Criteo's.
    assert "What the sandbox answered" in [
        panel.grid.itemAtPosition(0, 3).widget().text().replace("<b>", "").replace("</b>", "")
    ]


def test_a_mismatch_is_flagged_on_its_row(qtbot: QtBot, event_log: EventLog) -> None:
    payload = check_order(guide_order(), ProfileContext(1234567)).payload
    assert payload is not None
    answered = copy.deepcopy(payload)
    answered["data"][0]["attributes"]["transaction_data"]["currency"] = "USD"
    attempt = event_log.get(add_sent(event_log, answered=answered))
    panel = _panel(qtbot)

    panel.show_attempt(attempt)

    assert panel.cells[("Currency", "status")].text() == "differs"
    assert panel.cells[("Currency", "answered")].text() == "USD"
    assert panel.cells[("Value", "status")].text() == "matches"
    assert "1 difference(s) to check: Currency" in panel.verdict.text()


def test_without_an_echo_the_sandbox_record_is_compared(qtbot: QtBot, event_log: EventLog) -> None:
    attempt_id = add_sent(event_log, answered={"data": []}, trace_id="t-9")
    attempt = event_log.get(attempt_id)
    payload = check_order(guide_order(), ProfileContext(1234567)).payload
    received = [{"order_id": "PS-10428", "trace_id": "t-9", "body": payload}]
    panel = _panel(qtbot)
    panel.set_received_lookup(lambda order_id: received if order_id == "PS-10428" else [])

    panel.show_attempt(attempt)

    assert panel.result is not None and panel.result.all_match
    header = panel.grid.itemAtPosition(0, 3).widget().text()
    assert "What the sandbox received" in header


def test_without_the_shop_step_the_log_columns_are_used(qtbot: QtBot, event_log: EventLog) -> None:
    attempt = event_log.get(add_sent(event_log, shop_step=False))
    panel = _panel(qtbot)

    panel.show_attempt(attempt)

    assert panel.cells[("Order id", "status")].text() == "matches"
    assert panel.cells[("Item lines", "status")].text() == "not recorded"
    assert "Everything matches" in panel.verdict.text()
    assert "not recorded" in panel.verdict.text()


def test_an_attempt_never_posted_is_not_answered_by_an_earlier_one(
    qtbot: QtBot, event_log: EventLog
) -> None:
    # The same order sent twice: the first accepted (the sandbox kept it, with its trace id),
    # the second, with another value, refused at the token step before anything was posted.
    first = add_sent(event_log, answered={"data": []}, trace_id="t-first")
    payload = check_order(guide_order(), ProfileContext(1234567)).payload
    received = [{"order_id": "PS-10428", "trace_id": "t-first", "body": payload}]
    second = add_unposted(event_log, guide_order(value="999.00"))
    panel = _panel(qtbot)
    panel.set_received_lookup(lambda order_id: received if order_id == "PS-10428" else [])

    panel.show_attempt(event_log.get(first))
    assert panel.result is not None and panel.result.all_match  # the first has its record

    panel.show_attempt(event_log.get(second))

    assert panel.result is not None and not panel.result.answered_known
    assert panel.cells[("Value", "answered")].text() == "no answer"
    assert panel.cells[("Order id", "answered")].text() == "no answer"
    assert panel.cells[("Value", "shop")].text() == "999.00"
    assert "Everything matches" not in panel.verdict.text()
    assert "stopped before the order was sent" in panel.verdict.text()
    assert panel.cells[("Value", "status")].text().startswith("no answer")
    sent_title = panel.grid.itemAtPosition(0, 2).widget().text()
    assert "never sent" in sent_title


def test_a_sandbox_record_of_another_trace_is_not_this_answer(
    qtbot: QtBot, event_log: EventLog
) -> None:
    payload = check_order(guide_order(), ProfileContext(1234567)).payload
    received = [{"order_id": "PS-10428", "trace_id": "t-other", "body": payload}]
    attempt = event_log.get(add_sent(event_log, answered={"data": []}, trace_id="t-mine"))
    panel = _panel(qtbot)
    panel.set_received_lookup(lambda _order_id: received)

    panel.show_attempt(attempt)

    assert panel.result is not None and not panel.result.answered_known
    assert panel.cells[("Currency", "answered")].text() == "no answer"
    # One sentence for "accepted, nothing echoed": the same as check 6 and the report.
    evaluation = evaluate_attempt(attempt.to_dict(), received)
    assert panel.verdict.text() == "⚠ " + evaluation.check(Check.SIGN_OFF).detail
    assert "echoed nothing back" in panel.verdict.text()
