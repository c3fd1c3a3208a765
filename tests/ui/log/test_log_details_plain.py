"""The log's detail pane opens on the newest attempt and reads in plain words."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from criteo_console.storage.event_log import EventLog
from criteo_console.ui.pages.log_page import LogPage
from tests.core.orders import guide_order
from tests.ui.log.conftest import add_sent, add_unposted

# Offscreen cannot resize to size hints, nor grab the keyboard for a popup left by another test.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints", "This plugin does not support grabbing"
)
EXCHANGE = {
    "step": "conversions",
    "method": "POST",
    "url": "http://127.0.0.1:8787/2023-07/conversions",
    "attempt": 1,
    "started_at": 0.0,
    "elapsed_ms": 5.2,
    "status": 200,
}
PROGRESS = [
    {"step": "token", "state": "ok", "message": "Token acquired."},
    {"step": "post", "state": "ok", "message": "Criteo accepted it."},
    EXCHANGE,
]


def _page(qtbot: QtBot, log: EventLog) -> LogPage:
    page = LogPage(log)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    return page


def test_opening_the_log_selects_the_newest_attempt(qtbot: QtBot, event_log: EventLog) -> None:
    add_sent(event_log, guide_order(order_id="PS-OLD"))
    newest = add_sent(event_log, guide_order(order_id="PS-NEW"))
    page = _page(qtbot, event_log)
    page.refresh()  # what opening the page does
    current = page.current_attempt()
    assert current is not None and current.id == newest
    assert "PS-NEW" in page.summary.text()


def test_summary_says_why_in_words_and_when_it_was_attempted(
    qtbot: QtBot, event_log: EventLog
) -> None:
    attempt_id = add_unposted(event_log)
    page = _page(qtbot, event_log)
    page.select_attempt(attempt_id)
    summary = page.summary.text()
    assert "Attempted at" in summary and "Sent at" not in summary
    assert "wrong client id or secret" in summary
    assert ">auth<" not in summary


def test_steps_are_a_plain_list_with_http_exchanges(qtbot: QtBot, event_log: EventLog) -> None:
    attempt_id = add_sent(event_log, progress=PROGRESS)
    page = _page(qtbot, event_log)
    page.select_attempt(attempt_id)
    steps = page.steps.toPlainText()
    assert "• Get an access token: ok — Token acquired." in steps
    assert "• Send the conversion: ok — Criteo accepted it." in steps
    assert "POST …/conversions → 200 in 5 ms" in steps
    assert "{" not in steps and '"state"' not in steps


def test_sign_off_is_reachable_from_every_tab(qtbot: QtBot, event_log: EventLog) -> None:
    add_sent(event_log)
    page = _page(qtbot, event_log)
    page.refresh()
    for tab in range(page.details.count()):
        page.details.setCurrentIndex(tab)
        assert page.signoff_button.isVisible() and page.signoff_button.isEnabled()
