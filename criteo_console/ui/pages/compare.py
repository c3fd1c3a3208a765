"""Compare, for one attempt: the shop's order, what was sent, what was answered.

The sides, the titles and the verdict come from ``core.verdict.evaluate_attempt``; this panel
only lays them out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics, QTextDocumentFragment
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from criteo_console.core.verdict import (
    ROW_STATUS_WORDS,
    AttemptEvaluation,
    Reconciliation,
    column_titles,
    evaluate_attempt,
    row_status,
)
from criteo_console.storage.event_log import Attempt

ReceivedLookup = Callable[[str], list[dict[str, Any]]]
STATUS_ICONS = {
    "matches": QStyle.StandardPixmap.SP_DialogApplyButton,
    "no-answer": QStyle.StandardPixmap.SP_MessageBoxInformation,
    "not-recorded": QStyle.StandardPixmap.SP_MessageBoxInformation,
    "differs": QStyle.StandardPixmap.SP_MessageBoxCritical,
}


def evaluate(attempt: Attempt, lookup: ReceivedLookup | None) -> AttemptEvaluation:
    """The attempt's one evaluation, with what the embedded sandbox kept for its order."""
    received: list[dict[str, Any]] = []
    if lookup is not None and attempt.order_id:
        received = lookup(attempt.order_id)
    return evaluate_attempt(attempt.to_dict(), received)


class _WrapLabel(QLabel):
    """One line when there is room (its preferred width is its whole text), wrapped when the
    page is narrow (its minimum is the longest word): a 2× screen never scrolls sideways and
    a wide window never shows "What the sandbox answered" on three lines."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        plain = QTextDocumentFragment.fromHtml(self.text()).toPlainText()
        font = self.font()
        if self.text().startswith("<b>"):
            font.setBold(True)
        width = QFontMetrics(font).horizontalAdvance(plain) + 2 * self.margin() + 4
        return QSize(max(hint.width(), width), hint.height())


class ComparePanel(QWidget):
    """Three columns side by side; each mismatch carries an icon and the word "differs"."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        empty_text: str = "Select an attempt in the log to compare it.",
    ) -> None:
        super().__init__(parent)
        self._lookup: ReceivedLookup | None = None
        self._empty_text = empty_text
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName("Comparison verdict")
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(18)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addLayout(self.grid)
        layout.addStretch(1)
        self.cells: dict[tuple[str, str], QLabel] = {}
        self.result: Reconciliation | None = None
        self.show_attempt(None)

    def set_received_lookup(self, lookup: ReceivedLookup | None) -> None:
        self._lookup = lookup

    def show_attempt(self, attempt: Attempt | None) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.setParent(None)
                widget.deleteLater()
        self.cells = {}
        if attempt is None:
            self.result = None
            self.verdict.setText(self._empty_text)
            return
        evaluation = evaluate(attempt, self._lookup)
        result = evaluation.reconciliation
        self.result = result
        sent_title, answered_title = column_titles(evaluation)
        titles = ("", "Shop's order", sent_title, answered_title, "")
        for column, title in enumerate(titles):
            label = _WrapLabel(f"<b>{title}</b>")  # must not widen a 2× page
            self.grid.addWidget(label, 0, column)
        style = QApplication.style()
        for line, row in enumerate(result.rows, start=1):
            name = _WrapLabel(row.label)
            self.grid.addWidget(name, line, 0)
            for column, (key, text) in enumerate(
                (("shop", row.shop), ("sent", row.sent), ("answered", row.answered)), start=1
            ):
                cell = QLabel(text)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.cells[(row.label, key)] = cell
                self.grid.addWidget(cell, line, column)
            code = row_status(row, evaluation)
            icon, words = STATUS_ICONS[code], ROW_STATUS_WORDS[code]
            if row.note:
                icon, words = QStyle.StandardPixmap.SP_MessageBoxWarning, f"{words}; {row.note}"
            mark = QLabel()
            size = mark.fontMetrics().height()
            mark.setPixmap(style.standardIcon(icon).pixmap(size, size))
            status = QWidget()
            status_layout = QHBoxLayout(status)
            status_layout.setContentsMargins(0, 0, 0, 0)
            status_layout.addWidget(mark)
            word = QLabel(words)
            word.setAccessibleName(f"{row.label}: {words}")
            word.setWordWrap(True)
            if words.startswith("differs"):
                word.setStyleSheet("font-weight: bold;")
            status_layout.addWidget(word)
            status_layout.addStretch(1)
            self.cells[(row.label, "status")] = word
            self.grid.addWidget(status, line, 4)
        self.grid.setColumnStretch(4, 1)
        ok, text = evaluation.comparison
        self.verdict.setText(("✓ " if ok else "⚠ ") + text)
