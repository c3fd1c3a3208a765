"""The checklist sidebar: the six checks with a live status and a one-line reason.

It imports nothing from the core: it is part of the first paint, and ``criteo_console.core``
loads every rule and the currency table. The titles below are checked against
``core.checklist.Check`` by a test; statuses arrive later as ``CheckStatus`` objects.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from criteo_console.ui import theme

if TYPE_CHECKING:
    from criteo_console.core.checklist import Check, CheckStatus

# (number, title, page where it is worked on): checks 1–2 share Connect, 4–5 share Compose.
CHECKS = (
    (1, "Token", "connect"),
    (2, "Advertiser scope", "connect"),
    (3, "Event naming", "mapping"),
    (4, "Identifiers", "compose"),
    (5, "Transaction data", "compose"),
    (6, "Send & sign-off", "send"),
)
PAGE_OF = {number: page for number, _title, page in CHECKS}
STATE_MARK = {  # CheckState value -> (mark, colours, words)
    "not-started": ("○", theme.MUTED_COLOR, "not started"),
    "ok": ("✓", theme.OK_COLOR, "ok"),
    "warning": ("⚠", theme.WARN_COLOR, "warning"),
    "failed": ("✗", theme.FAIL_COLOR, "failed"),
}
EXTRA_PAGES = (("log", "Event log & Compare"), ("watch", "Watch my shop"))

PAGE_ROLE = Qt.ItemDataRole.UserRole
MARK_ROLE = Qt.ItemDataRole.UserRole + 1
TITLE_ROLE = Qt.ItemDataRole.UserRole + 2
REASON_ROLE = Qt.ItemDataRole.UserRole + 3
STATE_ROLE = Qt.ItemDataRole.UserRole + 4
PAD = 6
MARK_WIDTH = 22


_LONG_WORD = re.compile(r"\S{24,}")


def _short(reason: str) -> str:
    """The sidebar shows the first sentence of a long reason; the tooltip and screen readers
    get all of it (the page it opens says the rest)."""
    if len(reason) <= 110:
        return reason
    head = re.split(r"(?<=[.;])\s", reason, maxsplit=1)[0]
    return head if len(head) <= 160 else head[:159].rstrip() + "…"


def _breakable(text: str) -> str:
    """Let long words (a trace id) wrap inside the sidebar instead of being cut off."""
    return _LONG_WORD.sub(
        lambda m: "\u200b".join(m[0][i : i + 16] for i in range(0, len(m[0]), 16)), text
    )


class _CheckDelegate(QStyledItemDelegate):
    """Mark in its own column; the title on one line, the reason wrapped beneath it."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.text = ""  # paint() draws the mark, title and reason itself

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setBold(True)
        reason = QFont(option.font)
        return title, reason

    def _text_rect(self, rect: QRect) -> QRect:
        return rect.adjusted(PAD + MARK_WIDTH, PAD, -PAD, -PAD)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        title_font, reason_font = self._fonts(option)
        width = max(option.rect.width(), 200)
        text = self._text_rect(QRect(0, 0, width, 10_000))
        flags = Qt.TextFlag.TextWordWrap
        height = QFontMetrics(title_font).boundingRect(text, flags, index.data(TITLE_ROLE)).height()
        reason = index.data(REASON_ROLE)
        if reason:
            height += 2 + QFontMetrics(reason_font).boundingRect(text, flags, reason).height()
        return QSize(width, height + 2 * PAD)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        rect: QRect = option.rect
        palette: QPalette = option.palette
        # Background, selection and focus exactly as the style draws them (no text: see
        # initStyleOption). Neither ``option.state`` nor ``widget.style()`` is read: either
        # hands Python a QStyle type, whose enums cost ~5 ms before the first paint.
        super().paint(painter, option, index)
        view = option.widget
        model = view.selectionModel() if isinstance(view, QAbstractItemView) else None
        selected = model is not None and model.isSelected(index)
        text_color = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        state_value = index.data(STATE_ROLE)
        mark_color = (
            text_color
            if selected or state_value is None
            else QColor(theme.color(STATE_MARK[state_value][1]))
        )
        title_font, reason_font = self._fonts(option)
        painter.save()
        mark_rect = QRect(rect.left() + PAD, rect.top() + PAD, MARK_WIDTH, rect.height())
        painter.setFont(title_font)
        painter.setPen(mark_color)
        painter.drawText(mark_rect, Qt.AlignmentFlag.AlignLeft, index.data(MARK_ROLE) or "")
        text = self._text_rect(rect)
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
        painter.setPen(text_color)
        title = index.data(TITLE_ROLE)
        drawn = painter.drawText(text, flags, title)
        reason = index.data(REASON_ROLE)
        if reason:
            painter.setFont(reason_font)
            if not selected:
                muted = QColor(text_color)
                muted.setAlphaF(0.78)
                painter.setPen(muted if state_value in (None, "not-started") else mark_color)
            below = text.adjusted(0, drawn.height() + 2, 0, 0)
            painter.drawText(below, flags, reason)
        painter.restore()


class ChecklistSidebar(QListWidget):
    page_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("The six checks")
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setSpacing(1)
        self.setMinimumWidth(240)
        self.setMaximumWidth(320)
        self.setItemDelegate(_CheckDelegate(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self._statuses: dict[int, CheckStatus] = {}
        for number, title, page in CHECKS:
            item = QListWidgetItem()
            item.setData(PAGE_ROLE, page)
            self.addItem(item)
            self._render(item, number, title, "not-started", "")
        for page, label in EXTRA_PAGES:
            item = QListWidgetItem(label)
            item.setData(PAGE_ROLE, page)
            item.setData(MARK_ROLE, "☰")
            item.setData(TITLE_ROLE, label)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, label)
            self.addItem(item)
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)
        self.currentItemChanged.connect(lambda item, _prev: item and self._activated(item))

    def resizeEvent(self, event: QResizeEvent) -> None:  # re-wrap reasons to the new width
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()

    @Slot(list)
    def set_statuses(self, statuses: list[CheckStatus]) -> None:
        for status in statuses:
            number = int(status.check)
            self._statuses[number] = status
            item = self.item(number - 1)
            if item is not None:
                self._render(item, number, status.check.title, str(status.state), status.reason)
        self.scheduleDelayedItemsLayout()

    def status(self, check: Check) -> CheckStatus:
        return self._statuses[int(check)]

    def _render(
        self, item: QListWidgetItem, number: int, title: str, state: str, reason: str
    ) -> None:
        mark, _colors, words = STATE_MARK[state]
        item.setData(MARK_ROLE, mark)
        item.setData(TITLE_ROLE, f"{number}. {title}")
        item.setData(REASON_ROLE, _breakable(_short(reason)))
        item.setData(STATE_ROLE, state)
        item.setText(f"{number}. {title}: {reason}")
        item.setToolTip(reason)
        item.setData(
            Qt.ItemDataRole.AccessibleTextRole,
            f"Check {number}, {title}: {words}. {reason}".rstrip(". ") + ".",
        )

    def select_page(self, page: str) -> None:
        for row in range(self.count()):
            item = self.item(row)
            if item is not None and item.data(PAGE_ROLE) == page:
                self.blockSignals(True)
                self.setCurrentRow(row)
                self.blockSignals(False)
                return

    @Slot(QListWidgetItem)
    def _activated(self, item: QListWidgetItem) -> None:
        self.page_requested.emit(str(item.data(PAGE_ROLE)))
