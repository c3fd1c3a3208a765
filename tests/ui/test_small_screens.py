"""A laptop at 1024×640, a 1440×900 screen at 2× scaling, light and dark: nothing needed is
cut off, nothing scrolls sideways, and the window never opens larger than the screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QTableView, QWidget

from criteo_console.core.checklist import Check
from criteo_console.session import guide_example_order
from criteo_console.ui import theme

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def settle(qtbot: Any, window: Any, width: int, height: int) -> None:
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width and window.height() == height)
    QApplication.processEvents()


def no_sideways_scrolling(page: QWidget) -> list[str]:
    """Every visible scroll area on the page whose horizontal bar is showing."""
    areas = [page, *page.findChildren(QAbstractScrollArea)]
    return [
        f"{type(a).__name__} {a.accessibleName()!r}"
        for a in areas
        if isinstance(a, QAbstractScrollArea)
        and a.isVisible()
        and a.horizontalScrollBar().isVisible()
    ]


def fully_visible(widget: QWidget) -> bool:
    return widget.isVisible() and widget.visibleRegion().boundingRect() == widget.rect()


def column_in_view(table: QTableView, column: int) -> bool:
    left = table.columnViewportPosition(column)
    width = table.columnWidth(column)
    return left >= 0 and left + min(width, 40) <= table.viewport().width()


@pytest.fixture(params=[False, True], ids=["light", "dark"])
def themed(request: pytest.FixtureRequest, console: Any) -> Any:
    theme.apply_theme(console.app, dark=request.param)
    yield console
    theme.apply_theme(console.app, dark=False)


def test_compose_at_1024x640_shows_its_buttons_and_columns_without_sideways_scrolling(
    qtbot: Any, themed: Any
) -> None:
    window = themed.window
    window.show_page("compose")
    compose = window.compose
    compose.load_example_order()
    settle(qtbot, window, 1024, 640)
    assert no_sideways_scrolling(window.pages.currentWidget()) == []
    for button in (compose.paste_json_button, compose.example_button, compose.send_button):
        assert fully_visible(button), button.text()
    compose.form_scroll.ensureWidgetVisible(compose.items_view)
    QApplication.processEvents()
    header = compose.items_model.headerData
    assert [header(c, orientation_h()) for c in (1, 2)] == ["Price", "Quantity"]
    assert column_in_view(compose.items_view, 1) and column_in_view(compose.items_view, 2)
    # The hash starts where the eye does: its first characters, not its last.
    assert compose.email_sha256.cursorPosition() == 0


def orientation_h() -> Any:
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def test_send_and_event_log_at_1024x640(qtbot: Any, themed: Any) -> None:
    window = themed.window
    window.compose.load_order(guide_example_order())
    window.show_page("send")
    settle(qtbot, window, 1024, 640)
    with qtbot.waitSignal(themed.service.send_finished, timeout=15000):
        qtbot.mouseClick(window.send_page.send_button, left())
    assert no_sideways_scrolling(window.pages.currentWidget()) == []
    window.show_page("log")
    page = window.log_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    QApplication.processEvents()
    assert no_sideways_scrolling(window.pages.currentWidget()) == []
    headers = [page.model.headerData(c, orientation_h()) for c in range(page.model.columnCount())]
    for name in ("HTTP", "Trace id"):
        assert column_in_view(page.table, headers.index(name)), name


def left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_a_long_warning_on_send_wraps_and_four_problems_show(qtbot: Any, themed: Any) -> None:
    window = themed.window
    long_id = "a-very-long-product-reference-" * 4
    items = [{"id": long_id, "price": "x", "quantity": 0}, {"id": "", "price": "1", "quantity": 1}]
    order = guide_example_order(value="1x", items=items, currency="EURO", order_id="")
    window.compose.load_order(order)
    window.show_page("send")
    settle(qtbot, window, 1024, 640)
    issues = window.send_page.issues
    assert issues.count() >= 4
    assert not issues.horizontalScrollBar().isVisible()
    shown = [issues.visualItemRect(issues.item(row)) for row in range(4)]
    assert all(issues.viewport().rect().contains(rect) for rect in shown), shown


@pytest.mark.parametrize(("width", "height"), [(1024, 640), (1280, 800)])
def test_identifiers_and_problems_stay_readable_after_pasting_an_order(
    qtbot: Any, themed: Any, width: int, height: int
) -> None:
    window = themed.window
    window.show_page("compose")
    settle(qtbot, window, width, height)
    preview = window.compose.preview
    order = guide_example_order(
        email=" John.Doe@Example.com ", email_sha256=None, currency="EURO", value="1x"
    )
    order["items"] = [{"id": "", "price": "x", "quantity": 0}]
    window.compose.load_order(order)

    def squeezed() -> list[tuple[str, int, int]]:
        return [
            (label.text()[:30], label.height(), label.heightForWidth(label.width()))
            for label in preview.findChildren(QLabel)
            if label.isVisible()
            and label.wordWrap()
            and label.text()
            and label.height() < label.heightForWidth(label.width())
        ]

    # Layouts settle over a few event-loop turns; squeezed labels would stay squeezed.
    qtbot.waitUntil(lambda: squeezed() == [], timeout=3000)

    def shown_labels() -> list[QLabel]:
        return [label for label in preview.findChildren(QLabel) if label.isVisible()]

    qtbot.waitUntil(lambda: not overlapping(shown_labels()), timeout=3000)
    issues = preview.issue_list
    in_view = [
        row
        for row in range(issues.count())
        if issues.viewport().rect().contains(issues.visualItemRect(issues.item(row)))
    ]
    assert len(in_view) >= min(4, issues.count()) and issues.count() >= 4
    assert themed.window.sidebar.status(Check.IDENTIFIERS) is not None


def overlapping(labels: list[QLabel]) -> list[tuple[str, str]]:
    def box(label: QLabel) -> QRect:
        return QRect(label.mapTo(label.window(), label.rect().topLeft()), label.size())

    found = []
    for i, first in enumerate(labels):
        for second in labels[i + 1 :]:
            if first.isAncestorOf(second) or second.isAncestorOf(first):
                continue
            if box(first).intersects(box(second)):
                found.append((first.text()[:20], second.text()[:20]))
    return found


# -- 2× scaling on a 1440×900 screen (its own process: the scale is fixed when Qt starts) ---

PROBE = textwrap.dedent(
    """
    import json
    from criteo_console.ui.app import make_qapp
    from criteo_console.ui.main_window import MainWindow
    from criteo_console.ui.service import ConsoleService

    app = make_qapp([])
    window = MainWindow(ConsoleService(http=None, paths=None))
    window.show()
    app.processEvents()
    sideways = []
    for page in ("compose", "send", "mapping", "connect"):
        window.show_page(page)
        app.processEvents()
        if window.pages.currentWidget().horizontalScrollBar().isVisible():
            sideways.append(page)
    room = window.screen().availableGeometry()
    print(json.dumps({
        "window": [window.width(), window.height()],
        "room": [room.width(), room.height()],
        "test_button_visible": window.connect_page.test_button.isVisibleTo(window),
        "sideways": sideways,
    }))
    """
)


def test_at_2x_the_window_opens_within_the_screen(tmp_path: Path) -> None:
    config = tmp_path / "screen.json"
    screen = {"name": "laptop", "x": 0, "y": 0, "width": 1440, "height": 900}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "QT_SCALE_FACTOR": "2",
        "CRITEO_CONSOLE_HOME": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["room"] == [720, 450]
    assert seen["window"][0] <= 720 and seen["window"][1] <= 450, seen
    assert seen["test_button_visible"]
    assert seen["sideways"] == []  # pages scroll down at 2×, never sideways
