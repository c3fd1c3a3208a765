"""The marketer's first run on the built-in sandbox: an accepted order in a few clicks, with
no credentials, and a visible next step on every page. Real window, real loopback sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from criteo_console.ui.checklist import PAGE_ENTRIES

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


class Counter:
    """Every click and key press the user makes, counted."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.count = 0

    def click(self, widget: QWidget) -> None:
        assert widget.isVisible() and widget.isEnabled(), widget
        self.count += 1
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    def click_sidebar(self, window: Any, page: str) -> None:
        sidebar = window.sidebar
        rect = sidebar.visualItemRect(sidebar.item_for(page))
        self.count += 1
        self.qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def accepted(qtbot: Any, console: Any, send: Any) -> Any:
    with qtbot.waitSignal(console.service.send_finished, timeout=15000) as finished:
        send()
    report = finished.args[0]
    assert report.ok, report.explanation
    return report


def test_first_start_to_sandbox_accepted_in_three_clicks_from_the_sidebar(
    qtbot: Any, console: Any
) -> None:
    window, user = console.window, Counter(qtbot)
    assert window.current_page() == "connect"

    user.click_sidebar(window, "compose")
    compose = window.compose
    assert window.current_page() == "compose"
    assert compose.start_prompt.isVisible()  # an empty form offers the example
    user.click(compose.prompt_example_button)
    assert not compose.start_prompt.isVisible()
    report = accepted(qtbot, console, lambda: user.click(compose.send_button))

    assert user.count <= 3
    assert window.current_page() == "send"
    assert window.send_page.headline.text().startswith("✓")
    order_id = compose.current_order()["order_id"]
    assert len(console.sandbox.find_received(order_id)) == 1
    assert report.attempt is not None


def test_the_sandbox_welcome_leads_to_an_accepted_order_in_two_clicks(
    qtbot: Any, console: Any
) -> None:
    window, user = console.window, Counter(qtbot)
    connect = window.connect_page
    assert connect.example_button.isVisible()

    user.click(connect.example_button)
    assert window.current_page() == "compose"
    accepted(qtbot, console, lambda: user.click(window.compose.send_button))

    assert user.count == 2


def test_load_example_order_button_fills_a_valid_order(qtbot: Any, console: Any) -> None:
    window = console.window
    window.show_page("compose")
    compose = window.compose
    qtbot.mouseClick(compose.example_button, Qt.MouseButton.LeftButton)
    assert compose.current_check().ok
    assert compose.current_order()["order_id"]
    assert "example order is loaded" in compose.message.text()


def test_after_test_connection_the_welcome_no_longer_asks_for_it(qtbot: Any, console: Any) -> None:
    connect = console.window.connect_page
    assert "Test connection" in connect.welcome.text()
    with qtbot.waitSignal(console.service.connection_tested, timeout=15000):
        qtbot.mouseClick(connect.test_button, Qt.MouseButton.LeftButton)
    assert "Test connection" not in connect.welcome.text()
    assert "answered" in connect.welcome.text()


def test_every_page_but_the_last_shows_a_next_step_that_opens_it(qtbot: Any, console: Any) -> None:
    window = console.window
    seen = ["connect"]
    while window.next_button.isVisible():
        assert window.next_button.text().startswith("Next: ")
        qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
        seen.append(window.current_page())
    assert seen == ["connect", "mapping", "compose"]
    # Compose's next step is its own Send button; Send leads on to the event log.
    assert window.compose.send_button.isVisible()
    window.show_page("send")
    assert window.next_button.text() == "Next: Event log && Compare →"
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert window.current_page() == "log"
    assert not window.next_button.isVisible()


def test_down_arrow_walks_the_whole_sidebar(qtbot: Any, console: Any) -> None:
    window = console.window
    sidebar = window.sidebar
    sidebar.setFocus()
    visited = [window.current_page()]
    for _ in range(len(PAGE_ENTRIES) - 1):
        qtbot.keyClick(sidebar, Qt.Key.Key_Down)
        visited.append(window.current_page())
    assert visited == [page for page, _title in PAGE_ENTRIES]
    for _ in range(len(PAGE_ENTRIES) - 1):
        qtbot.keyClick(sidebar, Qt.Key.Key_Up)
    assert window.current_page() == "connect"


def test_alt_numbers_follow_the_sidebar_and_are_shown(qtbot: Any, console: Any) -> None:
    window = console.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for number, (page, title) in enumerate(PAGE_ENTRIES, 1):
        window.show_page("connect" if page != "connect" else "send")
        focus = QApplication.focusWidget() or window
        qtbot.keyClick(focus, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.AltModifier)
        assert window.current_page() == page, (number, page)
        tooltip = window.sidebar.item_for(page).toolTip()
        assert tooltip.startswith(f"{title} (Alt+{number})")


def test_help_lists_the_shortcuts_from_the_same_table(qtbot: Any, console: Any) -> None:
    from criteo_console.ui.shortcuts import SHORTCUTS

    window = console.window
    window.shortcuts_action.trigger()
    dialog = window.shortcuts_dialog
    qtbot.waitUntil(dialog.isVisible)
    text = dialog.table.text()
    for number, (_page, title) in enumerate(PAGE_ENTRIES, 1):
        assert f"Alt+{number}" in text and f"Open {title.replace('&', '&amp;')}" in text
    for keys, action, _where in SHORTCUTS.values():
        assert keys[0] in text and action in text
    window.show_page("compose")
    assert "Ctrl+Enter" in window.compose.send_button.toolTip()
    assert "Ctrl+D" in window.compose.duplicate_button.toolTip()
    window.show_page("send")
    assert "Esc" in window.send_page.cancel_button.toolTip()
    dialog.close()
