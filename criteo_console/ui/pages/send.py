"""Send: validate only (the default), or send with per-step progress and the answer.

Every word about the destination and every result headline come from the run state
(``session/runstate.py``): this page draws them, it decides nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from criteo_console.core import Issue, OrderCheck
from criteo_console.session.progress import STEP_LABELS, Progress, Step, StepState
from criteo_console.session.reports import SendReport, SendStatus
from criteo_console.ui import shortcuts, theme
from criteo_console.ui.question_bar import QuestionBar
from criteo_console.ui.service import ConsoleService

if TYPE_CHECKING:
    from criteo_console.storage import Profile

ICONS = {
    StepState.RUNNING: "…",
    StepState.OK: "✓",
    StepState.WARNING: "⚠",
    StepState.FAILED: "✗",
    StepState.SKIPPED: "–",
}
REAL = "a real conversion"  # in bold wherever the target sentence says it
TRACE_LABEL = "&Trace id:"


def trace_placeholder(title: str) -> str:
    """In the destination's words: "The sandbox's trace id appears here after a send"."""
    return f"{title}'s trace id appears here after a send"


TRACE_PLACEHOLDER = trace_placeholder("Criteo")
NO_ANSWER_LABEL = "Console reference (Criteo did not answer):"


class SendPage(QWidget):
    issue_clicked = Signal(str)  # the input field an issue names
    open_log = Signal(int)  # attempt id
    open_connect = Signal()

    def __init__(
        self,
        service: ConsoleService,
        current_order: Callable[[], dict[str, Any]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.current_order = current_order
        self._check: OrderCheck | None = None
        self._last_attempt: int | None = None
        self._running_now = False
        self._cancelling = False
        self._sent_for: str | None = None  # the profile the last send went out with

        title = QLabel(
            "<h2>Send</h2>“Validate only” checks the order on this computer and sends nothing. "
            "Criteo has no test mode: everything sent to a real profile is a real conversion."
        )
        title.setWordWrap(True)
        self.target_label = QLabel()
        self.target_label.setWordWrap(True)
        self.order_label = QLabel("No order composed yet.")
        self.order_label.setWordWrap(True)
        self.issues = QListWidget()
        self.issues.setAccessibleName("Problems with the order")
        # Long warnings wrap (no sideways scrolling); up to four fit, more scroll.
        self.issues.setWordWrap(True)
        self.issues.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.issues.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.issues.hide()

        self.validate_button = QPushButton("&Validate only")
        self.validate_button.setDefault(True)
        self.send_button = QPushButton("Send to &Criteo")
        self.send_button.setToolTip(shortcuts.with_keys("Send the order", "send"))
        self.cancel_button = QPushButton("Cancel send")
        self.cancel_button.setToolTip(shortcuts.with_keys("Cancel the send", "cancel_send"))
        self.cancel_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.validate_button)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.cancel_button)
        # Why "Send" is greyed out, in words beside it (a tooltip is out of a keyboard
        # user's reach).
        self.send_reason = QLabel()
        self.send_reason.setWordWrap(True)
        self.send_reason.setAccessibleName("Why sending is not possible")
        buttons.addWidget(self.send_reason, 1)

        # The last Test connection failed for this very profile: say so, and where to fix it.
        self.blocked_bar = QFrame()
        self.blocked_bar.setObjectName("blockedBar")
        self.blocked_text = QLabel()
        self.blocked_text.setWordWrap(True)
        self.blocked_text.setAccessibleName("Why sending is blocked")
        self.go_connect = QPushButton("Go to Co&nnect")
        blocked_layout = QHBoxLayout(self.blocked_bar)
        blocked_layout.addWidget(self.blocked_text, 1)
        blocked_layout.addWidget(self.go_connect)
        self.blocked_bar.hide()

        self.confirm_bar = QuestionBar("Yes, send a real conversion", "Don't send")
        self.duplicate_bar = QuestionBar("Send it again anyway", "Don't send")

        self.steps = QListWidget()
        self.steps.setAccessibleName("Send progress, step by step")
        self.steps.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.setWordWrap(True)
        self.steps.hide()  # shown, as tall as its rows, once a step is reported
        self.steps.installEventFilter(self)
        self.issues.installEventFilter(self)
        self.headline = QLabel()
        headline_font = self.headline.font()
        headline_font.setPointSizeF(headline_font.pointSizeF() * 1.25)
        headline_font.setBold(True)
        self.headline.setFont(headline_font)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.trace_edit = QLineEdit()
        self.trace_edit.setReadOnly(True)
        self.trace_edit.setAccessibleName("Trace id")
        self.trace_edit.setPlaceholderText(TRACE_PLACEHOLDER)
        self.copy_trace = QToolButton()
        self.copy_trace.setText("Copy")
        self.copy_trace.setAccessibleName("Copy the trace id")
        self.copy_trace.setToolTip("Copy the trace id (Criteo support asks for it)")
        self.timing = QLabel()
        self.raw = QPlainTextEdit()
        self.raw.setReadOnly(True)
        self.raw.setAccessibleName("Criteo's raw response")
        self.raw.setPlaceholderText("Criteo's exact answer appears here.")
        self.raw.setMinimumHeight(120)
        self.log_button = QPushButton("Open in the event &log")
        self.log_button.setEnabled(False)

        trace_row = QHBoxLayout()
        self.trace_label = QLabel(TRACE_LABEL)
        self.trace_label.setBuddy(self.trace_edit)
        trace_row.addWidget(self.trace_label)
        trace_row.addWidget(self.trace_edit, 1)
        trace_row.addWidget(self.copy_trace)
        trace_row.addWidget(self.timing)

        result_box = QGroupBox("Result")
        result_layout = QVBoxLayout(result_box)
        # The outcome first, then why, then each step: at 2× the steps filled the view and the
        # "accepted" headline was below the fold.
        result_layout.addWidget(self.headline)
        result_layout.addWidget(self.explanation)
        result_layout.addWidget(self.steps)
        result_layout.addLayout(trace_row)
        self.raw_label = QLabel("Criteo's raw response:")
        result_layout.addWidget(self.raw_label)
        result_layout.addWidget(self.raw, 1)  # the raw answer takes the room that is left
        log_row = QHBoxLayout()
        log_row.addStretch(1)
        log_row.addWidget(self.log_button)
        result_layout.addLayout(log_row)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.target_label)
        layout.addWidget(self.order_label)
        layout.addWidget(self.issues)
        layout.addWidget(self.blocked_bar)
        layout.addLayout(buttons)
        layout.addWidget(self.confirm_bar)
        layout.addWidget(self.duplicate_bar)
        layout.addWidget(result_box, 1)

        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self.request_send)
        QShortcut(QKeySequence(shortcuts.keys("send")), self).activated.connect(self.request_send)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self).activated.connect(self.cancel_send)

        self.validate_button.clicked.connect(self.validate_only)
        self.send_button.clicked.connect(self.request_send)
        self.cancel_button.clicked.connect(self.cancel_send)
        self.confirm_bar.confirm.clicked.connect(self._confirmed)
        self.duplicate_bar.confirm.clicked.connect(self._send_duplicate)
        self.copy_trace.clicked.connect(self._copy_trace)
        self.issues.itemActivated.connect(self._issue_activated)
        self.issues.itemClicked.connect(self._issue_activated)
        self.log_button.clicked.connect(self._open_log)
        self.go_connect.clicked.connect(self.open_connect)
        service.profile_selected.connect(self._profile)
        service.connection_tested.connect(lambda _report: self._update_buttons())
        service.credentials_changed.connect(self._forget_result)
        service.run_state_changed.connect(self._run_state)
        service.send_progress.connect(self._progress)
        service.send_finished.connect(self._finished)
        service.send_running.connect(self._running)
        if service.profile is not None:  # built after the profile was chosen
            self._profile(service.profile)
        self._update_buttons()

    # -- state -----------------------------------------------------------------------------

    @Slot(object)
    def _profile(self, profile: Profile) -> None:
        from criteo_console.core.destinations import get_destination

        destination = get_destination(profile.destination)
        state = self.service.run_state
        where = _esc(state.target_sentence(embedded=profile.uses_embedded_sandbox)).replace(
            REAL, f"<b>{REAL}</b>"
        )
        if destination.uses_oauth:
            who = f"advertiser <b>{profile.advertiser_id}</b>, API {profile.api_version}"
        else:
            who = f"partner account <b>{_esc(profile.events.account)}</b>, no token"
        self.target_label.setText(
            f"Profile <b>{_esc(profile.name)}</b>, {who}: sends go to the "
            f"<b>{_esc(destination.label)}</b> at {where}."
        )
        self.confirm_bar.hide()
        self.duplicate_bar.hide()
        self._update_buttons()

    def set_check(self, check: OrderCheck) -> None:
        self._check = check
        self.confirm_bar.hide()
        self.duplicate_bar.hide()
        order = check.order
        if order is not None:
            value = f"{order.value} {order.currency}" if order.value is not None else "no value"
            self.order_label.setText(
                f"Order <b>{_esc(order.order_id or '—')}</b>: {value}, {len(order.items)} "
                f"item line(s), {check.coverage.label}."
            )
        else:
            count = len(check.errors)
            self.order_label.setText(
                f"The order has {count} problem{'s' if count != 1 else ''}; fix "
                f"{'it' if count == 1 else 'them'} on the Compose page (click one to go there)."
            )
        self.issues.clear()
        for issue in check.issues:
            self.issues.addItem(_issue_item(issue))
        self.issues.setVisible(bool(check.issues))
        self._fit_issues()
        self._update_buttons()

    def _fit_issues(self) -> None:
        self.issues.doItemsLayout()
        shown = min(self.issues.count(), 4)
        rows = sum(self.issues.visualItemRect(self.issues.item(r)).height() for r in range(shown))
        self.issues.setFixedHeight(rows + 2 * self.issues.frameWidth() + 4)

    def _update_buttons(self) -> None:
        running = self._running_now
        valid = self._check is not None and self._check.ok
        unusable = self.service.no_session_reason()
        blocked = self.service.connect_blocker()
        self.blocked_text.setText(f"✗ {blocked}" if blocked else "")
        if blocked:
            self.blocked_bar.setStyleSheet(
                f"#blockedBar {{ border: 2px solid {theme.color(theme.FAIL_COLOR)}; "
                "border-radius: 4px; }"
            )
        self.blocked_bar.setVisible(blocked is not None)
        if unusable is None and blocked is not None:
            unusable = "Fix the connection on the Connect page first."
        self.send_button.setEnabled(valid and not running and unusable is None)
        self.validate_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        reason = ""
        if running:
            reason = ""
        elif unusable is not None:
            reason = unusable
        elif self._check is None:
            reason = "Compose an order first."
        elif not valid:
            reason = "Fix the order's problems first."
        self.send_reason.setText(reason)
        self.send_reason.setVisible(bool(reason))
        wording = self.service.run_state.wording
        send_words = wording.send_button
        self.send_button.setText(send_words)
        self.raw_label.setText(f"{wording.title}'s raw response:")
        self.raw.setAccessibleName(f"{wording.title}'s raw response")
        self.raw.setPlaceholderText(f"{wording.title}'s exact answer appears here.")
        if self.trace_label.text() == TRACE_LABEL:  # not the console's own reference
            self.trace_edit.setPlaceholderText(trace_placeholder(wording.title))
        self.send_button.setToolTip(reason or shortcuts.with_keys(send_words, "send"))

    # -- actions ---------------------------------------------------------------------------

    @Slot()
    def validate_only(self) -> None:
        check = self._check
        self._clear_steps()
        self.raw.clear()
        self._show_trace("", answered=True)
        self.timing.clear()
        if check is None:
            self._headline(False, "Nothing to validate yet", "Compose an order first.")
            return
        if check.ok:
            warnings = len(check.warnings)
            extra = f" {warnings} warning(s) are listed above." if warnings else ""
            send_words = self.service.run_state.wording.send_button
            self._headline(
                True,
                "The order is valid",
                f"Nothing was sent. It is ready to send: press “{send_words}”." + extra,
            )
        else:
            headline = self.service.run_state.headline(SendStatus.INVALID)
            self._headline(False, headline, self.order_label.text())

    @Slot()
    def request_send(self) -> None:
        if not self.send_button.isEnabled():
            unusable = self.service.no_session_reason() or self.service.connect_blocker()
            if self._check is not None and not self._check.ok:
                self.validate_only()
            elif unusable is not None and not self._running_now:
                self._headline(False, "Nothing was sent", unusable)
            return
        profile = self.service.profile
        if profile is not None and self.service.sends_real_conversions():
            account = self._check.order.advertiser_id if self._check and self._check.order else None
            self.confirm_bar.ask(
                f"This creates a <b>real conversion</b> in advertiser "
                f"{account or profile.advertiser_id}'s Criteo account; Criteo cannot delete it. "
                "Send it?"
            )
            return
        self._start(allow_duplicate=False)

    @Slot()
    def _confirmed(self) -> None:
        self.confirm_bar.hide()
        self._start(allow_duplicate=False)

    @Slot()
    def _send_duplicate(self) -> None:
        self.duplicate_bar.hide()
        self._start(allow_duplicate=True)

    def _start(self, *, allow_duplicate: bool) -> None:
        self._clear_steps()
        self.raw.clear()
        self._show_trace("", answered=True)
        self.timing.clear()
        self.headline.setText("Sending…")
        self.headline.setStyleSheet("")
        self.explanation.clear()
        self._cancelling = False
        self._sent_for = self.service.profile.name if self.service.profile else None
        self.service.send(self.current_order(), allow_duplicate=allow_duplicate)

    @Slot()
    def cancel_send(self) -> None:
        if self.service.cancel_send():
            self._cancelling = True
            self._headline(
                False,
                self.service.run_state.headline(SendStatus.CANCELLED),
                "Cancelling… the event log keeps a row.",
            )

    # -- progress and result ---------------------------------------------------------------

    @Slot(bool)
    def _running(self, running: bool) -> None:
        self._running_now = running
        self._update_buttons()
        if not running and self._cancelling:
            self._cancelling = False
            self.explanation.setText(
                "The send was cancelled. If it was already on its way it may have reached "
                "Criteo: the event log says so; check Criteo before re-sending."
            )

    @Slot(object)
    def _progress(self, progress: Progress) -> None:
        label = STEP_LABELS[progress.step]
        text = f"{ICONS[progress.state]} {label}: {progress.message}"
        for row in range(self.steps.count()):
            item = self.steps.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == progress.step.value:
                item.setText(text)
                self._fit_steps()
                return
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, progress.step.value)
        self.steps.addItem(item)
        self._fit_steps()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.steps and event.type() == QEvent.Type.Resize and self.steps.count():
            self._fit_steps()  # rows re-wrap at a new width (same height: no further resize)
        if watched is self.issues and event.type() == QEvent.Type.Resize and self.issues.count():
            self._fit_issues()
        return super().eventFilter(watched, event)

    def _clear_steps(self) -> None:
        self.steps.clear()
        self.steps.hide()

    def _fit_steps(self) -> None:
        """As tall as its rows: no empty box under six short lines, no scrolling either."""
        self.steps.doItemsLayout()  # re-wrap at the current width before measuring
        items = (self.steps.item(row) for row in range(self.steps.count()))
        rows = sum(self.steps.visualItemRect(item).height() for item in items)
        self.steps.setFixedHeight(rows + 2 * self.steps.frameWidth() + 4)
        self.steps.show()

    @Slot()
    def _forget_result(self) -> None:
        """Another profile (or other credentials): the last result says nothing about it."""
        if not self._running_now:
            self._clear_result()
        self._update_buttons()

    @Slot(object)
    def _run_state(self, _state: object) -> None:
        self._update_buttons()

    def _clear_result(self) -> None:
        self._clear_steps()
        self.raw.clear()
        self._show_trace("", answered=True)
        self.timing.clear()
        self.headline.clear()
        self.headline.setStyleSheet("")
        self.explanation.clear()
        self._last_attempt = None
        self.log_button.setEnabled(False)

    @Slot(object)
    def _finished(self, report: SendReport) -> None:
        self._update_buttons()
        current = self.service.profile.name if self.service.profile else None
        if self._sent_for is not None and self._sent_for != current:
            # Not this profile's result: say where it is, never show it as this one's.
            self._clear_result()
            self.explanation.setText(
                f"The send for profile {self._sent_for} finished after you switched to "
                f"{current}; its result is in the event log."
            )
            return
        view = self.service.run_state.result_view(report)
        if report.status is SendStatus.DUPLICATE:
            self._headline(False, view.headline, view.explanation, warn=True)
            self.duplicate_bar.ask(view.explanation)
            return
        self._headline(
            view.mark == "ok", view.headline, view.explanation, warn=view.mark == "warning"
        )
        attempt = report.attempt
        if attempt is not None:
            self._last_attempt = attempt.id
            self.log_button.setEnabled(True)
            self._show_trace(attempt.trace_id or "", answered=attempt.http_status is not None)
            status = f"HTTP {attempt.http_status}" if attempt.http_status else "no answer"
            timing = f"{attempt.latency_ms} ms" if attempt.latency_ms is not None else "—"
            tries = f", {attempt.attempt_count} tries" if attempt.attempt_count > 1 else ""
            self.timing.setText(f"{status} · {timing}{tries} · attempt #{attempt.id}")
            where = self.service.run_state.wording.name
            self.raw.setPlainText(_pretty(attempt.response_body) or f"(no answer from {where})")
        result = report.result
        if result is not None and result.deprecation:
            self.explanation.setText(self.explanation.text() + "\n⚠ " + result.deprecation)

    def _show_trace(self, trace_id: str, *, answered: bool) -> None:
        """Criteo's trace id only when Criteo answered; otherwise the console's own reference,
        named so nobody quotes it to Criteo support as theirs."""
        self.trace_label.setText(TRACE_LABEL if answered else NO_ANSWER_LABEL)
        self.trace_edit.setAccessibleName("Trace id" if answered else "Console reference")
        title = self.service.run_state.wording.title
        self.trace_edit.setPlaceholderText(trace_placeholder(title) if answered else "")
        self.trace_edit.setText(trace_id)

    def _headline(self, ok: bool, head: str, text: str, *, warn: bool = False) -> None:
        table = theme.WARN_COLOR if warn else theme.OK_COLOR if ok else theme.FAIL_COLOR
        self.headline.setText(("✓ " if ok else "⚠ " if warn else "✗ ") + head)
        self.headline.setStyleSheet(f"color: {theme.color(table)}")
        self.explanation.setText(text)

    @Slot()
    def _copy_trace(self) -> None:
        if self.trace_edit.text():
            QGuiApplication.clipboard().setText(self.trace_edit.text())

    @Slot(QListWidgetItem)
    def _issue_activated(self, item: QListWidgetItem) -> None:
        self.issue_clicked.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    @Slot()
    def _open_log(self) -> None:
        if self._last_attempt is not None:
            self.open_log.emit(self._last_attempt)


def _issue_item(issue: Issue) -> QListWidgetItem:
    icon = "✗" if issue.level.value == "error" else "⚠"
    item = QListWidgetItem(f"{icon} {issue.message}")
    item.setData(Qt.ItemDataRole.UserRole, issue.field)
    item.setToolTip(f"Field: {issue.field or 'the whole order'} — click to go there")
    return item


def _pretty(body: str | None) -> str:
    """Criteo's answer indented, every number exactly as received (149.90 stays 149.90)."""
    from criteo_console.core import dumps_json, loads_json

    if not body:
        return ""
    try:
        return dumps_json(loads_json(body), indent=2)
    except (ValueError, TypeError, ArithmeticError):
        return body


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["SendPage", "Step"]
