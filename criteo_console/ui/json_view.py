"""Read-only, highlighted JSON that updates in place: only changed lines are replaced."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

_TOKENS = re.compile(
    r'(?P<key>"(?:[^"\\]|\\.)*"(?=\s*:))'
    r'|(?P<string>"(?:[^"\\]|\\.)*")'
    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<literal>\btrue\b|\bfalse\b|\bnull\b)"
)

# (light, dark) colours chosen for at least 4.5:1 contrast on the default base colours.
_COLOURS = {
    "key": ("#1d4f91", "#8cc4ff"),
    "string": ("#1f6f2b", "#9ad99a"),
    "number": ("#8a3b00", "#ffb877"),
    "literal": ("#6f2da8", "#d7a8ff"),
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class JsonHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, dark: bool = False) -> None:
        super().__init__(document)
        self._formats: dict[str, QTextCharFormat] = {}
        self.set_dark(dark, rehighlight=False)

    def set_dark(self, dark: bool, *, rehighlight: bool = True) -> None:
        for kind, (light_colour, dark_colour) in _COLOURS.items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(dark_colour if dark else light_colour))
            if kind == "key":
                fmt.setFontWeight(QFont.Weight.DemiBold)
            self._formats[kind] = fmt
        if rehighlight:
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        for match in _TOKENS.finditer(text):
            kind = match.lastgroup
            if kind:
                self.setFormat(match.start(), match.end() - match.start(), self._formats[kind])


class JsonView(QPlainTextEdit):
    """Shows JSON text; ``set_json_text`` edits only the lines that differ."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        # Long lines wrap (a hash anywhere): a narrow panel never scrolls sideways.
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._lines: list[str] = []
        self._highlighter = JsonHighlighter(self.document(), is_dark(self.palette()))
        self.installEventFilter(self)

    def json_text(self) -> str:
        return "\n".join(self._lines)

    def set_json_text(self, text: str) -> bool:
        """Show ``text``; returns False (and touches nothing) when it is already shown."""
        new = text.split("\n") if text else []
        old = self._lines
        if new == old:
            return False
        if not old or not new:
            self.setPlainText(text)
            self._lines = new
            return True
        start = 0
        limit = min(len(old), len(new))
        while start < limit and old[start] == new[start]:
            start += 1
        end_old, end_new = len(old), len(new)
        while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
            end_old -= 1
            end_new -= 1
        self._replace_lines(start, end_old, new[start:end_new], len(old))
        self._lines = new
        return True

    def _replace_lines(self, start: int, end: int, lines: list[str], total: int) -> None:
        doc = self.document()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        if start < end:
            first = doc.findBlockByNumber(start)
            cursor.setPosition(first.position())
            last = doc.findBlockByNumber(end - 1)
            cursor.setPosition(last.position() + last.length() - 1, QTextCursor.MoveMode.KeepAnchor)
            if lines:
                cursor.insertText("\n".join(lines))
            elif end < total:  # remove the lines and the line break after them
                cursor.movePosition(
                    QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor
                )
                cursor.removeSelectedText()
            else:  # remove trailing lines with the break before them
                cursor.setPosition(first.position() - 1)
                cursor.setPosition(
                    last.position() + last.length() - 1, QTextCursor.MoveMode.KeepAnchor
                )
                cursor.removeSelectedText()
        elif start < total:  # pure insertion before line ``start``
            cursor.setPosition(doc.findBlockByNumber(start).position())
            cursor.insertText("\n".join(lines) + "\n")
        else:  # pure insertion at the end
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText("\n" + "\n".join(lines))
        cursor.endEditBlock()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self and event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.ApplicationPaletteChange,
        ):
            self._highlighter.set_dark(is_dark(self.palette()))
        return False
