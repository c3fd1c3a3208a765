"""Whether a send creates a real conversion follows the address it goes to, not a label."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from criteo_console.session import guide_example_order
from tests.ui.test_console import add_profile, click, paste_order, send_by_keyboard

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
# Not this computer by its name, so a real target for the console; on Linux, connecting to
# 0.0.0.0 is refused at once (port 9 is closed), so nothing leaves the machine.
REAL_URL = "https://0.0.0.0:9"


def add_real_profile(qtbot: Any, console: Any) -> None:
    page = console.window.connect_page
    click(qtbot, page.new_button)
    qtbot.keyClicks(page.name_edit, "Live shop")
    qtbot.keyClicks(page.client_id_edit, "live-client")
    qtbot.keyClicks(page.secret_edit, "live-secret-value")
    qtbot.keyClicks(page.advertiser_edit, "1234567")
    page.base_url_edit.setText(REAL_URL)
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: getattr(console.service.profile, "name", "") == "Live shop")


def press_ctrl_enter(qtbot: Any, console: Any) -> None:
    window = console.window
    window.show_page("send")
    qtbot.keyClick(window.send_page, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_a_send_to_a_real_address_waits_for_confirmation(qtbot: Any, console: Any) -> None:
    add_real_profile(qtbot, console)
    paste_order(qtbot, console, guide_example_order())
    send, log = console.window.send_page, console.service.event_log
    press_ctrl_enter(qtbot, console)
    assert "a real conversion" in send.target_label.text() and REAL_URL in send.target_label.text()
    assert send.confirm_bar.isVisible()
    assert "real conversion" in send.confirm_bar.text.text()
    assert not console.service.busy("send") and log.page() == []
    click(qtbot, send.confirm_bar.cancel)  # "Don't send"
    assert not send.confirm_bar.isVisible()
    assert not console.service.busy("send") and log.page() == []

    press_ctrl_enter(qtbot, console)
    click(qtbot, send.confirm_bar.confirm)  # only now does the attempt start
    qtbot.waitUntil(lambda: bool(log.page()), timeout=5000)
    qtbot.waitUntil(lambda: not console.service.busy("send"), timeout=10000)
    (row,) = log.page()
    assert row.request_url.startswith(REAL_URL) and row.state == "failed"
    assert console.sandbox.request_count("conversions") == 0


def test_a_send_to_this_computer_needs_no_confirmation(qtbot: Any, console: Any) -> None:
    paste_order(qtbot, console, guide_example_order())
    send = console.window.send_page
    assert "no real conversion" in send.target_label.text()
    assert send_by_keyboard(qtbot, console).ok  # the built-in sandbox profile
    assert not send.confirm_bar.isVisible()
    # Labelled "Criteo" but pointing at this computer: the address decides, no question.
    add_profile(qtbot, console, secret="sandbox-secret", advertiser="1234567")
    paste_order(qtbot, console, guide_example_order(order_id="PS-LOCAL-2"))
    assert "no real conversion" in send.target_label.text()
    report = send_by_keyboard(qtbot, console)
    assert report.ok and not send.confirm_bar.isVisible()
    assert len(console.sandbox.find_received("PS-LOCAL-2")) == 1


def test_the_raw_response_keeps_every_number_as_received(qtbot: Any, console: Any) -> None:
    from criteo_console.core import ProfileContext, check_order
    from criteo_console.session import SendReport, SendStatus

    paste_order(qtbot, console, guide_example_order())
    log = console.service.event_log
    attempt_id = log.begin_attempt(
        profile="Sandbox",
        environment="sandbox",
        advertiser_id=1234567,
        event_name="purchase",
        order_id="PS-10428",
        value="149.90",
        currency="EUR",
        request_body="{}",
    )
    body = '{"data": [{"attributes": {"value": 149.90, "id": 12345678901234567890123}}]}'
    attempt = log.complete_attempt(
        attempt_id, state="accepted", http_status=200, response_body=body
    )
    check = check_order(guide_example_order(), ProfileContext(advertiser_id=1234567))
    console.window.show_page("send")
    console.service.send_finished.emit(
        SendReport(SendStatus.ACCEPTED, "Accepted.", check, attempt=attempt)
    )
    raw = console.window.send_page.raw.toPlainText()
    assert '"value": 149.90' in raw and '"id": 12345678901234567890123' in raw
    assert "\n" in raw  # still indented for reading
