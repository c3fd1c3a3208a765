"""Compare, for one attempt: the shop's order, what was sent, what Criteo answered."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
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
from criteo_console.core.reconcile import (
    OrderSummary,
    Reconciliation,
    reconcile,
    summarize_conversion,
)
from criteo_console.storage.event_log import Attempt

ReceivedLookup = Callable[[str], list[dict[str, Any]]]


def _decimal(raw: object) -> Decimal | None:
    try:
        return None if raw is None else Decimal(str(raw))
    except InvalidOperation:
        return None


def _int(raw: object) -> int | None:
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else None


def shop_summary(attempt: Attempt) -> tuple[OrderSummary, bool]:
    """The shop's side from the attempt's ``order`` step; else its columns (partial)."""
    for step in attempt.steps:
        if isinstance(step, Mapping) and step.get("step") == "order":
            shop = step.get("shop")
            if isinstance(shop, Mapping):
                currency = shop.get("currency")
                return (
                    OrderSummary(
                        order_id=None if shop.get("order_id") is None else str(shop["order_id"]),
                        value=_decimal(shop.get("value")),
                        currency=currency if isinstance(currency, str) else None,
                        line_count=_int(shop.get("line_count")),
                        items_total=_decimal(shop.get("items_total")),
                    ),
                    True,
                )
    return (
        OrderSummary(attempt.order_id, _decimal(attempt.value), attempt.currency, None, None),
        False,
    )


def _parse(text: str | None) -> object:
    if not text:
        return None
    try:
        return loads_json(text)
    except ValueError:
        return None


def answered_summary(
    attempt: Attempt, lookup: ReceivedLookup | None
) -> tuple[OrderSummary | None, str]:
    """Criteo's echo of the conversion, else what the sandbox received; with its column title."""
    echoed = summarize_conversion(_parse(attempt.response_body))
    if echoed.order_id is not None:
        return echoed, "What Criteo answered"
    if lookup is not None and attempt.order_id:
        records = lookup(attempt.order_id)
        matching = [r for r in records if r.get("trace_id") == attempt.trace_id] or records
        if matching:
            return summarize_conversion(matching[-1].get("body")), "What the sandbox received"
    return None, "What Criteo answered"


def verdict(result: Reconciliation, shop_complete: bool) -> tuple[bool, str]:
    if not result.answered_known:
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
        shop, complete = shop_summary(attempt)
        sent = summarize_conversion(_parse(attempt.request_body))
        answered, answered_title = answered_summary(attempt, self._lookup)
        result = reconcile(shop, sent, answered)
        self.result = result
        titles = ("", "Shop's order", "What was sent", answered_title, "")
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
            if row.match:
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
        ok, text = verdict(result, complete)
        self.verdict.setText(("✓ " if ok else "⚠ ") + text)
