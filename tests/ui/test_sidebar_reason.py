"""The sidebar shows a short reason; the full explanation stays in the tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from criteo_console.core.checklist import Check, CheckState, CheckStatus
from criteo_console.ui.checklist import REASON_ROLE, ChecklistSidebar

LONG = (
    "The token works, but advertiser 7654321 is not in this account's scope, so these "
    "credentials cannot send its conversions. Check the advertiser id; if it is right, ask "
    "the advertiser to give your app access to it in Criteo (redo the consent), then test "
    "again. These credentials reach: 1234567 (Sandbox Shop)."
)


def test_a_long_reason_shows_its_first_sentence_and_keeps_all_in_the_tooltip(qtbot: QtBot) -> None:
    sidebar = ChecklistSidebar()
    qtbot.addWidget(sidebar)
    statuses = [CheckStatus(check, CheckState.NOT_STARTED, "") for check in Check]
    statuses[1] = CheckStatus(Check.ADVERTISER_SCOPE, CheckState.FAILED, LONG)

    sidebar.set_statuses(statuses)

    item = sidebar.item(1)
    assert item is not None
    shown = str(item.data(REASON_ROLE)).replace("\u200b", "")
    assert shown.endswith("cannot send its conversions.")
    assert item.toolTip() == LONG
    assert "1234567 (Sandbox Shop)" in str(item.data(Qt.ItemDataRole.AccessibleTextRole))
