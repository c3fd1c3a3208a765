"""The event log page: every attempt, filterable, with its details and the Compare view."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from criteo_console.core import dumps_json, loads_json
from criteo_console.core.failures import reason_text
from criteo_console.core.verdict import evaluate_attempt
from criteo_console.session.report_files import WrittenReport
from criteo_console.storage.event_log import Attempt, EventLog, LogFilter
from criteo_console.storage.secrets import SecretStore
from criteo_console.ui.json_view import JsonView
from criteo_console.ui.log_model import LogModel, local_time, state_text
from criteo_console.ui.pages.compare import ComparePanel, ReceivedLookup
from criteo_console.ui.signoff_dialog import ReportDetails, SignoffDialog

_STATES = (
    ("All results", None),
    ("Accepted", "accepted"),
    ("Rejected by Criteo", "rejected"),
    ("Failed (not delivered)", "failed"),
    ("Sending or outcome unknown", "pending"),
)
_PERIODS = (
    ("Any time", None),
    ("Last 24 hours", timedelta(days=1)),
    ("Last 7 days", timedelta(days=7)),
    ("Last 30 days", timedelta(days=30)),
)
_SOURCES = (  # who sent it: this console, or the shop's own integration (Watch my shop)
    ("Any sender", None),
    ("Sent from here", "console"),
    ("Sent by the shop", "shop"),
)
SOURCE_NAMES = {"console": "this console", "shop": "the shop's integration (Watch my shop)"}
ALL_PROFILES = "All profiles"
# Typing pauses this long before the log is searched: one query per word, not per key.
SEARCH_DELAY_MS = 250


STEP_WORDS = {"ok": "ok", "failed": "failed", "warning": "warning", "skipped": "skipped"}


def steps_text(steps: list[object]) -> str:
    """The recorded steps as a plain list: step, result, message; HTTP exchanges one a line."""
    from criteo_console.session.progress import STEP_LABELS

    labels = {step.value: label for step, label in STEP_LABELS.items()}
    lines: list[str] = []
    for entry in steps:
        if not isinstance(entry, dict):
            continue
        if "method" in entry:
            lines.append("   " + _exchange_text(entry))
        elif "shop" in entry:
            lines.append("• The shop's order was recorded (for Compare)")
        elif "state" in entry:
            label = labels.get(str(entry.get("step")), str(entry.get("step", "step")))
            state = STEP_WORDS.get(str(entry["state"]), str(entry["state"]))
            message = entry.get("message") or ""
            lines.append(f"• {label}: {state}" + (f" — {message}" if message else ""))
    return "\n".join(lines)


def _exchange_text(entry: dict[str, object]) -> str:
    url = str(entry.get("url") or "")
    path = url.rstrip("/").rsplit("/", 1)[-1] if url else "?"
    status = entry.get("status")
    elapsed = entry.get("elapsed_ms")
    timing = f" in {float(elapsed):.0f} ms" if isinstance(elapsed, int | float) else ""
    answer = str(status) if status is not None else f"no answer ({entry.get('error') or 'none'})"
    tries = entry.get("attempt")
    again = f" (try {tries})" if isinstance(tries, int) and tries > 1 else ""
    return f"{entry.get('method', 'POST')} …/{path} → {answer}{timing}{again}"


NO_ANSWER_LABEL = "Console reference (Criteo did not answer):"


def _pretty(text: str | None) -> str:
    if not text:
        return ""
    try:
        return dumps_json(loads_json(text), indent=2)
    except (ValueError, TypeError):
        return text


class _FittingSplitter(QSplitter):
    """Asks for no more than it needs, so the page fits a 1024×640 laptop's window.

    The page sits in a scroll area that makes it as tall as its preferred height: with the
    tabs' preferred height the page was taller than the window, the sign-off button and its
    result were below the fold, and clicking a tab could scroll the page under the pointer.
    """

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()


class _FittingTable(QTableView):
    """The attempts table: its columns narrow together when the table is narrower than they
    are (a 2× screen leaves it about 490 pixels), so it never scrolls sideways; wide
    enough, they go back to their usual widths. The trace id keeps what is left."""

    WIDTHS = (140, 170, 90, 90, 90, 50)  # every column but the last (the trace id)
    TRACE_MIN = 110
    COLUMN_MIN = 40

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        room = self.viewport().width() - self.TRACE_MIN
        total = sum(self.WIDTHS)
        scale = min(1.0, room / total) if room > 0 else 0.0
        for column, width in enumerate(self.WIDTHS):
            self.setColumnWidth(column, max(self.COLUMN_MIN, int(width * scale)))


def _tab_scroll(widget: QWidget) -> QScrollArea:
    """A tab whose rows scroll inside it instead of making the whole page taller."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


class LogPage(QWidget):
    attempt_selected = Signal(int)

    def __init__(
        self,
        event_log: EventLog,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        secrets: SecretStore | None = None,
    ) -> None:
        super().__init__(parent)
        self._log = event_log
        self._now = now
        self._secrets = secrets  # where the report key is kept; opened on first report
        self._signoff_task: asyncio.Task[WrittenReport | None] | None = None
        self._report_folder = Path.home() / "Documents" / "criteo-signoff"
        self._current: Attempt | None = None
        self._export_task: asyncio.Task[int | None] | None = None
        self.model = LogModel(event_log, self)
        self._build()
        self.refresh()

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.state_filter = QComboBox()
        self.state_filter.setAccessibleName("Show results")
        for text, _state in _STATES:
            self.state_filter.addItem(text)
        self.profile_filter = QComboBox()
        self.profile_filter.setAccessibleName("Profile")
        self.profile_filter.addItem(ALL_PROFILES)
        self.source_filter = QComboBox()
        self.source_filter.setAccessibleName("Sent by")
        for text, _source in _SOURCES:
            self.source_filter.addItem(text)
        self.period_filter = QComboBox()
        self.period_filter.setAccessibleName("Period")
        for text, _period in _PERIODS:
            self.period_filter.addItem(text)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search order id or trace id")
        self.search.setAccessibleName("Search order id or trace id")
        self.search.setClearButtonEnabled(True)
        for button in self.search.findChildren(QToolButton):  # the icon-only clear button
            button.setAccessibleName("Clear the search")
        self.refresh_button = QPushButton("Re&fresh")
        self.export_button = QPushButton("E&xport…")
        self.export_button.setToolTip("Save the attempts shown as JSON Lines or CSV")
        filters = QHBoxLayout()
        for widget in (self.state_filter, self.profile_filter, self.period_filter):
            # Sized by a short entry (the list opens wide): the row fits a 2× screen.
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            widget.setMinimumContentsLength(9)
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Attempts with an unknown outcome")
        self.banner.hide()
        self.count_label = QLabel()
        self.count_label.setWordWrap(True)  # a long count must not widen the page at 2×
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        self.export_progress = QProgressBar()
        self.export_progress.setRange(0, 0)  # busy: the count is known only at the end
        self.export_progress.setMaximumHeight(12)
        self.export_progress.setTextVisible(False)
        self.export_progress.setAccessibleName("Exporting")
        self.export_progress.hide()

        self.table = _FittingTable()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Event log")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows: a sign-off report covers a set of test orders.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Narrow enough that HTTP and the trace id stay in view at 1024×640 (text elides).
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.fit_columns()
        selection = self.table.selectionModel()
        selection.selectionChanged.connect(self._on_selection)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.trace_id = QLineEdit()
        self.trace_id.setReadOnly(True)
        self.trace_id.setAccessibleName("Trace id")
        self.copy_trace = QPushButton("Copy &trace id")
        self.copy_trace.setToolTip("Copy the trace id: Criteo support asks for it")
        self.copy_trace.clicked.connect(self.copy_trace_id)
        trace_row = QHBoxLayout()
        trace_row.addWidget(self.trace_id, 1)
        trace_row.addWidget(self.copy_trace)
        self.signoff_button = QPushButton("Export &sign-off report…")
        self.signoff_button.setToolTip(
            "A signed report (PDF, HTML, JSON) of the selected attempts — select several with "
            "Ctrl or Shift. No secret, token or raw email is written."
        )
        self.signoff_button.clicked.connect(self.export_signoff)
        self.signoff_progress = QProgressBar()
        self.signoff_progress.setRange(0, 0)
        self.signoff_progress.setMaximumHeight(12)
        self.signoff_progress.setTextVisible(False)
        self.signoff_progress.setAccessibleName("Writing the sign-off report")
        self.signoff_progress.hide()
        signoff_row = QHBoxLayout()
        signoff_row.addWidget(self.signoff_progress, 1)
        signoff_row.addStretch()
        signoff_row.addWidget(self.signoff_button)
        self.signoff_result = QLabel()
        self.signoff_result.setWordWrap(True)
        self.signoff_result.setAccessibleName("Sign-off verdict")
        self.signoff_result.hide()
        summary_tab = QWidget()
        summary_layout = QFormLayout(summary_tab)
        summary_layout.addRow(self.summary)
        self.trace_label = QLabel("Trace id:")
        summary_layout.addRow(self.trace_label, trace_row)

        self.compare = ComparePanel()
        self.request_url = QLabel()
        self.request_url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.request_headers = JsonView()
        self.request_headers.setAccessibleName("Request headers (secrets hidden)")
        self.request_headers.setMaximumHeight(110)
        self.request_body = JsonView()
        self.request_body.setAccessibleName("Request body")
        request_tab = QWidget()
        request_layout = QVBoxLayout(request_tab)
        request_layout.addWidget(self.request_url)
        request_layout.addWidget(QLabel("Headers (the token is never stored):"))
        request_layout.addWidget(self.request_headers)
        request_layout.addWidget(QLabel("Body:"))
        request_layout.addWidget(self.request_body, 1)
        self.response_body = JsonView()
        self.response_body.setAccessibleName("Response")
        self.response_body.setPlaceholderText("No response was received.")
        self.steps = QPlainTextEdit()
        self.steps.setReadOnly(True)
        self.steps.setAccessibleName("Steps")
        self.steps.setPlaceholderText("No steps were recorded.")

        self.details = QTabWidget()
        self.details.addTab(_tab_scroll(summary_tab), "Summary")
        self.details.addTab(self.compare, "Compare")
        self.details.addTab(request_tab, "Request")
        self.details.addTab(self.response_body, "Response")
        self.details.addTab(self.steps, "Steps")

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(filters)
        upper_layout.addWidget(self.banner)
        upper_layout.addWidget(self.message)
        upper_layout.addWidget(self.export_progress)
        upper_layout.addWidget(self.table, 1)
        count_row = QHBoxLayout()  # the source filter sits here: the filter row is full
        count_row.addWidget(self.count_label, 1)
        count_row.addWidget(self.source_filter)
        # Refresh and Export act on the attempts counted here; on the filter row they pushed
        # the page wider than a 2× screen (720 logical pixels) and it scrolled sideways.
        count_row.addWidget(self.refresh_button)
        count_row.addWidget(self.export_button)
        upper_layout.addLayout(count_row)
        splitter = _FittingSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(upper)
        # Sign-off under the tabs: reachable whichever tab is open.
        self.signoff_box = QWidget()
        signoff_layout = QVBoxLayout(self.signoff_box)
        signoff_layout.setContentsMargins(0, 4, 0, 0)
        signoff_layout.addLayout(signoff_row)
        signoff_layout.addWidget(self.signoff_result)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.details, 1)
        lower_layout.addWidget(self.signoff_box)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.title = QLabel(
            "<h2>Event log</h2>Every attempt, written here before it is sent, with what came "
            "back. Select one to compare the shop's order, what was sent and what was answered."
        )
        self.title.setWordWrap(True)
        layout = QVBoxLayout(self)  # the same margins and heading as the other pages
        layout.addWidget(self.title)
        layout.addWidget(splitter, 1)

        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self._apply_filter)
        for combo in (
            self.state_filter,
            self.source_filter,
            self.profile_filter,
            self.period_filter,
        ):
            combo.currentIndexChanged.connect(self._apply_filter)
        self.search.textChanged.connect(self.search_timer.start)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.export)
        self.model.rowsInserted.connect(self._update_count)
        self.model.modelReset.connect(self._update_count)
        self._show_details(None)

    # -- public API -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the log (after a send); keeps the filter and, if possible, the selection."""
        selected = self._current.id if self._current else None
        self.model.reload()
        self._update_banner()
        if selected is not None and self.select_attempt(selected):
            return
        if self.model.rowCount() > 0:
            self._select_only(0)  # the newest: an empty detail pane explains nothing
        else:
            self._show_details(None)

    def select_attempt(self, attempt_id: int) -> bool:
        row = self.model.row_of(attempt_id)
        while row is None and self.model.canFetchMore():
            self.model.fetchMore()
            row = self.model.row_of(attempt_id)
        if row is None:
            return False
        self._select_only(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _select_only(self, row: int) -> None:
        # Not table.selectRow: with several rows selectable it reads the keyboard, and the Ctrl
        # of Ctrl+Enter (send) still held would toggle the row off instead of selecting it.
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
            | QItemSelectionModel.SelectionFlag.Current
        )
        self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)

    def set_received_lookup(self, lookup: ReceivedLookup | None) -> None:
        self.compare.set_received_lookup(lookup)
        self.compare.show_attempt(self._current)

    def set_profiles(self, names: list[str]) -> None:
        current = self.profile_filter.currentText()
        self.profile_filter.blockSignals(True)
        self.profile_filter.clear()
        self.profile_filter.addItem(ALL_PROFILES)
        self.profile_filter.addItems(names)
        index = self.profile_filter.findText(current)
        self.profile_filter.setCurrentIndex(max(index, 0))
        self.profile_filter.blockSignals(False)

    def current_attempt(self) -> Attempt | None:
        return self._current

    # -- filtering --------------------------------------------------------------------------

    def current_filter(self) -> LogFilter:
        state = _STATES[self.state_filter.currentIndex()][1]
        profile = self.profile_filter.currentText()
        period = _PERIODS[self.period_filter.currentIndex()][1]
        return LogFilter(
            profile=None if profile in ("", ALL_PROFILES) else profile,
            state=state,
            source=_SOURCES[self.source_filter.currentIndex()][1],
            since=None if period is None else self._now() - period,
            text=self.search.text().strip() or None,
        )

    def _apply_filter(self, *_: object) -> None:
        self.search_timer.stop()
        self._current = None
        self.model.set_filter(self.current_filter())
        self._show_details(None)

    def _update_count(self, *_: object) -> None:
        loaded, total = self.model.loaded(), self.model.total
        if total == 0:
            text = (
                "No attempts match."
                if self.current_filter() != LogFilter()
                else ("No attempts yet: sends appear here, newest first.")
            )
        elif loaded < total:
            text = f"Showing the newest {loaded} of {total} attempts; scroll down for more."
        else:
            text = f"{total} attempt{'s' if total != 1 else ''}."
        self.count_label.setText(text)

    def _update_banner(self) -> None:
        unknown = len(self._log.unresolved_attempts())
        if unknown:
            self.banner.setText(
                f"⚠ {unknown} attempt{'s' if unknown != 1 else ''} from an earlier session "
                f"{'have' if unknown != 1 else 'has'} an unknown outcome (the console closed "
                "while sending). Check in Criteo whether the order arrived before re-sending it."
            )
        self.banner.setVisible(bool(unknown))

    # -- details ----------------------------------------------------------------------------

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        rows = self.table.selectionModel().selectedRows()
        if indexes:
            attempt = self.model.attempt(indexes[0].row())
        else:  # a row left a multiple selection: show one that is still selected
            attempt = self.model.attempt(rows[-1].row()) if rows else None
        self._show_details(attempt)
        self.signoff_button.setEnabled(bool(rows))
        if attempt is not None:
            self.attempt_selected.emit(attempt.id)

    def selected_attempts(self) -> list[Attempt]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [a for a in (self.model.attempt(row) for row in rows) if a is not None]

    def _show_details(self, attempt: Attempt | None) -> None:
        self._current = attempt
        self.signoff_result.hide()
        self.details.setEnabled(attempt is not None)
        self.signoff_button.setEnabled(bool(self.table.selectionModel().selectedRows()))
        self.compare.show_attempt(attempt)
        if attempt is None:
            self.summary.setText("Select an attempt to see what was sent and what came back.")
            for view in (self.request_headers, self.request_body, self.response_body):
                view.set_json_text("")
            self.steps.clear()
            self.trace_id.clear()
            self.request_url.clear()
            self.copy_trace.setEnabled(False)
            return
        self.summary.setText(self._summary_html(attempt))
        # No HTTP answer: the id is the console's own reference, not one Criteo knows.
        answered = attempt.http_status is not None
        self.trace_label.setText("Trace id:" if answered else NO_ANSWER_LABEL)
        self.trace_id.setAccessibleName("Trace id" if answered else "Console reference")
        self.trace_id.setText(attempt.trace_id or "")
        self.copy_trace.setEnabled(bool(attempt.trace_id))
        self.request_url.setText(f"POST {attempt.request_url or '(address not recorded)'}")
        self.request_headers.set_json_text(json.dumps(attempt.request_headers, indent=2))
        self.request_body.set_json_text(_pretty(attempt.request_body))
        self.response_body.set_json_text(_pretty(attempt.response_body))
        self.steps.setPlainText(steps_text(attempt.steps or []))

    @staticmethod
    def _summary_html(attempt: Attempt) -> str:
        from html import escape

        def row(label: str, value: object) -> str:
            shown = "—" if value in (None, "") else escape(str(value))
            return f"<tr><td><b>{escape(label)}</b>&nbsp;&nbsp;</td><td>{shown}</td></tr>"

        state = state_text(attempt)
        if attempt.outcome_unknown:
            state = f"⚠ {state}"
        evaluation = evaluate_attempt(attempt.to_dict())  # the one verdict, as in the report
        where = evaluation.wording.name if evaluation.wording else "Criteo"
        rows = [
            row("Result", state),
            row("Verdict", evaluation.sentence),
            row("Why", reason_text(attempt.reason, where)),
            row("What it means", attempt.error_explanation),
            row("Attempted at", local_time(attempt.created_at)),
            row("Sent by", SOURCE_NAMES.get(attempt.source, attempt.source)),
            row("Profile", attempt.profile),
            row("Sent to", f"{where} ({attempt.request_url or 'address not recorded'})"),
            row("Advertiser", attempt.advertiser_id),
            row("Order", attempt.order_id),
            row("Value", f"{attempt.value or '—'} {attempt.currency or ''}".strip()),
            row("Identifiers", attempt.identifier_coverage),
            row("Token", attempt.token_step),
            row("Advertiser scope", attempt.scope_check),
            row("HTTP status", attempt.http_status),
            row("Time taken", None if attempt.latency_ms is None else f"{attempt.latency_ms} ms"),
            row("Tries", attempt.attempt_count),
        ]
        return "<table>" + "".join(rows) + "</table>"

    def copy_trace_id(self) -> None:
        if self._current and self._current.trace_id:
            QGuiApplication.clipboard().setText(self._current.trace_id)

    # -- export -----------------------------------------------------------------------------

    def _ask_export_path(self) -> tuple[Path, str] | None:
        path, chosen = QFileDialog.getSaveFileName(
            self,
            "Export the event log",
            "criteo-console-log.jsonl",
            "JSON Lines (*.jsonl);;CSV spreadsheet (*.csv)",
        )
        if not path:
            return None
        fmt = "csv" if path.lower().endswith(".csv") or "CSV" in chosen else "jsonl"
        return Path(path), fmt

    def export(self) -> asyncio.Task[int | None] | None:
        """Ask where, then save the attempts matching the filter without freezing the window.

        Returns the running export (None when the user cancelled the dialog or one is running).
        """
        if self.exporting():
            return None
        target = self._ask_export_path()
        if target is None:
            return None
        path, fmt = target
        self._export_task = asyncio.ensure_future(self.export_to(path, fmt))
        return self._export_task

    def exporting(self) -> bool:
        return self._export_task is not None and not self._export_task.done()

    async def export_to(self, path: Path, fmt: str) -> int | None:
        """Write the export in a worker thread; says how many and where, or what went wrong."""
        filters = self.model.current_filter()
        self.export_button.setEnabled(False)
        self.export_button.setText("Exporting…")
        self.export_progress.show()
        self._say(f"Exporting the attempts shown to {path}… you can keep working meanwhile.")
        try:
            count = await asyncio.to_thread(self._write_export, path, fmt, filters)
        except OSError as exc:
            self._say(
                f"The log could not be saved to {path} ({exc.strerror or exc}). Choose another "
                "folder or file name."
            )
            return None
        finally:
            self.export_progress.hide()
            self.export_button.setText("E&xport…")
            self.export_button.setEnabled(True)
        self._say(f"Exported {count} attempt{'s' if count != 1 else ''} to {path}.")
        return count

    def _write_export(self, path: Path, fmt: str, filters: LogFilter) -> int:
        # Runs off the UI thread: EventLog.export reads on its own connection.
        return self._log.export_to_file(path, "csv" if fmt == "csv" else "jsonl", filters)

    # -- sign-off report ----------------------------------------------------------------------

    def export_signoff(self) -> SignoffDialog | None:
        """Ask reviewer, client, agency and folder; then write the report in a worker thread."""
        from criteo_console.ui.signoff_dialog import SignoffDialog

        attempts = self.selected_attempts()
        if not attempts or self.writing_signoff():
            return None
        self.signoff_dialog = SignoffDialog(len(attempts), self._report_folder, self)
        self.signoff_dialog.accepted.connect(
            lambda: self._start_signoff([a.to_dict() for a in attempts])
        )
        self.signoff_dialog.open()
        return self.signoff_dialog

    def writing_signoff(self) -> bool:
        return self._signoff_task is not None and not self._signoff_task.done()

    def _start_signoff(self, records: list[dict[str, object]]) -> None:
        details = self.signoff_dialog.details()
        self._report_folder = details.folder
        self._signoff_task = asyncio.ensure_future(self.write_signoff(records, details))

    async def write_signoff(
        self, records: list[dict[str, object]], details: ReportDetails
    ) -> WrittenReport | None:
        """Write the three files off the window thread; say the verdict and where they are."""
        import criteo_console
        from criteo_console.core.report.document import ReportRequest
        from criteo_console.session.report_files import ReportRefused, write_signoff
        from criteo_console.ui.report_pdf import render_pdf

        request = ReportRequest(
            reviewer=details.reviewer,
            client=details.client,
            agency=details.agency,
            console_version=criteo_console.__version__,
            created_at=self._now(),
        )
        self.signoff_button.setEnabled(False)
        self.signoff_progress.show()
        self._show_signoff(f"Writing the sign-off report to {details.folder}…")
        try:
            written = await asyncio.to_thread(
                write_signoff,
                records,
                request,
                details.folder,
                self._report_secrets(),
                _on_window_thread(render_pdf, asyncio.get_running_loop()),
            )
        except ReportRefused as exc:
            self._show_signoff(str(exc))
            return None
        except OSError as exc:
            self._show_signoff(
                f"The report could not be saved to {details.folder} ({exc.strerror or exc}). "
                "Choose another folder."
            )
            return None
        finally:
            self.signoff_progress.hide()
            self.signoff_button.setEnabled(bool(self.selected_attempts()))
        note = f" {written.key_note}" if written.key_note else ""
        self._show_signoff(
            f"{written.sentence} Written to {written.folder}: signoff.pdf, signoff.html, "
            f"signoff.json (key {written.fingerprint}).{note}"
        )
        return written

    def _report_secrets(self) -> SecretStore:
        if self._secrets is None:
            from criteo_console.storage.secrets import open_secret_store

            self._secrets = open_secret_store()
        return self._secrets

    def _show_signoff(self, text: str) -> None:
        self.signoff_result.setText(text)
        self.signoff_result.show()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))


__all__ = ["LogPage"]


def _on_window_thread(
    render: Callable[[Mapping[str, Any], bytes], bytes], loop: asyncio.AbstractEventLoop
) -> Callable[[Mapping[str, Any], bytes], bytes]:
    """The PDF is drawn on the window's thread: text layout in a worker thread is unsupported
    on platforms without threaded font rendering and once deadlocked the window; the worker
    waits for the drawing while building, signing and writing stay off the window thread."""

    def render_there(document: Mapping[str, Any], attachment: bytes) -> bytes:
        async def draw() -> bytes:
            return render(document, attachment)

        return asyncio.run_coroutine_threadsafe(draw(), loop).result()

    return render_there
