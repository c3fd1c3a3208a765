"""Layout a marketer notices: the Send page's step list fits its rows, nothing hidden."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from criteo_console.session import guide_example_order

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_send_steps_fit_their_rows(qtbot: Any, console: Any) -> None:
    window = console.window
    window.resize(1280, 800)
    window.compose.load_order(guide_example_order())
    window.show_page("send")
    send = window.send_page
    assert not send.steps.isVisible()  # no empty box before anything was sent
    qtbot.keyClick(send, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: send.trace_edit.text() != "", timeout=10000)
    steps = send.steps
    assert steps.isVisible() and steps.count() >= 5
    assert_fits(steps)
    window.resize(800, 800)  # narrower: rows wrap and the list grows with them
    qtbot.waitUntil(lambda: steps.width() < 700)
    assert_fits(steps)


def assert_fits(steps: Any) -> None:
    """Every step readable without scrolling, and no empty space under them."""
    viewport = steps.viewport().rect()
    rects = [steps.visualItemRect(steps.item(row)) for row in range(steps.count())]
    for rect in rects:
        assert viewport.contains(rect), (rect, viewport)
    assert viewport.height() - sum(rect.height() for rect in rects) <= 8


def test_no_problems_leaves_the_room_to_the_request_body(qtbot: Any, console: Any) -> None:
    window = console.window
    window.resize(1280, 800)
    window.show_page("compose")
    preview = window.compose.preview
    window.compose.load_order(guide_example_order())
    qtbot.waitUntil(lambda: preview.issue_list.item(0).text() == "Nothing to fix.")
    row = preview.issue_list.sizeHintForRow(0)
    qtbot.waitUntil(lambda: preview.issue_list.height() <= 2 * row + 12)
    qtbot.waitUntil(lambda: preview.json_view.height() > 300)  # the body gets the space
    window.compose.load_order(guide_example_order(currency="EURO", order_id=""))
    qtbot.waitUntil(lambda: preview.issue_list.height() > 3 * row)  # problems get room back
