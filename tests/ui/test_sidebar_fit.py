"""The sidebar's entries fit the sidebar: no wider than it (words were cut at its right edge)
and as tall as their words need at that width (at 2× on a 1440×900 screen, where the sidebar is
190 px wide with a scroll bar, a long reason after a send was painted over the next entry)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem

from criteo_console.core.checklist import Check, CheckState, CheckStatus
from criteo_console.ui.checklist import ChecklistSidebar

AFTER_A_SEND = [
    CheckStatus(
        Check.TOKEN, CheckState.OK, "The sandbox issued an access token, valid for 15 minutes."
    ),
    CheckStatus(
        Check.ADVERTISER_SCOPE,
        CheckState.OK,
        "Advertiser 1234567 (Sandbox Shop) is in this account's scope.",
    ),
    CheckStatus(Check.EVENT_NAMING, CheckState.OK, "Event name and time ok."),
    CheckStatus(Check.IDENTIFIERS, CheckState.OK, "2 of 3 identifiers (hashed email, customer id)"),
    CheckStatus(Check.TRANSACTION_DATA, CheckState.OK, "Order, currency and items ok."),
    CheckStatus(
        Check.SIGN_OFF,
        CheckState.WARNING,
        "The sandbox accepted the conversion; shop, sent and answered agree. Not a sign-off: "
        "the target is not Criteo's own address.",
    ),
]


def _painted_below(sidebar: ChecklistSidebar, row: int) -> int:
    """How many pixel rows under the entry's own rect its painting reaches."""
    item = sidebar.item(row)
    rect = sidebar.visualItemRect(item)
    image = QImage(rect.width(), rect.height() + 300, QImage.Format.Format_ARGB32)  # room below
    image.fill(Qt.GlobalColor.transparent)
    option = QStyleOptionViewItem()
    option.initFrom(sidebar.viewport())
    option.rect = QRect(0, 0, rect.width(), rect.height())
    option.font = sidebar.font()
    option.widget = sidebar
    painter = QPainter(image)
    sidebar.itemDelegate().paint(painter, option, sidebar.indexFromItem(item))
    painter.end()
    lowest = 0
    for y in range(rect.height(), image.height()):
        if any(image.pixelColor(x, y).alpha() for x in range(0, rect.width(), 2)):
            lowest = y - rect.height() + 1
    return lowest


@pytest.mark.parametrize("width", [190, 230, 320])
def test_every_entry_holds_its_words_at_the_width_it_is_painted(qtbot: Any, width: int) -> None:
    sidebar = ChecklistSidebar()
    qtbot.addWidget(sidebar)
    sidebar.set_statuses(AFTER_A_SEND)
    sidebar.resize(width, 400)  # taller words than room: a vertical scroll bar narrows it
    sidebar.show()
    qtbot.waitExposed(sidebar)
    qtbot.waitUntil(lambda: sidebar.visualItemRect(sidebar.item(0)).width() > 0, timeout=3000)
    room = sidebar.viewport().width()
    for row in range(sidebar.count()):
        rect = sidebar.visualItemRect(sidebar.item(row))
        assert rect.right() < room, f"entry {row} is cut at the right edge"
        assert _painted_below(sidebar, row) == 0, f"entry {row} paints over the next one"
