"""The sign-off report of the selected attempts, written from the event log page."""

from __future__ import annotations

import json
from hashlib import sha256
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from criteo_console.core.checklist import Check
from criteo_console.core.report.verify import verify_report
from criteo_console.storage.event_log import EventLog
from criteo_console.storage.secrets import SessionSecretStore
from criteo_console.ui.pages.log_page import LogPage
from tests.core.orders import guide_order
from tests.ui.log.conftest import add_sent

# The page and its dialog are shown: the offscreen platform says it cannot size windows.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
RAW_EMAIL = "John.Doe@Example.com"
GOOD_STEPS = [
    {"step": "token", "state": "ok", "message": "Token received."},
    {"step": "scope", "state": "ok", "message": "Advertiser 1234567 is in scope."},
    {"step": "post", "state": "ok", "message": "Accepted."},
]


def _page(qtbot: QtBot, log: EventLog) -> LogPage:
    page = LogPage(log, secrets=SessionSecretStore())
    qtbot.addWidget(page)
    page.show()
    return page


def _select(page: LogPage, *attempt_ids: int) -> None:
    selection = page.table.selectionModel()
    selection.clearSelection()
    for attempt_id in attempt_ids:
        row = page.model.row_of(attempt_id)
        assert row is not None
        selection.select(
            page.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def _ok(page: LogPage) -> object:
    return page.signoff_dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


@pytest.mark.usefixtures("qloop")
def test_the_button_writes_a_signed_report_of_the_selected_attempts(
    qtbot: QtBot, event_log: EventLog, tmp_path: Path
) -> None:
    first = add_sent(
        event_log,
        guide_order(order_id="PS-1", email=RAW_EMAIL, email_sha256=None),
        progress=GOOD_STEPS,
    )
    add_sent(event_log, guide_order(order_id="PS-2"), progress=GOOD_STEPS)
    third = add_sent(event_log, guide_order(order_id="PS-3"), progress=GOOD_STEPS)
    page = _page(qtbot, event_log)
    _select(page, first, third)

    qtbot.mouseClick(page.signoff_button, Qt.MouseButton.LeftButton)
    dialog = page.signoff_dialog
    assert dialog.isVisible()
    dialog.reviewer.setText("Camille Martin")
    dialog.client.setText("Maison Lune")
    dialog.folder.setText(str(tmp_path / "report"))
    qtbot.mouseClick(_ok(page), Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: "Written to" in page.signoff_result.text(), timeout=15000)
    assert "A rehearsal, not a sign-off" in page.signoff_result.text()
    document = json.loads((tmp_path / "report" / "signoff.json").read_text(encoding="utf-8"))
    assert [o["order_id"] for o in document["orders"]] == ["PS-1", "PS-3"]
    assert (document["reviewer"], document["client"]) == ("Camille Martin", "Maison Lune")
    html = (tmp_path / "report" / "signoff.html").read_text(encoding="utf-8")
    for check in Check:
        assert check.title.replace("&", "&amp;") in html
    assert RAW_EMAIL.lower() not in html.lower()
    assert sha256(RAW_EMAIL.lower().encode()).hexdigest() in html  # only as its SHA-256
    assert verify_report((tmp_path / "report" / "signoff.pdf").read_bytes()).code == 0
    assert page.signoff_button.isEnabled()


@pytest.mark.usefixtures("qloop")
def test_an_empty_reviewer_is_asked_for_and_nothing_is_written(
    qtbot: QtBot, event_log: EventLog, tmp_path: Path
) -> None:
    attempt_id = add_sent(event_log)
    page = _page(qtbot, event_log)
    _select(page, attempt_id)
    page.export_signoff()
    page.signoff_dialog.folder.setText(str(tmp_path / "report"))

    qtbot.mouseClick(_ok(page), Qt.MouseButton.LeftButton)

    assert page.signoff_dialog.isVisible()
    assert page.signoff_dialog.problem.text().startswith("Reviewer is empty")
    assert not (tmp_path / "report").exists()


@pytest.mark.usefixtures("qloop")
def test_cancelling_the_dialog_writes_nothing(
    qtbot: QtBot, event_log: EventLog, tmp_path: Path
) -> None:
    attempt_id = add_sent(event_log)
    page = _page(qtbot, event_log)
    _select(page, attempt_id)
    page.export_signoff()
    page.signoff_dialog.reviewer.setText("Ana")
    page.signoff_dialog.folder.setText(str(tmp_path / "report"))

    page.signoff_dialog.buttons.rejected.emit()

    assert not page.writing_signoff()
    assert page.signoff_result.isHidden()
    assert not (tmp_path / "report").exists()


@pytest.mark.usefixtures("qloop")
def test_an_unwritable_place_is_said_plainly(
    qtbot: QtBot, event_log: EventLog, tmp_path: Path
) -> None:
    attempt_id = add_sent(event_log)
    (tmp_path / "blocked").write_text("a file where a folder should be")
    page = _page(qtbot, event_log)
    _select(page, attempt_id)
    page.export_signoff()
    page.signoff_dialog.reviewer.setText("Ana")
    page.signoff_dialog.folder.setText(str(tmp_path / "blocked" / "report"))

    qtbot.mouseClick(_ok(page), Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: "could not be saved" in page.signoff_result.text(), timeout=15000)
    assert "Choose another folder" in page.signoff_result.text()


def test_without_a_selection_the_button_is_disabled(qtbot: QtBot, event_log: EventLog) -> None:
    add_sent(event_log)
    page = _page(qtbot, event_log)
    page.table.selectionModel().clearSelection()

    assert not page.signoff_button.isEnabled()
    assert page.export_signoff() is None


def test_selecting_an_attempt_from_elsewhere_ignores_the_ctrl_of_ctrl_enter(
    qtbot: QtBot, event_log: EventLog
) -> None:
    """Several rows may be selected, yet Ctrl+Enter (send) then "show attempt" selects one."""
    first = add_sent(event_log, guide_order(order_id="PS-1"))
    page = _page(qtbot, event_log)
    assert page.select_attempt(first)
    qtbot.keyClick(page.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert page.select_attempt(first)  # asked again (after a send): stays selected

    assert [a.id for a in page.selected_attempts()] == [first]
    assert page.current_attempt() is not None and page.current_attempt().id == first
