"""The checklist sidebar: the six checks with a live status and a one-line reason."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from criteo_console.core.checklist import Check, CheckState, CheckStatus
from criteo_console.ui import theme

STATE_MARK = {
    CheckState.NOT_STARTED: ("○", theme.MUTED_COLOR, "not started"),
    CheckState.OK: ("✓", theme.OK_COLOR, "ok"),
    CheckState.WARNING: ("⚠", theme.WARN_COLOR, "warning"),
    CheckState.FAILED: ("✗", theme.FAIL_COLOR, "failed"),
}
# Which page each check is worked on.
PAGE_OF = {
    Check.TOKEN: "connect",
    Check.ADVERTISER_SCOPE: "connect",
    Check.EVENT_NAMING: "mapping",
    Check.IDENTIFIERS: "compose",
    Check.TRANSACTION_DATA: "compose",
    Check.SIGN_OFF: "send",
}
EXTRA_PAGES = (("log", "Event log & Compare"),)


class ChecklistSidebar(QListWidget):
    page_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("The six checks")
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setSpacing(2)
        self.setMinimumWidth(250)
        self.setMaximumWidth(300)
        # Long words (a trace id) wrap anywhere rather than adding a sideways scroll bar.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._statuses: dict[Check, CheckStatus] = {}
        for check in Check:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, PAGE_OF[check])
            self.addItem(item)
            self._render(item, CheckStatus(check, CheckState.NOT_STARTED, "…"))
        for page, label in EXTRA_PAGES:
            item = QListWidgetItem(f"☰  {label}")
            item.setData(Qt.ItemDataRole.UserRole, page)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, label)
            self.addItem(item)
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)
        self.currentItemChanged.connect(lambda item, _prev: item and self._activated(item))

    @Slot(list)
    def set_statuses(self, statuses: list[CheckStatus]) -> None:
        for status in statuses:
            self._statuses[status.check] = status
            self._render(self.item(status.check.value - 1), status)

    def status(self, check: Check) -> CheckStatus:
        return self._statuses[check]

    def _render(self, item: QListWidgetItem, status: CheckStatus) -> None:
        mark, colors, words = STATE_MARK[status.state]
        item.setText(f"{mark}  {status.check.value}. {status.check.title}\n      {status.reason}")
        from PySide6.QtGui import QBrush, QColor

        item.setForeground(QBrush(QColor(theme.color(colors))))
        item.setToolTip(status.reason)
        item.setData(
            Qt.ItemDataRole.AccessibleTextRole,
            f"Check {status.check.value}, {status.check.title}: {words}. {status.reason}",
        )

    def select_page(self, page: str) -> None:
        for row in range(self.count()):
            if self.item(row).data(Qt.ItemDataRole.UserRole) == page:
                self.blockSignals(True)
                self.setCurrentRow(row)
                self.blockSignals(False)
                return

    @Slot(QListWidgetItem)
    def _activated(self, item: QListWidgetItem) -> None:
        self.page_requested.emit(str(item.data(Qt.ItemDataRole.UserRole)))
