"""The whole console: send to the embedded sandbox, then export the signed report from the log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from criteo_console.core.report.verify import verify_report
from criteo_console.session import guide_example_order
from criteo_console.storage import InMemoryKeyring
from criteo_console.storage.report_key import KEY_NAME
from tests.ui.conftest import start_test_console, stop_test_console
from tests.ui.test_console import paste_order, send_by_keyboard

pytestmark = [
    pytest.mark.usefixtures("qloop", "console_home"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_a_sandbox_send_exports_as_a_signed_rehearsal_with_the_consoles_key(
    qtbot: Any, qloop: Any, tmp_path: Path
) -> None:
    keyring = InMemoryKeyring()
    console = start_test_console(qloop, qtbot, keyring)
    try:
        paste_order(qtbot, console, guide_example_order(order_id="PS-20001"))
        assert send_by_keyboard(qtbot, console).ok
        window = console.window
        window.show_page("log")
        page = window.log_page
        qtbot.waitUntil(lambda: page.selected_attempts() != [])

        qtbot.mouseClick(page.signoff_button, Qt.MouseButton.LeftButton)
        page.signoff_dialog.reviewer.setText("Ana Silva")
        page.signoff_dialog.folder.setText(str(tmp_path / "report"))
        ok = page.signoff_dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Written to" in page.signoff_result.text(), timeout=15000)
    finally:
        stop_test_console(qloop, qtbot, console)

    document = json.loads((tmp_path / "report" / "signoff.json").read_text(encoding="utf-8"))
    assert document["verdict"] == "rehearsal"
    assert [o["order_id"] for o in document["orders"]] == ["PS-20001"]
    assert any(user == KEY_NAME for _service, user in keyring.passwords)  # the console's store
    assert verify_report((tmp_path / "report" / "signoff.pdf").read_bytes()).code == 0
