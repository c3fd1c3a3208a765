"""An inline question on a page (no modal dialog): the text, a confirm and a cancel button,
framed in the warning colour. Connect asks it before updating a profile from an imported
.env file; Send before a real conversion or a re-send."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from criteo_console.ui import theme


class QuestionBar(QFrame):
    def __init__(self, confirm: str, cancel: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionBar")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.confirm = QPushButton(confirm)
        self.cancel = QPushButton(cancel)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.confirm)
        layout.addWidget(self.cancel)
        self.cancel.clicked.connect(self.hide)
        self.hide()

    def ask(self, text: str, *, confirm: str | None = None, focus_confirm: bool = False) -> None:
        """Show the question; ``confirm`` renames its button ("Update ACME"). The focus goes
        to cancel unless confirming is the safe answer (``focus_confirm``)."""
        self.text.setText(text)
        if confirm is not None:
            self.confirm.setText(confirm)
        self.setStyleSheet(
            f"#questionBar {{ border: 2px solid {theme.color(theme.WARN_COLOR)}; "
            "border-radius: 4px; }"
        )
        self.show()
        (self.confirm if focus_confirm else self.cancel).setFocus()
