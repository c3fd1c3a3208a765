"""Connect's scope failure offers the advertisers these credentials reach, one click each."""

from __future__ import annotations

from typing import Any

import pytest

from criteo_console.core.checklist import Check, CheckState
from tests.ui.test_console import add_profile, click, state

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_use_this_advertiser_fills_the_field_and_leaves_saving_to_the_user(
    qtbot: Any, console: Any
) -> None:
    add_profile(qtbot, console, secret="sandbox-secret", advertiser="7654321")
    page = console.window.connect_page
    click(qtbot, page.test_button)
    qtbot.waitUntil(lambda: state(console, Check.ADVERTISER_SCOPE) is CheckState.FAILED)
    button = page.use_buttons["1234567"]
    assert button.isVisible() and button.text() == "Use this advertiser"
    click(qtbot, button)
    assert page.advertiser_edit.text() == "1234567"
    assert page.has_unsaved_changes()
    assert "Save profile" in page.field_errors.text()
    assert console.service.profile.advertiser_id == 7654321  # not saved behind the user's back
