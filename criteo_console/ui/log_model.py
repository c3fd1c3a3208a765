"""The event log as a table model that pages through SQLite, newest first, never loading all."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication, QStyle

from criteo_console.storage.event_log import Attempt, EventLog, LogFilter

PAGE_SIZE = 100
ATTEMPT_ROLE = Qt.ItemDataRole.UserRole + 1
_HEADERS = ("Time", "Result", "Profile", "Order id", "Value", "HTTP", "Trace id")
_STATE_WORDS = {
    "accepted": "accepted",
    "rejected": "rejected by Criteo",
    "failed": "failed (not delivered)",
    "pending": "sending…",
}

AnyIndex = QModelIndex | QPersistentModelIndex


def local_time(iso: str) -> str:
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def state_text(attempt: Attempt) -> str:
    if attempt.outcome_unknown:
        return attempt.display_state
    return _STATE_WORDS.get(attempt.state, attempt.state)


class LogModel(QAbstractTableModel):
    """Rows of ``EventLog.page``; Qt views call ``fetchMore`` as the user scrolls down."""

    def __init__(self, event_log: EventLog, parent: Any = None) -> None:
        super().__init__(parent)
        self._log = event_log
        self._filter = LogFilter()
        self._rows: list[Attempt] = []
        self._exhausted = False
        self.total = 0

    # -- paging -----------------------------------------------------------------------------

    def set_filter(self, filters: LogFilter) -> None:
        self._filter = filters
        self.reload()

    def current_filter(self) -> LogFilter:
        return self._filter

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = []
        self._exhausted = False
        self.total = self._log.count(self._filter)
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        before = self._rows[-1].id if self._rows else None
        page = self._log.page(PAGE_SIZE, before_id=before, filters=self._filter)
        if len(page) < PAGE_SIZE:
            self._exhausted = True
        if not page:
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def attempt(self, row: int) -> Attempt | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, attempt_id: int) -> int | None:
        for row, attempt in enumerate(self._rows):
            if attempt.id == attempt_id:
                return row
        return None

    def loaded(self) -> int:
        return len(self._rows)

    # -- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        attempt = self._rows[index.row()]
        column = index.column()
        if role == ATTEMPT_ROLE:
            return attempt
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cell(attempt, column)
        if role == Qt.ItemDataRole.DecorationRole and column == 1:
            return _state_icon(attempt)
        if role == Qt.ItemDataRole.BackgroundRole and attempt.outcome_unknown:
            return QBrush(QColor(255, 193, 7, 60))  # translucent amber: readable light or dark
        return None

    @staticmethod
    def _cell(attempt: Attempt, column: int) -> str:
        if column == 0:
            return local_time(attempt.created_at)
        if column == 1:
            return ("⚠ " if attempt.outcome_unknown else "") + state_text(attempt)
        if column == 2:
            return attempt.profile
        if column == 3:
            return attempt.order_id or "—"
        if column == 4:
            if attempt.value is None:
                return "—"
            return f"{attempt.value} {attempt.currency or ''}".strip()
        if column == 5:
            return "—" if attempt.http_status is None else str(attempt.http_status)
        return attempt.trace_id or "—"


def _state_icon(attempt: Attempt) -> Any:
    pixmap = {
        "accepted": QStyle.StandardPixmap.SP_DialogApplyButton,
        "rejected": QStyle.StandardPixmap.SP_MessageBoxCritical,
        "failed": QStyle.StandardPixmap.SP_MessageBoxCritical,
    }.get(attempt.state, QStyle.StandardPixmap.SP_MessageBoxWarning)
    return QApplication.style().standardIcon(pixmap)
