"""Compare, for one attempt: the shop's order, what was sent, what Criteo answered."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from criteo_console.core import loads_json
from criteo_console.core.destinations import summarize_any_body
from criteo_console.core.reconcile import OrderSummary, Reconciliation, reconcile
from criteo_console.session import shop_summary_of
from criteo_console.session.rules import ANSWER_SANDBOX, answered_summary
from criteo_console.storage.event_log import Attempt

ReceivedLookup = Callable[[str], list[dict[str, Any]]]

ANSWERED_TITLE = "What Criteo answered"
SANDBOX_TITLE = "What the sandbox received"


def _parse(text: str | None) -> object:
    if not text:
        return None
    try:
        return loads_json(text)
    except ValueError:
        return None


def shop_side(attempt: Attempt) -> tuple[OrderSummary, bool]:
    """The shop's order recorded with the attempt; else its log columns (partial)."""
    shop = shop_summary_of(attempt)
    if shop is not None:
        return shop, True
    try:
        value = attempt.value_decimal
    except ArithmeticError:
        value = None
    return OrderSummary(attempt.order_id, value, attempt.currency, None, None), False


def answered_side(
    attempt: Attempt, lookup: ReceivedLookup | None
) -> tuple[OrderSummary | None, str]:
    """This attempt's answer (never another attempt's) and the title of its column."""
    received: list[dict[str, Any]] = []
    if lookup is not None and attempt.order_id:
        received = lookup(attempt.order_id)
    answered, source = answered_summary(attempt.to_dict(), received)
    return answered, SANDBOX_TITLE if source == ANSWER_SANDBOX else ANSWERED_TITLE


def was_posted(attempt: Attempt) -> bool:
    """Whether the conversion left this computer (an HTTP status, or a POST step begun)."""
    if attempt.http_status is not None:
        return True
    return any(
        isinstance(step, Mapping) and step.get("step") == "post" and "state" in step
        for step in attempt.steps
    )


def verdict(
    result: Reconciliation, shop_complete: bool, attempt: Attempt | None = None
) -> tuple[bool, str]:
    if not result.answered_known:
        if attempt is not None and not was_posted(attempt) and attempt.state != "pending":
            why = f" {attempt.error_explanation}" if attempt.error_explanation else ""
            return False, (
                "Nothing to compare: this attempt stopped before the order was sent, so Criteo "
                f"never answered it.{why} Fix the problem and send again."
            )
        return False, (
            "No answer from Criteo to compare with. Check the response on the Summary tab, "
            "and look the order up in Criteo before re-sending."
        )
    mismatches = [r for r in result.mismatches if shop_complete or r.shop != "—"]
    if not mismatches:
        extra = "" if shop_complete else " (the shop's item lines were not recorded)"
        return True, f"Everything matches: shop, sent and answered agree{extra}."
    names = ", ".join(row.label for row in mismatches)
    return False, f"{len(mismatches)} difference(s) to check: {names}."


class ComparePanel(QWidget):
    """Three columns side by side; each mismatch carries an icon and the word "differs"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lookup: ReceivedLookup | None = None
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
            self.verdict.setText("Select an attempt in the log to compare it.")
            return
        shop, complete = shop_side(attempt)
        sent = summarize_any_body(_parse(attempt.request_body))
        answered, answered_title = answered_side(attempt, self._lookup)
        result = reconcile(shop, sent, answered)
        self.result = result
        sent_title = "What was sent" if was_posted(attempt) else "Prepared (never sent)"
        titles = ("", "Shop's order", sent_title, answered_title, "")
        for column, title in enumerate(titles):
            label = QLabel(f"<b>{title}</b>")
            self.grid.addWidget(label, 0, column)
        style = QApplication.style()
        for line, row in enumerate(result.rows, start=1):
            unrecorded = not complete and row.shop == "—"
            self.grid.addWidget(QLabel(row.label), line, 0)
            for column, (key, text) in enumerate(
                (("shop", row.shop), ("sent", row.sent), ("answered", row.answered)), start=1
            ):
                cell = QLabel(text)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.cells[(row.label, key)] = cell
                self.grid.addWidget(cell, line, column)
            if row.match and not result.answered_known:
                icon, words = QStyle.StandardPixmap.SP_MessageBoxInformation, "no answer"
            elif row.match:
                icon, words = QStyle.StandardPixmap.SP_DialogApplyButton, "matches"
            elif unrecorded:
                icon, words = QStyle.StandardPixmap.SP_MessageBoxInformation, "not recorded"
            else:
                icon, words = QStyle.StandardPixmap.SP_MessageBoxCritical, "differs"
            mark = QLabel()
            size = mark.fontMetrics().height()
            mark.setPixmap(style.standardIcon(icon).pixmap(size, size))
            status = QWidget()
            status_layout = QHBoxLayout(status)
            status_layout.setContentsMargins(0, 0, 0, 0)
            status_layout.addWidget(mark)
            word = QLabel(words)
            word.setAccessibleName(f"{row.label}: {words}")
            if words == "differs":
                word.setStyleSheet("font-weight: bold;")
            status_layout.addWidget(word)
            status_layout.addStretch(1)
            self.cells[(row.label, "status")] = word
            self.grid.addWidget(status, line, 4)
        self.grid.setColumnStretch(4, 1)
        ok, text = verdict(result, complete, attempt)
        self.verdict.setText(("✓ " if ok else "⚠ ") + text)
