"""The console window over a real loopback sandbox: what a marketer does and sees."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from criteo_console.core import ProfileContext, check_order, dumps_json, loads_json
from criteo_console.core.checklist import Check, CheckState
from criteo_console.session import guide_example_order
from criteo_console.storage import EventLog
from criteo_console.ui.app import stop_console

# The offscreen platform cannot resize a shown window to its size hints; harmless here.
pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def paste_order(qtbot: Any, console: Any, order: dict[str, Any]) -> None:
    """Copy an order's JSON to the clipboard and press Compose's "Paste order JSON"."""
    window = console.window
    window.show_page("compose")
    QApplication.clipboard().setText(json.dumps(order))
    click(qtbot, window.compose.paste_json_button)
    qtbot.waitUntil(lambda: window.compose.current_order().get("order_id") == order["order_id"])


def state(console: Any, check: Check) -> CheckState:
    return console.window.sidebar.status(check).state


def seconds_left(token_text: str) -> int:
    import re

    found = re.search(r"expires in (\d+):(\d\d)", token_text)
    assert found, token_text
    return int(found[1]) * 60 + int(found[2])


def send_by_keyboard(qtbot: Any, console: Any) -> Any:
    window = console.window
    window.show_page("send")
    with qtbot.waitSignal(console.service.send_finished, timeout=15000) as finished:
        qtbot.keyClick(window.send_page, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    return finished.args[0]


def test_first_run_to_compare_all_green(qtbot: Any, console: Any) -> None:
    window, service = console.window, console.service
    page = window.connect_page
    # First run: the sandbox profile, nothing tested yet, secret masked.
    assert page.picker.currentText() == "Sandbox"
    assert page.secret_edit.echoMode() is QLineEdit.EchoMode.Password
    assert state(console, Check.TOKEN) is CheckState.NOT_STARTED
    assert "sandbox-secret" not in window.windowTitle()  # the profile's secret, never shown

    click(qtbot, page.test_button)
    qtbot.waitUntil(lambda: "Token acquired at" in page.token_label.text(), timeout=5000)
    qtbot.waitUntil(lambda: state(console, Check.ADVERTISER_SCOPE) is CheckState.OK)
    assert state(console, Check.TOKEN) is CheckState.OK
    assert "expires in 1" in page.token_label.text()  # 15-minute token: 14:5x left
    # The countdown ticks: the time left shown goes down by itself.
    first = seconds_left(page.token_label.text())
    qtbot.waitUntil(lambda: seconds_left(page.token_label.text()) < first, timeout=3000)
    marked = [page.advertisers.item(i).text() for i in range(page.advertisers.count())]
    assert any("1234567" in t and "this profile's advertiser" in t for t in marked)
    assert page.countdown.isActive()

    # Compose: paste the guide's order with a placeholder id, then fix the id by keyboard.
    paste_order(qtbot, console, guide_example_order(order_id="PS-DRAFT"))
    compose = window.compose
    compose.order_id.setFocus()
    qtbot.keyClick(compose.order_id, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(compose.order_id, "PS-10428")
    qtbot.waitUntil(lambda: compose.current_order()["order_id"] == "PS-10428")

    # The preview shows exactly the body the core builds for the guide's order.
    expected = check_order(guide_example_order(), ProfileContext(advertiser_id=1234567)).payload
    shown = loads_json(compose.preview.json_view.json_text())
    assert shown == loads_json(dumps_json(expected))
    for check in (Check.EVENT_NAMING, Check.IDENTIFIERS, Check.TRANSACTION_DATA):
        assert state(console, check) is CheckState.OK, window.sidebar.status(check).reason

    send = window.send_page
    assert send.send_button.isEnabled()
    report = send_by_keyboard(qtbot, console)
    assert report.ok, report.explanation
    assert "accepted" in send.headline.text()
    assert send.trace_edit.text() and send.trace_edit.text() in send.explanation.text()
    steps = [send.steps.item(i).text() for i in range(send.steps.count())]
    assert [s.split(":")[0] for s in steps[-3:]] == [
        "✓ Get an access token",
        "✓ Check the advertiser is in scope",
        "✓ Send the conversion",
    ]
    row = service.event_log.get(report.attempt.id)
    assert row.state == "accepted" and row.order_id == "PS-10428"
    assert len(console.sandbox.find_received("PS-10428")) == 1
    # Compare: shop, sent and received agree, so the sign-off check is green.
    assert state(console, Check.SIGN_OFF) is CheckState.OK
    click(qtbot, send.log_button)
    assert window.current_page() == "log"
    log_page = window.log_page
    qtbot.waitUntil(lambda: getattr(log_page.current_attempt(), "id", None) == row.id)
    compare = log_page.compare
    assert compare.result is not None and compare.result.all_match
    assert "Everything matches" in compare.verdict.text()


def test_secret_is_masked_until_revealed(qtbot: Any, console: Any) -> None:
    page = console.window.connect_page
    assert page.reveal_button.accessibleName() == "Show the client secret"
    click(qtbot, page.reveal_button)
    assert page.secret_edit.echoMode() is QLineEdit.EchoMode.Normal
    assert page.reveal_button.accessibleName() == "Hide the client secret"


def add_profile(
    qtbot: Any, console: Any, *, secret: str, advertiser: str, version: str = "2026-01"
) -> None:
    page = console.window.connect_page
    click(qtbot, page.new_button)
    qtbot.keyClicks(page.name_edit, "Shop")
    qtbot.keyClicks(page.client_id_edit, "sandbox-client")
    qtbot.keyClicks(page.secret_edit, secret)
    qtbot.keyClicks(page.advertiser_edit, advertiser)
    page.base_url_edit.setText(console.sandbox.base_url)
    page.version_combo.setCurrentText(version)
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: getattr(console.service.profile, "name", "") == "Shop", timeout=5000)


def test_wrong_secret_in_plain_words(qtbot: Any, console: Any) -> None:
    add_profile(qtbot, console, secret="not-the-secret", advertiser="1234567")
    page = console.window.connect_page
    click(qtbot, page.test_button)
    qtbot.waitUntil(lambda: state(console, Check.TOKEN) is CheckState.FAILED, timeout=5000)
    assert "rejected the client id or secret" in page.token_label.text()
    assert "not checked" in page.scope_label.text().lower()
    assert "not-the-secret" not in page.token_label.text()


def test_out_of_scope_advertiser_explained(qtbot: Any, console: Any) -> None:
    add_profile(qtbot, console, secret="sandbox-secret", advertiser="7654321")
    page = console.window.connect_page
    click(qtbot, page.test_button)
    qtbot.waitUntil(lambda: state(console, Check.ADVERTISER_SCOPE) is CheckState.FAILED)
    assert state(console, Check.TOKEN) is CheckState.OK
    assert "7654321 is not in this account's scope" in page.scope_label.text()
    assert "redo the consent" in page.scope_label.text()
    listed = [page.advertisers.item(i).text() for i in range(page.advertisers.count())]
    assert any("1234567" in t for t in listed)


def test_invalid_order_cannot_be_sent_and_issue_leads_to_field(qtbot: Any, console: Any) -> None:
    paste_order(qtbot, console, guide_example_order(currency="EURO"))
    window = console.window
    window.show_page("send")
    send = window.send_page
    assert not send.send_button.isEnabled()
    assert state(console, Check.TRANSACTION_DATA) is CheckState.FAILED
    issues = [send.issues.item(i) for i in range(send.issues.count())]
    currency = next(i for i in issues if i.data(Qt.ItemDataRole.UserRole) == "currency")
    assert "EURO" in currency.text()
    rect = send.issues.visualItemRect(currency)
    qtbot.mouseClick(send.issues.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_page() == "compose"
    focused = QApplication.focusWidget()
    assert focused is window.compose.currency or window.compose.currency.isAncestorOf(focused)
    # Ctrl+Enter on an invalid order explains instead of sending.
    window.show_page("send")
    qtbot.keyClick(send, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "not valid" in send.headline.text()
    assert console.sandbox.request_count("token") == 0


def test_rate_limited_then_accepted(qtbot: Any, console: Any) -> None:
    console.sandbox.queue_fault("rate-limit", times=1, endpoint="conversions")
    paste_order(qtbot, console, guide_example_order())
    report = send_by_keyboard(qtbot, console)
    assert report.ok, report.explanation
    assert "2 tries" in console.window.send_page.timing.text()


def test_sandbox_stopped_in_plain_words(qtbot: Any, console: Any) -> None:
    paste_order(qtbot, console, guide_example_order())
    console.sandbox.stop()
    report = send_by_keyboard(qtbot, console)
    send = console.window.send_page
    assert not report.ok
    assert "not delivered" in send.headline.text()
    assert "Could not reach the sandbox" in send.explanation.text()
    assert state(console, Check.SIGN_OFF) is CheckState.FAILED


def test_retired_version_in_plain_words(qtbot: Any, console: Any) -> None:
    console.sandbox.queue_fault("retired", times=5)
    paste_order(qtbot, console, guide_example_order())
    send_by_keyboard(qtbot, console)
    text = console.window.send_page.explanation.text()
    assert "2023-07 is retired" in text and "Pick a supported version" in text


def test_duplicate_order_warned_before_sending(qtbot: Any, console: Any) -> None:
    paste_order(qtbot, console, guide_example_order())
    assert send_by_keyboard(qtbot, console).ok
    again = send_by_keyboard(qtbot, console)
    send = console.window.send_page
    assert again.status.value == "duplicate"
    assert send.duplicate_bar.isVisible() and "already accepted" in send.duplicate_bar.text.text()
    assert len(console.sandbox.find_received("PS-10428")) == 1


def test_escape_cancels_in_flight_send_and_row_is_kept(qtbot: Any, console: Any) -> None:
    console.sandbox.queue_fault("slow", times=1, endpoint="conversions")
    paste_order(qtbot, console, guide_example_order())
    window = console.window
    window.show_page("send")
    qtbot.keyClick(window.send_page, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: console.sandbox.request_count("conversions") == 1, timeout=5000)
    assert window.send_page.cancel_button.isEnabled()
    qtbot.keyClick(window.send_page, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not console.service.busy("send"), timeout=5000)
    (row,) = console.service.event_log.page()
    assert row.state == "failed" and row.reason == "cancelled-in-flight"
    assert "check Criteo before re-sending" in window.send_page.explanation.text()


def test_closing_during_send_leaves_nothing_running(qtbot: Any, console: Any) -> None:
    window = console.window
    click(qtbot, window.connect_page.test_button)
    qtbot.waitUntil(window.connect_page.countdown.isActive, timeout=5000)
    console.sandbox.queue_fault("slow", times=1, endpoint="conversions")
    paste_order(qtbot, console, guide_example_order())
    window.show_page("send")
    qtbot.keyClick(window.send_page, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: console.sandbox.request_count("conversions") == 1, timeout=5000)
    log_path = console.service.event_log.path
    window.close()
    assert console.closing.done()  # closing the window resolves the shutdown future
    assert not window.connect_page.countdown.isActive()
    stop = asyncio.get_event_loop().create_task(stop_console(console))
    qtbot.waitUntil(stop.done, timeout=10000)
    stop.result()
    assert not console.service.pending_tasks()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window))  # the window and its timers are gone
    assert not [t for t in threading.enumerate() if t.name.startswith("criteo-sandbox")]
    assert console.http.is_closed
    with EventLog(log_path) as reopened:
        (row,) = reopened.page()
    assert row.state == "failed" and row.reason == "cancelled-in-flight"
