"""Watch my shop: the capture endpoint in the window, with the shop's requests arriving live.

The server runs on its own threads; each request reaches this page through a Qt signal
(queued onto the window's thread), so a row appears as soon as the shop has been answered.
The checkout email and order typed here stay in memory for the run.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from criteo_console.capture import CaptureConfig, CapturedRequest, CaptureMode, CaptureServer
from criteo_console.core.verdict import shop_order_step
from criteo_console.storage.event_log import EventLog
from criteo_console.ui import theme
from criteo_console.ui.pages.compare import ComparePanel

MODES = (
    ("Inspect: answer here as Criteo would (nothing leaves this computer)", CaptureMode.INSPECT),
    ("Forward: pass each request to a real Criteo and return its answer", CaptureMode.FORWARD),
)
COLUMNS = ("#", "Request", "Answer", "Verdict", "Order", "Checkout email", "What it means")
FOLLOW_MS = 150
VERDICT_WORDS = {"ok": "✓ ok", "warning": "⚠ warning", "error": "✗ error"}
VERDICT_COLORS = {"ok": theme.OK_COLOR, "warning": theme.WARN_COLOR, "error": theme.FAIL_COLOR}


class _Relay(QObject):
    """Carries a captured request from a server thread to the window's thread."""

    arrived = Signal(object)


def parse_items(text: str) -> list[dict[str, str]]:
    """Item lines as pasted from a confirmation page or a spreadsheet: ``id, price, qty``
    (commas, semicolons or tabs). Lines that do not have three parts are kept as they are
    so that Compare shows the order as incomplete rather than guessing."""
    items: list[dict[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        for separator in ("\t", ";", ","):
            parts = [p.strip() for p in line.split(separator)]
            if len(parts) == 3:
                items.append({"id": parts[0], "price": parts[1], "quantity": parts[2]})
                break
        else:
            items.append({"id": line.strip()})
    return items


class WatchPage(QWidget):
    """Start/stop, the base URL to give the shop, its requests live, and Compare."""

    request_shown = Signal(object)  # a CapturedRequest, once its row is on screen
    open_log = Signal(int)  # an attempt id: show it in the Event log (bodies, sign-off)

    def __init__(
        self,
        event_log: EventLog | None,
        forward_url: Callable[[], str | None] = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._log = event_log
        self._forward_url = forward_url
        self.server: CaptureServer | None = None
        self.captured: list[CapturedRequest] = []
        self.shown_at: dict[int, float] = {}  # request number -> perf_counter when on screen
        self._relay = _Relay(self)
        self._relay.arrived.connect(self._arrived)
        self._build()
        self._set_running(False)

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        title = QLabel(
            "<h2>Watch my shop</h2>Point the shop's staging integration at the address below "
            "and place a test order: every request it sends appears here, judged by the same "
            "rules as an order typed in this console."
        )
        title.setWordWrap(True)

        self.mode = QComboBox()
        self.mode.setAccessibleName("Mode")
        for text, _mode in MODES:
            self.mode.addItem(text)
        # The long mode names would widen the page past a 1024-pixel laptop: the closed box
        # shows what fits, the open list shows them whole.
        self.mode.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.mode.setMinimumContentsLength(16)
        self.mode.setToolTip("\n".join(text for text, _mode in MODES))
        self.forward_edit = QLineEdit()
        self.forward_edit.setAccessibleName("Forward to")
        self.forward_edit.setPlaceholderText("https://api.criteo.com")
        self.advertisers = QLineEdit("1234567")
        self.advertisers.setAccessibleName("Advertisers in scope")
        self.advertisers.setToolTip("Inspect mode: advertiser ids in scope, separated by commas")
        self.start_button = QPushButton("&Start watching")
        self.base_url = QLineEdit()
        self.base_url.setReadOnly(True)
        self.base_url.setAccessibleName("Base URL for the shop")
        self.base_url.setPlaceholderText("Start watching to get the address")
        self.copy_button = QPushButton("&Copy")
        self.copy_button.setToolTip("Copy the address to give the shop's integration")
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Watching")

        setup = QFormLayout()
        setup.addRow("Mode", self.mode)
        setup.addRow("Forward to", self.forward_edit)
        setup.addRow("Advertisers in scope", self.advertisers)
        address = QHBoxLayout()
        address.addWidget(self.base_url, 1)
        address.addWidget(self.copy_button)
        address.addWidget(self.start_button)
        setup.addRow("Base URL for the shop", address)
        setup.addRow("", self.state)

        self.email = QLineEdit()
        self.email.setAccessibleName("Checkout email")
        self.email.setPlaceholderText("the address used at the test checkout (never saved)")
        self.order_id = QLineEdit()
        self.order_id.setAccessibleName("Checkout order id")
        self.value = QLineEdit()
        self.value.setAccessibleName("Checkout order value")
        self.value.setPlaceholderText("149.90")
        self.currency = QLineEdit()
        self.currency.setAccessibleName("Checkout order currency")
        self.currency.setPlaceholderText("EUR")
        self.items = QPlainTextEdit()
        self.items.setAccessibleName("Checkout order items")
        self.items.setPlaceholderText("One item per line: id, price, quantity")
        self.items.setFixedHeight(64)
        # A short title: a group box is never narrower than its title.
        checkout = QGroupBox("The test checkout")
        form = QFormLayout(checkout)
        checkout_note = QLabel("From the shop's confirmation; kept in memory only.")
        checkout_note.setWordWrap(True)
        form.addRow(checkout_note)
        form.addRow("Email", self.email)
        form.addRow("Order id", self.order_id)
        money = QHBoxLayout()
        money.addWidget(self.value, 2)
        money.addWidget(QLabel("Currency"))
        money.addWidget(self.currency, 1)
        form.addRow("Value", money)
        form.addRow("Items", self.items)
        self.checkout_hint = QLabel()
        self.checkout_hint.setWordWrap(True)
        self.checkout_hint.setAccessibleName("Checkout problems")
        self.checkout_hint.setStyleSheet(f"color: {theme.color(theme.WARN_COLOR)}")
        form.addRow("", self.checkout_hint)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Requests from the shop")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # Fixed widths: sizing columns to their contents re-reads every row on each arrival.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((40, 210, 60, 90, 110, 120)):
            self.table.setColumnWidth(column, width)
        # Following the newest request refreshes the details at most this often, so a burst
        # of requests is listed at once and explained when it settles.
        self._follow = QTimer(self)
        self._follow.setSingleShot(True)
        self._follow.setInterval(FOLLOW_MS)
        self._follow.timeout.connect(self._selection_changed)
        self.empty = QLabel("No request yet.")

        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAccessibleName("Request details")
        self.compare = ComparePanel(
            empty_text="Its comparison (shop's order, what was sent, what was answered) "
            "appears here."
        )
        self.log_button = QPushButton("Open in the &event log")
        self.log_button.setToolTip("The exact request and answer, and the sign-off report")
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        detail_row = QHBoxLayout()
        detail_row.addWidget(self.detail, 1)
        detail_row.addWidget(self.log_button, 0, Qt.AlignmentFlag.AlignTop)
        details_layout.addLayout(detail_row)
        details_layout.addWidget(self.compare, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        listing = QWidget()
        listing_layout = QVBoxLayout(listing)
        listing_layout.setContentsMargins(0, 0, 0, 0)
        listing_layout.addWidget(self.empty)
        listing_layout.addWidget(self.table, 1)
        splitter.addWidget(listing)
        splitter.addWidget(details)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        self.table.setMinimumHeight(100)
        splitter.setSizes([200, 330])  # the details and Compare need their rows readable

        top = QHBoxLayout()
        top.addLayout(setup, 3)
        top.addWidget(checkout, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.start_button.clicked.connect(self.toggle)
        self.copy_button.clicked.connect(self.copy_base_url)
        self.email.textChanged.connect(self._email_changed)
        for edit in (self.order_id, self.value, self.currency):
            edit.textChanged.connect(self._order_changed)
        self.items.textChanged.connect(self._order_changed)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.log_button.clicked.connect(self._open_log)
        self._mode_changed()
        self._update_hint()
        self._show_detail(None)

    # -- start / stop -----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.server is not None

    @Slot()
    def toggle(self) -> None:
        if self.running:
            self.stop()
        else:
            self.start()

    def start(self, port: int = 0) -> bool:
        if self.running:
            return True
        try:
            config = self._config(port)
        except ValueError as exc:
            self._say(str(exc), "error")
            return False
        server = CaptureServer(
            config,
            event_log=self._log,
            checkout_email=self.email.text(),
            on_request=self._relay.arrived.emit,
        )
        server.set_checkout_order(self.checkout_order())
        try:
            server.start()
        except OSError as exc:
            self._say(f"Could not start watching: {exc.strerror or exc}.", "error")
            return False
        self.server = server
        self.base_url.setText(server.base_url)
        self._set_running(True)
        self._say(f"Watching. {server.mode_text}", "ok")
        return True

    def stop(self) -> None:
        server, self.server = self.server, None
        if server is not None:
            server.stop()
        self._set_running(False)
        self._say("Stopped. The shop's requests now fail to connect.", "ok")

    def _config(self, port: int) -> CaptureConfig:
        mode = MODES[self.mode.currentIndex()][1]
        ids: list[int] = []
        for part in self.advertisers.text().replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not (part.isascii() and part.isdigit()) or int(part) <= 0 or len(part) > 18:
                raise ValueError(
                    "Advertisers in scope: write whole positive numbers separated by commas, "
                    "such as 1234567."
                )
            ids.append(int(part))
        fields: dict[str, Any] = {"port": port, "mode": mode}
        if ids:
            fields["advertiser_ids"] = tuple(dict.fromkeys(ids))
        if mode is CaptureMode.FORWARD:
            url = self.forward_edit.text().strip()
            if not url:
                raise ValueError(
                    "Forward to: enter the Criteo address requests go on to, such as "
                    "https://api.criteo.com."
                )
            fields["forward_url"] = url
        try:
            return CaptureConfig(**fields)
        except ValueError as exc:
            message = f"Forward to: {exc}" if mode is CaptureMode.FORWARD else str(exc)
            raise ValueError(message) from None

    def _set_running(self, running: bool) -> None:
        self.start_button.setText("&Stop watching" if running else "&Start watching")
        self.copy_button.setEnabled(running)
        for widget in (self.mode, self.forward_edit, self.advertisers):
            widget.setEnabled(not running)
        if not running:
            self.base_url.clear()
            self._mode_changed()

    @Slot()
    def _mode_changed(self, *_: object) -> None:
        forward = MODES[self.mode.currentIndex()][1] is CaptureMode.FORWARD
        self.forward_edit.setEnabled(forward and not self.running)
        self.advertisers.setEnabled(not forward and not self.running)
        if forward and not self.forward_edit.text():
            self.forward_edit.setText(self._forward_url() or "")

    @Slot()
    def copy_base_url(self) -> None:
        if self.base_url.text():
            QGuiApplication.clipboard().setText(self.base_url.text())
            self._say("Address copied: paste it as the Criteo base URL in the shop's staging "
                      "settings.", "ok")  # fmt: skip

    def _say(self, text: str, level: str) -> None:
        self.state.setText(text)
        color = {"error": theme.FAIL_COLOR}.get(level, theme.MUTED_COLOR)
        self.state.setStyleSheet(f"color: {theme.color(color)}")

    # -- checkout email and order (memory only) ---------------------------------------------

    @Slot()
    def _email_changed(self, *_: object) -> None:
        if self.server is not None:
            self.server.set_checkout_email(self.email.text())
        self._update_hint()

    def checkout_problems(self) -> list[str]:
        """What in the checkout fields cannot be used as typed, field by field."""
        from criteo_console.core.identifiers import looks_like_email
        from criteo_console.core.money import MoneyError, currency_info, parse_amount

        problems = []
        email = self.email.text().strip()
        if email and not looks_like_email(email):
            problems.append("Email: this does not look like an address (one @ and a domain).")
        value = self.value.text().strip()
        if value:
            try:
                parse_amount(value)
            except MoneyError:
                problems.append("Value: write it as a number with a dot, such as 149.90.")
        currency = self.currency.text().strip()
        if currency and currency_info(currency) is None:
            problems.append("Currency: use a three-letter code such as EUR.")
        for number, item in enumerate(parse_items(self.items.toPlainText()), 1):
            if "price" not in item:
                problems.append(f"Items, line {number}: write id, price, quantity.")
                break
        return problems

    def _update_hint(self) -> None:
        problems = self.checkout_problems()
        self.checkout_hint.setText(" ".join(problems))
        self.checkout_hint.setVisible(bool(problems))

    def checkout_order(self) -> dict[str, Any] | None:
        order: dict[str, Any] = {
            "order_id": self.order_id.text().strip(),
            "value": self.value.text().strip(),
            "currency": self.currency.text().strip(),
            "items": parse_items(self.items.toPlainText()),
        }
        return order if any(order.values()) else None

    @Slot()
    def _order_changed(self, *_: object) -> None:
        if self.server is not None:
            self.server.set_checkout_order(self.checkout_order())
        self._update_hint()
        self._selection_changed()

    # -- live requests ----------------------------------------------------------------------

    @Slot(object)
    def _arrived(self, captured: CapturedRequest) -> None:
        self.captured.append(captured)
        row = self.table.rowCount()
        self.table.insertRow(row)
        email = captured.email_match.code.value if captured.email_match else ""
        cells = (
            str(captured.number),
            f"{captured.method} {captured.path}",
            str(captured.status),
            VERDICT_WORDS[captured.verdict],
            captured.order_id or "",
            email,
            captured.summary,
        )
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column == 3:
                item.setForeground(QColor(theme.color(VERDICT_COLORS[captured.verdict])))
            item.setToolTip(text)
            self.table.setItem(row, column, item)
        self.empty.hide()
        self.shown_at[captured.number] = time.perf_counter()
        self.request_shown.emit(captured)
        if self.table.currentRow() < 0 or self.table.currentRow() == row - 1:
            # Follow the newest unless the user picked another row.
            self.table.blockSignals(True)
            self.table.selectRow(row)
            self.table.blockSignals(False)
            if not self._follow.isActive():
                self._follow.start()

    def selected(self) -> CapturedRequest | None:
        row = self.table.currentRow()
        return self.captured[row] if 0 <= row < len(self.captured) else None

    @Slot()
    def _selection_changed(self) -> None:
        self._show_detail(self.selected())

    @Slot()
    def _open_log(self) -> None:
        captured = self.selected()
        if captured is not None and captured.attempt_id is not None:
            self.open_log.emit(captured.attempt_id)

    def _show_detail(self, captured: CapturedRequest | None) -> None:
        self.log_button.setEnabled(captured is not None and captured.attempt_id is not None)
        if captured is None:
            self.detail.setText("Select a request to see what the console found.")
            self.compare.show_attempt(None)
            return
        from html import escape

        lines = [f"<b>{escape(captured.summary)}</b>"]
        for issue in captured.issues:
            where = escape(issue.field or "request")
            lines.append(f"{'✗' if issue.level.value == 'error' else '⚠'} {where}: "
                         f"{escape(issue.message)}")  # fmt: skip
        if captured.email_match is not None:
            lines.append(f"Checkout email — {escape(captured.email_match.code.value)}: "
                         f"{escape(captured.email_match.message)}")  # fmt: skip
        if captured.token_note and captured.token_note != captured.summary:
            lines.append(f"Token: {escape(captured.token_note)}")
        scope = captured.extra.get("scope")
        if scope:
            lines.append(f"Advertiser scope: {escape(str(scope))}")
        if captured.attempt_id is not None:
            lines.append(f"Recorded as attempt #{captured.attempt_id} in the event log "
                         "(filter “Sent by the shop”).")  # fmt: skip
        self.detail.setText("<br>".join(lines))
        self.compare.show_attempt(self._attempt_for_compare(captured))

    def _attempt_for_compare(self, captured: CapturedRequest) -> Any:
        if captured.attempt_id is None or self._log is None:
            return None
        attempt = self._log.get(captured.attempt_id)
        order = self.checkout_order()
        if attempt is None or order is None:
            return attempt
        # Compare against the checkout order as typed now, even if it was typed afterwards.
        steps = [s for s in attempt.steps if not (isinstance(s, dict) and "shop" in s)]
        shop = shop_order_step(order)
        return dataclasses.replace(attempt, steps=[shop, *steps])

    # -- lifecycle --------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop the server (the window is closing; the event log closes next)."""
        self._follow.stop()
        self._log = None
        if self.server is not None:
            self.server.stop()
            self.server = None
