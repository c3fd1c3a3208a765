"""Keyboard and accessibility: Compose → Send without a mouse; names on icon-only buttons."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from criteo_console.core.checklist import Check
from criteo_console.session import guide_example_order
from criteo_console.ui.checklist import CHECKS

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def owner(widget: QWidget | None, candidates: list[QWidget]) -> QWidget | None:
    """The candidate control the focus is in (an editable combo focuses its line edit)."""
    for candidate in candidates:
        if widget is candidate or (widget is not None and candidate.isAncestorOf(widget)):
            return candidate
    return None


def tab_sequence(qtbot: Any, start: QWidget, candidates: list[QWidget], presses: int) -> list:
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: owner(focused(), candidates) is start)
    seen = [start]
    for _ in range(presses):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        hit = owner(focused(), candidates)
        if hit is not None and hit is not seen[-1]:
            seen.append(hit)
    return seen


def press(qtbot: Any, key: Qt.Key, modifier: Any = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def test_compose_to_send_by_keyboard_only(qtbot: Any, console: Any) -> None:
    window = console.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.connect_page.picker.setFocus()
    press(qtbot, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)  # Alt+3: Compose
    assert window.current_page() == "compose"
    compose = window.compose
    fields = [
        compose.paste_json_button,
        compose.order_id,
        compose.event_name,
        compose.event_time,
        compose.now_button,
        compose.currency,
        compose.value,
        compose.email,
        compose.email_sha256,
        compose.customer_id,
        compose.madid,
        compose.items_view,
        compose.add_button,
        compose.duplicate_button,
        compose.remove_button,
        compose.paste_rows_button,
        compose.preview.issue_list,
    ]
    # Tab reaches every control, top to bottom, in reading order.
    assert tab_sequence(qtbot, fields[0], fields, presses=40)[: len(fields)] == fields

    # Fill the form: Space on "Paste order JSON", then retype the order id.
    QApplication.clipboard().setText(json.dumps(guide_example_order(order_id="DRAFT")))
    compose.paste_json_button.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: compose.current_order().get("order_id") == "DRAFT")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is compose.order_id
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(compose.order_id, "PS-KEYS-1")
    qtbot.waitUntil(lambda: compose.current_order()["order_id"] == "PS-KEYS-1")

    press(qtbot, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)  # Alt+4: Send
    assert window.current_page() == "send"
    send = window.send_page
    buttons = [send.validate_button, send.send_button]
    assert tab_sequence(qtbot, buttons[0], buttons, presses=3)[:2] == buttons
    send.validate_button.setFocus()
    press(qtbot, Qt.Key.Key_Space)  # the default action only validates
    assert console.sandbox.request_count("conversions") == 0
    with qtbot.waitSignal(console.service.send_finished, timeout=15000) as finished:
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert finished.args[0].ok, finished.args[0].explanation
    assert len(console.sandbox.find_received("PS-KEYS-1")) == 1


def test_escape_cancels_a_send_from_the_focused_button(qtbot: Any, console: Any) -> None:
    console.sandbox.queue_fault("slow", times=1, endpoint="conversions")
    window = console.window
    QApplication.clipboard().setText(json.dumps(guide_example_order()))
    window.show_page("compose")
    window.compose.paste_json_button.click()
    window.show_page("send")
    window.send_page.send_button.setFocus()
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: console.sandbox.request_count("conversions") == 1, timeout=5000)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not console.service.busy("send"), timeout=5000)
    (row,) = console.service.event_log.page()
    assert row.reason == "cancelled-in-flight"


def test_icon_only_buttons_have_accessible_names(qtbot: Any, console: Any) -> None:
    window = console.window
    for name in ("connect", "mapping", "compose", "send", "log"):
        window.show_page(name)
    unnamed = [
        button
        for button in window.findChildren(QAbstractButton)
        if not button.objectName().startswith("qt_")  # Qt's own (table corner, tab scroll)
        and not any(ch.isalpha() for ch in button.text())
        and not button.accessibleName()
    ]
    assert not unnamed, [(type(b).__name__, b.objectName(), b.parent()) for b in unnamed]


def test_sidebar_titles_match_the_checks(console: Any) -> None:
    assert [(number, title) for number, title, _page in CHECKS] == [
        (check.value, check.title) for check in Check
    ]


def test_only_connect_is_built_before_the_first_paint(qtbot: Any, qloop: Any) -> None:
    from criteo_console.ui.main_window import MainWindow
    from criteo_console.ui.service import ConsoleService

    window = MainWindow(ConsoleService(http=None, paths=None))
    qtbot.addWidget(window)
    assert [n for n in ("connect", "mapping", "compose", "send", "log") if window.built(n)] == [
        "connect"
    ]
    window.show_page("compose")  # built on first show
    assert window.built("compose") and window.current_page() == "compose"
    assert window.compose.order_id.isVisibleTo(window)


def test_ctrl_enter_in_compose_opens_send_and_sends(qtbot: Any, console: Any) -> None:
    window = console.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QApplication.clipboard().setText(json.dumps(guide_example_order(order_id="PS-COMPOSE-1")))
    window.show_page("compose")
    window.compose.paste_json_button.click()
    window.compose.order_id.setFocus()
    with qtbot.waitSignal(console.service.send_finished, timeout=15000) as finished:
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == "send"
    assert finished.args[0].ok, finished.args[0].explanation
    assert len(console.sandbox.find_received("PS-COMPOSE-1")) == 1


def test_ctrl_enter_in_compose_still_refuses_an_invalid_order(qtbot: Any, console: Any) -> None:
    window = console.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QApplication.clipboard().setText(json.dumps(guide_example_order(currency="EURO")))
    window.show_page("compose")
    window.compose.paste_json_button.click()
    window.compose.order_id.setFocus()
    press(qtbot, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)  # the keypad's Enter
    assert window.current_page() == "send"
    assert "not valid" in window.send_page.headline.text()
    assert not console.service.busy("send") and console.sandbox.request_count("token") == 0
