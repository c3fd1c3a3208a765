"""Connect's words follow what is on screen: the untested token line names the button as it
reads, and the secret store's status is said without keyring's jargon."""

from __future__ import annotations

from typing import Any

import pytest
from keyring.backends import fail, null

from criteo_console.storage.secrets import NO_STORE_FOUND, SessionSecretStore, rejection_reason
from tests.ui.test_console import click

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_the_untested_token_line_names_the_button_as_it_reads(qtbot: Any, console: Any) -> None:
    page = console.window.connect_page
    assert page.test_button.text().replace("&", "") == "Test connection"
    assert page.token_label.text() == "○ Token: Not tested yet: press “Test connection”."
    click(qtbot, page.new_button)  # an unsaved profile: the button saves first
    assert page.test_button.text().replace("&", "") == "Save and test"
    assert page.token_label.text() == "○ Token: Not tested yet: press “Save and test”."
    page.picker.setCurrentIndex(page.picker.findText("Sandbox"))
    page.picker.activated.emit(page.picker.currentIndex())
    qtbot.waitUntil(lambda: page.test_button.text().replace("&", "") == "Test connection")
    assert page.token_label.text() == "○ Token: Not tested yet: press “Test connection”."


def test_a_missing_password_store_is_said_in_plain_words() -> None:
    reason = rejection_reason(fail.Keyring())  # type: ignore[no-untyped-call]
    assert reason == NO_STORE_FOUND
    assert "backend" not in reason and "'fail'" not in reason
    switched_off = rejection_reason(null.Keyring())  # type: ignore[no-untyped-call]
    assert switched_off is not None and "backend" not in switched_off
    status = SessionSecretStore(reason).status
    shown = f"{status.message} ({status.reason})"  # as Connect's store line says it
    assert shown.count("(") == 1
