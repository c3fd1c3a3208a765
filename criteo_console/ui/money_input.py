"""A money entry that reads what the user types in their own number format."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QApplication, QLineEdit, QStyle, QToolButton, QWidget

from criteo_console.core.locale_money import AmountReading, number_format, read_amount


def system_locale_name() -> str:
    """The user's locale as Babel spells it (``fr_FR``); ``C`` reads as en_US."""
    return QLocale().name()


class MoneyInput(QLineEdit):
    """``reading()`` says what the text means (``149,90`` -> ``149.90``) or why it cannot tell.

    An unreadable entry shows a warning mark and its explanation as the tooltip; it is never
    turned into a number behind the user's back.
    """

    reading_changed = Signal(object)  # AmountReading

    def __init__(self, locale: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._locale = locale or system_locale_name()
        self._reading = read_amount("", self._locale)
        icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self._mark = self.addAction(icon, QLineEdit.ActionPosition.TrailingPosition)
        self._mark.setVisible(False)
        for button in self.findChildren(QToolButton):  # the mark is drawn as an icon button
            button.setAccessibleName("Problem with this amount (details in the tooltip)")
        self._update_placeholder()
        self.textChanged.connect(self._on_text)

    def locale_name(self) -> str:
        return self._locale

    def set_locale(self, locale: str) -> None:
        self._locale = locale
        self._update_placeholder()
        self._on_text(self.text())

    def reading(self) -> AmountReading:
        return self._reading

    def set_canonical(self, canonical: str) -> None:
        """Show a canonical amount (``149.90``) the way the user writes numbers."""
        self.setText(number_format(self._locale).write(canonical))

    def _update_placeholder(self) -> None:
        self.setPlaceholderText(f"e.g. {number_format(self._locale).write('149.90')}")

    def _on_text(self, text: str) -> None:
        self._reading = read_amount(text, self._locale)
        problem = self._reading.problem
        self._mark.setVisible(problem is not None)
        self._mark.setToolTip(problem or "")
        self.setToolTip(problem or "")
        self.setAccessibleDescription(problem or "")
        self.reading_changed.emit(self._reading)


__all__ = ["AmountReading", "MoneyInput", "system_locale_name"]
