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


def test_save_and_test_never_tells_the_user_to_press_a_button_meanwhile(
    qtbot: Any, console: Any
) -> None:
    """While "Save and test" saves the profile and then tests it, the token line says so; it
    does not flicker back to "press …" (a second press would start a second test)."""
    page = console.window.connect_page
    click(qtbot, page.new_button)
    qtbot.keyClicks(page.name_edit, "Shop on the sandbox")
    qtbot.keyClicks(page.client_id_edit, "sandbox-client")
    qtbot.keyClicks(page.secret_edit, "sandbox-secret")
    qtbot.keyClicks(page.advertiser_edit, "1234567")
    page.environment_combo.setCurrentIndex(page.environment_combo.findData("sandbox"))
    page.base_url_edit.setText(console.sandbox.base_url)
    assert page.test_button.text().replace("&", "") == "Save and test"
    shown: list[str] = []
    set_text = page.token_label.setText
    page.token_label.setText = lambda text: (shown.append(text), set_text(text))  # type: ignore[method-assign]
    with qtbot.waitSignal(console.service.connection_tested, timeout=15000):
        click(qtbot, page.test_button)
        assert not page.test_button.isEnabled()  # no second test while this one runs
    qtbot.waitUntil(lambda: page.token_label.text().startswith("✓"), timeout=5000)
    assert shown[0] == "Saving the profile, then testing its connection…"
    assert not [text for text in shown if "Not tested yet" in text], shown
    qtbot.waitUntil(page.test_button.isEnabled, timeout=5000)  # and usable again after
