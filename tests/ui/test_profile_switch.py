"""Switching profiles: what was proved for one profile never shows up as another's."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from criteo_console.core.checklist import Check, CheckState
from criteo_console.session import guide_example_order
from tests.ui.test_console import add_profile, click, paste_order, state

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def select(qtbot: Any, console: Any, name: str) -> None:
    console.service.select_profile(name)
    qtbot.waitUntil(lambda: console.service.profile.name == name, timeout=5000)


def test_a_send_result_stays_with_the_profile_it_was_sent_with(qtbot: Any, console: Any) -> None:
    add_profile(qtbot, console, secret="wrong-secret", advertiser="1234567")  # "Shop"
    select(qtbot, console, "Sandbox")
    console.sandbox.queue_fault("slow", times=1, endpoint="conversions")
    paste_order(qtbot, console, guide_example_order())
    window, page = console.window, console.window.connect_page
    window.show_page("send")
    qtbot.keyClick(window.send_page, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: console.sandbox.request_count("conversions") == 1, timeout=5000)
    # While the send is out the profile cannot be changed on Connect, and the page says why.
    assert not page.picker.isEnabled() and not page.save_button.isEnabled()
    assert not page.busy_note.isHidden() and "send is on its way" in page.busy_note.text()

    # Selected some other way all the same: the result lands, but not on "Shop".
    with qtbot.waitSignal(console.service.send_finished, timeout=15000) as finished:
        select(qtbot, console, "Shop")
    report = finished.args[0]
    assert report.ok
    assert console.service.event_log.get(report.attempt.id).state == "accepted"
    for check in (Check.TOKEN, Check.ADVERTISER_SCOPE, Check.SIGN_OFF):
        assert state(console, check) is CheckState.NOT_STARTED, check
    assert "after you switched profiles" in window.status_line.text()
    send = window.send_page
    assert "send for profile Sandbox finished after you switched" in send.explanation.text()
    assert send.headline.text() == "" and not send.log_button.isEnabled()  # not Shop's result
    assert page.picker.isEnabled() and page.busy_note.isHidden()


def test_checks_reset_on_a_new_identity_only(qtbot: Any, console: Any) -> None:
    page = console.window.connect_page
    click(qtbot, page.test_button)
    qtbot.waitUntil(lambda: state(console, Check.ADVERTISER_SCOPE) is CheckState.OK, timeout=5000)

    add_profile(qtbot, console, secret="sandbox-secret", advertiser="1234567")  # a switch
    assert state(console, Check.TOKEN) is CheckState.NOT_STARTED
    assert state(console, Check.ADVERTISER_SCOPE) is CheckState.NOT_STARTED
    assert "Not tested yet" in page.token_label.text() and not page.countdown.isActive()

    click(qtbot, page.test_button)
    qtbot.waitUntil(lambda: state(console, Check.ADVERTISER_SCOPE) is CheckState.OK, timeout=5000)
    # Renaming and a new event mapping keep what was proved for these credentials.
    page.name_edit.setText("Shop EU")
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: console.service.profile.name == "Shop EU", timeout=5000)
    mapped = console.service.profile.with_changes(event_names={"purchase": "sales"})
    console.service.save_profile("Shop EU", mapped, None)
    qtbot.waitUntil(lambda: console.service.profile.event_names == {"purchase": "sales"})
    assert state(console, Check.TOKEN) is CheckState.OK
    assert state(console, Check.ADVERTISER_SCOPE) is CheckState.OK
    assert page.countdown.isActive() and "Token acquired at" in page.token_label.text()

    # Another advertiser is another identity: checks 1 and 2 must be redone.
    page.advertiser_edit.setText("7654321")
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: console.service.profile.advertiser_id == 7654321, timeout=5000)
    assert state(console, Check.TOKEN) is CheckState.NOT_STARTED
    assert state(console, Check.ADVERTISER_SCOPE) is CheckState.NOT_STARTED
    assert "Not tested yet" in page.token_label.text()
