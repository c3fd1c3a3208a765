"""One verdict in the window: the sidebar, Send, Connect, Compare and the Event log agree.

The reproductions of issue 11 over the real console, its embedded sandbox and a real log.
"""

from __future__ import annotations

from typing import Any

import pytest

from criteo_console.core import ProfileContext, check_order, dumps_json
from criteo_console.core.checklist import Check, CheckState
from criteo_console.core.signoff import evaluate_signoff
from criteo_console.core.verdict import Verdict
from criteo_console.session import SendReport, SendStatus, guide_example_order
from tests.ui.test_console import add_profile, click, paste_order, send_by_keyboard, state
from tests.ui.test_send_target import add_real_profile

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

WEB_88213 = guide_example_order(
    order_id="WEB-88213",
    value="44.98",
    items=[{"id": "SKU-A", "price": "22.52", "quantity": 2}],  # 45.04
)


def select(qtbot: Any, console: Any, name: str) -> None:
    console.service.select_profile(name)
    qtbot.waitUntil(lambda: console.service.profile.name == name, timeout=5000)


def test_a_criteo_profile_on_this_computer_reads_as_the_sandbox_and_a_rehearsal(
    qtbot: Any, console: Any
) -> None:
    # Reproduction 1: environment "Criteo", base URL a sandbox on 127.0.0.1.
    add_profile(qtbot, console, secret="sandbox-secret", advertiser="1234567")
    assert console.service.profile.environment == "criteo"
    paste_order(qtbot, console, guide_example_order())
    send = console.window.send_page
    report = send_by_keyboard(qtbot, console)
    assert report.ok
    assert send.send_button.text() == "Send to the sandbox"
    assert send.headline.text() == "✓ The sandbox accepted the conversion"
    assert "A rehearsal, not a sign-off" in send.explanation.text()
    assert "Criteo accepted" not in send.explanation.text()
    assert console.service.run_state.verdict is Verdict.REHEARSAL

    click(qtbot, send.log_button)
    log = console.window.log_page
    qtbot.waitUntil(lambda: log.current_attempt() is not None, timeout=5000)
    assert "A rehearsal, not a sign-off" in log.summary.text()
    answered_title = log.compare.grid.itemAtPosition(0, 3).widget().text()
    assert "Criteo" not in answered_title
    assert evaluate_signoff(log.current_attempt().to_dict()).on_sandbox


def test_value_not_the_items_total_warns_on_check_five_before_and_after_the_send(
    qtbot: Any, console: Any
) -> None:
    # Reproduction 2.
    paste_order(qtbot, console, WEB_88213)
    qtbot.waitUntil(lambda: state(console, Check.TRANSACTION_DATA) is CheckState.WARNING)
    assert send_by_keyboard(qtbot, console).ok
    assert state(console, Check.TRANSACTION_DATA) is CheckState.WARNING
    log = console.window.log_page
    console.window.show_attempt(console.service.run_state.last_report.attempt.id)
    qtbot.waitUntil(lambda: log.current_attempt() is not None, timeout=5000)
    status = log.compare.cells[("Value", "status")].text()
    assert "the value is not the items total" in status
    assert "not the items total" in log.compare.verdict.text()


def test_an_answer_that_echoes_nothing_reads_the_same_in_sidebar_compare_and_report(
    qtbot: Any, console: Any
) -> None:
    # Reproduction 3: one attempt, three different sentences.
    service, event_log = console.service, console.service.event_log
    check = check_order(guide_example_order(), ProfileContext(advertiser_id=1234567))
    attempt_id = event_log.begin_attempt(
        profile="Sandbox",
        environment="sandbox",
        advertiser_id=1234567,
        event_name="purchase",
        order_id="PS-10428",
        value="149.90",
        currency="EUR",
        request_body=dumps_json(check.payload),
        request_url=f"{console.sandbox.base_url}/2026-01/conversions",
    )
    attempt = event_log.complete_attempt(
        attempt_id,
        state="accepted",
        http_status=200,
        response_body='{"errors": [], "warnings": []}',
        trace_id="trace-not-kept-by-the-sandbox",
    )
    service.record_send_result(SendReport(SendStatus.ACCEPTED, "Accepted.", check, attempt=attempt))
    sidebar = console.window.sidebar.status(Check.SIGN_OFF)
    assert sidebar.state is CheckState.WARNING
    console.window.show_attempt(attempt_id)
    log = console.window.log_page
    qtbot.waitUntil(lambda: log.current_attempt() is not None, timeout=5000)
    report_line = evaluate_signoff(attempt.to_dict()).lines[-1].detail
    assert log.compare.verdict.text() == f"⚠ {sidebar.reason}"
    assert report_line == sidebar.reason
    assert "echoed nothing back" in sidebar.reason


def test_after_switching_profile_the_send_page_shows_no_earlier_result(
    qtbot: Any, console: Any
) -> None:
    # Reproduction 4, first half.
    add_profile(qtbot, console, secret="sandbox-secret", advertiser="1234567")  # "Shop"
    select(qtbot, console, "Sandbox")
    paste_order(qtbot, console, guide_example_order())
    send = console.window.send_page
    assert send_by_keyboard(qtbot, console).ok
    assert "accepted" in send.headline.text()
    select(qtbot, console, "Shop")
    assert send.headline.text() == "" and send.raw.toPlainText() == ""
    assert send.trace_edit.text() == "" and not send.log_button.isEnabled()
    assert state(console, Check.SIGN_OFF) is CheckState.NOT_STARTED


def test_after_a_send_connect_and_the_sidebar_agree_on_the_token(qtbot: Any, console: Any) -> None:
    # Reproduction 4, second half: no Test connection pressed, the send got a token.
    page = console.window.connect_page
    assert "Not tested yet" in page.token_label.text()
    paste_order(qtbot, console, guide_example_order())
    assert send_by_keyboard(qtbot, console).ok
    assert state(console, Check.TOKEN) is CheckState.OK
    assert "Token acquired at" in page.token_label.text() and page.countdown.isActive()
    assert state(console, Check.ADVERTISER_SCOPE) is CheckState.OK
    assert page.scope_label.text().startswith("✓ Advertiser scope:")


def test_the_sandbox_acceptance_does_not_hold_back_a_real_profiles_send(
    qtbot: Any, console: Any
) -> None:
    # Reproduction 5.
    paste_order(qtbot, console, WEB_88213)
    assert send_by_keyboard(qtbot, console).ok
    add_real_profile(qtbot, console)
    paste_order(qtbot, console, WEB_88213)
    send = console.window.send_page
    console.window.show_page("send")
    click(qtbot, send.send_button)
    assert send.confirm_bar.isVisible()  # a real conversion: asked first
    with qtbot.waitSignal(console.service.send_finished, timeout=15000) as finished:
        click(qtbot, send.confirm_bar.confirm)
    report = finished.args[0]
    assert report.status is not SendStatus.DUPLICATE
    assert not send.duplicate_bar.isVisible()
    assert "already accepted" not in send.explanation.text()


def test_scope_not_checked_reads_and_looks_the_same_whatever_came_before(
    qtbot: Any, console: Any
) -> None:
    # Issue 10: "Advertiser scope: not checked" was green after a passing test, red after a
    # failing one. It is one state: not started, in the sidebar's words and muted colour.
    page = console.window.connect_page
    click(qtbot, page.test_button)
    qtbot.waitUntil(lambda: state(console, Check.ADVERTISER_SCOPE) is CheckState.OK, timeout=5000)
    assert page.scope_label.styleSheet() != ""  # green: it passed
    add_profile(qtbot, console, secret="not-the-secret", advertiser="1234567")
    click(qtbot, page.test_button)
    qtbot.waitUntil(lambda: state(console, Check.TOKEN) is CheckState.FAILED, timeout=5000)
    sidebar = console.window.sidebar.status(Check.ADVERTISER_SCOPE)
    assert sidebar.state is CheckState.NOT_STARTED
    assert page.scope_label.text() == f"○ Advertiser scope: {sidebar.reason}"
    assert "not checked" in sidebar.reason.lower()
    assert page.scope_label.styleSheet() == ""
