"""The small dialog before a sign-off report: who reviews it, for whom, and where it goes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True, slots=True)
class ReportDetails:
    reviewer: str
    client: str
    agency: str
    folder: Path


class SignoffDialog(QDialog):
    """Reviewer (needed), client and agency (optional), and the folder for the three files."""

    def __init__(self, attempts: int, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export sign-off report")
        intro = QLabel(
            f"A signed report of the {attempts} selected attempt"
            f"{'s' if attempts != 1 else ''}: signoff.pdf, signoff.html and signoff.json. "
            "No secret, token or raw email is written."
        )
        intro.setWordWrap(True)
        self.reviewer = QLineEdit()
        self.reviewer.setAccessibleName("Reviewer")
        self.reviewer.setPlaceholderText("who reviewed these sends and signs them off")
        self.client = QLineEdit()
        self.client.setAccessibleName("Client")
        self.client.setPlaceholderText("optional: the advertiser's company")
        self.agency = QLineEdit()
        self.agency.setAccessibleName("Agency")
        self.agency.setPlaceholderText("optional: the agency doing the integration")
        self.folder = QLineEdit(str(folder))
        self.folder.setAccessibleName("Folder")
        choose = QPushButton("&Choose…")
        choose.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("What is missing")
        self.problem.hide()
        form = QFormLayout()
        form.addRow("&Reviewer:", self.reviewer)
        form.addRow("C&lient:", self.client)
        form.addRow("A&gency:", self.agency)
        # A row whose field is a layout gets no buddy from addRow: the label would show its
        # "&" instead of underlining F, and Alt+F would do nothing.
        folder_label = QLabel("&Folder:")
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, folder_row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Write report")
        self.buttons.accepted.connect(self._accept_if_complete)
        self.buttons.rejected.connect(self.reject)
        # Wide enough for the longest hint in its field (the dialog opened 300 px wide).
        hints = max(
            self.reviewer.fontMetrics().horizontalAdvance(field.placeholderText())
            for field in (self.reviewer, self.client, self.agency)
        )
        for field in (self.reviewer, self.client, self.agency):
            field.setMinimumWidth(hints + 16)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def details(self) -> ReportDetails:
        return ReportDetails(
            reviewer=self.reviewer.text().strip(),
            client=self.client.text().strip(),
            agency=self.agency.text().strip(),
            folder=Path(self.folder.text().strip()).expanduser(),
        )

    def _accept_if_complete(self) -> None:
        details = self.details()
        if not details.reviewer:
            self._say("Reviewer is empty: the report names who reviewed and signed it off.")
            self.reviewer.setFocus()
        elif not self.folder.text().strip():
            self._say("Folder is empty: choose where the three files are written.")
            self.folder.setFocus()
        elif details.folder.exists() and not details.folder.is_dir():
            self._say(f"Folder: {details.folder} is a file. Choose a folder.")
            self.folder.setFocus()
        else:
            self.accept()

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Folder for the report", self.folder.text())
        if chosen:
            self.folder.setText(chosen)
