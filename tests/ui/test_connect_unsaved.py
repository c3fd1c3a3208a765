"""Test connection uses what the user sees: unsaved changes are said, and saved first."""

from __future__ import annotations

from typing import Any

import pytest

from criteo_console.core.checklist import Check, CheckState
from tests.ui.test_console import add_profile, click, state

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_unsaved_changes_are_saved_then_tested(qtbot: Any, console: Any) -> None:
    add_profile(qtbot, console, secret="sandbox-secret", advertiser="1234567")
    page = console.window.connect_page
    assert page.test_button.text() == "&Test connection" and page.test_note.isHidden()
    page.advertiser_edit.selectAll()
    qtbot.keyClicks(page.advertiser_edit, "7654321")  # typed, not saved
    assert page.test_button.text() == "Save and &test"
    assert page.test_note.isVisible() and "unsaved changes" in page.test_note.text()

    click(qtbot, page.test_button)
    qtbot.waitUntil(
        lambda: state(console, Check.ADVERTISER_SCOPE) is CheckState.FAILED, timeout=5000
    )
    assert console.service.profile.advertiser_id == 7654321  # saved first…
    assert "7654321 is not in this account's scope" in page.scope_label.text()  # …then tested
    assert page.test_button.text() == "&Test connection" and page.test_note.isHidden()


def test_a_profile_without_a_secret_cannot_be_tested_until_one_is_typed(
    qtbot: Any, console: Any
) -> None:
    page = console.window.connect_page
    click(qtbot, page.new_button)
    assert page.test_button.text() == "Save and &test"  # a new profile is unsaved
    qtbot.keyClicks(page.name_edit, "No secret")
    qtbot.keyClicks(page.client_id_edit, "sandbox-client")
    qtbot.keyClicks(page.advertiser_edit, "1234567")
    page.base_url_edit.setText(console.sandbox.base_url)
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: getattr(console.service.profile, "name", "") == "No secret")
    assert not page.test_button.isEnabled()
    assert page.test_note.isVisible() and "no secret yet" in page.test_note.text()
    qtbot.keyClicks(page.secret_edit, "sandbox-secret")
    assert page.test_button.isEnabled() and page.test_button.text() == "Save and &test"
    click(qtbot, page.test_button)
    qtbot.waitUntil(lambda: state(console, Check.ADVERTISER_SCOPE) is CheckState.OK, timeout=5000)
    assert console.service.secrets.get(console.service.profile.id) == "sandbox-secret"
