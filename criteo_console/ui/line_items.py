"""The editable item lines of the Compose form: a table model over typed text.

Cells hold exactly what the user typed; prices are read in the user's number format by
``core.locale_money`` once per edit (not per keystroke elsewhere), so building the order for
the preview stays cheap with a thousand lines.

A pasted line the cells cannot show as it is (a list for an id, ``true`` for a quantity, a
price given as a JSON number…) is kept as pasted until the user edits that line, so the core
judges what was pasted and never a text rendering of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QApplication, QStyle

from criteo_console.core.issues import Issue, Level
from criteo_console.core.jsonfmt import dumps_json
from criteo_console.core.locale_money import AmountReading, number_format, read_amount

ID, PRICE, QUANTITY = range(3)
_KEYS = ("id", "price", "quantity")
_HEADERS = ("Product id", "Price", "Quantity")
_FIELD = re.compile(r"^items\[(\d+)\](?:\.(id|price|quantity))?")
_HEADER_WORDS = {"id", "sku", "product", "product id", "price", "quantity", "qty", "item"}
_NOTHING: Any = object()  # a line with no pasted original kept
_SURROGATE = re.compile("[\ud800-\udfff]")

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass
class _Row:
    id: str = ""
    price: str = ""
    quantity: str = ""
    reading: AmountReading = field(default_factory=lambda: AmountReading("", None, None))
    extra: dict[str, Any] = field(default_factory=dict)
    kept: Any = _NOTHING  # the pasted line, used as it is until the user edits this line

    def cell(self, column: int) -> str:
        return (self.id, self.price, self.quantity)[column]


def split_pasted_rows(text: str) -> list[list[str]]:
    """Tab-separated lines from a spreadsheet; a header row (id / price / quantity) is skipped."""
    rows = [line.split("\t") for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    if rows and {cell.strip().lower() for cell in rows[0]} & _HEADER_WORDS:
        rows = rows[1:]
    return [[cell.strip() for cell in row[:3]] + [""] * (3 - min(len(row), 3)) for row in rows]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def shown_text(value: object) -> str:
    """How a pasted JSON value is shown in a text field: strings as they are (a lone
    surrogate, which a text field cannot hold, as U+FFFD), anything else as its JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    try:
        return shown_text(dumps_json(value))
    except (TypeError, ValueError):
        return repr(value)


def shown_money(value: object, locale: str) -> str:
    """A pasted amount in the user's number format when it is a plain number."""
    if isinstance(value, str) or (isinstance(value, int | Decimal) and not isinstance(value, bool)):
        return number_format(locale).write(shown_text(str(value)))
    return shown_text(value)


class LineItemsModel(QAbstractTableModel):
    """Item lines as typed. ``items_changed`` fires once per user action."""

    items_changed = Signal()

    def __init__(self, locale: str = "en_US", parent: Any = None) -> None:
        super().__init__(parent)
        self._locale = locale
        self._rows: list[_Row] = [_Row()]
        self._cell_issues: dict[tuple[int, int], Issue] = {}

    # -- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _HEADERS[section]
        return str(section + 1)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._rows[row].cell(column)
        issue = self._cell_issues.get((row, column))
        if role == Qt.ItemDataRole.ToolTipRole and issue:
            return issue.message
        if role == Qt.ItemDataRole.DecorationRole and issue:
            icon = (
                QStyle.StandardPixmap.SP_MessageBoxCritical
                if issue.level is Level.ERROR
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            return QApplication.style().standardIcon(icon)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and issue:
            return f"{issue.level.value}: {issue.message}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column != ID:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        row = self._rows[index.row()]
        text = _text(value)
        if row.cell(index.column()) == text:
            return False
        self._set_cell(row, index.column(), text)
        row.kept = _NOTHING  # edited: the cells say what the line is now
        self.dataChanged.emit(index, index)
        self.items_changed.emit()
        return True

    # -- editing ----------------------------------------------------------------------------

    def _set_cell(self, row: _Row, column: int, text: str) -> None:
        if column == ID:
            row.id = text
        elif column == PRICE:
            row.price = text
            row.reading = read_amount(text, self._locale)
        else:
            row.quantity = text

    def _new_row(
        self, cells: Sequence[str], extra: dict[str, Any] | None = None, kept: Any = _NOTHING
    ) -> _Row:
        row = _Row(extra=dict(extra or {}), kept=kept)
        for column, text in enumerate(cells[:3]):
            self._set_cell(row, column, text)
        return row

    def add_row(self, after: int | None = None) -> int:
        """Insert an empty line after ``after`` (or at the end); returns its row number."""
        position = len(self._rows) if after is None else min(after + 1, len(self._rows))
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, _Row())
        self.endInsertRows()
        self._shift_issues()
        self.items_changed.emit()
        return position

    def duplicate_rows(self, rows: Iterable[int]) -> list[int]:
        """Copy each given line just below the last of them; returns the new row numbers."""
        chosen = sorted({r for r in rows if 0 <= r < len(self._rows)})
        if not chosen:
            return []
        position = chosen[-1] + 1
        copies = [
            self._new_row(
                [self._rows[r].id, self._rows[r].price, self._rows[r].quantity],
                self._rows[r].extra,
                self._rows[r].kept,
            )
            for r in chosen
        ]
        self.beginInsertRows(QModelIndex(), position, position + len(copies) - 1)
        self._rows[position:position] = copies
        self.endInsertRows()
        self._shift_issues()
        self.items_changed.emit()
        return list(range(position, position + len(copies)))

    def remove_rows(self, rows: Iterable[int]) -> None:
        chosen = sorted({r for r in rows if 0 <= r < len(self._rows)}, reverse=True)
        if not chosen:
            return
        for r in chosen:
            self.beginRemoveRows(QModelIndex(), r, r)
            del self._rows[r]
            self.endRemoveRows()
        self._shift_issues()
        self.items_changed.emit()

    def paste_rows(self, text: str, at: int | None = None) -> int:
        """Insert spreadsheet rows (id, price, quantity) after line ``at`` (or at the end).

        An empty line at ``at`` is filled rather than kept. Returns how many lines were pasted.
        """
        pasted = [self._new_row(cells) for cells in split_pasted_rows(text)]
        if not pasted:
            return 0
        self.beginResetModel()
        if at is not None and 0 <= at < len(self._rows) and self._is_blank(self._rows[at]):
            self._rows[at : at + 1] = pasted
        else:
            position = len(self._rows) if at is None else min(at + 1, len(self._rows))
            if len(self._rows) == 1 and self._is_blank(self._rows[0]):
                self._rows = []
                position = 0
            self._rows[position:position] = pasted
        self._cell_issues = {}
        self.endResetModel()
        self.items_changed.emit()
        return len(pasted)

    @staticmethod
    def _is_blank(row: _Row) -> bool:
        return not (
            row.id.strip()
            or row.price.strip()
            or row.quantity.strip()
            or row.extra
            or row.kept is not _NOTHING
        )

    def load(self, items: object) -> None:
        """Fill from the canonical input's ``items`` (money written in the user's format).

        A line whose cells would not read back as it was pasted is kept as pasted.
        """
        rows: list[_Row] = []
        if isinstance(items, list):
            for item in items:
                if not isinstance(item, Mapping):
                    rows.append(self._new_row([shown_text(item), "", ""], kept=item))
                    continue
                extra = {k: v for k, v in item.items() if k not in _KEYS}
                cells = [
                    shown_text(item.get("id")),
                    "" if item.get("price") is None else shown_money(item["price"], self._locale),
                    shown_text(item.get("quantity")),
                ]
                row = self._new_row(cells, extra)
                if row.reading.problem or not _same(self._row_input(row), item):
                    row.kept = item
                rows.append(row)
        self.beginResetModel()
        self._rows = rows or [_Row()]
        self._cell_issues = {}
        self.endResetModel()
        self.items_changed.emit()

    def set_locale(self, locale: str) -> None:
        self._locale = locale
        for row in self._rows:
            row.reading = read_amount(row.price, locale)
        self.items_changed.emit()

    # -- reading ----------------------------------------------------------------------------

    def to_input(self) -> list[Any]:
        """The canonical ``items`` list; an entirely empty form gives ``[]``."""
        items: list[Any] = []
        for row in self._rows:
            if row.kept is not _NOTHING:
                items.append(row.kept)
                continue
            if self._is_blank(row) and len(self._rows) == 1:
                continue
            items.append(self._row_input(row))
        return items

    @staticmethod
    def _row_input(row: _Row) -> dict[str, Any]:
        quantity: object = row.quantity.strip()
        if quantity == "":
            quantity = None
        elif isinstance(quantity, str) and quantity.isdigit():
            quantity = int(quantity)
        price = row.reading.canonical
        if price is None and row.reading.problem:
            price = row.price
        return {"id": row.id or None, "price": price, "quantity": quantity, **row.extra}

    def entry_problems(self) -> dict[str, str]:
        """``items[i].price`` -> plain words, for prices that cannot be read safely."""
        return {
            f"items[{i}].price": f"Item line {i + 1}'s price: {row.reading.problem}"
            for i, row in enumerate(self._rows)
            if row.reading.problem and row.kept is _NOTHING
        }

    def cell_text(self, row: int, column: int) -> str:
        return self._rows[row].cell(column)

    # -- issues -----------------------------------------------------------------------------

    def set_issues(self, issues: Iterable[Issue]) -> None:
        """Mark the cells the issues are about; repaints only the cells whose mark changed."""
        marks: dict[tuple[int, int], Issue] = {}
        for issue in issues:
            cell = cell_for_field(issue.field)
            if cell and cell[0] < len(self._rows):
                current = marks.get(cell)
                if current is None or (
                    current.level is Level.WARNING and issue.level is Level.ERROR
                ):
                    marks[cell] = issue
        old = self._cell_issues
        if marks == old:
            return
        self._cell_issues = marks
        for cell in old.keys() ^ marks.keys() | {c for c in marks if old.get(c) != marks[c]}:
            index = self.index(*cell)
            self.dataChanged.emit(index, index)

    def _shift_issues(self) -> None:
        # Row numbers moved: the next check recomputes the marks.
        self._cell_issues = {}


def _same(built: Mapping[str, Any], pasted: Mapping[str, Any]) -> bool:
    """Whether the line built from the cells is exactly the pasted one (types included)."""
    if built.keys() != pasted.keys():
        return False
    return all(type(v) is type(pasted[k]) and v == pasted[k] for k, v in built.items())


def cell_for_field(field_name: str) -> tuple[int, int] | None:
    """``items[1].quantity`` -> (1, QUANTITY); ``items[1]`` -> (1, ID)."""
    match = _FIELD.match(field_name)
    if not match:
        return None
    column = _KEYS.index(match.group(2)) if match.group(2) else ID
    return int(match.group(1)), column
