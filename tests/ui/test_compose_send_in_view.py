"""Compose's primary action is on screen without scrolling, at every size the app supports.

A marketer who does not know Ctrl+Enter must see "Send this order →" as soon as Compose
opens: on a 1024×640 laptop (the window is 1024×600) and at 2× on a 1440×900 screen (720×450
logical pixels), light and dark. Clicking it sends the guide's example order to the sandbox.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

from criteo_console.session import guide_example_order
from criteo_console.ui import theme
from tests.ui.test_keyboard import tab_sequence
from tests.ui.test_small_screens import no_sideways_scrolling, settle

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def hidden_by(widget: QWidget) -> list[str]:
    """What keeps ``widget`` from being fully on screen: the window's edges or the viewport
    of a scroll area it sits in (scrolled out of sight). Empty when it is all in view."""
    window = widget.window()
    found = []
    if not widget.isVisible():
        found.append("hidden")
    box = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
    if not window.rect().contains(box):
        found.append(f"window {window.rect()} does not contain {box}")
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            viewport = parent.viewport()
            inside = QRect(widget.mapTo(viewport, widget.rect().topLeft()), widget.size())
            if not viewport.rect().contains(inside):
                found.append(f"{type(parent).__name__} viewport {viewport.rect()} cuts {inside}")
        parent = parent.parentWidget()
    return found


@pytest.fixture(params=[False, True], ids=["light", "dark"])
def themed(request: pytest.FixtureRequest, console: Any) -> Any:
    theme.apply_theme(console.app, dark=request.param)
    yield console
    theme.apply_theme(console.app, dark=False)


def wait_in_view(qtbot: Any, widget: QWidget) -> None:
    """Layouts settle over a few event-loop turns (the preview grows after a check): wait until
    the widget is in view, let the queued layout work run, and say what hides it, if anything."""
    qtbot.waitUntil(lambda: not hidden_by(widget), timeout=3000)
    for _ in range(3):
        QApplication.processEvents()
    assert hidden_by(widget) == []


@pytest.mark.parametrize(
    ("width", "height"), [(720, 450), (1024, 600)], ids=["2x-720x450", "1024x600"]
)
def test_send_this_order_is_in_view_and_a_click_sends_the_example(
    qtbot: Any, themed: Any, width: int, height: int
) -> None:
    window = themed.window
    settle(qtbot, window, width, height)
    # The sidebar as wide as when the window fits itself to such a screen (fit_to_screen).
    side = max(window.sidebar.minimumWidth(), min(230, width // 5))
    window.centralWidget().setSizes([side, width - side])
    window.show_page("compose")
    compose = window.compose
    button = compose.send_button
    assert button.text().replace("&", "") == "Send this order →"
    wait_in_view(qtbot, button)  # the untouched form, its start prompt showing

    # The shop's own order pasted, four mistakes in it: the problems list takes room.
    broken = guide_example_order(
        currency="EURO",
        value="149,90x",
        items=[
            {"id": "SKU-BLK-42", "price": "79.95", "quantity": 0},
            {"id": "", "price": "69.95", "quantity": 1},
        ],
    )
    QApplication.clipboard().setText(json.dumps(broken))
    wait_in_view(qtbot, compose.paste_json_button)
    qtbot.mouseClick(compose.paste_json_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: compose.preview.issue_list.count() >= 4)
    wait_in_view(qtbot, button)

    wait_in_view(qtbot, compose.example_button)
    qtbot.mouseClick(compose.example_button, Qt.MouseButton.LeftButton)
    assert compose.current_check().ok
    wait_in_view(qtbot, button)  # the prompt gone, a message shown above the form
    page = window.pages.currentWidget()
    assert not page.horizontalScrollBar().isVisible()  # the page never scrolls sideways

    # The shopper's address typed as a marketer would: the preview grows with the address's
    # forms and hashes, and with the problem that it does not match the example's hash.
    arrangement = compose.splitter.orientation()
    qtbot.keyClicks(compose.email, " John.Doe@Example.com ")
    assert not compose.current_check().ok
    wait_in_view(qtbot, button)
    # Typing an address does not rearrange the page under the cursor (the panels were laid
    # out for an address from the start), and the address's hashes never push it sideways.
    assert compose.splitter.orientation() == arrangement
    assert no_sideways_scrolling(page) == []
    # The hash removed (the address is hashed on this computer instead): valid again.
    compose.email_sha256.selectAll()
    qtbot.keyClick(compose.email_sha256, Qt.Key.Key_Delete)
    assert compose.current_check().ok
    wait_in_view(qtbot, button)
    assert no_sideways_scrolling(page) == []
    # Side by side where both fit (1024×600), the preview under the form at 2×.
    wanted = Qt.Orientation.Horizontal if width >= 1024 else Qt.Orientation.Vertical
    assert compose.splitter.orientation() == wanted
    assert button.isEnabled()

    order_id = compose.current_order()["order_id"]
    with qtbot.waitSignal(themed.service.send_finished, timeout=15000) as finished:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    report = finished.args[0]
    assert report.ok, report.explanation
    assert window.current_page() == "send"
    qtbot.waitUntil(lambda: window.send_page.headline.text().startswith("✓"), timeout=5000)
    # The outcome is what the marketer looks for: in view, above the step-by-step list.
    wait_in_view(qtbot, window.send_page.headline)
    assert len(themed.sandbox.find_received(order_id)) == 1
    assert not button.isVisible()  # Compose's action is not left behind on the Send page


def test_tab_goes_from_the_problems_list_to_send_this_order(qtbot: Any, console: Any) -> None:
    """Pinned below the page, the button still comes right after the page's last control."""
    window = console.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_page("compose")
    compose = window.compose
    compose.load_example_order()
    order = [compose.paste_rows_button, compose.preview.issue_list, compose.send_button]
    assert tab_sequence(qtbot, order[0], order, presses=6)[:3] == order
