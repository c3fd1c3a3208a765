"""The sidebar: one entry per page, named after it, with the checks worked on there as small
numbered badges (a live status each) and their one-line reasons.

It is part of the first paint, so from the core it imports only ``core.checklist_words`` (the
words each check says before anything was done), never the rules. The titles below are checked
against ``core.checklist.Check`` by a test; statuses arrive later as ``CheckStatus`` objects.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from criteo_console.core.checklist_words import NOT_STARTED
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
# The sidebar's entries, top to bottom: (page, its name). Alt+1… open them in this order, so
# a page added here gets the next number everywhere (shortcuts, tooltips, the help list).
PAGE_ENTRIES = (
    ("connect", "Connect"),
    ("mapping", "Event mapping"),
    ("compose", "Compose"),
    ("send", "Send"),
    ("log", "Event log & Compare"),
    ("watch", "Watch my shop"),
)
STATE_MARK = {  # CheckState value -> (mark, colours, words)
    "not-started": ("○", theme.MUTED_COLOR, "not started"),
    "ok": ("✓", theme.OK_COLOR, "ok"),
    "warning": ("⚠", theme.WARN_COLOR, "warning"),
    "failed": ("✗", theme.FAIL_COLOR, "failed"),
}
_WORST_FIRST = ("failed", "warning", "not-started", "ok")

PAGE_ROLE = Qt.ItemDataRole.UserRole
TITLE_ROLE = Qt.ItemDataRole.UserRole + 2
LINES_ROLE = Qt.ItemDataRole.UserRole + 3  # [(check numbers, state, shown reason)]
STATE_ROLE = Qt.ItemDataRole.UserRole + 4  # the entry's worst state, None without checks
PAD = 6
BADGE_GAP = 3


def page_shortcut(page: str) -> str:
    """The Alt+number that opens ``page``: its place in the sidebar."""
    pages = [name for name, _title in PAGE_ENTRIES]
    return f"Alt+{pages.index(page) + 1}"


def checks_of(page: str) -> list[tuple[int, str]]:
    return [(number, title) for number, title, where in CHECKS if where == page]


_LONG_WORD = re.compile(r"\S{24,}")
_TRACE = re.compile(r"\s*\(trace id [^)]*\)")


def _short(reason: str) -> str:
    """The sidebar shows the first sentence of a long reason; the tooltip and screen readers
    get all of it (the page it opens says the rest)."""
    # The trace id is on the Send page and in the tooltip: in a 200-pixel column it was four
    # lines of hex (and at 2× pushed the event log entry out of view).
    reason = _TRACE.sub("", reason)
    if len(reason) <= 110:
        return reason
    head = re.split(r"(?<=[.;])\s", reason, maxsplit=1)[0]
    head = head.removesuffix(";")  # a clause, not a list: no dangling semicolon
    return head if len(head) <= 160 else head[:159].rstrip() + "…"


def _breakable(text: str) -> str:
    """Let long words (a trace id) wrap inside the sidebar instead of being cut off."""
    return _LONG_WORD.sub(
        lambda m: "\u200b".join(m[0][i : i + 16] for i in range(0, len(m[0]), 16)), text
    )


class _Fonts(NamedTuple):
    """The fonts and sizes the sidebar draws with, for one base font."""

    title: QFont
    reason: QFont
    badge: QFont
    title_metrics: QFontMetrics
    reason_metrics: QFontMetrics
    badge_size: QSize
    mark_width: int  # room for the state's mark after the badges


def _fonts_for(font: QFont) -> _Fonts:
    title = QFont(font)
    title.setBold(True)
    badge = QFont(font)
    badge.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
    badge.setBold(True)
    reason = QFont(font)
    badge_metrics = QFontMetrics(badge)
    reason_metrics = QFontMetrics(reason)
    return _Fonts(
        title=title,
        reason=reason,
        badge=badge,
        title_metrics=QFontMetrics(title),
        reason_metrics=reason_metrics,
        badge_size=QSize(badge_metrics.horizontalAdvance("0") + 8, badge_metrics.height() + 2),
        mark_width=reason_metrics.horizontalAdvance("✓⚠ "),
    )


def _item_width(option: QStyleOptionViewItem) -> int:
    """The width the entry is painted at. The list asks for sizes with a rect that is empty,
    the viewport's or the entry's own: measured at a fixed 200 px, a sidebar narrower than that
    (190 at 2×, less with a scroll bar) painted more lines than it had room for, over the next
    entry. The viewport's rect (at x = 0) loses the spacing on both sides. (The view's
    ``viewport()`` is not asked: handing Python that widget builds ~60 enums, ~14 ms of
    start-up.)"""
    rect = option.rect
    if rect.width() <= 0:
        return 200  # before the first layout: re-measured once the list has its width
    view = option.widget
    spacing = view.spacing() if isinstance(view, QListView) and rect.x() == 0 else 0
    return max(rect.width() - 2 * spacing, 60)


class _PageDelegate(QStyledItemDelegate):
    """The page's name in bold; under it one line per check (or per run of checks that say
    the same): numbered badges outlined in the state's colour, the mark, the reason wrapped.

    The view asks for every entry's size at each layout (start-up alone asks ~70 times), so
    fonts and sizes are kept per base font and sizes per (width, text): measuring text again
    each time was ~20 ms of start-up."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fonts_by_key: dict[str, _Fonts] = {}
        self._sizes: dict[tuple[object, ...], QSize] = {}

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.text = ""  # paint() draws the title and the lines itself

    def _fonts(self, font: QFont) -> _Fonts:
        key = font.key()
        fonts = self._fonts_by_key.get(key)
        if fonts is None:
            fonts = self._fonts_by_key[key] = _fonts_for(font)
        return fonts

    @staticmethod
    def _lead_width(numbers: tuple[int, ...], fonts: _Fonts) -> int:
        return len(numbers) * (fonts.badge_size.width() + BADGE_GAP) + fonts.mark_width

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        font: QFont = option.font
        width = _item_width(option)
        title = index.data(TITLE_ROLE)
        lines = tuple(
            (tuple(numbers), state, reason)
            for numbers, state, reason in index.data(LINES_ROLE) or ()
        )
        key = (font.key(), width, title, lines)
        size = self._sizes.get(key)
        if size is not None:
            return QSize(size)
        fonts = self._fonts(font)
        text = QRect(0, 0, width, 10_000).adjusted(PAD, PAD, -PAD, -PAD)
        flags = Qt.TextFlag.TextWordWrap
        height = fonts.title_metrics.boundingRect(text, flags, title).height()
        for numbers, _state, reason in lines:
            rect = text.adjusted(self._lead_width(numbers, fonts), 0, 0, 0)
            line = fonts.reason_metrics.boundingRect(rect, flags, reason).height()
            height += 3 + max(line, fonts.badge_size.height())
        if len(self._sizes) > 512:  # widths seen while the user drags the splitter
            self._sizes.clear()
        size = self._sizes[key] = QSize(width, height + 2 * PAD)
        return QSize(size)

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
        fonts = self._fonts(option.font)
        badge_size = fonts.badge_size
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
        center = int(Qt.AlignmentFlag.AlignCenter)
        painter.save()
        text = rect.adjusted(PAD, PAD, -PAD, -PAD)
        painter.setFont(fonts.title)
        painter.setPen(text_color)
        drawn = painter.drawText(text, flags, index.data(TITLE_ROLE))
        top = text.top() + drawn.height() + 3
        for numbers, state, reason in index.data(LINES_ROLE) or ():
            mark, colors, _words = STATE_MARK[state]
            color = text_color if selected else QColor(theme.color(colors))
            left = text.left()
            painter.setFont(fonts.badge)
            painter.setPen(color)
            for number in numbers:
                badge = QRect(left, top, badge_size.width(), badge_size.height())
                painter.drawRoundedRect(badge.adjusted(0, 0, -1, -1), 4, 4)
                painter.drawText(badge, center, str(number))
                left += badge_size.width() + BADGE_GAP
            painter.setFont(fonts.reason)
            lead = self._lead_width(tuple(numbers), fonts)
            painter.drawText(QRect(left, top, lead, badge_size.height()), flags, mark)
            line = QRect(text.left() + lead, top, text.width() - lead, 10_000)
            if not selected and state == "not-started":
                muted = QColor(text_color)
                muted.setAlphaF(0.78)
                painter.setPen(muted)
            elif not selected and state == "ok":
                painter.setPen(text_color)
            drawn = painter.drawText(line, flags, reason)
            top += max(drawn.height(), badge_size.height()) + 3
        painter.restore()


class ChecklistSidebar(QListWidget):
    page_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Pages and the six checks")
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setSpacing(1)
        self.setMinimumWidth(190)  # names and reasons wrap: narrow windows keep room for pages
        self.setMaximumWidth(320)
        self.setItemDelegate(_PageDelegate(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self._statuses: dict[int, CheckStatus] = {}
        # The words each check says before anything was done (the first profile's statuses,
        # usually): painted from the start, so the first profile changes nothing here.
        self._shown: dict[int, tuple[str, str]] = {
            number: ("not-started", NOT_STARTED[number]) for number, _title, _page in CHECKS
        }
        for page, title in PAGE_ENTRIES:
            item = QListWidgetItem()
            item.setData(PAGE_ROLE, page)
            item.setData(TITLE_ROLE, title)
            self.addItem(item)
            self._render(item)
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)
        self.currentItemChanged.connect(lambda item, _prev: item and self._activated(item))

    def resizeEvent(self, event: QResizeEvent) -> None:  # re-wrap reasons to the new width
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()

    @Slot(list)
    def set_statuses(self, statuses: list[CheckStatus]) -> None:
        changed: set[str] = set()
        for status in statuses:
            number = int(status.check)
            self._statuses[number] = status
            shown = (str(status.state), status.reason)
            if self._shown[number] != shown:
                self._shown[number] = shown
                changed.add(PAGE_OF[number])
        if not changed:  # the same words: no re-layout (each costs every entry's size)
            return
        for row in range(self.count()):
            item = self.item(row)
            if item is not None and item.data(PAGE_ROLE) in changed:
                self._render(item)
        self.scheduleDelayedItemsLayout()

    def status(self, check: Check) -> CheckStatus:
        return self._statuses[int(check)]

    def item_for(self, page: str) -> QListWidgetItem:
        for row in range(self.count()):
            item = self.item(row)
            if item is not None and item.data(PAGE_ROLE) == page:
                return item
        raise KeyError(page)

    def _render(self, item: QListWidgetItem) -> None:
        page, title = str(item.data(PAGE_ROLE)), str(item.data(TITLE_ROLE))
        lines: list[tuple[tuple[int, ...], str, str]] = []
        spoken: list[str] = []
        full: list[str] = []
        for number, check_title in checks_of(page):
            state, reason = self._shown[number]
            shown = _breakable(_short(reason)) or check_title
            if lines and lines[-1][1:] == (state, shown):  # same words: one line, two badges
                lines[-1] = ((*lines[-1][0], number), state, shown)
            else:
                lines.append(((number,), state, shown))
            words = STATE_MARK[state][2]
            spoken.append(f"Check {number}, {check_title}: {words}. {reason}".rstrip(". ") + ".")
            full.append(f"{number}. {check_title}: {reason or words}")
        states = [state for _numbers, state, _reason in lines]
        worst = next((s for s in _WORST_FIRST if s in states), None)
        item.setData(LINES_ROLE, lines)
        item.setData(STATE_ROLE, worst)
        item.setText(" ".join([title, *full]))
        item.setToolTip("\n".join([f"{title} ({page_shortcut(page)})", *full]))
        item.setData(Qt.ItemDataRole.AccessibleTextRole, " ".join([f"{title}.", *spoken]))

    def select_page(self, page: str) -> None:
        item = self.item_for(page)
        self.blockSignals(True)
        self.setCurrentItem(item)
        self.blockSignals(False)

    @Slot(QListWidgetItem)
    def _activated(self, item: QListWidgetItem) -> None:
        self.page_requested.emit(str(item.data(PAGE_ROLE)))
