"""Event mapping (check 3): canonical event → exact Criteo event name, near-misses flagged.

The page may be built after the profile was chosen (it is built lazily), so it fills itself
from the current profile when built as well as on every profile change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from criteo_console.core import Issue, check_event_mapping
from criteo_console.ui import theme
from criteo_console.ui.service import ConsoleService

if TYPE_CHECKING:
    from criteo_console.storage import Profile


class MappingPage(QWidget):
    def __init__(self, service: ConsoleService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        title = QLabel(
            "<h2>Event mapping</h2>Criteo matches event names exactly: “Purchase”, "
            "“ purchase” or “purchase_event” are different events. Enter each name exactly as "
            "it is set up in the advertiser's Criteo account."
        )
        title.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Event in your shop", "Criteo event name"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Event names: shop event to Criteo event")
        self.issues = QLabel()
        self.issues.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Mapping status")
        self._saving = False
        self.add_button = QPushButton("&Add event")
        self.remove_button = QPushButton("&Remove selected")
        self.save_button = QPushButton("&Save mapping")
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.issues)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.save_button.clicked.connect(self._save)
        self.table.itemChanged.connect(self._recheck)
        self.table.itemChanged.connect(lambda *_: self.status.clear())
        service.profile_selected.connect(self._show)
        service.profile_saved.connect(self._saved)
        service.profile_invalid.connect(self._save_refused)
        if service.profile is not None:
            self._show(service.profile)
        else:
            self._recheck()

    def mapping(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for row in range(self.table.rowCount()):
            canonical = self.table.item(row, 0)
            criteo = self.table.item(row, 1)
            key = canonical.text().strip() if canonical else ""
            if key:
                out[key] = criteo.text() if criteo else ""
        return out

    @Slot(object)
    def _show(self, profile: Profile) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for canonical, criteo in profile.event_names.items():
            self._append(canonical, criteo)
        self.table.blockSignals(False)
        self._recheck()

    def _append(self, canonical: str, criteo: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(canonical))
        self.table.setItem(row, 1, QTableWidgetItem(criteo))

    @Slot()
    def _add(self) -> None:
        self._append("", "")
        row = self.table.rowCount() - 1
        self.table.setCurrentCell(row, 0)
        item = self.table.item(row, 0)
        if item is not None:
            self.table.editItem(item)

    @Slot()
    def _remove(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        self._recheck()

    def current_issues(self) -> list[Issue]:
        return check_event_mapping(self.mapping())

    def missing_purchase(self) -> str | None:
        """Why the mapping cannot be saved as it is, or None."""
        if not self.mapping().get("purchase", "").strip():
            return (
                "Add at least the purchase event: “purchase” in the first column and its "
                "Criteo event name (usually “purchase”) in the second."
            )
        return None

    @Slot()
    def _recheck(self, *_args: object) -> None:
        issues = self.current_issues()
        flagged = {i.field.removeprefix("event_names.") for i in issues}
        self.table.blockSignals(True)
        for row in range(self.table.rowCount()):
            canonical = self.table.item(row, 0)
            criteo = self.table.item(row, 1)
            bad = canonical is not None and canonical.text().strip() in flagged
            brush = QBrush(QColor(theme.color(theme.WARN_COLOR))) if bad else QBrush()
            if criteo is not None:
                criteo.setForeground(brush)
                criteo.setToolTip("Check this name: see below." if bad else "")
        self.table.blockSignals(False)
        missing = self.missing_purchase()
        if missing and not issues:
            self.issues.setText(f"⚠ {missing}")
            self.issues.setStyleSheet(f"color: {theme.color(theme.WARN_COLOR)}")
        elif issues:
            self.issues.setText("\n".join(f"⚠ {i.message}" for i in issues))
            self.issues.setStyleSheet(f"color: {theme.color(theme.WARN_COLOR)}")
        else:
            self.issues.setText("✓ Every event name is set and looks right.")
            self.issues.setStyleSheet(f"color: {theme.color(theme.OK_COLOR)}")

    @Slot()
    def _save(self) -> None:
        profile = self.service.profile
        if profile is None:
            self._say("Choose a profile on the Connect page first, then save its mapping.")
            return
        missing = self.missing_purchase()
        if missing:
            self._say(f"Not saved. {missing}", warn=True)
            return
        self._saving = True
        self._say("Saving…")
        self.service.save_profile(
            profile.name, profile.with_changes(event_names=self.mapping()), None
        )

    @Slot(object, str)
    def _saved(self, *_args: object) -> None:
        if self._saving:
            self._saving = False
            self._say("Mapping saved.")

    @Slot(list)
    def _save_refused(self, errors: list[object]) -> None:
        if self._saving:
            self._saving = False
            reasons = " ".join(str(e) for e in errors)
            self._say(f"Not saved. {reasons}", warn=True)

    def _say(self, text: str, *, warn: bool = False) -> None:
        color = theme.WARN_COLOR if warn else theme.OK_COLOR
        self.status.setStyleSheet(f"color: {theme.color(color)}")
        self.status.setText(text)
