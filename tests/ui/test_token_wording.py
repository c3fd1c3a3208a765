"""The token's lifetime reads the same on the page and in the sidebar: minutes, not seconds."""

from __future__ import annotations

from typing import Any

import pytest

from criteo_console.core.checklist import Check, CheckState
from tests.ui.test_console import click, state

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_token_lifetime_in_minutes_everywhere(qtbot: Any, console: Any) -> None:
    page = console.window.connect_page
    click(qtbot, page.test_button)
    qtbot.waitUntil(lambda: state(console, Check.TOKEN) is CheckState.OK, timeout=5000)
    qtbot.waitUntil(lambda: "Token acquired at" in page.token_label.text(), timeout=5000)
    sidebar = console.window.sidebar.status(Check.TOKEN).reason
    assert "valid for 15 minutes" in sidebar and "900" not in sidebar
    assert "valid for 15 minutes" in page.token_label.text()
    assert "expires in 1" in page.token_label.text()
