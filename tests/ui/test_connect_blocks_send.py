"""A connection test that failed stops Send until it is fixed; check 6 points at the cause."""

from __future__ import annotations

from typing import Any

import pytest

from criteo_console.core.checklist import Check, CheckState
from criteo_console.session import guide_example_order
from tests.ui.test_console import add_profile, click, paste_order, send_by_keyboard, state

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_failed_scope_test_keeps_send_shut_until_the_profile_changes(
    qtbot: Any, console: Any
) -> None:
    window = console.window
    add_profile(qtbot, console, secret="sandbox-secret", advertiser="7654321")
    page = window.connect_page
    click(qtbot, page.test_button)
    qtbot.waitUntil(lambda: state(console, Check.ADVERTISER_SCOPE) is CheckState.FAILED)
    paste_order(qtbot, console, guide_example_order())
    window.show_page("send")
    send = window.send_page
    assert send.blocked_bar.isVisible()
    assert "Check 2 failed on Connect" in send.blocked_text.text()
    assert "advertiser 7654321 isn't reachable" in send.blocked_text.text()
    assert not send.send_button.isEnabled()
    send.request_send()  # Ctrl+Enter: nothing goes out
    assert console.sandbox.request_count("token") == 1  # only the connection test's

    click(qtbot, send.go_connect)
    assert window.current_page() == "connect"
    page.advertiser_edit.clear()
    qtbot.keyClicks(page.advertiser_edit, "1234567")
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: console.service.profile.advertiser_id == 1234567, timeout=5000)
    window.show_page("send")
    assert not send.blocked_bar.isVisible()
    assert send.send_button.isEnabled()


def test_wrong_secret_test_blocks_send_with_check_1(qtbot: Any, console: Any) -> None:
    window = console.window
    add_profile(qtbot, console, secret="not-the-secret", advertiser="1234567")
    click(qtbot, window.connect_page.test_button)
    qtbot.waitUntil(lambda: state(console, Check.TOKEN) is CheckState.FAILED, timeout=5000)
    paste_order(qtbot, console, guide_example_order())
    window.show_page("send")
    assert "Check 1 failed on Connect" in window.send_page.blocked_text.text()
    assert not window.send_page.send_button.isEnabled()


def test_send_stopped_at_scope_points_check_6_at_check_2(qtbot: Any, console: Any) -> None:
    add_profile(qtbot, console, secret="sandbox-secret", advertiser="7654321")
    paste_order(qtbot, console, guide_example_order())
    report = send_by_keyboard(qtbot, console)  # no connection test first: the send finds out
    assert not report.ok
    sidebar = console.window.sidebar
    assert state(console, Check.SIGN_OFF) is CheckState.FAILED
    assert sidebar.status(Check.SIGN_OFF).reason == "Blocked by check 2 (Advertiser scope)"
    assert "7654321" in sidebar.status(Check.ADVERTISER_SCOPE).reason
