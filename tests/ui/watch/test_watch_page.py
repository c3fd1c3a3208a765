"""The Watch my shop page: start, give the shop the address, see its requests live, Compare."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from criteo_console.sandbox import SandboxConfig, SandboxServer
from criteo_console.storage.event_log import EventLog, LogFilter
from criteo_console.ui.pages.watch import WatchPage, parse_items
from tests.capture.shop import CHECKOUT_EMAIL, EMAIL_MISTAKES, StandInShop, conversion

pytestmark = pytest.mark.usefixtures("qloop")


@pytest.fixture
def event_log(tmp_path: Path) -> Iterator[EventLog]:
    log = EventLog(tmp_path / "log.sqlite3")
    yield log
    log.close()


@pytest.fixture
def page(qtbot: QtBot, event_log: EventLog) -> Iterator[WatchPage]:
    widget = WatchPage(event_log)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    yield widget
    widget.shutdown()


def click(qtbot: QtBot, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_requests_arrive_live_with_their_verdict_and_compare(
    qtbot: QtBot, page: WatchPage, event_log: EventLog
) -> None:
    qtbot.keyClicks(page.email, CHECKOUT_EMAIL)
    qtbot.keyClicks(page.order_id, "SHOP-1")
    qtbot.keyClicks(page.value, "149.90")
    qtbot.keyClicks(page.currency, "EUR")
    page.items.setPlainText("SKU-1, 149.90, 1")
    click(qtbot, page.start_button)
    assert page.running and page.base_url.text().startswith("http://127.0.0.1:")
    assert page.start_button.text() == "&Stop watching"
    click(qtbot, page.copy_button)
    assert QGuiApplication.clipboard().text() == page.base_url.text()

    shop = StandInShop(page.base_url.text())
    try:
        shop.get_token()
        qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=1000)
        shop.send(conversion("SHOP-1"))
        qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=1000)
        shop.send(conversion("SHOP-2", email_sha256=EMAIL_MISTAKES["double-hashed"]))
        qtbot.waitUntil(lambda: page.table.rowCount() == 3, timeout=1000)
    finally:
        shop.close()

    assert page.table.item(1, 3).text() == "✓ ok"
    assert page.table.item(2, 3).text() == "✗ error"
    assert page.table.item(2, 5).text() == "double-hashed"
    # The newest is selected and explained, in words to forward to the developer.
    qtbot.waitUntil(lambda: "twice" in page.detail.text(), timeout=1000)
    page.table.selectRow(1)
    assert page.compare.result is not None and page.compare.result.all_match
    page.table.selectRow(2)
    assert page.compare.result is not None
    assert [r.label for r in page.compare.result.mismatches] == ["Order id"]

    assert {a.order_id for a in event_log.page(filters=LogFilter(source="shop"))} == {
        "SHOP-1",
        "SHOP-2",
    }
    click(qtbot, page.start_button)
    assert not page.running and page.base_url.text() == ""


def test_forward_mode_and_plain_words_for_bad_settings(
    qtbot: QtBot, page: WatchPage, event_log: EventLog
) -> None:
    page.mode.setCurrentIndex(1)
    page.forward_edit.setText("http://api.example.com")
    click(qtbot, page.start_button)
    assert not page.running
    assert "Forward to:" in page.state.text() and "https://" in page.state.text()

    with SandboxServer(SandboxConfig()) as sandbox:
        page.forward_edit.setText(sandbox.base_url)
        click(qtbot, page.start_button)
        assert page.running
        shop = StandInShop(page.base_url.text(), client_id="sandbox-client",
                           client_secret="sandbox-secret")  # fmt: skip
        try:
            shop.send(conversion("FWD-1"))
        finally:
            shop.close()
        qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=1000)
        page.stop()
    assert page.captured[-1].forwarded and page.table.item(1, 2).text() == "200"

    page.mode.setCurrentIndex(0)
    page.advertisers.setText("12a")
    click(qtbot, page.start_button)
    assert not page.running and "whole positive numbers" in page.state.text()


def test_items_are_read_as_pasted() -> None:
    assert parse_items("A, 10.00, 2\nB\t5\t1\n\nC;1;3") == [
        {"id": "A", "price": "10.00", "quantity": "2"},
        {"id": "B", "price": "5", "quantity": "1"},
        {"id": "C", "price": "1", "quantity": "3"},
    ]


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_the_sidebar_opens_watch_my_shop_after_the_event_log(qtbot: QtBot, console: Any) -> None:
    window = console.window
    sidebar = window.sidebar
    labels = [sidebar.item(row).text() for row in range(sidebar.count())]
    assert labels[-2:] == ["Event log & Compare", "Watch my shop"]
    sidebar.setCurrentRow(sidebar.count() - 1)
    assert window.current_page() == "watch"
    watch = window.page("watch")
    assert watch.start()
    shop = StandInShop(watch.base_url.text())
    try:
        shop.send(conversion("WIN-1"))
    finally:
        shop.close()
    qtbot.waitUntil(lambda: watch.table.rowCount() == 2, timeout=1000)
    watch.table.selectRow(1)
    qtbot.waitUntil(watch.log_button.isEnabled, timeout=1000)
    click(qtbot, watch.log_button)  # the same detail and sign-off as a composed attempt
    assert window.current_page() == "log"
    assert window.log_page.current_attempt().order_id == "WIN-1"
    assert window.log_page.current_attempt().source == "shop"
    server = watch.server
    window.close()
    assert watch.server is None and not server.running


def test_checkout_fields_say_what_cannot_be_used(qtbot: QtBot, page: WatchPage) -> None:
    assert page.checkout_hint.isHidden()
    qtbot.keyClicks(page.email, "jane.doe at example")
    qtbot.keyClicks(page.value, "149,90")
    qtbot.keyClicks(page.currency, "EURO")
    page.items.setPlainText("SKU-1 149.90")
    text = page.checkout_hint.text()
    for field in ("Email:", "Value:", "Currency:", "Items, line 1:"):
        assert field in text
    assert "jane.doe" not in text  # what was typed is never echoed
    page.email.setText("jane.doe@example.com")
    page.value.setText("149.90")
    page.currency.setText("EUR")
    page.items.setPlainText("SKU-1, 149.90, 1")
    assert page.checkout_hint.isHidden()
