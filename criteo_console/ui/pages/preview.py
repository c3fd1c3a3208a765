"""The live preview beside Compose: issues, the email ladder, coverage, the exact body.

It only displays an ``OrderCheck`` computed by the core; every update touches only what
changed (issue rows edited in place, JSON lines diffed), so it keeps up with typing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from criteo_console.core import EmailLadder, Issue, Level, OrderCheck, dumps_json
from criteo_console.core.destinations import DEFAULT_DESTINATION, Destination, get_destination
from criteo_console.core.emailforms import FORM_LABELS, FORM_NAMES, EmailForms
from criteo_console.ui.json_view import JsonView

MASK = "•••"
START_PROMPT = "Start by typing the order id, or paste the order JSON."
FIELD_ROLE = Qt.ItemDataRole.UserRole + 1
ISSUES_IN_VIEW = 4


# A digest is shown in lines of this many characters: whole in a narrow panel (64 = 2 lines).
DIGEST_LINE = 32


def mask_email(text: str) -> str:
    """A recognisable mask: ``john.doe@example.com`` -> ``j•••.d••@e••••••.com``.

    The first character of each part is kept (and the top-level domain), so a typo in the
    wrong name or domain can be spotted without the address being readable.
    """
    text = text.strip()
    if not text:
        return MASK
    local, at, domain = text.rpartition("@")
    if not at:
        local, domain = text, ""

    def hide(part: str) -> str:
        return ".".join(p[:1] + "•" * max(len(p) - 1, 0) for p in part.split("."))

    shown = hide(local)
    if at:
        head, dot, tld = domain.rpartition(".")
        shown += "@" + (f"{hide(head)}.{tld}" if dot and head else hide(domain))
    return shown


def ladder_rows(
    ladder: EmailLadder,
    forms: EmailForms | None = None,
    destination: Destination | None = None,
) -> list[tuple[str, str, str]]:
    """(step, what is shown, what the step did); the address is only shown masked. The
    hashed forms end the ladder, each marked with whether the destination sends it."""
    destination = destination or get_destination(DEFAULT_DESTINATION)
    forms = forms or EmailForms(sha256=ladder.digest)
    if ladder.already_hashed:
        hashed = ("As typed", MASK, "already a SHA-256 hash, used as is, not hashed twice")
        return [hashed, *digest_rows(forms, destination)]
    removed = len(ladder.raw) - len(ladder.trimmed)
    trim_note = (
        f"{removed} space{'s' if removed != 1 else ''} removed" if removed else "nothing to trim"
    )
    lower_note = (
        "upper-case letters lowered" if ladder.lowered != ladder.trimmed else "already lower-case"
    )
    return [
        ("As typed", mask_email(ladder.raw), "kept on this computer only"),
        ("Trimmed", mask_email(ladder.trimmed), trim_note),
        ("Lower-cased", mask_email(ladder.lowered), lower_note),
        *digest_rows(forms, destination),
    ]


def sent_summary(destination: Destination) -> str:
    """One line under the ladder: which forms go out, and where in the body."""
    fields = destination.email_fields
    sent = ", ".join(f"{FORM_LABELS[form]} as {field}" for form, field in fields.items())
    kept = [FORM_LABELS[form] for form in FORM_NAMES if form not in fields]
    shown_only = f"; {' and '.join(kept)} shown here only" if kept else ""
    return f"Sent to the {destination.label}: {sent}{shown_only}."


def digest_rows(forms: EmailForms, destination: Destination) -> list[tuple[str, str, str]]:
    """SHA-256, MD5, SHA-256(MD5): the value and whether (and where) it is sent."""
    fields = destination.email_fields
    sent_labels = " and ".join(FORM_LABELS[f] for f in fields)
    rows = []
    for form in FORM_NAMES:
        value, field = forms.get(form), fields.get(form)
        if value is None and field is None:
            continue
        if value is None:
            note = "✗ cannot be computed from a SHA-256: enter the address to send it"
        elif field is not None:
            note = f"✓ sent to Criteo as {field}"
        else:
            note = f"✗ not sent: the {destination.label} takes {sent_labels} only"
        rows.append((FORM_LABELS[form], value or "—", note))
    return rows


def _icon(level: Level | None) -> Any:
    style = QApplication.style()
    pixmap = {
        Level.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
        Level.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
        None: QStyle.StandardPixmap.SP_DialogApplyButton,
    }[level]
    return style.standardIcon(pixmap)


def issue_text(issue: Issue) -> str:
    return f"{'Error' if issue.level is Level.ERROR else 'Warning'}: {issue.message}"


def summary_text(check: OrderCheck) -> tuple[Level | None, str]:
    errors, warnings = len(check.errors), len(check.warnings)
    if errors:
        parts = f"{errors} error{'s' if errors != 1 else ''}"
        if warnings:
            parts += f" and {warnings} warning{'s' if warnings != 1 else ''}"
        return Level.ERROR, f"Not ready: {parts}. Fix the errors below to send this order."
    if warnings:
        plural = "s" if warnings != 1 else ""
        return Level.WARNING, f"Ready to send, with {warnings} warning{plural} to review below."
    return None, "Ready to send: no problems found."


_NO_BODY_ERRORS = (
    "No request body yet: the order has errors (listed above). Fix them and the exact "
    "body Criteo will receive appears here."
)
_NO_BODY_YET = "The exact body Criteo will receive appears here once the order is complete."

_SENTINEL = "\u0000items\u0000"


class _ItemsText:
    """Pretty JSON of a payload, reusing the text of an unchanged ``item`` list.

    With a thousand lines the item list is most of the body and rarely what a keystroke
    changed; it is re-encoded only when it differs, then spliced into the rest.
    """

    def __init__(self) -> None:
        self._key: tuple[Any, ...] | None = None
        self._text = ""

    def dumps(self, payload: dict[str, Any]) -> str:
        try:
            attributes = payload["data"][0]["attributes"]
            items = attributes["transaction_data"]["item"]
        except (KeyError, IndexError, TypeError):
            return dumps_json(payload, indent=2)
        if len(items) < 20:
            return dumps_json(payload, indent=2)
        key = tuple((item["id"], item["price"], item["quantity"]) for item in items)
        if key != self._key:
            # "item" sits 5 levels deep: data > [0] > attributes > transaction_data > item.
            self._text = dumps_json(items, indent=2).replace("\n", "\n" + " " * 10)
            self._key = key
        transaction = {**attributes["transaction_data"], "item": _SENTINEL}
        shell = {
            **payload,
            "data": [
                {
                    **payload["data"][0],
                    "attributes": {**attributes, "transaction_data": transaction},
                }
            ],
        }
        return dumps_json(shell, indent=2).replace(dumps_json(_SENTINEL), self._text, 1)


class PreviewPanel(QWidget):
    """Shows an ``OrderCheck``; ``issue_activated(field)`` when an issue is clicked or entered."""

    issue_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._issues: list[Issue] = []
        self._payload: object = object()  # never equal to a real payload
        self._ladder_key: tuple[str, ...] | None = None
        self._issue_room = True  # the problems list may take room (there are problems)
        self._prompting = False  # nothing typed yet: a prompt instead of the problems

        self.summary_icon = QLabel()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Order status")
        top = QHBoxLayout()
        top.addWidget(self.summary_icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.summary, 1)

        self.issue_list = QListWidget()
        self.issue_list.setWordWrap(True)
        self.issue_list.setAccessibleName("Problems with the order")
        self.issue_list.setToolTip("Click a problem, or select it and press Enter, to go to it")
        self.issue_list.itemActivated.connect(self._activate)
        self.issue_list.itemClicked.connect(self._activate)
        self.issue_list.viewport().installEventFilter(self)
        issues_box = QGroupBox("Problems to fix")
        QVBoxLayout(issues_box).addWidget(self.issue_list)

        self.coverage = QLabel()
        self.coverage.setWordWrap(True)
        self.coverage.setAccessibleName("Identifier coverage")
        self.email_grid = QGridLayout()
        self.email_grid.setColumnStretch(1, 1)
        self._ladder_labels: list[tuple[QLabel, QLabel]] = []
        for line in range(6):  # three normalisation steps, three hashed forms
            step_label, value_label = QLabel(), QLabel()
            # Lines are broken by hand (value, then its note): a grid does not give wrapped
            # labels their height, and the splitter then cuts the ladder off.
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.email_grid.addWidget(step_label, line, 0, Qt.AlignmentFlag.AlignTop)
            self.email_grid.addWidget(value_label, line, 1)
            self._ladder_labels.append((step_label, value_label))
        self.copy_hash = QToolButton()
        self.copy_hash.setText("Copy")
        self.copy_hash.setAccessibleName("Copy the email's SHA-256")
        self.copy_hash.setToolTip("Copy the email's SHA-256 (64 characters, as sent)")
        self.copy_hash.clicked.connect(self._copy_hash)
        self.copy_hash.hide()
        self._digest = ""
        self.email_sent = QLabel()
        self.email_sent.setWordWrap(True)
        self.email_sent.setAccessibleName("Which email forms are sent")
        ids_box = QGroupBox("Shopper identifiers")
        ids_layout = QVBoxLayout(ids_box)
        ids_layout.addWidget(self.coverage)
        ids_layout.addLayout(self.email_grid)
        ids_layout.addWidget(self.email_sent)

        self.json_view = JsonView()
        self.json_view.setAccessibleName("Exact request body")
        self.no_body = QLabel(_NO_BODY_ERRORS)
        self.no_body.setWordWrap(True)
        self.no_body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.no_body.setMargin(8)
        self.body_stack = QStackedWidget()
        self.body_stack.addWidget(self.json_view)
        self.body_stack.addWidget(self.no_body)
        self._items_cache = _ItemsText()
        self.copy_button = QPushButton("&Copy request body")
        self.copy_button.setToolTip(
            "Copy the JSON body (it holds the email's hash, never the email)"
        )
        self.copy_button.clicked.connect(self.copy_payload)
        body_box = QGroupBox("Exact request body")
        body_layout = QVBoxLayout(body_box)
        body_layout.addWidget(self.body_stack, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        body_layout.addLayout(buttons)

        self._issues_box = issues_box
        self._ids_box = ids_box
        ids_box.installEventFilter(self)  # re-measure the wrapped ladder at each new width
        self._upper = upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top)
        upper_layout.addWidget(issues_box, 1)
        upper_layout.addWidget(ids_box)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(upper)
        splitter.addWidget(body_box)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.setTabOrder(self.issue_list, self.json_view)
        self.setTabOrder(self.json_view, self.copy_button)
        self._set_ladder(None, False)

    # -- updating ---------------------------------------------------------------------------

    def show_check(
        self, check: OrderCheck, email_entered: bool | str, *, started: bool = True
    ) -> None:
        """``started``: the user has typed or pasted something. Before that an empty form is
        not "5 errors" but a form to fill: a neutral prompt is shown instead."""
        coverage = f"Coverage: {check.coverage.label}."
        if self.coverage.text() != coverage:
            self.coverage.setText(coverage)
        # The ladder first: fitting the issue list measures the box the ladder is in.
        self._set_ladder(
            check.email, email_entered, check.email_forms, get_destination(check.destination)
        )
        if not started:
            self._show_prompt()
        else:
            level, text = summary_text(check)
            if self.summary.text() != text or self._prompting:
                self.summary.setText(text)
                size = self.summary.fontMetrics().height()
                self.summary_icon.setPixmap(_icon(level).pixmap(size, size))
            self._set_issues(check.issues)
        self._set_payload(check.payload)

    def _show_prompt(self) -> None:
        if self._prompting:
            return
        self._prompting = True
        self.summary.setText(START_PROMPT)
        self.summary_icon.clear()
        self.issue_list.clear()
        hint = QListWidgetItem("Problems with the order will be listed here as you type.")
        hint.setFlags(Qt.ItemFlag.NoItemFlags)
        self.issue_list.addItem(hint)
        self._issues = []
        self.no_body.setText(_NO_BODY_YET)
        self._fit_issues(False)

    def _set_issues(self, issues: list[Issue]) -> None:
        if issues == self._issues and self.issue_list.count() and not self._prompting:
            return
        widget = self.issue_list
        if not self._issues or self._prompting:
            widget.clear()  # drop the "Nothing to fix." (or prompt) line
            if self._prompting:
                self._prompting = False
                self.no_body.setText(_NO_BODY_ERRORS)
        for row, issue in enumerate(issues):
            if row < len(self._issues):
                if self._issues[row] == issue:
                    continue
                item = widget.item(row)
            else:
                item = QListWidgetItem()
                widget.addItem(item)
            item.setText(issue_text(issue))
            item.setIcon(_icon(issue.level))
            item.setData(FIELD_ROLE, issue.field)
            item.setToolTip("Go to the field this is about")
        while widget.count() > len(issues):
            widget.takeItem(widget.count() - 1)
        self._issues = list(issues)
        if not issues:
            empty = QListWidgetItem("Nothing to fix.")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            widget.addItem(empty)
            self._issues = []
        self._fit_issues(bool(issues))
        self._show_first_issues()

    def _show_first_issues(self) -> None:
        """At least the first four problems in view (more scroll), whatever the window size."""
        widget = self.issue_list
        if not self._issues:
            widget.setMinimumHeight(0)
            return
        widget.doItemsLayout()  # wrap at the current width before measuring
        shown = min(len(self._issues), ISSUES_IN_VIEW)
        rows = sum(widget.visualItemRect(widget.item(row)).height() for row in range(shown))
        widget.setMinimumHeight(rows + 2 * widget.frameWidth() + 4)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            if watched is self._ids_box:
                self._fit_ids()
            elif watched is self.issue_list.viewport():
                self._show_first_issues()
        return super().eventFilter(watched, event)

    def _fit_ids(self) -> None:
        """The identifiers box never gets less height than its wrapped lines need: squeezed,
        they were drawn over each other (dark theme, after pasting an order)."""
        layout = self._ids_box.layout()
        if layout is None:
            return
        width = self._ids_box.width()
        need = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else -1
        need = max(need, layout.totalMinimumSize().height())
        if self._ids_box.minimumHeight() != need:
            self._ids_box.setMinimumHeight(need)
            if not self._issue_room:
                self._upper.setMaximumHeight(16777215)  # re-capped once laid out anew
                QTimer.singleShot(0, self._recap)

    def _recap(self) -> None:
        if not self._issue_room:
            self._cap_upper()

    def _fit_issues(self, any_issue: bool, *, again: bool = False) -> None:
        """No problems: a one-line box, and the request body gets the room (no empty list).
        ``again``: the content above changed size (the email ladder), so measure anew."""
        if any_issue == self._issue_room and not (again and not any_issue):
            return
        self._issue_room = any_issue
        unlimited = 16777215  # QWIDGETSIZE_MAX
        if any_issue:
            self.issue_list.setMaximumHeight(unlimited)
            self._issues_box.setMaximumHeight(unlimited)
            self._upper.setMaximumHeight(unlimited)
            self._upper.setMinimumHeight(0)
        else:
            line = self.issue_list.sizeHintForRow(0) + 2 * self.issue_list.frameWidth() + 6
            self.issue_list.setMaximumHeight(line)
            self._cap_upper()

    def _cap_upper(self) -> None:
        """With nothing to fix, the problems box is one line tall (no empty box); the upper
        part gets exactly what the identifiers need (wrapped ladder lines count), the request
        body the rest."""
        for box in (self._ids_box, self._issues_box, self._upper):  # size hints are cached
            layout = box.layout()
            if layout is not None:
                layout.invalidate()
                layout.activate()
        self._issues_box.setMaximumHeight(self._issues_box.sizeHint().height())
        needed = self._upper_height()
        self._upper.setMaximumHeight(needed)
        self._upper.setMinimumHeight(needed)

    def _upper_height(self) -> int:
        """What the upper part needs at its width: wrapped ladder lines count."""
        height = self._upper.sizeHint().height()
        layout = self._upper.layout()
        width = self._upper.width()
        if layout is not None and layout.hasHeightForWidth() and width > 0:
            height = max(height, layout.totalHeightForWidth(width))
        return height

    def width_for_an_address(self) -> int:
        """About the narrowest this panel gets once an address is entered: a digest line (32
        monospace characters) beside the longest step name, with the Copy button's column and
        the boxes' margins. Compose lays the panels out by it, so that typing an address does
        not rearrange the page under the cursor."""
        mono = QFont(self.font())  # as the digest label shows it: its size, monospace
        mono.setFamily("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        digest = QFontMetrics(mono).horizontalAdvance("0" * DIGEST_LINE)
        name = QFontMetrics(self.font()).horizontalAdvance("✓ SHA-256(MD5):")
        button = self.copy_hash.sizeHint().width()
        return max(self.minimumSizeHint().width(), digest + name + button + 4 * 12)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._issue_room:  # wrapping changed with the width: fit the box again
            self._fit_issues(False, again=True)

    def _set_ladder(
        self,
        ladder: EmailLadder | None,
        entered: bool | str,
        forms: EmailForms | None = None,
        destination: Destination | None = None,
    ) -> None:
        """``entered``: the email field's text (or only whether it holds one)."""
        if ladder is not None:
            rows = ladder_rows(ladder, forms, destination)
        elif entered:
            shown = mask_email(entered) if isinstance(entered, str) else MASK
            rows = [("Email", shown, "not used: see the problem listed above")]
        else:
            rows = [("Email", "none entered", "")]
        sent = sent_summary(destination) if ladder is not None and destination else ""
        key = (*(cell for row in rows for cell in row), sent)
        if key == self._ladder_key:
            return
        resized = len(key) != len(self._ladder_key or ())
        self._ladder_key = key
        self.email_sent.setText(sent)
        self.email_sent.setVisible(bool(sent))
        for line, (step_label, value_label) in enumerate(self._ladder_labels):
            if line >= len(rows):
                step_label.hide()
                value_label.hide()
                continue
            step, shown, note = rows[line]
            if step in FORM_LABELS.values():
                # ✓ / ✗ before the name says whether it goes out; the note says where. Lines
                # of 32 keep a digest whole in a narrow panel; "Copy" copies the SHA-256.
                step_label.setText(f"{note[:1]} {step}:")
                value_label.setText(
                    "\n".join(shown[i : i + DIGEST_LINE] for i in range(0, len(shown), DIGEST_LINE))
                )
                value_label.setStyleSheet("font-family: monospace;")
                value_label.setAccessibleName(f"{step} of the email")
                value_label.setAccessibleDescription(note)
                value_label.setToolTip(note[1:].strip())
            else:
                step_label.setText(f"{step}:")
                value_label.setText(f"{shown}\n({note})" if note else shown)
                value_label.setStyleSheet("")
                value_label.setAccessibleName(f"{step}")
                value_label.setAccessibleDescription("")
                value_label.setToolTip("")
            step_label.show()
            value_label.show()
        self._fit_ids()
        if resized:
            self._fit_issues(bool(self._issues), again=True)
        digests = [(line, row[1]) for line, row in enumerate(rows) if row[0] == "SHA-256"]
        if digests:
            line, self._digest = digests[0]
            self.email_grid.addWidget(self.copy_hash, line, 2, Qt.AlignmentFlag.AlignTop)
        self.copy_hash.setVisible(bool(digests))

    def _copy_hash(self) -> None:
        if self._digest:
            QGuiApplication.clipboard().setText(self._digest)

    def _set_payload(self, payload: dict[str, Any] | None) -> None:
        if payload == self._payload:
            return
        self._payload = payload
        if payload is None:
            # Hide rather than clear: the next valid body is then diffed against the last one,
            # so fixing one error does not re-lay out and re-highlight every line.
            self.body_stack.setCurrentWidget(self.no_body)
        else:
            self.json_view.set_json_text(self._items_cache.dumps(payload))
            self.body_stack.setCurrentWidget(self.json_view)
        self.copy_button.setEnabled(payload is not None)
        self.copy_button.setText("&Copy request body")

    # -- actions ----------------------------------------------------------------------------

    def payload_text(self) -> str:
        """The body shown (what Copy copies); empty while the order has errors."""
        return "" if self._payload is None else self.json_view.json_text()

    def copy_payload(self) -> None:
        text = self.payload_text()
        if not text:
            return
        QGuiApplication.clipboard().setText(text)
        self.copy_button.setText("&Copied ✓")

    def _activate(self, item: QListWidgetItem) -> None:
        field = item.data(FIELD_ROLE)
        if isinstance(field, str):
            self.issue_activated.emit(field)
