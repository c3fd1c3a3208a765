"""A send that cannot finish normally still ends: buttons back, a plain answer, no freeze."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from criteo_console.session import guide_example_order
from criteo_console.ui.service import plain_failure
from tests.ui.test_console import paste_order, send_by_keyboard

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def assert_ready_again(send: Any) -> None:
    assert send.send_button.isEnabled() and send.validate_button.isEnabled()
    assert not send.cancel_button.isEnabled()
    assert "Sending" not in send.headline.text()


def test_a_log_held_by_another_program_ends_the_send_plainly(qtbot: Any, console: Any) -> None:
    paste_order(qtbot, console, guide_example_order())
    other = sqlite3.connect(console.service.event_log.path, isolation_level=None, timeout=0)
    other.execute("BEGIN EXCLUSIVE")  # a second console or a backup tool is writing
    try:
        report = send_by_keyboard(qtbot, console)
    finally:
        other.execute("ROLLBACK")
        other.close()
    send = console.window.send_page
    assert report.status.value == "failed"
    assert "not delivered" in send.headline.text()
    assert "is busy (another program has it open" in send.explanation.text()
    assert "Close the other program" in send.explanation.text()
    assert_ready_again(send)
    assert console.sandbox.request_count("token") == 0
    assert console.service.event_log.page() == []


def test_an_error_inside_the_send_is_told_in_plain_words(
    qtbot: Any, console: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    paste_order(qtbot, console, guide_example_order())

    def locked(*_a: Any, **_k: Any) -> Any:  # the log locked after the conversion went out
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(console.service.event_log, "complete_attempt", locked)
    report = send_by_keyboard(qtbot, console)
    send, window = console.window.send_page, console.window
    assert report.status.value == "failed"
    assert "is busy (another program has it open" in send.explanation.text()
    assert_ready_again(send)
    for shown in (send.explanation.text(), window.status_line.text()):
        assert "OperationalError" not in shown and "Something went wrong" not in shown


def test_unexpected_failures_say_what_to_do() -> None:
    text = plain_failure("connect", ValueError("boom"))
    assert "testing the connection" in text and "restart the console" in text
    assert "ValueError" not in text and "boom" not in text
    assert "is busy (another program has it open" in plain_failure(
        "send", sqlite3.OperationalError("database is locked")
    )


def test_no_secret_no_send_and_the_reason_is_beside_the_button(qtbot: Any, console: Any) -> None:
    from PySide6.QtCore import Qt

    from tests.ui.test_console import click

    page = console.window.connect_page
    click(qtbot, page.new_button)
    qtbot.keyClicks(page.name_edit, "No secret")
    qtbot.keyClicks(page.client_id_edit, "sandbox-client")
    qtbot.keyClicks(page.advertiser_edit, "1234567")
    page.base_url_edit.setText(console.sandbox.base_url)
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: getattr(console.service.profile, "name", "") == "No secret")
    paste_order(qtbot, console, guide_example_order())
    window = console.window
    window.show_page("send")
    send = window.send_page
    assert not send.send_button.isEnabled()
    assert send.send_reason.isVisible() and "no secret yet" in send.send_reason.text()
    qtbot.keyClick(send, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not console.service.busy("send") and "no secret yet" in send.explanation.text()
    assert console.sandbox.request_count("token") == 0

    window.show_page("connect")  # saving the secret makes the profile usable
    qtbot.keyClicks(page.secret_edit, "sandbox-secret")
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: console.service.session is not None, timeout=5000)
    window.show_page("send")
    assert send.send_button.isEnabled() and not send.send_reason.isVisible()
