"""An attempt Criteo never answered shows no "trace id" as if Criteo had given one."""

from __future__ import annotations

from typing import Any

import pytest

from criteo_console.session import guide_example_order
from tests.ui.test_console import click, paste_order, send_by_keyboard

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_no_answer_is_labelled_as_the_consoles_reference(qtbot: Any, console: Any) -> None:
    paste_order(qtbot, console, guide_example_order())
    console.sandbox.stop()
    report = send_by_keyboard(qtbot, console)
    assert report.attempt is not None and report.attempt.http_status is None
    send = console.window.send_page
    assert send.trace_label.text() == "Console reference (Criteo did not answer):"
    assert "Criteo's trace id appears here" not in send.trace_edit.placeholderText()
    click(qtbot, send.log_button)
    log_page = console.window.log_page
    qtbot.waitUntil(lambda: log_page.current_attempt() is not None)
    assert log_page.trace_label.text() == "Console reference (Criteo did not answer):"


def test_an_answered_send_keeps_the_trace_id_label(qtbot: Any, console: Any) -> None:
    paste_order(qtbot, console, guide_example_order())
    report = send_by_keyboard(qtbot, console)
    assert report.ok
    send = console.window.send_page
    assert send.trace_label.text() == "&Trace id:" and send.trace_edit.text()
    click(qtbot, send.log_button)
    log_page = console.window.log_page
    qtbot.waitUntil(lambda: log_page.current_attempt() is not None)
    assert log_page.trace_label.text() == "Trace id:"
