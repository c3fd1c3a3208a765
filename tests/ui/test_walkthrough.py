"""What a first-time marketer hit on a real X window (docs/walkthrough.md), each checked here.

On a 1024×640 screen the window really opens at 1024×600 (fit_to_screen leaves room for the
title bar), so these tests use that size, not the screen's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from criteo_console.session import guide_example_order
from criteo_console.ui.checklist import LINES_ROLE
from criteo_console.ui.signoff_dialog import SignoffDialog
from tests.ui.test_small_screens import no_sideways_scrolling, settle

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

LAPTOP = (1024, 600)  # the window on a 1024×640 screen


def test_watch_my_shop_fits_a_small_laptop_without_sideways_scrolling(
    qtbot: Any, console: Any
) -> None:
    window = console.window
    window.show_page("watch")
    settle(qtbot, window, *LAPTOP)
    assert no_sideways_scrolling(window.pages.currentWidget()) == []
    checkout = window.page("watch").email
    # The test checkout's fields are on screen, not cut at the window's right edge.
    right = checkout.mapTo(window, checkout.rect().topRight()).x()
    assert right < window.width(), right


def test_signoff_dialog_folder_label_is_a_shortcut_not_an_ampersand(
    qtbot: Any, tmp_path: Path
) -> None:
    dialog = SignoffDialog(1, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    labels = {label.text(): label for label in dialog.findChildren(QLabel)}
    folder = labels["&Folder:"]
    assert folder.buddy() is dialog.folder  # shown as "Folder:" with F underlined
    # The placeholders are readable: every field is wide enough for its hint.
    for field in (dialog.reviewer, dialog.client, dialog.agency):
        hint = field.fontMetrics().horizontalAdvance(field.placeholderText())
        assert field.width() >= hint, (field.accessibleName(), field.width(), hint)


def test_send_page_placeholders_name_the_sandbox_on_the_sandbox(qtbot: Any, console: Any) -> None:
    window = console.window
    window.compose.load_order(guide_example_order())
    window.show_page("send")
    page = window.send_page
    qtbot.waitUntil(lambda: page.send_button.text() == "Send to the sandbox")
    words = [page.trace_edit.placeholderText(), page.raw.placeholderText()]
    assert all("sandbox" in text for text in words), words
    assert not any("Criteo" in text for text in words), words


def test_switching_event_log_tabs_keeps_the_tabs_in_place_and_the_row_selected(
    qtbot: Any, console: Any
) -> None:
    """Clicking Request then Response must not land on the table: the tab bar stays put."""
    window = console.window
    window.compose.load_order(guide_example_order())
    window.show_page("send")
    settle(qtbot, window, *LAPTOP)
    with qtbot.waitSignal(console.service.send_finished, timeout=15000):
        qtbot.mouseClick(window.send_page.send_button, Qt.MouseButton.LeftButton)
    window.show_page("log")
    page = window.log_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.table.selectRow(0)
    QApplication.processEvents()
    bar = page.details.tabBar()
    places = []
    for index in range(bar.count()):
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
        QApplication.processEvents()
        qtbot.waitUntil(lambda i=index: page.details.currentIndex() == i)
        places.append(bar.mapTo(window, bar.rect().topLeft()).y())
        assert page.table.selectionModel().selectedRows(), page.details.tabText(index)
    assert len(set(places)) == 1, places
    # The sign-off button is on screen without scrolling the page.
    button = page.signoff_button
    bottom = button.mapTo(window, button.rect().bottomLeft()).y()
    assert button.isVisible() and bottom <= window.height(), bottom


def test_watch_my_shop_does_not_send_the_marketer_to_the_log_to_compare(
    qtbot: Any, console: Any
) -> None:
    window = console.window
    window.show_page("watch")
    page = window.page("watch")
    assert "in the log" not in page.compare.verdict.text()
    assert "comparison" in page.compare.verdict.text()


AT_2X = (720, 410)  # a 1440×900 screen at 200%: 720×450 logical, less the title bar


def test_event_log_at_2x_does_not_scroll_sideways(qtbot: Any, console: Any) -> None:
    window = console.window
    window.compose.load_order(guide_example_order())
    window.show_page("send")
    with qtbot.waitSignal(console.service.send_finished, timeout=15000):
        qtbot.mouseClick(window.send_page.send_button, Qt.MouseButton.LeftButton)
    window.show_page("log")
    page = window.log_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    settle(qtbot, window, *AT_2X)
    window.fit_to_screen()
    page.table.selectRow(0)
    QApplication.processEvents()
    for index in range(page.details.count()):
        page.details.setCurrentIndex(index)
        QApplication.processEvents()
        assert no_sideways_scrolling(window.pages.currentWidget()) == [], page.details.tabText(
            index
        )


def test_after_a_send_the_sidebar_says_accepted_without_a_wall_of_hex(
    qtbot: Any, console: Any
) -> None:
    window = console.window
    window.compose.load_order(guide_example_order())
    window.show_page("send")
    with qtbot.waitSignal(console.service.send_finished, timeout=15000):
        qtbot.mouseClick(window.send_page.send_button, Qt.MouseButton.LeftButton)
    item = window.sidebar.item_for("send")
    qtbot.waitUntil(lambda: "accepted" in str(item.data(LINES_ROLE)))
    shown = " ".join(text for _numbers, _state, text in item.data(LINES_ROLE))
    assert "trace id" not in shown and not shown.rstrip().endswith(";"), shown
    assert "trace id" in item.toolTip()  # the whole reason stays in the tooltip


def test_compose_at_2x_cuts_nothing_off_at_the_forms_right_edge(qtbot: Any, console: Any) -> None:
    """The form scrolls down, never sideways: so it must never be wider than its column."""
    window = console.window
    window.show_page("compose")
    compose = window.compose
    qtbot.mouseClick(compose.example_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window, *AT_2X)
    window.fit_to_screen()
    QApplication.processEvents()
    form = compose.form_scroll
    assert form.widget().width() <= form.viewport().width(), (
        form.widget().width(),
        form.viewport().width(),
    )
    for button in (compose.example_button, compose.paste_json_button):
        right = button.mapTo(form.viewport(), button.rect().topRight()).x()
        assert right <= form.viewport().width(), (button.text(), right)


def test_compare_titles_stay_on_one_line_when_there_is_room(qtbot: Any, console: Any) -> None:
    """Wrapping is for 2×: at 1280×800 "What the sandbox answered" is one line."""
    window = console.window
    window.compose.load_order(guide_example_order())
    window.show_page("send")
    settle(qtbot, window, 1280, 800)
    with qtbot.waitSignal(console.service.send_finished, timeout=15000):
        qtbot.mouseClick(window.send_page.send_button, Qt.MouseButton.LeftButton)
    window.show_page("log")
    page = window.log_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.table.selectRow(0)
    page.details.setCurrentWidget(page.compare)
    QApplication.processEvents()
    titles = [
        label
        for label in page.compare.findChildren(QLabel)
        if label.text().startswith("<b>What the")
    ]
    assert titles
    for label in titles:
        line = label.fontMetrics().height()
        assert label.height() < 2 * line, (label.text(), label.height(), line)
