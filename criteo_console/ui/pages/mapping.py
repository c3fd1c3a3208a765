"""Event mapping (check 3): canonical event → exact Criteo event name, near-misses flagged."""

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
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.save_button.clicked.connect(self._save)
        self.table.itemChanged.connect(self._recheck)
        service.profile_selected.connect(self._show)

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
        if issues:
            self.issues.setText("\n".join(f"⚠ {i.message}" for i in issues))
            self.issues.setStyleSheet(f"color: {theme.color(theme.WARN_COLOR)}")
        else:
            self.issues.setText("✓ Every event name is set and looks right.")
            self.issues.setStyleSheet(f"color: {theme.color(theme.OK_COLOR)}")

    @Slot()
    def _save(self) -> None:
        profile = self.service.profile
        if profile is None:
            return
        self.service.save_profile(
            profile.name, profile.with_changes(event_names=self.mapping()), None
        )
