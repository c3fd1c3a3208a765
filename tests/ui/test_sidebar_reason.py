"""The sidebar: entries named after their pages, checks as numbered badges with a short reason;
the full explanation stays in the tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from criteo_console.core.checklist import Check, CheckState, CheckStatus
from criteo_console.ui.checklist import LINES_ROLE, TITLE_ROLE, ChecklistSidebar

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

    item = sidebar.item_for("connect")
    (_token, (numbers, state, shown)) = item.data(LINES_ROLE)
    assert numbers == (2,) and state == "failed"
    assert shown.replace("\u200b", "").endswith("cannot send its conversions.")
    assert LONG in item.toolTip()
    assert "1234567 (Sandbox Shop)" in str(item.data(Qt.ItemDataRole.AccessibleTextRole))


def test_entries_are_named_after_their_pages_with_check_numbers_as_badges(
    qtbot: QtBot,
) -> None:
    sidebar = ChecklistSidebar()
    qtbot.addWidget(sidebar)
    titles = [sidebar.item(row).data(TITLE_ROLE) for row in range(sidebar.count())]
    assert titles == [
        "Connect",
        "Event mapping",
        "Compose",
        "Send",
        "Event log & Compare",
        "Watch my shop",
    ]
    same = [CheckStatus(check, CheckState.NOT_STARTED, "Compose a test order.") for check in Check]
    sidebar.set_statuses(same)
    # Checks 4 and 5 say the same: one line with two badges, not the sentence twice.
    assert sidebar.item_for("compose").data(LINES_ROLE) == [
        ((4, 5), "not-started", "Compose a test order.")
    ]
    assert "Alt+3" in sidebar.item_for("compose").toolTip()
