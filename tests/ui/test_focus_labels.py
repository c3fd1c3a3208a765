"""A focused button keeps its whole label: the focus frame does not eat the text's room."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from criteo_console.ui import theme

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
LABELS = ("Don't send", "Export sign-off report…", "Validate only", "Send to Criteo")


def text_room(button: QPushButton) -> int:
    option = QStyleOptionButton()
    button.initStyleOption(option)
    rect = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)
    return rect.width()


@pytest.mark.parametrize("label", LABELS)
def test_a_focused_button_has_room_for_its_label(
    qtbot: Any, qapp: QApplication, label: str
) -> None:
    before = qapp.styleSheet()
    theme.apply_focus_style(qapp)
    try:
        window = QWidget()
        qtbot.addWidget(window)
        layout = QHBoxLayout(window)
        other = QPushButton("Other")
        button = QPushButton(label)
        layout.addWidget(other)
        layout.addWidget(button)
        layout.addStretch(1)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        button.setFocus()
        qtbot.waitUntil(button.hasFocus)
        needed = button.fontMetrics().horizontalAdvance(button.text().replace("&", ""))
        assert text_room(button) >= needed, (text_room(button), needed, button.width())
        shot = button.grab()  # what a screenshot of the focused button shows
        assert shot.width() == button.width()
    finally:
        qapp.setStyleSheet(before)
