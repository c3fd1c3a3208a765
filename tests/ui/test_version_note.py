"""The API version: the guide's 2023-07 by default, a warning only when it is out of support."""

from __future__ import annotations

from typing import Any

import pytest

from criteo_console.ui import theme
from tests.ui.test_console import click

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_new_profile_defaults_to_the_guides_version_and_warns_about_it(
    qtbot: Any, console: Any
) -> None:
    page = console.window.connect_page
    click(qtbot, page.new_button)
    assert page.version_combo.currentText() == "2023-07"
    assert page.version_note.isVisible()
    assert "2023-07 is out of support" in page.version_note.text()
    assert theme.color(theme.WARN_COLOR) in page.version_note.styleSheet()


@pytest.mark.parametrize("version", ["2026-01", "2025-07"])
def test_a_supported_version_shows_no_warning(qtbot: Any, console: Any, version: str) -> None:
    page = console.window.connect_page
    page.version_combo.setCurrentText(version)
    assert "out of support" not in page.version_note.text()
    assert page.version_note.styleSheet() == ""


def test_anything_before_2025_07_is_out_of_support(qtbot: Any, console: Any) -> None:
    page = console.window.connect_page
    click(qtbot, page.new_button)  # a Criteo profile
    page.version_combo.setCurrentText("2024-10")
    assert "2024-10 is out of support" in page.version_note.text()


def test_no_api_support_warning_on_a_target_that_is_not_criteo(qtbot: Any, console: Any) -> None:
    # Issue 10: the sandbox profile showed "API 2023-07 is out of support".
    page = console.window.connect_page
    assert console.service.profile.uses_embedded_sandbox
    page.version_combo.setCurrentText("2023-07")
    assert "out of support" not in page.version_note.text()
    click(qtbot, page.new_button)
    page.version_combo.setCurrentText("2023-07")
    assert "out of support" in page.version_note.text()  # Criteo's own address
    page.base_url_edit.setText("http://127.0.0.1:8787")  # a sandbox started by hand
    assert "out of support" not in page.version_note.text()
    page.base_url_edit.setText("https://staging.shop.example")  # another server
    assert "out of support" not in page.version_note.text()
