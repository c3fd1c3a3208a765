"""Compose a test order (left) with its live preview (right), re-checked on every change.

Pasted order JSON is judged as it was pasted: a value a field cannot show as it is (``true``
for an order id, a time before the date picker's first day, a lone surrogate…) is shown as
well as it can be and kept, so the core reports it exactly as ``criteo-console validate``
does; editing the field replaces it with what is typed.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDateTime, QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from criteo_console.core import OrderCheck, ProfileContext, all_currencies, loads_json
from criteo_console.core.eventtime import EventTimeError, parse_event_time
from criteo_console.core.locale_money import check_form, number_format
from criteo_console.core.order import ORDER_FIELDS
from criteo_console.core.visit import VISIT_FIELDS
from criteo_console.ui import shortcuts
from criteo_console.ui.line_items import LineItemsModel, cell_for_field, shown_money, shown_text
from criteo_console.ui.money_input import MoneyInput, system_locale_name
from criteo_console.ui.pages.preview import PreviewPanel

_TEXT_FIELDS = ("order_id", "email", "email_sha256", "customer_id", "madid")

# Funds and settlement units people rarely mean: never offered before a common currency.
_RARE_CODES = frozenset(
    {"BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW", "XSU", "XUA", "XDR"}
)
_SEP = " — "
EXAMPLE_TIP = "Fill the form with the integration guide's example purchase (a valid order)"
START_TEXT = (
    "<b>New here?</b> Load the integration guide's example order: a valid purchase you can "
    "send to the built-in sandbox straight away, then change it to match your shop."
)


def _currency_entry(code: str, name: str) -> str:
    return f"{code}{_SEP}{name}"


def ranked_currencies(typed: str) -> list[str]:
    """Currency entries matching ``typed``, best first.

    Exact code, then exact name ("euro" -> "EUR — Euro", not "CHE — WIR Euro"), then codes
    starting with it, then names starting with it, then the rest; rarely used funds last.
    """
    query = typed.strip().casefold()
    ranked: list[tuple[tuple[int, bool, str], str]] = []
    for currency in all_currencies():
        code, name = currency.code.casefold(), currency.name.casefold()
        entry = _currency_entry(currency.code, currency.name)
        if query not in entry.casefold():
            continue
        if query == code:
            rank = 0
        elif query == name:
            rank = 1
        elif code.startswith(query):
            rank = 2
        elif name.startswith(query):
            rank = 3
        else:
            rank = 4
        ranked.append(((rank, currency.code in _RARE_CODES, currency.code), entry))
    return [entry for _key, entry in sorted(ranked)]


def currency_code_for(text: str) -> str | None:
    """The code meant by the currency box's text: an entry, a code, or one exact name."""
    text = text.strip()
    if _SEP in text:
        return text.split(_SEP, 1)[0].strip() or None
    if not text:
        return None
    named = [c.code for c in all_currencies() if c.name.casefold() == text.casefold()]
    if len(named) == 1:
        return named[0]
    return text


def _utc_now() -> datetime:
    return datetime.now(UTC)


_BROKEN_TEXT = (
    "The pasted text holds a broken character (a lone UTF-16 surrogate), so it cannot be "
    "hashed or sent. Type it again."
)


def _has_surrogate(value: object) -> bool:
    return isinstance(value, str) and any("\ud800" <= c <= "\udfff" for c in value)


def _same_value(shown: object, pasted: object) -> bool:
    """Whether a field shows the pasted value exactly (``1`` is not ``"1"``, nor ``True``)."""
    return type(shown) is type(pasted) and shown == pasted


class ComposeWorkspace(QWidget):
    """The Compose form and its Preview. ``checked`` carries the OrderCheck of every change."""

    checked = Signal(object)  # OrderCheck
    send_requested = Signal()  # the Send button: the app opens Send and asks there
    # A field the form does not hold (advertiser_id, event_names.*): the app shows its page.
    outside_field_requested = Signal(str)

    def __init__(
        self,
        context: ProfileContext | None = None,
        *,
        locale: str | None = None,
        now: Callable[[], datetime] = _utc_now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context or ProfileContext(advertiser_id=None)
        self._locale = locale or system_locale_name()
        self._now = now
        self._loading = False
        self._extra: dict[str, Any] = {}
        # Pasted values the form cannot show as they are, by field, used until edited.
        self._pasted: dict[str, Any] = {}
        self._check: OrderCheck | None = None
        self._currency_typed = False  # edited by the user since the box was last settled
        self._started = False  # typed in or pasted: until then no errors are shown
        self._room: QWidget | None = None  # the scrolled page's viewport, watched for its width
        self._build()
        self._connect()
        self._recheck()

    # -- fitting the window -------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._room is None:
            area = self.parentWidget()
            while area is not None and not isinstance(area, QAbstractScrollArea):
                area = area.parentWidget()
            if area is not None:
                self._room = area.viewport()
                self._room.installEventFilter(self)
                self.preview.installEventFilter(self)
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The page's width changed, or the preview's needs did (an address and its hashes).
        if (watched is self._room and event.type() == QEvent.Type.Resize) or (
            watched is self.preview and event.type() == QEvent.Type.LayoutRequest
        ):
            self._fit()
        return super().eventFilter(watched, event)

    def side_by_side_width(self) -> int:
        """The narrowest page on which the form and the preview fit side by side."""
        layout = self.layout()
        margins = (
            layout.contentsMargins().left() + layout.contentsMargins().right() if layout else 0
        )
        return (
            self.form_scroll.minimumWidth()
            + self.preview.width_for_an_address()
            + self.splitter.handleWidth()
            + margins
        )

    def _fit(self) -> None:
        """Side by side where they fit; otherwise the preview under the form, each as wide as
        the page (at 2× on a 1440×900 screen the pair was wider than the window and the page
        scrolled sideways, the hashes cut at its edge)."""
        room = self._room.width() if self._room is not None else self.width()
        wanted = (
            Qt.Orientation.Horizontal
            if room >= self.side_by_side_width()
            else Qt.Orientation.Vertical
        )
        if self.splitter.orientation() != wanted:
            self.splitter.setOrientation(wanted)

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.hide()
        self.paste_json_button = QPushButton("Paste order &JSON")
        self.paste_json_button.setToolTip(
            "Fill the form from an order in JSON copied to the clipboard (the canonical input)"
        )
        self.example_button = QPushButton("Load e&xample order")
        self.example_button.setToolTip(EXAMPLE_TIP)
        # An untouched form offers the example where the eye lands first.
        self.start_prompt = QFrame()
        self.start_prompt.setObjectName("startPrompt")
        self.start_prompt.setFrameShape(QFrame.Shape.StyledPanel)
        prompt_text = QLabel(START_TEXT)
        prompt_text.setWordWrap(True)
        self.prompt_example_button = QPushButton("Load the example order")
        self.prompt_example_button.setToolTip(EXAMPLE_TIP)
        prompt_layout = QHBoxLayout(self.start_prompt)
        prompt_layout.addWidget(prompt_text, 1)
        prompt_layout.addWidget(self.prompt_example_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.send_button = QPushButton("Se&nd this order →")
        self.send_button.setToolTip(
            shortcuts.with_keys("Open Send and send this order from there", "send")
        )

        self.order_id = QLineEdit()
        self.order_id.setPlaceholderText("the shop's order number, e.g. PS-10428")
        self.event_name = QComboBox()
        self.event_name.setEditable(True)
        self.event_name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._fill_events()
        self.event_time = QDateTimeEdit()
        self.event_time.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        self.event_time.setCalendarPopup(True)
        self.event_time.setDateTime(self._local_qdatetime(self._now()))
        self.event_time_utc = QLabel()
        self.event_time_utc.setAccessibleName("Event time in UTC")
        self.now_button = QPushButton("No&w")
        self.now_button.setToolTip("Set the event time to the current time")
        self.now_button.setAccessibleName("Set event time to now")
        self.event_time_utc.setWordWrap(True)
        time_row = QHBoxLayout()
        time_row.addWidget(self.event_time, 1)
        time_row.addWidget(self.now_button)

        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        entries = [_currency_entry(c.code, c.name) for c in all_currencies()]
        self.currency.addItems(entries)
        self.currency.setCurrentIndex(-1)
        self.currency.setEditText("")
        line = self.currency.lineEdit()
        assert line is not None
        line.setPlaceholderText("type a code or a name, e.g. EUR or euro")
        # The suggestions are re-ranked on each edit, before the completer filters them (its
        # own order would be alphabetical: "Euro" would offer "CHE — WIR Euro" first).
        self._currency_suggestions = QStringListModel(entries, self.currency)
        line.textEdited.connect(self._rank_currencies)
        line.editingFinished.connect(self._settle_currency)
        completer = QCompleter(self._currency_suggestions, self.currency)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.currency.setCompleter(completer)
        # Sized by a short entry, not the longest currency name: the form fits narrow windows.
        self.currency.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.currency.setMinimumContentsLength(14)
        self.value = MoneyInput(self._locale)

        order_box = QGroupBox("Order")
        order_form = QFormLayout(order_box)
        order_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._add_row(order_form, "Order &id", self.order_id)
        self._add_row(order_form, "&Event", self.event_name)
        self._add_row(order_form, "Event &time (local)", time_row, buddy=self.event_time)
        order_form.addRow("", self.event_time_utc)  # its own line: the form stays narrow
        self._add_row(order_form, "C&urrency", self.currency)
        self._add_row(order_form, "&Value", self.value)

        self.email = QLineEdit()
        self.email.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.email.setPlaceholderText("hashed on this computer; the address is never sent")
        self.show_email = QToolButton()
        self.show_email.setText("Show")
        self.show_email.setCheckable(True)
        self.show_email.setAccessibleName("Show email")
        self.show_email.setToolTip("Show the email address to check it for typos")
        self.show_email.toggled.connect(self._reveal_email)
        email_row = QHBoxLayout()
        email_row.addWidget(self.email, 1)
        email_row.addWidget(self.show_email)
        self.email_sha256 = QLineEdit()
        self.email_sha256.setPlaceholderText("only if you have the hash instead of the address")
        self.customer_id = QLineEdit()
        self.customer_id.setPlaceholderText("the shop's customer number, e.g. cust_78421")
        self.madid = QLineEdit()
        self.madid.setPlaceholderText("mobile advertising id (IDFA / GAID), if any")
        ids_box = QGroupBox("Shopper identifiers")
        ids_form = QFormLayout(ids_box)
        ids_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._add_row(ids_form, "E&mail", email_row, buddy=self.email)
        self._add_row(ids_form, "Email &SHA-256", self.email_sha256)
        self._add_row(ids_form, "Customer i&d", self.customer_id)
        self._add_row(ids_form, "M&ADID", self.madid)

        self.items_model = LineItemsModel(self._locale, self)
        self.items_view = QTableView()
        self.items_view.setModel(self.items_model)
        self.items_view.setAccessibleName("Item lines")
        self.items_view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
        self.items_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.items_view.setMinimumHeight(140)
        header = self.items_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(90)
        self.add_button = QPushButton("&Add line")
        self.add_button.setToolTip(shortcuts.with_keys("Add an item line", "add_line"))
        self.duplicate_button = QPushButton("Du&plicate")
        self.duplicate_button.setToolTip(
            shortcuts.with_keys("Duplicate the selected lines", "duplicate_lines")
        )
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setToolTip(
            shortcuts.with_keys("Remove the selected lines", "remove_lines")
        )
        self.paste_rows_button = QPushButton("Paste &rows")
        self.paste_rows_button.setToolTip(
            shortcuts.with_keys(
                "Paste lines copied from a spreadsheet: product id, price, quantity",
                "paste_rows",
            )
        )
        for text, keys, slot in (
            ("Add line", QKeySequence(shortcuts.keys("add_line")), self.add_line),
            (
                "Duplicate lines",
                QKeySequence(shortcuts.keys("duplicate_lines")),
                self.duplicate_lines,
            ),
            ("Remove lines", QKeySequence(shortcuts.keys("remove_lines")), self.remove_lines),
            ("Paste rows", QKeySequence(QKeySequence.StandardKey.Paste), self.paste_rows),
        ):
            action = QAction(text, self.items_view)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _checked=False, s=slot: s())
            self.items_view.addAction(action)
        # Two rows of two: the item box stays narrow enough for 1024×640 and 2× scaling.
        buttons = QGridLayout()
        for index, button in enumerate(
            (self.add_button, self.duplicate_button, self.remove_button, self.paste_rows_button)
        ):
            buttons.addWidget(button, index // 2, index % 2)
        buttons.setColumnStretch(2, 1)
        self.sum_label = QLabel()
        self.sum_label.setWordWrap(True)
        self.sum_label.setAccessibleName("Items total against the order value")
        items_box = QGroupBox("Item lines")
        items_layout = QVBoxLayout(items_box)
        items_layout.addWidget(self.items_view, 1)
        items_layout.addLayout(buttons)
        items_layout.addWidget(self.sum_label)

        form = QWidget()
        form_layout = QVBoxLayout(form)
        # The message above its two buttons, not beside them: side by side they made the form
        # wider than its column at 2× (720 logical pixels), and the form, which never scrolls
        # sideways, cut "Paste order JSON" and "Now" off at its right edge.
        top = QHBoxLayout()
        top.addWidget(self.example_button)
        top.addWidget(self.paste_json_button)
        top.addStretch(1)
        form_layout.addWidget(self.start_prompt)
        form_layout.addWidget(self.message)
        form_layout.addLayout(top)
        form_layout.addWidget(order_box)
        form_layout.addWidget(ids_box)
        form_layout.addWidget(items_box, 1)
        self.form_scroll = QScrollArea()
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setWidget(form)
        # Narrow windows (1024×640, 2× scaling) scroll the form down, never sideways.
        self.form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # At least as wide as the form needs beside its vertical scroll bar (the form is never
        # cut at its right edge; the preview beside it gives the room).
        bar = self.form_scroll.verticalScrollBar().sizeHint().width()
        frame = 2 * self.form_scroll.frameWidth()
        self.form_scroll.setMinimumWidth(max(300, form.minimumSizeHint().width() + bar + frame))

        self.preview = PreviewPanel()
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.form_scroll)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        title = QLabel(
            "<h2>Compose</h2>The test order as your shop would send it: type it, load the "
            "example, or paste its JSON. The preview follows as you type."
        )
        title.setWordWrap(True)
        # In the console the main window pins this button in its bottom row, below the
        # scrolled page, where the other pages have "Next: … →" (never scrolled out of sight).
        send_row = QHBoxLayout()
        send_row.addStretch(1)
        send_row.addWidget(self.send_button)
        layout = QVBoxLayout(self)  # the same margins and heading as the other pages
        layout.addWidget(title)
        layout.addWidget(splitter, 1)
        layout.addLayout(send_row)

        order = [
            self.prompt_example_button,
            self.example_button,
            self.paste_json_button,
            self.order_id,
            self.event_name,
            self.event_time,
            self.now_button,
            self.currency,
            self.value,
            self.email,
            self.show_email,
            self.email_sha256,
            self.customer_id,
            self.madid,
            self.items_view,
            self.add_button,
            self.duplicate_button,
            self.remove_button,
            self.paste_rows_button,
            self.preview.issue_list,
            self.send_button,
        ]
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)

    @staticmethod
    def _add_row(form: QFormLayout, text: str, field: Any, buddy: QWidget | None = None) -> None:
        label = QLabel(text)
        target = buddy or field
        label.setBuddy(target)
        target.setAccessibleName(text.replace("&", ""))
        form.addRow(label, field)

    def _fill_events(self) -> None:
        current = self.event_name.currentText() if self.event_name.count() else "purchase"
        self.event_name.blockSignals(True)
        self.event_name.clear()
        self.event_name.addItems(list(self._context.event_names))
        self.event_name.setEditText(current)
        self.event_name.blockSignals(False)

    def _connect(self) -> None:
        self.value.textChanged.connect(lambda *_: self._edited("value"))
        self.event_name.editTextChanged.connect(lambda *_: self._edited("event"))
        self.currency.editTextChanged.connect(lambda *_: self._edited("currency"))
        for name in _TEXT_FIELDS:
            line: QLineEdit = getattr(self, name)
            line.textChanged.connect(lambda *_, n=name: self._edited(n))
        self.event_time.dateTimeChanged.connect(self._on_time_changed)
        self.now_button.clicked.connect(self.set_time_now)
        self.items_model.items_changed.connect(lambda: self._edited("items"))
        self.add_button.clicked.connect(self.add_line)
        self.duplicate_button.clicked.connect(self.duplicate_lines)
        self.remove_button.clicked.connect(self.remove_lines)
        # clicked(bool) would arrive as the text to paste: read the clipboard instead.
        self.paste_rows_button.clicked.connect(lambda _checked=False: self.paste_rows())
        self.paste_json_button.clicked.connect(self.paste_order_from_clipboard)
        self.example_button.clicked.connect(self.load_example_order)
        self.prompt_example_button.clicked.connect(self.load_example_order)
        self.send_button.clicked.connect(self.send_requested)
        self.preview.issue_activated.connect(self.focus_field)

    def _reveal_email(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.PasswordEchoOnEdit
        self.email.setEchoMode(mode)
        self.show_email.setText("Hide" if shown else "Show")
        self.show_email.setAccessibleName("Hide email" if shown else "Show email")

    def _edited(self, name: str) -> None:
        if self._loading:
            return
        self._pasted.pop(name, None)  # what the field shows now is what the user wants
        self._started = True
        self._recheck()

    # -- public API -------------------------------------------------------------------------

    def set_context(self, context: ProfileContext) -> None:
        self._context = context
        self._fill_events()
        self._recheck()

    def set_locale(self, locale: str) -> None:
        self._locale = locale
        self.value.set_locale(locale)
        self.items_model.set_locale(locale)

    def current_check(self) -> OrderCheck:
        assert self._check is not None
        return self._check

    def current_order(self) -> dict[str, Any]:
        """The canonical order input (DESIGN §5), money as strings.

        An amount that cannot be read safely is given exactly as typed; ``current_check``
        reports it and never builds a payload from it.
        """
        order = self._form_order()
        order.update(self._extra)
        order.update(self._pasted)
        return order

    def _form_order(self) -> dict[str, Any]:
        """What the fields say, without the values kept as pasted."""
        reading = self.value.reading()
        value = reading.canonical if reading.problem is None else reading.text
        return {
            "event": self.event_name.currentText() or None,
            "event_time": self._event_time_text(),
            "order_id": self.order_id.text() or None,
            "currency": self._currency_code(),
            "value": value,
            "items": self.items_model.to_input(),
            "email": self.email.text() or None,
            "email_sha256": self.email_sha256.text() or None,
            "customer_id": self.customer_id.text() or None,
            "madid": self.madid.text() or None,
        }

    def load_order(self, order: Mapping[str, Any]) -> None:
        """Fill the form from a canonical order input; unknown fields are kept (and flagged).

        A value the form would not read back exactly as given is kept as given (see above).
        """
        self._loading = True
        self._currency_typed = False
        try:
            self._pasted = {}
            for name in _TEXT_FIELDS:
                line = getattr(self, name)
                line.setText(shown_text(order.get(name)))
                line.setCursorPosition(0)  # a long hash shows its start, not its end
            self.event_name.setEditText(shown_text(order.get("event", "purchase")))
            self.currency.setEditText(shown_text(order.get("currency")))
            value = order.get("value")
            self.value.setText("" if value is None else shown_money(value, self._locale))
            self.items_model.load(order.get("items"))
            self._load_time(order.get("event_time"))
            shown = self._form_order()
            for name in (*_TEXT_FIELDS, "event", "currency", "value", "items"):
                pasted = order.get(name, "purchase" if name == "event" else None)
                unread = name == "value" and self.value.reading().problem is not None
                if unread or not _same_value(shown[name], pasted):
                    self._pasted[name] = pasted
            # The visit fields (gum_id, ip, …) have no widgets: carried through as pasted.
            self._extra = {
                k: v for k, v in order.items() if k not in ORDER_FIELDS or k in VISIT_FIELDS
            }
            self._started = True
        finally:
            self._loading = False
        self._recheck()

    def paste_order_json(self, text: str) -> bool:
        """Fill the form from order JSON text; on bad JSON say why and change nothing."""
        try:
            order = loads_json(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            where = (
                f" (line {exc.lineno}, column {exc.colno})"
                if isinstance(exc, json.JSONDecodeError)
                else ""
            )
            self._say(
                f"That is not valid JSON{where}, so the form was not changed. Copy the whole "
                "order, from its opening { to its closing }."
            )
            return False
        if not isinstance(order, dict):
            self._say(
                "The JSON is not an order (an object with order_id, currency, value, items…), "
                "so the form was not changed."
            )
            return False
        self.load_order(order)
        note = "The form was filled from the pasted order."
        if "event_time" not in order:
            note += " It had no event time: the time in the picker is used."
        self._say(note)
        return True

    def load_example_order(self) -> None:
        """The integration guide's example purchase, ready to send (to the sandbox first)."""
        from criteo_console.session import guide_example_order

        self.load_order(guide_example_order())
        self._say("The integration guide's example order is loaded: press “Send this order”.")

    def paste_order_from_clipboard(self) -> bool:
        return self.paste_order_json(QGuiApplication.clipboard().text())

    def focus_field(self, field: str) -> bool:
        """Move the keyboard focus to the field (``items[1].quantity`` selects that cell)."""
        cell = cell_for_field(field)
        if cell is not None or field == "items":
            view = self.items_view
            row, column = cell or (0, 0)
            if row < self.items_model.rowCount():
                index = self.items_model.index(row, column)
                view.setCurrentIndex(index)
                view.scrollTo(index)
            self.form_scroll.ensureWidgetVisible(view)
            view.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        widgets: dict[str, QWidget] = {
            "order_id": self.order_id,
            "event": self.event_name,
            "event_time": self.event_time,
            "currency": self.currency,
            "value": self.value,
            "email": self.email,
            "email_sha256": self.email_sha256,
            "customer_id": self.customer_id,
            "madid": self.madid,
        }
        target = widgets.get(field)
        if target is None:
            self.outside_field_requested.emit(field)
            return False
        self.form_scroll.ensureWidgetVisible(target)
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # -- item lines -------------------------------------------------------------------------

    def _selected_rows(self) -> list[int]:
        selection = self.items_view.selectionModel()
        rows = {index.row() for index in selection.selectedIndexes()}
        current = self.items_view.currentIndex()
        if not rows and current.isValid():
            rows.add(current.row())
        return sorted(rows)

    def add_line(self) -> None:
        current = self.items_view.currentIndex()
        row = self.items_model.add_row(current.row() if current.isValid() else None)
        self._edit_cell(row, 0)

    def duplicate_lines(self) -> None:
        new_rows = self.items_model.duplicate_rows(self._selected_rows())
        if new_rows:
            self.items_view.setCurrentIndex(self.items_model.index(new_rows[0], 0))

    def remove_lines(self) -> None:
        rows = self._selected_rows()
        self.items_model.remove_rows(rows)
        if self.items_model.rowCount():
            row = min(rows[0] if rows else 0, self.items_model.rowCount() - 1)
            self.items_view.setCurrentIndex(self.items_model.index(row, 0))

    def paste_rows(self, text: str | None = None) -> int:
        if text is None:
            text = QGuiApplication.clipboard().text()
        current = self.items_view.currentIndex()
        count = self.items_model.paste_rows(text, current.row() if current.isValid() else None)
        if count:
            self._say(f"{count} item line{'s' if count != 1 else ''} pasted.")
        else:
            self._say(
                "The clipboard holds no rows to paste. Copy cells from a spreadsheet: product id, "
                "price and quantity."
            )
        return count

    def _edit_cell(self, row: int, column: int) -> None:
        index = self.items_model.index(row, column)
        self.items_view.setCurrentIndex(index)
        self.items_view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.items_view.edit(index)

    # -- event time -------------------------------------------------------------------------

    @staticmethod
    def _local_qdatetime(moment: datetime) -> QDateTime:
        return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))

    def set_time_now(self) -> None:
        self.event_time.setDateTime(self._local_qdatetime(self._now()))
        self._on_time_changed()

    def _on_time_changed(self, *_: object) -> None:
        self._edited("event_time")

    def _load_time(self, raw: object) -> None:
        """Show a pasted time in the picker when it can; keep the pasted value either way."""
        if raw is None:
            return
        self._pasted["event_time"] = raw  # the picker holds neither its offset nor its precision
        try:
            moment = parse_event_time(raw)
        except (EventTimeError, ArithmeticError, ValueError, OverflowError):
            return
        shown = self._picker_range_moment(moment)
        if shown is not None:
            self.event_time.setDateTime(shown)

    def _picker_range_moment(self, moment: datetime) -> QDateTime | None:
        """The moment in the picker, or None before its first day or after its last."""
        try:
            shown = self._local_qdatetime(moment)
        except (OverflowError, ValueError, OSError):
            return None
        picker = self.event_time
        if not shown.isValid() or not (
            picker.minimumDateTime() <= shown <= picker.maximumDateTime()
        ):
            return None
        return shown

    def _picker_moment(self) -> datetime:
        seconds = self.event_time.dateTime().toSecsSinceEpoch()
        return datetime.fromtimestamp(seconds, UTC)

    def _event_time_text(self) -> str:
        return self._picker_moment().astimezone().isoformat(timespec="seconds")

    def _update_utc_label(self) -> None:
        text = f"= {self._picker_moment():%Y-%m-%d %H:%M:%S} UTC"
        if "event_time" in self._pasted:
            text = self._pasted_time_label(self._pasted["event_time"])
        if self.event_time_utc.text() != text:
            self.event_time_utc.setText(text)

    def _pasted_time_label(self, raw: object) -> str:
        try:
            moment = parse_event_time(raw)
            utc = moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "seconds")
        except (EventTimeError, ArithmeticError, ValueError, OverflowError):
            return "the pasted time cannot be read: pick the time of the sale"
        if self._picker_range_moment(moment) is None:
            return f"the pasted time ({utc} UTC) is outside the picker: kept as pasted"
        return f"= {utc} UTC"

    # -- checking ---------------------------------------------------------------------------

    def _currency_code(self) -> str | None:
        return currency_code_for(self.currency.currentText())

    def _rank_currencies(self, typed: str) -> None:
        self._currency_typed = True
        self._currency_suggestions.setStringList(ranked_currencies(typed))

    def _settle_currency(self) -> None:
        """A typed name that is exactly one currency's is shown as its entry ("EUR — Euro")."""
        # Only what the user typed: a pasted "EURO" stays as pasted, and reported.
        typed, self._currency_typed = self._currency_typed, False
        text = self.currency.currentText().strip()
        if not typed or not text or _SEP in text:
            return
        code = currency_code_for(text)
        for currency in all_currencies():
            if currency.code == code and currency.name.casefold() == text.casefold():
                self.currency.setEditText(_currency_entry(currency.code, currency.name))
                return

    def _entry_problems(self) -> dict[str, str]:
        problems = self.items_model.entry_problems()
        reading = self.value.reading()
        if reading.problem and "value" not in self._pasted:
            problems = {"value": f"Order value: {reading.problem}", **problems}
        return problems

    def _recheck(self, *_: object) -> None:
        if self._loading:
            return
        order, problems = self.current_order(), self._entry_problems()
        try:
            check = check_form(order, problems, self._context, now=self._now())
        except UnicodeError:
            # The core cannot hash text holding a lone surrogate (a broken pasted character);
            # say so on the field rather than crash or quietly drop the character.
            broken = {name: _BROKEN_TEXT for name in _TEXT_FIELDS if _has_surrogate(order[name])}
            for name in broken:
                order[name] = None
            check = check_form(order, {**problems, **broken}, self._context, now=self._now())
        self._check = check
        self.start_prompt.setVisible(not self._started)
        self.items_model.set_issues(check.issues if self._started else [])
        self._update_utc_label()
        self._update_sum(check)
        self.preview.show_check(
            check, email_entered=self.email.text().strip(), started=self._started
        )
        self.checked.emit(check)

    def _update_sum(self, check: OrderCheck) -> None:
        fmt = number_format(self._locale)
        total = check.items_total
        value = self.value.reading().amount
        shown_total = "—" if total is None else fmt.write(str(total))
        shown_value = "—" if value is None else fmt.write(str(value))
        text = f"Items total (price × qty) = {shown_total}   ·   order value = {shown_value}"
        if total is not None and value is not None:
            difference: Decimal = value - total
            if difference == 0:
                text += "   ·   they match"
            else:
                text += f"   ·   difference = {fmt.write(str(difference))}"
        if self.sum_label.text() != text:
            self.sum_label.setText(text)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))


__all__ = ["ComposeWorkspace", "PreviewPanel"]
